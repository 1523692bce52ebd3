/** OpenAPI "Security Scheme Object" oauth2 / openIdConnect: tokens obtained per RFC 6749, 7636 and OIDC Discovery. */
import { createPrivateKey, webcrypto } from 'node:crypto';
import type * as OAuth from 'oauth4webapi';
import type { Dispatcher } from 'undici';
import type { JsonValue } from '../document/model.js';
import { AuthError } from '../errors.js';
import { fetchThrough } from '../net/index.js';
import type { ResolvedOperation, SecurityScheme } from '../sources/types.js';
import { chooseRequirement, isOAuthCredential } from './auth.js';
import type { AuthCredentials, OAuthCredential } from './types.js';

type Library = typeof OAuth;
type Flow = NonNullable<OAuthCredential['flow']>;
type OAuthScheme = Extract<SecurityScheme, { type: 'oauth2' | 'openIdConnect' }>;

/** What token acquisition needs from the run. */
export interface TokenOptions {
  /** Every token, code, verifier and refresh token obtained goes here before it is used. */
  declareSecret: (value: string) => void;
  /** Milliseconds since the epoch, for token expiry. Default: Date.now. */
  now?: () => number;
  /** Sends token and discovery requests (mTLS, proxies, MockAgent). Default: undici's global dispatcher. */
  dispatcher?: Dispatcher;
  signal?: AbortSignal;
  /** Per token or discovery request. Default: 30000. */
  timeoutMs?: number;
}

interface Token {
  accessToken: string;
  /** Epoch ms after which the token is not used any more; undefined: until a 401. */
  expiresAt: number | undefined;
  refreshToken: string | undefined;
}

interface SchemeState {
  server?: Promise<OAuth.AuthorizationServer>;
  /** By requested scopes (sorted, space-joined). In flight requests are shared. */
  tokens: Map<string, Promise<Token>>;
}

/**
 * Tokens live with the credential object: a caller that passes the same `auth` to many runs asks the
 * token endpoint once per expiry, and nothing outlives the credential.
 */
const states = new WeakMap<OAuthCredential, Map<string, SchemeState>>();

/** Tokens are renewed this long before the server's `expires_in` runs out (clock skew, time in flight). */
const EXPIRY_MARGIN_MS = 30_000;

let library: Promise<Library> | undefined;

function loadLibrary(scheme: string): Promise<Library> {
  library ??= import('oauth4webapi').catch((error: unknown) => {
    library = undefined;
    throw new AuthError(
      scheme,
      `security scheme "${scheme}": obtaining OAuth tokens needs the optional package oauth4webapi (npm install oauth4webapi)`,
      undefined,
      { cause: error },
    );
  });
  return library;
}

/** The auth values to build one request with: OAuth credentials replaced by `{ token }`. */
export interface ResolvedAuth {
  auth: AuthCredentials;
  /** Schemes whose token was obtained here (a 401 makes them fetch a fresh one). */
  schemes: string[];
}

/** Obtains, caches and renews the tokens of a run's OAuth credentials. */
export class OAuthTokens {
  private readonly now: () => number;
  constructor(
    private readonly auth: AuthCredentials,
    private readonly options: TokenOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  /** True when some credential obtains tokens (otherwise the run needs no instance). */
  static wanted(auth: AuthCredentials | undefined): boolean {
    return auth !== undefined && Object.values(auth).some(isOAuthCredential);
  }

  /**
   * The credentials for `op`, with a token for every OAuth scheme of the requirement that applies;
   * undefined when that requirement uses no OAuth credential. `fresh` schemes skip the cache (after a 401).
   * Rejects with AuthError.
   */
  async authFor(op: ResolvedOperation, fresh?: readonly string[]): Promise<ResolvedAuth | undefined> {
    const requirement = chooseRequirement(op, this.auth);
    if (requirement === undefined) return undefined;
    let out: AuthCredentials | undefined;
    const schemes: string[] = [];
    for (const name of Object.keys(requirement)) {
      const credential = this.auth[name];
      if (!isOAuthCredential(credential)) continue;
      const scheme = op.securitySchemes[name];
      if (scheme === undefined || (scheme.type !== 'oauth2' && scheme.type !== 'openIdConnect')) {
        throw new AuthError(
          name,
          `security scheme "${name}": a { clientId } credential needs an oauth2 or openIdConnect scheme, not ${scheme?.type ?? 'none'}`,
        );
      }
      const scopes = [...new Set([...(requirement[name] ?? []), ...(credential.scopes ?? [])])].sort();
      const token = await this.token(
        { name, scheme, credential, scopes, documentUrl: op.documentUrl },
        fresh?.includes(name) ?? false,
      );
      out ??= { ...this.auth };
      out[name] = { token };
      schemes.push(name);
    }
    return out === undefined ? undefined : { auth: out, schemes };
  }

  private async token(t: TokenTarget, fresh: boolean): Promise<string> {
    const state = stateOf(t);
    const key = t.scopes.join(' ');
    const cached = state.tokens.get(key);
    let previous: Token | undefined;
    if (cached !== undefined) {
      try {
        previous = await cached;
      } catch {
        previous = undefined;
      }
      if (previous !== undefined && !fresh && !this.expired(previous)) return previous.accessToken;
      // Someone else may have replaced it while we waited.
      const current = state.tokens.get(key);
      if (current !== undefined && current !== cached && !fresh) return (await current).accessToken;
    }
    const pending = this.obtain(t, state, previous?.refreshToken);
    state.tokens.set(key, pending);
    pending.catch(() => {
      if (state.tokens.get(key) === pending) state.tokens.delete(key);
    });
    return (await pending).accessToken;
  }

  private expired(token: Token): boolean {
    return token.expiresAt !== undefined && token.expiresAt <= this.now();
  }

  /** A refresh when a refresh token is at hand, else (or when the refresh is refused) the flow's grant. */
  private async obtain(t: TokenTarget, state: SchemeState, refreshToken: string | undefined): Promise<Token> {
    const lib = await loadLibrary(t.name);
    const flow = flowOf(t.credential);
    const server = await this.serverOf(lib, t, state, flow);
    const session: Session = { lib, t, server, flow, http: this.httpOptions(lib, t.name, server) };
    const auth = await clientAuthOf(lib, t.name, t.credential);
    const client: OAuth.Client = { client_id: t.credential.clientId };
    const given = flow === 'refreshToken' ? t.credential.refreshToken : undefined;
    const refresh = refreshToken ?? given;
    if (refresh !== undefined) {
      try {
        return await this.refresh(session, client, auth, refresh);
      } catch (error) {
        // A refresh token the user gave is all there is; one we obtained can be replaced by a new grant.
        if (refreshToken === undefined || !(error instanceof AuthError)) throw error;
      }
    }
    if (flow === 'refreshToken') {
      throw new AuthError(t.name, `security scheme "${t.name}": the refreshToken flow needs a refreshToken`);
    }
    return this.grant(session, client, auth);
  }

  private async refresh(
    s: Session,
    client: OAuth.Client,
    auth: OAuth.ClientAuth,
    refreshToken: string,
  ): Promise<Token> {
    const { lib, server } = s;
    return this.request(s, 'refresh_token', async () => {
      const response = await lib.refreshTokenGrantRequest(server, client, auth, refreshToken, s.http);
      return lib.processRefreshTokenResponse(server, client, response);
    });
  }

  private async grant(s: Session, client: OAuth.Client, auth: OAuth.ClientAuth): Promise<Token> {
    const { lib, server, t } = s;
    const scope = t.scopes.length > 0 ? { scope: t.scopes.join(' ') } : {};
    switch (s.flow) {
      case 'clientCredentials':
        return this.request(s, 'client_credentials', async () => {
          const response = await lib.clientCredentialsGrantRequest(server, client, auth, scope, s.http);
          return lib.processClientCredentialsResponse(server, client, response);
        });
      case 'password': {
        const { username, password } = t.credential;
        if (username === undefined || password === undefined) {
          throw new AuthError(
            t.name,
            `security scheme "${t.name}": the password flow needs username and password`,
          );
        }
        return this.request(s, 'password', async () => {
          const response = await lib.genericTokenEndpointRequest(
            server,
            client,
            auth,
            'password',
            { username, password, ...scope },
            s.http,
          );
          return lib.processGenericTokenEndpointResponse(server, client, response);
        });
      }
      default:
        return this.authorizationCode(s, client, auth);
    }
  }

  /** RFC 7636: the user agent goes through `authorize`; the code is exchanged with the PKCE verifier. */
  private async authorizationCode(s: Session, client: OAuth.Client, auth: OAuth.ClientAuth): Promise<Token> {
    const { lib, server, t } = s;
    const { authorize, redirectUri } = t.credential;
    if (authorize === undefined || redirectUri === undefined) {
      throw new AuthError(
        t.name,
        `security scheme "${t.name}": the authorizationCode flow needs redirectUri and an authorize callback`,
      );
    }
    if (server.authorization_endpoint === undefined) {
      throw new AuthError(
        t.name,
        `security scheme "${t.name}": no authorization endpoint (authorizationUrl)`,
      );
    }
    const verifier = lib.generateRandomCodeVerifier();
    this.options.declareSecret(verifier);
    const state = lib.generateRandomState();
    const openid = t.scheme.type === 'openIdConnect';
    const nonce = openid ? lib.generateRandomNonce() : undefined;
    const url = new URL(server.authorization_endpoint);
    const query = url.searchParams;
    query.set('client_id', client.client_id);
    query.set('redirect_uri', redirectUri);
    query.set('response_type', 'code');
    if (t.scopes.length > 0) query.set('scope', t.scopes.join(' '));
    query.set('code_challenge', await lib.calculatePKCECodeChallenge(verifier));
    query.set('code_challenge_method', 'S256');
    query.set('state', state);
    if (nonce !== undefined) query.set('nonce', nonce);
    return this.request(s, 'authorization_code', async () => {
      const redirected = new URL(await authorize(url.href));
      const code = redirected.searchParams.get('code');
      if (code !== null) this.options.declareSecret(code);
      const params = lib.validateAuthResponse(server, client, redirected, state);
      const response = await lib.authorizationCodeGrantRequest(
        server,
        client,
        auth,
        params,
        redirectUri,
        verifier,
        s.http,
      );
      return lib.processAuthorizationCodeResponse(server, client, response, {
        expectedNonce: nonce ?? lib.expectNoNonce,
        requireIdToken: openid && t.scopes.includes('openid'),
      });
    });
  }

  /** Run one token request; declare what it returns; turn every failure into AuthError. */
  private async request(
    s: Session,
    grant: string,
    exchange: () => Promise<OAuth.TokenEndpointResponse>,
  ): Promise<Token> {
    let result: OAuth.TokenEndpointResponse;
    try {
      result = await exchange();
    } catch (error) {
      throw authFailure(s.lib, s.t.name, `${grant} request to ${s.server.token_endpoint}`, error);
    }
    for (const secret of [result.access_token, result.refresh_token, result.id_token]) {
      if (typeof secret === 'string') this.options.declareSecret(secret);
    }
    const lifetime = typeof result.expires_in === 'number' ? result.expires_in * 1000 : undefined;
    return {
      accessToken: result.access_token,
      // Short-lived tokens are renewed at half their life rather than never used.
      expiresAt:
        lifetime === undefined ? undefined : this.now() + lifetime - Math.min(EXPIRY_MARGIN_MS, lifetime / 2),
      refreshToken: result.refresh_token,
    };
  }

  private serverOf(
    lib: Library,
    t: TokenTarget,
    state: SchemeState,
    flow: Flow,
  ): Promise<OAuth.AuthorizationServer> {
    if (state.server === undefined) {
      const pending =
        t.scheme.type === 'openIdConnect' ? this.discover(lib, t, t.scheme) : staticServer(t, flow);
      state.server = pending;
      pending.catch(() => {
        if (state.server === pending) delete state.server;
      });
    }
    return state.server;
  }

  /** OpenID Connect Discovery 1.0 from the scheme's `openIdConnectUrl`. */
  private async discover(
    lib: Library,
    t: TokenTarget,
    scheme: Extract<SecurityScheme, { type: 'openIdConnect' }>,
  ): Promise<OAuth.AuthorizationServer> {
    const url = resolveUrl(t, scheme.openIdConnectUrl, 'openIdConnectUrl');
    const suffix = /\/\.well-known\/(openid-configuration|oauth-authorization-server)$/.exec(url.pathname);
    if (suffix === null) {
      throw new AuthError(
        t.name,
        `security scheme "${t.name}": openIdConnectUrl ${url.href} does not end with /.well-known/openid-configuration`,
      );
    }
    const issuer = new URL(url.href);
    issuer.pathname = url.pathname.slice(0, suffix.index) || '/';
    issuer.search = '';
    const http = this.httpOptions(lib, t.name, { issuer: url.href, token_endpoint: url.href });
    try {
      const response = await lib.discoveryRequest(issuer, {
        ...(http as unknown as OAuth.DiscoveryRequestOptions),
        algorithm: suffix[1] === 'openid-configuration' ? 'oidc' : 'oauth2',
      });
      const server = await lib.processDiscoveryResponse(issuer, response);
      checkEndpoint(t.name, server.token_endpoint ?? '', 'token_endpoint');
      return server;
    } catch (error) {
      if (error instanceof AuthError) throw error;
      throw authFailure(lib, t.name, `discovery at ${url.href}`, error);
    }
  }

  private httpOptions(
    lib: Library,
    scheme: string,
    server: OAuth.AuthorizationServer,
  ): OAuth.TokenEndpointRequestOptions {
    const { dispatcher, signal } = this.options;
    const timeoutMs = this.options.timeoutMs ?? 30_000;
    const endpoint = server.token_endpoint ?? server.issuer;
    const options: Record<PropertyKey, unknown> = {
      signal: () =>
        signal === undefined
          ? AbortSignal.timeout(timeoutMs)
          : AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]),
      [lib.allowInsecureRequests]: checkEndpoint(scheme, endpoint, 'token endpoint'),
    };
    // One fetch serves the GET of discovery and the POSTs of token requests; the library's types split them.
    if (dispatcher !== undefined) options[lib.customFetch] = fetchThrough(dispatcher);
    return options as OAuth.TokenEndpointRequestOptions;
  }
}

interface TokenTarget {
  name: string;
  scheme: OAuthScheme;
  credential: OAuthCredential;
  scopes: string[];
  documentUrl: string;
}

interface Session {
  lib: Library;
  t: TokenTarget;
  server: OAuth.AuthorizationServer;
  flow: Flow;
  http: OAuth.TokenEndpointRequestOptions;
}

function stateOf(t: TokenTarget): SchemeState {
  let byScheme = states.get(t.credential);
  if (byScheme === undefined) {
    byScheme = new Map();
    states.set(t.credential, byScheme);
  }
  // The same credential object may serve two schemes (or two documents) with different servers.
  const key = `${t.name}\u0000${t.documentUrl}`;
  let state = byScheme.get(key);
  if (state === undefined) {
    state = { tokens: new Map() };
    byScheme.set(key, state);
  }
  return state;
}

function flowOf(credential: OAuthCredential): Flow {
  if (credential.flow !== undefined) return credential.flow;
  if (credential.refreshToken !== undefined) return 'refreshToken';
  if (credential.authorize !== undefined) return 'authorizationCode';
  if (credential.username !== undefined) return 'password';
  return 'clientCredentials';
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Tokens travel only over https, except to a loopback server (a local test or development server).
 * Returns whether the request is plain http (allowed, then).
 */
function checkEndpoint(scheme: string, endpoint: string, what: string): boolean {
  const url = new URL(endpoint);
  if (url.protocol === 'https:') return false;
  if (url.protocol === 'http:' && LOOPBACK.has(url.hostname)) return true;
  throw new AuthError(
    scheme,
    `security scheme "${scheme}": ${what} ${url.origin} is not https (plain http is allowed only to loopback hosts)`,
  );
}

function resolveUrl(t: TokenTarget, value: string | undefined, field: string): URL {
  if (value === undefined || value === '') {
    throw new AuthError(t.name, `security scheme "${t.name}": no ${field}`);
  }
  try {
    return new URL(value, t.documentUrl);
  } catch {
    throw new AuthError(t.name, `security scheme "${t.name}": ${field} "${value}" is not a URL`);
  }
}

/** The OAuth 2.0 Flow Object the credential uses; for refreshToken, any flow with a token URL. */
async function staticServer(t: TokenTarget, flow: Flow): Promise<OAuth.AuthorizationServer> {
  const flows = (t.scheme.type === 'oauth2' ? t.scheme.flows : undefined) as
    | Record<string, JsonValue>
    | undefined;
  const declared = Object.keys(flows ?? {});
  const candidates = flow === 'refreshToken' ? declared : [flow];
  for (const name of candidates) {
    const object = flows?.[name] as Record<string, JsonValue> | undefined;
    if (object === undefined || typeof object !== 'object') continue;
    const tokenField =
      flow === 'refreshToken' && typeof object.refreshUrl === 'string' ? 'refreshUrl' : 'tokenUrl';
    if (typeof object[tokenField] !== 'string') continue;
    const tokenUrl = resolveUrl(t, object[tokenField] as string, `flows.${name}.${tokenField}`);
    const authorizationUrl = object.authorizationUrl;
    return {
      issuer: tokenUrl.origin,
      token_endpoint: tokenUrl.href,
      ...(typeof authorizationUrl === 'string'
        ? { authorization_endpoint: resolveUrl(t, authorizationUrl, `flows.${name}.authorizationUrl`).href }
        : {}),
    };
  }
  throw new AuthError(
    t.name,
    `security scheme "${t.name}": the credential uses the ${flow} flow, which the scheme does not declare (flows: ${declared.join(', ') || 'none'})`,
  );
}

async function clientAuthOf(lib: Library, scheme: string, c: OAuthCredential): Promise<OAuth.ClientAuth> {
  const method =
    c.clientAuth ??
    (c.privateKey !== undefined
      ? 'private_key_jwt'
      : c.clientSecret !== undefined
        ? 'client_secret_basic'
        : 'none');
  if (method === 'none') return lib.None();
  if (method === 'private_key_jwt') {
    if (c.privateKey === undefined) {
      throw new AuthError(scheme, `security scheme "${scheme}": private_key_jwt needs privateKey`);
    }
    const { key, kid } = await importPrivateKey(scheme, c.privateKey);
    const id = c.keyId ?? kid;
    return lib.PrivateKeyJwt(id === undefined ? { key } : { key, kid: id });
  }
  if (c.clientSecret === undefined) {
    throw new AuthError(scheme, `security scheme "${scheme}": ${method} needs clientSecret`);
  }
  return method === 'client_secret_post'
    ? lib.ClientSecretPost(c.clientSecret)
    : lib.ClientSecretBasic(c.clientSecret);
}

/** A PEM or JWK private key as a WebCrypto signing key; the JWS algorithm follows from the key type. */
async function importPrivateKey(
  scheme: string,
  given: string | JsonWebKey,
): Promise<{ key: CryptoKey; kid: string | undefined }> {
  try {
    const jwk =
      typeof given === 'string' ? (createPrivateKey(given).export({ format: 'jwk' }) as JsonWebKey) : given;
    const algorithm =
      jwk.kty === 'RSA'
        ? { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }
        : jwk.kty === 'EC'
          ? { name: 'ECDSA', namedCurve: jwk.crv ?? 'P-256' }
          : { name: 'Ed25519' };
    const key = (await webcrypto.subtle.importKey('jwk', jwk, algorithm, false, ['sign'])) as CryptoKey;
    const kid = (jwk as { kid?: unknown }).kid;
    return { key, kid: typeof kid === 'string' ? kid : undefined };
  } catch (error) {
    throw new AuthError(
      scheme,
      `security scheme "${scheme}": privateKey is not a usable private key (${error instanceof Error ? error.message : String(error)})`,
      undefined,
      { cause: error },
    );
  }
}

/** The failure as the user should read it: the scheme, what was asked, and the server's own words. */
function authFailure(lib: Library, scheme: string, what: string, error: unknown): AuthError {
  const prefix = `security scheme "${scheme}": ${what} failed`;
  if (error instanceof AuthError) return error;
  if (error instanceof lib.ResponseBodyError || error instanceof lib.AuthorizationResponseError) {
    const status = error instanceof lib.ResponseBodyError ? ` with status ${error.status}` : '';
    const description = error.error_description === undefined ? '' : `: ${error.error_description}`;
    return new AuthError(scheme, `${prefix}${status}: ${error.error}${description}`, error.error, {
      cause: error,
    });
  }
  if (error instanceof lib.WWWAuthenticateChallengeError) {
    const params = error.cause[0]?.parameters;
    const code = params?.error;
    const description = params?.error_description === undefined ? '' : `: ${params.error_description}`;
    return new AuthError(
      scheme,
      `${prefix} with status ${error.status}: ${code ?? 'WWW-Authenticate challenge'}${description}`,
      code,
      { cause: error },
    );
  }
  if (error instanceof lib.OperationProcessingError) {
    const response = error.cause instanceof Response ? error.cause : undefined;
    const answered =
      response === undefined
        ? ''
        : ` (status ${response.status}, content-type ${response.headers.get('content-type') ?? 'none'})`;
    return new AuthError(scheme, `${prefix}: ${error.message}${answered}`, undefined, { cause: error });
  }
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  const reason =
    error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')
      ? 'no answer in time'
      : typeof cause?.code === 'string'
        ? `unreachable (${cause.code})`
        : error instanceof Error
          ? error.message
          : String(error);
  return new AuthError(scheme, `${prefix}: ${reason}`, undefined, { cause: error });
}
