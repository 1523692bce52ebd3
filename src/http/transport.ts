/** Sends a PreparedRequest over the network client (net/): deadline, cancellation, redirects, response parsing. */
import type { Dispatcher } from 'undici';
import { BoundedCache } from '../cache.js';
import { TransportError } from '../errors.js';
import {
  DeadlineExchange,
  discard,
  headerValue,
  maskUrl,
  NetFailure,
  type NetRequest,
  netErrorKind,
  readBody,
  sendFollowing,
  sharedDispatcher,
  unwatchDeadline,
  watchDeadline,
  withAcceptEncoding,
} from '../net/index.js';
import { maskSecrets } from '../secrets/index.js';
import { isJsonMediaType, isXmlMediaType, mediaTypeEssence } from './body.js';
import type { HttpResponse, PreparedRequest, SendOptions } from './types.js';

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024;
const DEFAULT_MAX_REDIRECTS = 5;
const UNDICI_TIMEOUT_MARGIN_MS = 1000;
const NO_BODY = new Uint8Array(0);

/** One call of `sendRequest`: its deadline (net/deadline.ts) and the hop it is at (net/request.ts). */
class Exchange extends DeadlineExchange implements NetRequest {
  url: string;
  method: string;
  /** The caller's headers are sent as they are; a redirect that must change them works on a copy. */
  headers: Record<string, string>;
  ownHeaders: boolean;
  body: string | Uint8Array | undefined;
  redirects: string[] | undefined = undefined;
  visited: Set<string> | undefined = undefined;
  readonly dispatcher: Dispatcher;
  readonly maxRedirects: number;
  readonly crossOrigin: 'refuse' | 'strip-credentials';
  readonly secrets: readonly string[];
  /**
   * The exchange's own deadline is exact. undici's timers tick coarsely and can fire up to ~0.5 s early,
   * so they are only a backstop, set a second past the deadline.
   */
  readonly undiciTimeoutMs: number;
  constructor(
    readonly req: PreparedRequest,
    readonly options: SendOptions,
  ) {
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    super(timeoutMs);
    this.url = req.url;
    this.method = req.method.toUpperCase();
    this.headers = withAcceptEncoding(req.headers);
    this.ownHeaders = this.headers !== req.headers;
    this.body = req.body;
    this.dispatcher = options.dispatcher ?? sharedDispatcher();
    this.maxRedirects = options.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
    this.crossOrigin = options.allowCrossOriginRedirects === true ? 'strip-credentials' : 'refuse';
    this.secrets = req.secrets;
    this.undiciTimeoutMs = timeoutMs + UNDICI_TIMEOUT_MARGIN_MS;
  }

  /** The error for this exchange at the hop it is at, its URL and message masked. */
  fail(reason: string, message: string, cause?: unknown): TransportError {
    const masked = maskUrl(this.url, this.secrets);
    return new TransportError(
      reason,
      maskSecrets(`${this.method} ${masked}: ${message}`, this.secrets),
      { method: this.method, url: masked },
      cause === undefined ? {} : { cause },
    );
  }
}

/**
 * Send a request and read its response. The whole exchange (redirects included) must finish within
 * `timeoutMs`, which also bounds a server that trickles bytes. Redirects are followed by hand within the
 * same origin; a cross-origin one is refused unless allowed, and then credentials and secret-bearing
 * headers and query parameters are dropped. Throws TransportError whose message has secrets masked.
 *
 * @example const res = await sendRequest(req, { timeoutMs: 5000, signal: AbortSignal.timeout(60000) })
 */
export async function sendRequest(req: PreparedRequest, options: SendOptions = {}): Promise<HttpResponse> {
  const ex = new Exchange(req, options);
  if (options.signal?.aborted) throw ex.fail('ABORTED', 'cancelled before sending');
  watchDeadline(ex);
  const onAbort = () => ex.signal.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    if (req.body === undefined && req.bodyBlob !== undefined) {
      ex.body = new Uint8Array(await req.bodyBlob.arrayBuffer());
    }
    const res = await sendFollowing(ex);
    // RFC 9112 §6.3: these answers end at their header section whatever Content-Length says (it
    // describes the resource). undici's parser still compares it with the bytes read and fails the
    // body, so the body is never read.
    const bodiless = ex.method === 'HEAD' || res.statusCode === 204 || res.statusCode === 304;
    if (bodiless) discard(res.body);
    const bytes = bodiless ? NO_BODY : await readBody(res, options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES);
    return httpResponse(ex, res, bytes);
  } catch (err) {
    throw classify(err, ex);
  } finally {
    unwatchDeadline(ex);
    options.signal?.removeEventListener('abort', onAbort);
  }
}

/** The response as the engine sees it: headers, the body parsed by content type, where it ended up. */
function httpResponse(ex: Exchange, res: Dispatcher.ResponseData, bytes: Uint8Array): HttpResponse {
  const contentType = headerValue(res.headers['content-type']);
  const parsed = parseBody(bytes, contentType);
  const response: HttpResponse = {
    statusCode: res.statusCode,
    headers: responseHeaders(res.headers),
    body: parsed.body,
    size: bytes.byteLength,
    durationMs: performance.now() - ex.started,
    url: ex.url,
  };
  if (contentType !== undefined) response.contentType = contentType;
  if (parsed.error !== undefined) response.bodyParseError = parsed.error;
  if (parsed.text !== undefined) response.text = parsed.text;
  if (ex.redirects !== undefined) response.redirects = ex.redirects;
  return response;
}

/**
 * undici's response headers: a fresh plain object per response, used as it is unless it holds an
 * undefined value (then a copy without them).
 */
function responseHeaders(
  raw: Record<string, string | string[] | undefined>,
): Record<string, string | string[]> {
  let clean = true;
  for (const name in raw) {
    if (raw[name] === undefined) {
      clean = false;
      break;
    }
  }
  if (clean) return raw as Record<string, string | string[]>;
  const out: Record<string, string | string[]> = {};
  for (const name in raw) {
    const value = raw[name];
    if (value !== undefined && Object.hasOwn(raw, name)) out[name] = value;
  }
  return out;
}

const charsets = new BoundedCache<string, string>(256);

/** The charset parameter of a content type (default utf-8); remembered per content type string. */
function charsetOf(contentType: string): string {
  return (
    charsets.get(contentType) ??
    charsets.set(contentType, /;\s*charset="?([^";\s]+)"?/i.exec(contentType)?.[1] ?? 'utf-8')
  );
}

const decoders = new BoundedCache<string, TextDecoder>(32);

const UTF8_LABELS = new Set(['utf-8', 'utf8', 'unicode-1-1-utf-8']);

function decode(bytes: Uint8Array, charset: string, fatal = false): string {
  if (!fatal && UTF8_LABELS.has(charset.toLowerCase())) {
    // Buffer's UTF-8 decoder is several times cheaper than TextDecoder on small bodies. Like
    // TextDecoder, a byte-order mark is dropped and invalid sequences become U+FFFD.
    const bom = bytes.byteLength >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
    return Buffer.from(bytes.buffer, bytes.byteOffset + bom, bytes.byteLength - bom).toString('utf8');
  }
  const key = `${charset.toLowerCase()}|${fatal}`;
  let decoder = decoders.get(key);
  if (decoder === undefined) {
    try {
      decoder = new TextDecoder(charset, { fatal });
    } catch {
      // An unknown charset label: UTF-8 is the most likely truth.
      decoder = new TextDecoder('utf-8', { fatal });
    }
    decoders.set(key, decoder);
  }
  return decoder.decode(bytes);
}

/**
 * Response body by content type: JSON (`*\/json`, `+json`) -> parsed value, or the raw text plus an error
 * when it does not parse; text/* and XML -> string; no content type -> string if valid UTF-8, else bytes;
 * anything else -> Uint8Array. An empty body is undefined.
 */
export function parseBody(
  bytes: Uint8Array,
  contentType: string | undefined,
): { body: unknown; error?: string; text?: string } {
  if (bytes.byteLength === 0) return { body: undefined };
  if (contentType === undefined) {
    try {
      return { body: decode(bytes, 'utf-8', true) };
    } catch {
      return { body: bytes };
    }
  }
  const charset = charsetOf(contentType);
  if (isJsonMediaType(contentType)) {
    const text = decode(bytes, charset);
    try {
      return { body: JSON.parse(text) as unknown, text };
    } catch (err) {
      return { body: text, error: err instanceof Error ? err.message : String(err) };
    }
  }
  if (mediaTypeEssence(contentType).startsWith('text/') || isXmlMediaType(contentType)) {
    return { body: decode(bytes, charset) };
  }
  return { body: bytes };
}

/** Any failure of the exchange as a TransportError naming the hop it failed at (undici's errors classified). */
function classify(err: unknown, ex: Exchange): TransportError {
  if (err instanceof TransportError) return err;
  if (err instanceof NetFailure) return ex.fail(err.reason, err.message, err.cause);
  const detail = err instanceof Error ? err.message : String(err);
  if (ex.timedOut) return ex.fail('TIMEOUT', `no complete response within ${ex.timeoutMs} ms`, err);
  if (ex.options.signal?.aborted) return ex.fail('ABORTED', 'cancelled', err);
  switch (netErrorKind(err)) {
    case 'ECONNREFUSED':
      return ex.fail('ECONNREFUSED', `connection refused (${detail})`, err);
    case 'TIMEOUT':
      return ex.fail('TIMEOUT', `timed out after ${ex.timeoutMs} ms (${detail})`, err);
    case 'DNS':
      return ex.fail('DNS', `host name could not be resolved (${detail})`, err);
    case 'ECONNRESET':
      return ex.fail('ECONNRESET', `connection reset or closed by the server (${detail})`, err);
    case 'ABORTED':
      return ex.fail('ABORTED', 'cancelled', err);
    default:
      return ex.fail('OTHER', detail, err);
  }
}
