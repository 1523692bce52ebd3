/** Secret masking shared by request records, error messages and the engine's events. */
import { BoundedCache } from '../cache.js';

/**
 * Secrets shorter than this are not masked in free text: masking "a" or "12" would garble every message.
 * (Credential headers are masked by name whatever their length.) The one rule for the whole package.
 */
export const MIN_SECRET_LENGTH = 4;

const MASK = '***';

/**
 * Every textual form a secret can take in requests, records and reports: raw, URL-encoded
 * (`encodeURIComponent`, form encoding with `+`, RFC 3986), JSON- and XML-escaped, and base64 (a
 * `user:pass` inside a Basic Authorization header). Forms shorter than {@link MIN_SECRET_LENGTH} are dropped.
 */
export function secretForms(secret: string): string[] {
  if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH) return [];
  return [...(formsCache.get(secret) ?? formsCache.set(secret, computeForms(secret)))];
}

/** Runs reuse the same few keys: forms computed once each. Holds secrets: forgotten 30 s after use. */
const formsCache = new BoundedCache<string, readonly string[]>(256, 30_000);

function computeForms(secret: string): string[] {
  const encoded = encodeURIComponent(secret);
  const forms = new Set<string>([
    secret,
    encoded,
    encoded.replace(/%20/g, '+'),
    encodeRfc3986(secret),
    JSON.stringify(secret).slice(1, -1),
    secret
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&apos;'),
    Buffer.from(secret, 'utf8').toString('base64'),
  ]);
  return [...forms].filter((f) => f.length >= MIN_SECRET_LENGTH);
}

/**
 * Replace every occurrence of each secret, in every form {@link secretForms} lists, with `***`. Longest
 * forms go first so a secret containing another is masked whole.
 *
 * @example maskSecrets('GET /x?key=s3cret', ['s3cret']) // 'GET /x?key=***'
 */
export function maskSecrets(text: string, secrets: readonly string[]): string {
  const forms = new Set<string>();
  for (const secret of secrets) for (const form of secretForms(secret)) forms.add(form);
  const ordered = [...forms].sort((a, b) => b.length - a.length);
  let out = text;
  for (const form of ordered) {
    if (out.includes(form)) out = out.split(form).join(MASK);
  }
  return out;
}

/** encodeURIComponent plus the sub-delims it leaves alone (`!'()*`). */
export function encodeRfc3986(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}
