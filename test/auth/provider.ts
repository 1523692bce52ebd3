/**
 * A real OAuth 2.0 / OpenID Connect authorization server (oidc-provider) and a resource server that checks
 * every bearer token by introspection at that server, both on 127.0.0.1 port 0.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Provider, { errors } from 'oidc-provider';

export const CLIENT_SECRET = 'cc-secret-5f1e0c9a7b';
export const USER_PASSWORD = 'wonderland-pass-31337';
export const INTROSPECT_SECRET = 'rs-secret-88d0b4e2c1';

export interface AuthServers {
  issuer: string;
  api: string;
  /** PKCS#8 PEM of the private_key_jwt client `cc-jwt`. */
  privateKeyPem: string;
  /** grant_type of every successful token request, in order. */
  grants: string[];
  /** Every bearer token the resource server was shown, in order. */
  seenTokens: string[];
  provider: Provider;
  /** Forget a token at the authorization server (the next introspection says inactive). */
  revoke(token: string): Promise<void>;
  close(): Promise<void>;
}

function listen(server: Server): Promise<string> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    });
  });
}

export async function startAuthServers(): Promise<AuthServers> {
  const asServer = createServer();
  const issuer = await listen(asServer);
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const privateKeyPem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  const publicJwk = { ...publicKey.export({ format: 'jwk' }), kid: 'cc-jwt-1', alg: 'ES256', use: 'sig' };

  const machine = { grant_types: ['client_credentials'], response_types: [], redirect_uris: [] };
  const provider = new Provider(issuer, {
    clients: [
      { client_id: 'cc', client_secret: CLIENT_SECRET, scope: 'pets:read pets:write', ...machine },
      {
        client_id: 'cc-post',
        client_secret: CLIENT_SECRET,
        scope: 'pets:read',
        token_endpoint_auth_method: 'client_secret_post',
        ...machine,
      },
      {
        client_id: 'cc-jwt',
        scope: 'pets:read',
        token_endpoint_auth_method: 'private_key_jwt',
        token_endpoint_auth_signing_alg: 'ES256',
        jwks: { keys: [publicJwk] },
        ...machine,
      },
      { client_id: 'rs', client_secret: INTROSPECT_SECRET, ...machine },
      {
        client_id: 'app',
        client_secret: CLIENT_SECRET,
        application_type: 'native',
        grant_types: ['authorization_code', 'refresh_token', 'password'],
        response_types: ['code'],
        redirect_uris: ['http://127.0.0.1/callback'],
        scope: 'openid offline_access',
      },
    ],
    features: {
      clientCredentials: { enabled: true },
      introspection: { enabled: true },
      revocation: { enabled: true },
      devInteractions: { enabled: true },
    },
    scopes: ['openid', 'offline_access', 'pets:read', 'pets:write'],
    ttl: { ClientCredentials: 3600, AccessToken: 3600, RefreshToken: 86_400, Grant: 86_400 },
    findAccount: async (_ctx, sub) => ({ accountId: sub, claims: async () => ({ sub }) }),
    issueRefreshToken: async () => true,
    rotateRefreshToken: true,
    pkce: { required: () => true },
  });
  const grants: string[] = [];
  provider.on('grant.success', (ctx) => {
    grants.push(String(ctx.oidc.params?.grant_type));
  });
  // The resource-owner password grant is not in oidc-provider (OAuth 2.1 drops it); register it here.
  provider.registerGrantType(
    'password',
    async (ctx) => {
      const params = ctx.oidc.params as Record<string, string | undefined>;
      const client = ctx.oidc.client;
      if (client === undefined) throw new errors.InvalidClient('no client');
      if (params.username !== 'alice' || params.password !== USER_PASSWORD) {
        throw new errors.InvalidGrant('wrong username or password');
      }
      const grant = new provider.Grant({ clientId: client.clientId, accountId: 'alice' });
      grant.addOIDCScope('openid offline_access');
      const grantId = await grant.save();
      const base = { accountId: 'alice', client, grantId, scope: 'openid offline_access', gty: 'password' };
      const at = new provider.AccessToken(base);
      const rt = new provider.RefreshToken(base);
      ctx.body = {
        access_token: await at.save(),
        token_type: 'Bearer',
        expires_in: at.expiration,
        refresh_token: await rt.save(),
        scope: base.scope,
      };
    },
    ['username', 'password', 'scope'],
  );
  asServer.on('request', provider.callback());

  const seenTokens: string[] = [];
  const api = createServer(async (req, res) => {
    const header = req.headers.authorization ?? '';
    const token = header.startsWith('Bearer ') ? header.slice(7) : '';
    seenTokens.push(token);
    const answer = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (token === '') return answer(401, { error: 'no token' });
    const introspection = await fetch(`${issuer}/token/introspection`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`rs:${INTROSPECT_SECRET}`).toString('base64')}`,
      },
      body: new URLSearchParams({ token }).toString(),
    });
    const info = (await introspection.json()) as {
      active: boolean;
      scope?: string;
      sub?: string;
      client_id?: string;
    };
    if (!info.active) return answer(401, { error: 'invalid_token' });
    const scopes = (info.scope ?? '').split(' ');
    const path = (req.url ?? '').split('?')[0];
    if (path === '/pets') {
      if (!scopes.includes('pets:read'))
        return answer(403, { error: 'insufficient_scope', scope: info.scope });
      return answer(200, { pets: ['rex'], client: info.client_id, scope: info.scope });
    }
    if (path === '/me' || path === '/oidc/me') {
      if (info.sub === undefined) return answer(403, { error: 'no user' });
      return answer(200, { sub: info.sub, client: info.client_id });
    }
    return answer(404, { error: 'not found' });
  });
  const apiUrl = await listen(api);

  return {
    issuer,
    api: apiUrl,
    privateKeyPem,
    grants,
    seenTokens,
    provider,
    revoke: async (token) => {
      const found =
        (await provider.ClientCredentials.find(token)) ?? (await provider.AccessToken.find(token));
      await found?.destroy();
    },
    close: async () => {
      await Promise.all(
        [asServer, api].map(
          (s) =>
            new Promise<void>((resolve) => {
              s.closeAllConnections();
              s.close(() => resolve());
            }),
        ),
      );
    },
  };
}

/** The OpenAPI document of the resource server, with schemes pointing at the authorization server. */
export function petsOpenApi(issuer: string, api: string): object {
  const op = (operationId: string, security: object[]) => ({
    get: {
      operationId,
      security,
      responses: {
        '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object' } } } },
      },
    },
  });
  return {
    openapi: '3.1.0',
    info: { title: 'pets', version: '1' },
    servers: [{ url: api }],
    paths: {
      '/pets': op('listPets', [{ oauth: ['pets:read'] }]),
      '/me': op('me', [{ user: ['openid'] }]),
      '/oidc/me': op('oidcMe', [{ oidc: ['openid'] }]),
    },
    components: {
      securitySchemes: {
        oauth: {
          type: 'oauth2',
          flows: { clientCredentials: { tokenUrl: `${issuer}/token`, scopes: { 'pets:read': 'read pets' } } },
        },
        user: {
          type: 'oauth2',
          flows: {
            password: { tokenUrl: `${issuer}/token`, scopes: { openid: 'who' } },
            authorizationCode: {
              authorizationUrl: `${issuer}/auth`,
              tokenUrl: `${issuer}/token`,
              scopes: { openid: 'who' },
            },
          },
        },
        oidc: { type: 'openIdConnect', openIdConnectUrl: `${issuer}/.well-known/openid-configuration` },
      },
    },
  };
}

/** Write an Arazzo document whose steps call the given operations (twice each, to show the cache). */
export function writeWorkflow(issuer: string, api: string, operations: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'arazzo-auth-'));
  writeFileSync(join(dir, 'pets.json'), JSON.stringify(petsOpenApi(issuer, api)));
  const arazzo = {
    arazzo: '1.0.1',
    info: { title: 'auth', version: '1' },
    sourceDescriptions: [{ name: 'pets', url: './pets.json', type: 'openapi' }],
    workflows: [
      {
        workflowId: 'calls',
        steps: operations.map((operationId, i) => ({
          stepId: `s${i}`,
          operationId,
          successCriteria: [{ condition: '$statusCode == 200' }],
        })),
      },
    ],
  };
  const file = join(dir, 'arazzo.json');
  writeFileSync(file, JSON.stringify(arazzo));
  return file;
}

/**
 * Play the user at the authorization endpoint: follow redirects with cookies, sign in as alice on the
 * login page and approve the consent page, until the server redirects to `redirectUri`. Returns that URL.
 */
export async function signInAndConsent(authorizationUrl: string, redirectUri: string): Promise<string> {
  const cookies = new Map<string, string>();
  let url = authorizationUrl;
  let form: URLSearchParams | undefined;
  for (let hop = 0; hop < 20; hop++) {
    const response = await fetch(url, {
      redirect: 'manual',
      method: form === undefined ? 'GET' : 'POST',
      headers: {
        cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        ...(form !== undefined ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      ...(form !== undefined ? { body: form.toString() } : {}),
    });
    form = undefined;
    for (const c of response.headers.getSetCookie()) {
      const [pair = ''] = c.split(';');
      const at = pair.indexOf('=');
      cookies.set(pair.slice(0, at), pair.slice(at + 1));
    }
    const location = response.headers.get('location');
    if (location !== null) {
      url = new URL(location, url).href;
      if (url.startsWith(redirectUri)) return url;
      continue;
    }
    const html = await response.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    if (action === undefined)
      throw new Error(`no form on ${url} (status ${response.status}): ${html.slice(0, 200)}`);
    url = new URL(action, url).href;
    form = html.includes('name="login"')
      ? new URLSearchParams({ prompt: 'login', login: 'alice', password: 'any' })
      : new URLSearchParams({ prompt: 'consent' });
  }
  throw new Error('too many hops at the authorization server');
}
