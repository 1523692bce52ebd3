/** Retry-After header parsing (RFC 9110 section 10.2.3), used by the engine's retry actions. */

const DELTA_SECONDS = /^\s*(\d+)\s*$/;

/**
 * Milliseconds to wait according to a Retry-After value: delta-seconds or an HTTP-date.
 * A date in the past gives 0; anything unparsable (including fractions and negatives) gives undefined.
 *
 * @example parseRetryAfter('120', Date.now()) // 120000
 */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const delta = DELTA_SECONDS.exec(value);
  if (delta) {
    const seconds = Number(delta[1]);
    return Number.isSafeInteger(seconds) ? seconds * 1000 : undefined;
  }
  // HTTP-dates always name a weekday or month; requiring letters keeps "1.5" or "-3" from being read as dates.
  if (!/[A-Za-z]{3}/.test(value)) return undefined;
  const at = Date.parse(value);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}
