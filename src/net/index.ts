/**
 * net/: the network client below `http` (the step transport) and `sources` (the document loader): undici
 * loaded on first use, the shared Agent and the mTLS/proxy dispatchers, deadlines, redirects, body reading
 * under a cap, and undici's errors classified.
 */
export { discard, headerValue, readBody, readCapped, withAcceptEncoding } from './body.js';
export {
  DeadlineExchange,
  deadlineWatch,
  ExchangeSignal,
  unwatchDeadline,
  watchDeadline,
} from './deadline.js';
export { createDispatcher, type ProxyOption, type TlsOptions, wantsProxy } from './dispatcher.js';
export { type NetErrorKind, NetFailure, type NetFailureReason, netErrorKind } from './failure.js';
export { fetchThrough } from './fetch.js';
export type { Hop, RedirectRules } from './redirect.js';
export { type NetRequest, sendFollowing } from './request.js';
export { maskUrl, plainHttpTarget, requestTarget } from './target.js';
export {
  closeSharedDispatcher,
  globalOrSharedDispatcher,
  sharedDispatcher,
  undiciLoadedPartially,
} from './undici.js';
