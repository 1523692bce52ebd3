/** The textual forms a secret takes once it is sent or serialized. */
import { BoundedCache } from '../cache.js';

/**
 * Free text (messages, warnings) masks a secret form of at least this many characters wherever it
 * occurs: masking "a" or "12" inside a sentence would garble every message.
 */
export const MIN_SECRET_LENGTH = 4;

/**
 * A string value in a record or report is masked when it IS a secret form, whatever its length; a form
 * inside a longer string only from this length on, so a short common word ("name", "status", "1000")
 * declared secret never rewrites the values that merely contain it.
 */
export const MIN_EMBEDDED_SECRET_LENGTH = 8;

/**
 * Every textual form a secret can take in requests, records and reports: raw, URL-encoded
 * (`encodeURIComponent`, form encoding with `+`, RFC 3986), JSON- and XML-escaped, and base64 (a
 * `user:pass` inside a Basic Authorization header). The empty string is no secret.
 */
export function secretForms(secret: string): string[] {
  if (typeof secret !== 'string' || secret.length === 0) return [];
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
  return [...forms].filter((f) => f.length > 0);
}

/** encodeURIComponent plus the sub-delims it leaves alone (`!'()*`). */
export function encodeRfc3986(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}
