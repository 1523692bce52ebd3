/** Secret masking shared by request records, error messages and the engine's events. */

/** Secrets shorter than this are not masked: masking "a" or "12" would garble every message. */
export const MIN_SECRET_LENGTH = 3;

const MASK = '***';

/**
 * Replace every occurrence of each secret, and of its URL-encoded forms (`encodeURIComponent`, and
 * form encoding with `+` for spaces), with `***`. Longest secrets go first so a secret containing another
 * is masked whole. Secrets shorter than {@link MIN_SECRET_LENGTH} characters are ignored.
 *
 * @example maskSecrets('GET /x?key=s3cret', ['s3cret']) // 'GET /x?key=***'
 */
export function maskSecrets(text: string, secrets: readonly string[]): string {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH) continue;
    forms.add(secret);
    const encoded = encodeURIComponent(secret);
    forms.add(encoded);
    forms.add(encoded.replace(/%20/g, '+'));
    forms.add(encodeRfc3986(secret));
  }
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
