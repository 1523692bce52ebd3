/** Contract types for building and sending HTTP requests. */
import type { Dispatcher } from 'undici';
import type { OpenApiSource, ResolvedOperation } from '../sources/types.js';

/** A request ready to send. `secrets` are values that must be masked wherever the request is shown. */
export interface PreparedRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  /** Encoded body bytes or text, as sent. */
  body?: string | Uint8Array;
  /** The body before encoding (for $request.body and records). */
  bodyValue?: unknown;
  /**
   * `body` is `bodyValue` itself (a string payload) or its JSON serialization: every string in the value
   * appears in it, JSON-escaped. Lets the engine scan the text for secrets instead of walking the value.
   */
  bodyIsValueText?: boolean;
  contentType?: string;
  /** Values of path/query/header/cookie parameters as given, for $request.{path,query,header}. */
  pathParams: Record<string, unknown>;
  queryParams: Record<string, unknown>;
  secrets: string[];
  /**
   * Set instead of `body` when a multipart body holds Blob parts (a Blob cannot be read synchronously);
   * `sendRequest` reads it. `body` stays undefined in that case.
   */
  bodyBlob?: Blob;
}

/** Where a parameter goes. */
export type ParameterLocation = 'path' | 'query' | 'header' | 'cookie';

/** One evaluated step parameter. */
export interface ParameterInput {
  name: string;
  in: ParameterLocation;
  value: unknown;
}

/**
 * What an `oauth2` or `openIdConnect` scheme needs to obtain tokens itself. Every secret in it (client
 * secret, password, refresh token, private key) and every token obtained is masked in every report.
 * @example { clientId: 'ci-bot', clientSecret: process.env.CLIENT_SECRET, scopes: ['pets:read'] }
 */
export interface OAuthCredential {
  clientId: string;
  /** For client_secret_basic (the default when given) and client_secret_post. */
  clientSecret?: string;
  /** Requested in addition to the scopes the operation's security requirement lists. Default: none. */
  scopes?: string[];
  /**
   * How the client authenticates at the token endpoint. Default: `private_key_jwt` when `privateKey` is
   * given, else `client_secret_basic` when `clientSecret` is, else `none` (a public client).
   */
  clientAuth?: 'client_secret_basic' | 'client_secret_post' | 'private_key_jwt' | 'none';
  /** private_key_jwt: a PKCS#8 PEM or a private JWK (RSA, EC P-256/384/521 or Ed25519). */
  privateKey?: string | JsonWebKey;
  /** private_key_jwt: the `kid` put in the assertion's header. Default: the JWK's `kid`, if any. */
  keyId?: string;
  /**
   * Which grant to use. Default: `refreshToken` when `refreshToken` is given, `authorizationCode` when
   * `authorize` is, `password` when `username` is, else `clientCredentials`.
   */
  flow?: 'clientCredentials' | 'password' | 'authorizationCode' | 'refreshToken';
  /** Resource-owner password flow. */
  username?: string;
  password?: string;
  /** A refresh token obtained earlier (durable runs start from one instead of a browser). */
  refreshToken?: string;
  /** Authorization code flow: the redirect URI registered for the client. */
  redirectUri?: string;
  /**
   * Authorization code flow: receives the authorization URL (PKCE S256, state and, for OpenID Connect,
   * nonce included) and resolves with the URL the authorization server redirected to.
   */
  authorize?: (authorizationUrl: string) => Promise<string>;
}

/**
 * Credentials keyed by OpenAPI security scheme name. Structurally the same as the engine's `AuthValues`
 * (kept here so http/ does not import engine/).
 * - apiKey: a string, `{ value }` or `{ token }`
 * - http basic: `{ username, password }` or `'user:pass'`
 * - http bearer, oauth2, openIdConnect: `{ token }` or a string
 * - oauth2, openIdConnect: an `OAuthCredential` (`{ clientId, ... }`) to obtain tokens
 */
export type AuthCredentials = Record<
  string,
  string | { username: string; password: string } | { token: string } | { value: string } | OAuthCredential
>;

/** Input of `buildRequest`: everything already evaluated by the engine. */
export interface BuildRequestInput {
  operation: ResolvedOperation;
  /** Base URL from `resolveServerUrl` (no trailing slash needed). */
  baseUrl: string;
  parameters: ParameterInput[];
  /** The evaluated payload (replacements already applied). `contentType` from the step wins. */
  body?: { contentType?: string; value: unknown };
  auth?: AuthCredentials;
}

/** A serialized parameter: path/header values are final text; query/cookie are encoded `name=value` pairs. */
export type SerializedParameter =
  | { kind: 'path'; value: string }
  | { kind: 'header'; value: string }
  | { kind: 'query'; pairs: string[] }
  | { kind: 'cookie'; pairs: string[] };

/** OpenAPI Encoding Object entries by property name (form and multipart bodies). */
export type BodyEncoding = Record<
  string,
  { contentType?: string; style?: string; explode?: boolean; allowReserved?: boolean }
>;

export interface HttpResponse {
  statusCode: number;
  headers: Record<string, string | string[]>;
  /** Parsed by content type: JSON -> value, text/XML -> string, other -> Uint8Array. */
  body: unknown;
  contentType?: string;
  /** Bytes received. */
  size: number;
  durationMs: number;
  /** The final URL after redirects. */
  url: string;
  /**
   * Set when the content type says JSON but the body is not valid JSON: `body` is then the raw text
   * and this holds the parser's message.
   */
  bodyParseError?: string;
  /** URLs of the redirect hops followed, in order (absent when none). */
  redirects?: string[];
  /**
   * The JSON text `body` was parsed from, when it was JSON. The engine scans it for secrets instead of
   * re-serializing the body; it is not kept in records.
   */
  text?: string;
}

export interface SendOptions {
  dispatcher?: Dispatcher;
  /** Per-request timeout in ms (headers and body). Default 30000. */
  timeoutMs?: number;
  /** Response body cap in bytes. Default 10 MiB. */
  maxBodyBytes?: number;
  signal?: AbortSignal;
  /** Follow redirects within the same origin. Default 5 hops. 0 disables. */
  maxRedirects?: number;
  /** Allow redirects to other origins (credentials are stripped all the same). Default false. */
  allowCrossOriginRedirects?: boolean;
}

/** Context handed to an injected transport. */
export interface TransportContext {
  workflowId: string;
  stepId: string;
  attempt: number;
  operation: ResolvedOperation;
  signal: AbortSignal;
  /** The status codes the step's `$statusCode` criteria ask for, if any (mock mode prefers them). */
  expectedStatus?: number[];
  /** The OpenAPI source the operation belongs to (mock mode resolves schema $refs through it). */
  source?: OpenApiSource;
}

/** Sends a prepared request. The default is undici through `dispatcher`. */
export interface Transport {
  (request: PreparedRequest, context: TransportContext): Promise<HttpResponse>;
  /**
   * The transport sends nothing (mock mode), so a source whose server has no host (`/`, relative in a
   * file document, or none declared) still runs: its URLs are addressed to `http://mock.invalid`.
   * Default: false. @example Object.assign(myTransport, { offline: true })
   */
  readonly offline?: boolean;
}
