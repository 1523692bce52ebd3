/** Why an exchange failed, in our words: refusals of our own (`NetFailure`) and undici's errors classified. */

/** What the network layer itself refuses: a body over the cap or badly encoded, a redirect, a URL. */
export type NetFailureReason =
  | 'BODY_TOO_LARGE'
  | 'BAD_ENCODING'
  | 'TOO_MANY_REDIRECTS'
  | 'CROSS_ORIGIN_REDIRECT'
  | 'REDIRECT_LOOP'
  | 'OTHER';

/**
 * An exchange the network layer refused. The message says what is wrong without naming the request (the
 * caller adds that, masked); `size` is the byte count that passed the cap (declared or read so far).
 */
export class NetFailure extends Error {
  override name = 'NetFailure';
  readonly size: number | undefined;
  constructor(
    readonly reason: NetFailureReason,
    message: string,
    options?: { cause?: unknown; size?: number },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.size = options?.size;
  }
}

/** What an error thrown by undici (or the socket under it) means. */
export type NetErrorKind = 'ECONNREFUSED' | 'TIMEOUT' | 'DNS' | 'ECONNRESET' | 'ABORTED' | 'OTHER';

function errorCodes(err: unknown, seen = new Set<unknown>()): string[] {
  if (err === null || typeof err !== 'object' || seen.has(err)) return [];
  seen.add(err);
  const e = err as { code?: unknown; name?: unknown; cause?: unknown; errors?: unknown };
  const codes: string[] = [];
  if (typeof e.code === 'string') codes.push(e.code);
  if (typeof e.name === 'string') codes.push(e.name);
  codes.push(...errorCodes(e.cause, seen));
  if (Array.isArray(e.errors)) for (const inner of e.errors) codes.push(...errorCodes(inner, seen));
  return codes;
}

/** The kind of a network error, from the codes and names along its cause chain (undici error codes included). */
export function netErrorKind(err: unknown): NetErrorKind {
  const codes = errorCodes(err);
  const has = (...names: string[]) => names.some((n) => codes.includes(n));
  if (has('ECONNREFUSED')) return 'ECONNREFUSED';
  if (has('UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT')) {
    return 'TIMEOUT';
  }
  if (has('ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_FAIL')) return 'DNS';
  if (has('ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED')) return 'ECONNRESET';
  if (has('UND_ERR_ABORTED', 'AbortError')) return 'ABORTED';
  return 'OTHER';
}
