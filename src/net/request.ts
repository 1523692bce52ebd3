/** One request through undici, its redirects followed by hand (net/redirect.ts). */
import type { Dispatcher } from 'undici';
import type { ExchangeSignal } from './deadline.js';
import { followRedirect, type Hop, type RedirectRules, redirectLocation } from './redirect.js';
import { requestTarget } from './target.js';
import { undici } from './undici.js';

/** A request on its way: what the next hop sends, how redirects are followed, what it is sent with. */
export interface NetRequest extends Hop, RedirectRules {
  readonly dispatcher: Dispatcher;
  /** Aborts the exchange: an ExchangeSignal (net/deadline.ts) or the caller's AbortSignal. */
  readonly signal: ExchangeSignal | AbortSignal | undefined;
  /** undici's own headers and body timeouts, ms. */
  readonly undiciTimeoutMs: number;
  /** Asked before each hop, the first included: throws to refuse it. */
  checkHop?(url: string): void;
}

/**
 * Send the request and follow its redirects; resolves with the first response that is not one to
 * follow (its body unread). Throws NetFailure for what the rules refuse, or undici's error.
 */
export async function sendFollowing(req: NetRequest): Promise<Dispatcher.ResponseData> {
  for (;;) {
    req.checkHop?.(req.url);
    const res = await sendHop(req);
    const location = redirectLocation(res, req.maxRedirects);
    if (location === undefined) return res;
    await res.body.dump().catch(() => undefined);
    followRedirect(req, res.statusCode, location);
  }
}

function sendHop(req: NetRequest): Promise<Dispatcher.ResponseData> {
  const target = requestTarget(req.url);
  return undici().request.call(req.dispatcher, {
    origin: target.origin,
    path: target.path,
    method: req.method as Dispatcher.HttpMethod,
    headers: req.headers,
    body: req.body ?? null,
    signal: req.signal as unknown as AbortSignal,
    headersTimeout: req.undiciTimeoutMs,
    bodyTimeout: req.undiciTimeoutMs,
  });
}
