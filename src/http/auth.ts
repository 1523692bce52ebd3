/** OpenAPI Security Requirement / Security Scheme application to a request being built. */
import { RequestBuildError } from '../errors.js';
import { encodeRfc3986, type Masker } from '../secrets/index.js';
import type { ResolvedOperation, SecurityScheme } from '../sources/types.js';
import type { AuthCredentials, OAuthCredential, ParameterLocation } from './types.js';

type Credential = AuthCredentials[string];

/** What the chosen security requirement adds to a request, before explicit step parameters are merged. */
export interface AuthContribution {
  params: Array<{ name: string; in: Exclude<ParameterLocation, 'path'>; value: string }>;
  /** Every credential value and encoded form that was applied. */
  secrets: string[];
  /** The security requirement's scheme names applied (empty when none). */
  schemes: string[];
}

/**
 * Pick the first security requirement of the operation all of whose schemes have credentials (empty
 * requirements `{}` only when no other one is satisfiable, meaning "no auth") and turn its credentials
 * into header/query/cookie values.
 */
export function applySecurity(op: ResolvedOperation, auth: AuthCredentials | undefined): AuthContribution {
  const none: AuthContribution = { params: [], secrets: [], schemes: [] };
  if (auth === undefined) return none;
  const requirement = chooseRequirement(op, auth);
  if (requirement === undefined) return none;
  const out: AuthContribution = { params: [], secrets: [], schemes: Object.keys(requirement) };
  for (const name of out.schemes) {
    applyScheme(name, op.securitySchemes[name] as SecurityScheme, auth[name] as Credential, out);
  }
  return out;
}

/** The first security requirement of the operation all of whose schemes have credentials. */
export function chooseRequirement(
  op: ResolvedOperation,
  auth: AuthCredentials,
): Record<string, string[]> | undefined {
  return op.security.find((req) => {
    const names = Object.keys(req);
    return (
      names.length > 0 && names.every((n) => Object.hasOwn(auth, n) && op.securitySchemes[n] !== undefined)
    );
  });
}

/** A credential that obtains tokens (`{ clientId, ... }`) rather than being one. */
export function isOAuthCredential(credential: unknown): credential is OAuthCredential {
  return (
    typeof credential === 'object' &&
    credential !== null &&
    typeof (credential as { clientId?: unknown }).clientId === 'string'
  );
}

/**
 * The secret strings a credential holds, to declare before anything runs. An OAuth credential's client id,
 * scopes, flow and redirect URI are not secrets (masking a scope like "read" would blank every report).
 */
export function credentialSecrets(credential: AuthCredentials[string]): string[] {
  if (typeof credential === 'string') return [credential];
  if (isOAuthCredential(credential)) {
    const { clientSecret, password, refreshToken, privateKey } = credential;
    const out: string[] = [];
    for (const v of [clientSecret, password, refreshToken]) if (typeof v === 'string') out.push(v);
    if (typeof privateKey === 'string') out.push(privateKey);
    else if (privateKey !== undefined)
      for (const part of ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k'] as const) {
        const v = privateKey[part];
        if (typeof v === 'string') out.push(v);
      }
    return out;
  }
  return Object.values(credential).filter((v): v is string => typeof v === 'string');
}

function tokenOf(name: string, credential: Credential): string {
  if (typeof credential === 'string') return credential;
  if ('token' in credential && typeof credential.token === 'string') return credential.token;
  if ('value' in credential && typeof credential.value === 'string') return credential.value;
  throw new RequestBuildError(`security scheme "${name}": expected a string or { token } credential`);
}

function applyScheme(
  name: string,
  scheme: SecurityScheme,
  credential: Credential,
  out: AuthContribution,
): void {
  switch (scheme.type) {
    case 'apiKey': {
      const value = tokenOf(name, credential);
      out.params.push({ name: scheme.name, in: scheme.in, value });
      out.secrets.push(value, encodeRfc3986(value));
      return;
    }
    case 'http': {
      const kind = scheme.scheme.toLowerCase();
      if (kind === 'basic') {
        let pair: string;
        let password: string;
        if (typeof credential === 'string') {
          pair = credential;
          password = credential.slice(credential.indexOf(':') + 1);
        } else if ('username' in credential && typeof credential.password === 'string') {
          pair = `${credential.username}:${credential.password}`;
          password = credential.password;
        } else {
          throw new RequestBuildError(
            `security scheme "${name}": http basic needs { username, password } or "user:pass"`,
          );
        }
        const encoded = Buffer.from(pair, 'utf8').toString('base64');
        out.params.push({ name: 'Authorization', in: 'header', value: `Basic ${encoded}` });
        out.secrets.push(pair, password, encoded, `Basic ${encoded}`);
        return;
      }
      const token = tokenOf(name, credential);
      // bearer, and any other scheme name ("Digest", "Token"...): "<Scheme> <credential>".
      const label = kind === 'bearer' ? 'Bearer' : scheme.scheme;
      out.params.push({ name: 'Authorization', in: 'header', value: `${label} ${token}` });
      out.secrets.push(token, `${label} ${token}`);
      return;
    }
    case 'oauth2':
    case 'openIdConnect': {
      const token = tokenOf(name, credential);
      out.params.push({ name: 'Authorization', in: 'header', value: `Bearer ${token}` });
      out.secrets.push(token, `Bearer ${token}`);
      return;
    }
    case 'mutualTLS':
      // The client certificate lives in the dispatcher; nothing goes into the request.
      return;
  }
}

/**
 * Declare every secret of an `auth` map in `masker`: keys, tokens, passwords, client secrets, refresh
 * tokens, private keys (not an OAuth credential's client id, scopes or flow), and a Basic password alone.
 * @example declareCredentials(masker, { oauth: { clientId: 'app', clientSecret: 's3cr3t' } })
 */
export function declareCredentials(masker: Masker, auth: AuthCredentials | undefined): void {
  for (const credential of Object.values(auth ?? {})) {
    for (const secret of credentialSecrets(credential)) {
      masker.add(secret);
      const colon = secret.indexOf(':');
      if (typeof credential === 'string' && colon >= 0) masker.add(secret.slice(colon + 1));
    }
  }
}
