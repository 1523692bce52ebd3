/**
 * Which names carry credentials. Two different rules, kept apart on purpose (README "Security"):
 * a declared-secret header makes its value a secret of the whole run; a name that merely looks like a
 * credential only hides its own value where a header or query parameter is displayed.
 */
import { BoundedCache } from '../cache.js';

/** Headers whose values are secrets wherever they appear (the values are masked run-wide). */
const DECLARED_SECRET_HEADERS: ReadonlySet<string> = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
]);

/**
 * Header and query-parameter names that look like credentials: their values are masked where the header
 * or parameter is shown, dropped on a cross-origin redirect, and never become run-wide secrets.
 * `auth(?!or(?!iz))` keeps `author`/`authority` out and `authorization` in.
 */
const CREDENTIAL_NAME =
  /(api[-_]?key|apikey|token|secret|passw|pwd|passphrase|session|auth(?!or(?!iz))|credential|signature|cookie|csrf|bearer|^key$|^sig$)/i;

/** Header names repeat from step to step and run to run. */
const verdicts = new BoundedCache<string, boolean>(1024);

export function isDeclaredSecretHeader(name: string): boolean {
  return DECLARED_SECRET_HEADERS.has(name.toLowerCase());
}

/** Whether a header or query parameter name looks like a credential (declared-secret headers included). */
export function looksLikeCredential(name: string): boolean {
  return verdicts.get(name) ?? verdicts.set(name, CREDENTIAL_NAME.test(name));
}

/**
 * Whether an input schema declares its value secret: `format: password`, `writeOnly: true` or
 * `x-secret: true`. The input's name plays no part (an input `sortKey` holds a sort key).
 */
export function isSecretSchema(schema: unknown): boolean {
  if (schema === null || typeof schema !== 'object') return false;
  const s = schema as Record<string, unknown>;
  return s.format === 'password' || s.writeOnly === true || s['x-secret'] === true;
}
