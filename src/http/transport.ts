/** Sends a PreparedRequest with undici: timeouts, cancellation, body cap, manual redirects, response parsing. */
import { createRequire } from 'node:module';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import type { Agent, Dispatcher } from 'undici';
import { BoundedCache } from '../cache.js';
import { TransportError } from '../errors.js';
import { isDeclaredSecretHeader, looksLikeCredential, maskerFor, maskSecrets } from '../secrets/index.js';
import { isJsonMediaType, isXmlMediaType, mediaTypeEssence } from './body.js';
import type { HttpResponse, PreparedRequest, SendOptions } from './types.js';

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024;
const DEFAULT_MAX_REDIRECTS = 5;
const UNDICI_TIMEOUT_MARGIN_MS = 1000;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const NO_BODY = new Uint8Array(0);

let sharedAgent: Agent | undefined;

type RequestFn = (this: Dispatcher, options: Dispatcher.RequestOptions) => Promise<Dispatcher.ResponseData>;
interface UndiciParts {
  Agent: typeof Agent;
  /** undici's `Dispatcher.prototype.request`: called on the dispatcher with an origin and a path. */
  request: RequestFn;
  /** Whether only the two modules were loaded (false: undici's whole index, the fallback). */
  partial: boolean;
}
let undiciParts: UndiciParts | undefined;

/**
 * undici is loaded on the first request, not at import: a run with an injected transport never pays for
 * it. Only the Agent and the request API are loaded, not undici's index (fetch, WebSocket, caches, cookies):
 * about 40 ms instead of 120 ms of CLI start-up. undici has no exports map, so the module paths resolve;
 * if a future undici moves them, the whole package is loaded instead.
 */
function undici(): UndiciParts {
  if (undiciParts === undefined) {
    const require = createRequire(import.meta.url);
    try {
      undiciParts = {
        Agent: require('undici/lib/dispatcher/agent.js') as typeof Agent,
        request: require('undici/lib/api/api-request.js') as RequestFn,
        partial: true,
      };
      if (typeof undiciParts.Agent !== 'function' || typeof undiciParts.request !== 'function') {
        throw new TypeError('unexpected undici layout');
      }
    } catch {
      const whole = require('undici') as typeof import('undici');
      undiciParts = {
        Agent: whole.Agent,
        request: whole.Dispatcher.prototype.request as unknown as RequestFn,
        partial: false,
      };
    }
  }
  return undiciParts;
}

/** Whether the transport runs on undici's Agent and request modules alone (a test checks it stays so). */
export function undiciLoadedPartially(): boolean {
  return undici().partial;
}

/** The module-level keep-alive Agent used when no dispatcher is given; created on first use. */
export function sharedDispatcher(): Dispatcher {
  sharedAgent ??= new (undici().Agent)({ keepAliveTimeout: 4_000, keepAliveMaxTimeout: 30_000 });
  return sharedAgent;
}

/**
 * The abort handle of one exchange: the minimal EventEmitter shape undici accepts as a `signal`. An
 * AbortController per request costs more than the rest of the transport's own work; this object is a few
 * fields. It fires when the exchange's deadline passes or the caller's signal aborts.
 */
class ExchangeSignal {
  aborted = false;
  /** Usually one (undici's request handler); an interceptor in the dispatcher chain may add its own. */
  private listeners: Array<() => void> = [];
  on(event: string, listener: () => void): this {
    if (event === 'abort') this.listeners.push(listener);
    return this;
  }
  once(event: string, listener: () => void): this {
    return this.on(event, listener);
  }
  addListener(event: string, listener: () => void): this {
    return this.on(event, listener);
  }
  removeListener(event: string, listener: () => void): this {
    if (event !== 'abort') return this;
    const at = this.listeners.indexOf(listener);
    if (at >= 0) this.listeners.splice(at, 1);
    return this;
  }
  off(event: string, listener: () => void): this {
    return this.removeListener(event, listener);
  }
  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    const listeners = this.listeners;
    this.listeners = [];
    for (const listener of listeners) listener();
  }
}

/** Close the shared Agent (lets a CLI process exit at once). A later send creates a new one. */
export async function closeSharedDispatcher(): Promise<void> {
  const agent = sharedAgent;
  sharedAgent = undefined;
  if (agent !== undefined) await agent.close();
}

/** A URL with every secret (and its encoded forms) replaced by `***`: the only form put in messages. */
export function maskUrl(url: string, secrets: readonly string[]): string {
  const masker = maskerFor(secrets);
  return masker.text(masker.url(url));
}

class Exchange {
  timedOut = false;
  readonly signal = new ExchangeSignal();
  /** performance.now() by which the whole exchange must be over. */
  readonly deadline: number;
  constructor(
    readonly req: PreparedRequest,
    readonly options: SendOptions,
    readonly timeoutMs: number,
  ) {
    this.deadline = performance.now() + timeoutMs;
  }

  fail(reason: string, message: string, url: string, method: string, cause?: unknown): TransportError {
    const masked = maskUrl(url, this.req.secrets);
    return new TransportError(
      reason,
      maskSecrets(`${method} ${masked}: ${message}`, this.req.secrets),
      { method, url: masked },
      cause === undefined ? {} : { cause },
    );
  }
}

/**
 * Characters a path (1) or a query (1 or 2) may hold for WHATWG URL parsing to leave them as they are:
 * unreserved, sub-delimiters except `'`, `:`, `@`, `%` and `/`; a query also `?`.
 */
const URL_CHARS = new Uint8Array(128);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&()*+,;=:@%/') {
  URL_CHARS[c.charCodeAt(0)] = 1;
}
URL_CHARS['?'.charCodeAt(0)] = 2;

/** `text[start, end)` is four dot-separated decimal octets, 0-255, without leading zeros. */
function isCanonicalIpv4(text: string, start: number, end: number): boolean {
  let octets = 0;
  let value = 0;
  let digits = 0;
  for (let i = start; i <= end; i++) {
    const c = i < end ? text.charCodeAt(i) : 46;
    if (c === 46) {
      if (digits === 0 || value > 255) return false;
      octets++;
      value = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57) {
      if (digits === 1 && value === 0) return false;
      value = value * 10 + (c - 48);
      digits++;
      if (digits > 3) return false;
    } else {
      return false;
    }
  }
  return octets === 4;
}

const isLowerAlnum = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 48 && c <= 57);

/**
 * The origin and path undici is given for a URL, without a WHATWG URL parse when the string is already
 * in the form parsing would give (the usual case: a parse allocates an object and half a dozen strings
 * per request): a lower-case http(s) scheme, a lower-case host name or canonical dotted IPv4, no default
 * or zero-padded port, a path and query of characters parsing leaves alone, no dot segments (also
 * percent-encoded), no fragment, no user info. Anything else returns undefined and is parsed. Never
 * changes what is sent; differential test: test/http/url-target.test.ts.
 */
export function plainHttpTarget(url: string): { origin: string; path: string } | undefined {
  let i: number;
  let defaultPort: number;
  if (url.startsWith('http://')) {
    i = 7;
    defaultPort = 80;
  } else if (url.startsWith('https://')) {
    i = 8;
    defaultPort = 443;
  } else {
    return undefined;
  }
  const n = url.length;
  // Host: labels of [a-z0-9-], each starting and ending with [a-z0-9], separated by single dots.
  const hostStart = i;
  let labelStart = i;
  let lastLabelNumeric = true;
  for (; i < n; i++) {
    const c = url.charCodeAt(i);
    if (c === 46 /* . */) {
      if (i === labelStart || url.charCodeAt(i - 1) === 45) return undefined;
      labelStart = i + 1;
      lastLabelNumeric = true;
      continue;
    }
    if (c === 58 /* : */ || c === 47 /* / */ || c === 63 /* ? */) break;
    if (c === 45 /* - */) {
      if (i === labelStart) return undefined;
    } else if (!isLowerAlnum(c)) {
      return undefined;
    }
    if (c < 48 || c > 57) lastLabelNumeric = false;
  }
  if (i === labelStart || url.charCodeAt(i - 1) === 45) return undefined;
  const hostEnd = i;
  // Punycode labels are validated (and may be refused) by URL parsing.
  const punycode = url.indexOf('xn--', hostStart);
  if (punycode >= 0 && punycode < hostEnd) return undefined;
  // A host ending in a numeric or hex-looking label is an IPv4 address to URL parsing (127.1, 0x7f.1,
  // 010.0.0.1 are rewritten): only the canonical dotted form passes as it is.
  const hexLooking = url.charCodeAt(labelStart) === 48 && url.charCodeAt(labelStart + 1) === 120;
  if ((lastLabelNumeric || hexLooking) && !isCanonicalIpv4(url, hostStart, hostEnd)) return undefined;
  let originEnd = i;
  if (i < n && url.charCodeAt(i) === 58) {
    const portStart = ++i;
    for (; i < n; i++) {
      const c = url.charCodeAt(i);
      if (c < 48 || c > 57) break;
    }
    const digits = i - portStart;
    if (digits === 0 || digits > 5 || url.charCodeAt(portStart) === 48) return undefined;
    const port = Number(url.slice(portStart, i));
    if (port > 65535 || port === defaultPort) return undefined;
    originEnd = i;
  }
  if (i < n && url.charCodeAt(i) !== 47 && url.charCodeAt(i) !== 63) return undefined;
  // Path, then query: allowed characters only; no dot segment in the path.
  const pathStart = i;
  let queryStart = -1;
  for (; i < n; i++) {
    const c = url.charCodeAt(i);
    const kind = c < 128 ? URL_CHARS[c] : 0;
    if (kind === 0) return undefined;
    if (queryStart >= 0) continue;
    if (kind === 2) {
      queryStart = i;
      continue;
    }
    if (c === 46 /* . */ && url.charCodeAt(i - 1) === 47) return undefined;
    if (c === 37 /* % */ && url.charCodeAt(i + 1) === 50 && (url.charCodeAt(i + 2) | 32) === 101)
      return undefined;
  }
  const pathEnd = queryStart >= 0 ? queryStart : n;
  const path = pathEnd > pathStart ? url.slice(pathStart, pathEnd) : '/';
  const query = queryStart >= 0 && n - queryStart > 1 ? url.slice(queryStart) : '';
  return { origin: url.slice(0, originEnd), path: query === '' ? path : `${path}${query}` };
}

/**
 * The overall deadlines of the exchanges in flight, watched by one timer armed at the earliest of them
 * (a timer and a closure per request cost more than the rest of the transport's bookkeeping). The timer
 * fires at that deadline, aborts every exchange past its own, and is armed again for the next one; a
 * later deadline never re-arms it. It keeps the process alive exactly while an exchange is in flight (as
 * a timer per request did, whatever the dispatcher holds), and not after.
 */
const inFlight = new Set<Exchange>();
let watchTimer: ReturnType<typeof setTimeout> | undefined;
let watchAt = Number.POSITIVE_INFINITY;

function watchDeadline(ex: Exchange): void {
  inFlight.add(ex);
  if (ex.deadline < watchAt) armWatch(ex.deadline);
  else if (inFlight.size === 1) watchTimer?.ref?.();
}

/** Exchanges in flight and whether the deadline timer holds the process open (for tests). */
export function deadlineWatch(): { inFlight: number; holdsProcess: boolean } {
  return { inFlight: inFlight.size, holdsProcess: watchTimer?.hasRef?.() ?? false };
}

function unwatchDeadline(ex: Exchange): void {
  inFlight.delete(ex);
  if (inFlight.size === 0) watchTimer?.unref?.();
}

function armWatch(at: number): void {
  if (watchTimer !== undefined) clearTimeout(watchTimer);
  watchAt = at;
  watchTimer = setTimeout(checkDeadlines, Math.max(0, Math.ceil(at - performance.now())));
  if (inFlight.size === 0) watchTimer.unref?.();
}

function checkDeadlines(): void {
  watchTimer = undefined;
  watchAt = Number.POSITIVE_INFINITY;
  const now = performance.now();
  let next = Number.POSITIVE_INFINITY;
  for (const ex of inFlight) {
    if (ex.deadline <= now) {
      inFlight.delete(ex);
      ex.timedOut = true;
      ex.signal.abort();
    } else if (ex.deadline < next) {
      next = ex.deadline;
    }
  }
  if (next !== Number.POSITIVE_INFINITY) armWatch(next);
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
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const maxRedirects = options.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  const dispatcher = options.dispatcher ?? sharedDispatcher();
  const ex = new Exchange(req, options, timeoutMs);

  let method = req.method.toUpperCase();
  let url = req.url;
  if (options.signal?.aborted) throw ex.fail('ABORTED', 'cancelled before sending', url, method);

  watchDeadline(ex);
  const onAbort = () => ex.signal.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });

  const started = performance.now();
  // The caller's headers are sent as they are; a redirect that must change them works on a copy.
  let headers: Record<string, string> = withAcceptEncoding(req.headers);
  let ownHeaders = headers !== req.headers;
  const hops: string[] = [];
  let visited: Set<string> | undefined;
  try {
    let body: string | Uint8Array | undefined =
      req.body ?? (req.bodyBlob === undefined ? undefined : new Uint8Array(await req.bodyBlob.arrayBuffer()));
    for (;;) {
      let target = plainHttpTarget(url);
      if (target === undefined) {
        let parsed: URL;
        try {
          parsed = new URL(url);
        } catch (cause) {
          throw ex.fail('OTHER', 'not a valid absolute URL', url, method, cause);
        }
        if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
          throw ex.fail('OTHER', `unsupported protocol ${parsed.protocol}`, url, method);
        }
        target = { origin: parsed.origin, path: `${parsed.pathname}${parsed.search}` };
      }
      const res = await undici().request.call(dispatcher, {
        origin: target.origin,
        path: target.path,
        method: method as Dispatcher.HttpMethod,
        headers,
        body: body ?? null,
        signal: ex.signal as unknown as AbortSignal,
        // The exchange's own deadline (above) is exact. undici's timers tick coarsely and can fire up
        // to ~0.5 s early, so they are only a backstop, set a second past the deadline.
        headersTimeout: timeoutMs + UNDICI_TIMEOUT_MARGIN_MS,
        bodyTimeout: timeoutMs + UNDICI_TIMEOUT_MARGIN_MS,
      });
      const location = headerValue(res.headers.location);
      if (REDIRECT_STATUSES.has(res.statusCode) && location !== undefined && maxRedirects > 0) {
        await res.body.dump().catch(() => undefined);
        const current = new URL(url);
        let next: URL;
        try {
          next = new URL(location, current);
        } catch (cause) {
          throw ex.fail('OTHER', `redirect to an invalid Location "${location}"`, url, method, cause);
        }
        if (hops.length >= maxRedirects) {
          throw ex.fail('TOO_MANY_REDIRECTS', `more than ${maxRedirects} redirects`, url, method);
        }
        if (next.protocol !== 'http:' && next.protocol !== 'https:') {
          throw ex.fail('OTHER', `redirect to a non-HTTP URL (${next.protocol})`, url, method);
        }
        const nextMethod =
          (res.statusCode === 303 && method !== 'HEAD') ||
          ((res.statusCode === 301 || res.statusCode === 302) && method === 'POST')
            ? 'GET'
            : method;
        visited ??= new Set<string>([`${method} ${url}`]);
        if (!ownHeaders) {
          headers = { ...headers };
          ownHeaders = true;
        }
        if (nextMethod !== method) {
          body = undefined;
          for (const name of Object.keys(headers)) {
            if (/^content-(type|length|encoding|language|location)$/i.test(name)) delete headers[name];
          }
        }
        if (next.origin !== current.origin) {
          if (options.allowCrossOriginRedirects !== true) {
            throw ex.fail(
              'CROSS_ORIGIN_REDIRECT',
              `redirect to another origin (${maskUrl(next.origin, req.secrets)}) refused; allow it with allowCrossOriginRedirects`,
              url,
              method,
            );
          }
          stripCredentials(headers, next, req.secrets);
        }
        const visit = `${nextMethod} ${next.href}`;
        if (visited.has(visit)) {
          throw ex.fail(
            'REDIRECT_LOOP',
            `redirect loop back to ${maskUrl(next.href, req.secrets)}`,
            url,
            method,
          );
        }
        visited.add(visit);
        hops.push(next.href);
        method = nextMethod;
        url = next.href;
        continue;
      }
      // RFC 9112 §6.3: these answers end at their header section whatever Content-Length says (it
      // describes the resource). undici's parser still compares it with the bytes read and fails the
      // body, so the body is never read.
      const bodiless = method === 'HEAD' || res.statusCode === 204 || res.statusCode === 304;
      if (bodiless) discard(res.body);
      const bytes = bodiless ? NO_BODY : await readBody(res, maxBodyBytes, ex, url, method);
      const contentType = headerValue(res.headers['content-type']);
      const parsed = parseBody(bytes, contentType);
      const response: HttpResponse = {
        statusCode: res.statusCode,
        headers: responseHeaders(res.headers),
        body: parsed.body,
        size: bytes.byteLength,
        durationMs: performance.now() - started,
        url,
      };
      if (contentType !== undefined) response.contentType = contentType;
      if (parsed.error !== undefined) response.bodyParseError = parsed.error;
      if (parsed.text !== undefined) response.text = parsed.text;
      if (hops.length > 0) response.redirects = hops;
      return response;
    }
  } catch (err) {
    throw classify(err, ex, url, method);
  } finally {
    unwatchDeadline(ex);
    options.signal?.removeEventListener('abort', onAbort);
  }
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
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

function containsSecret(text: string, secrets: readonly string[]): boolean {
  return maskSecrets(text, secrets) !== text;
}

/**
 * Cross-origin hop: drop credential headers (by name or because they carry a secret) and query parameters
 * with credential names or secret values.
 */
function stripCredentials(headers: Record<string, string>, next: URL, secrets: readonly string[]): void {
  for (const [name, value] of Object.entries(headers)) {
    if (isDeclaredSecretHeader(name) || looksLikeCredential(name) || containsSecret(value, secrets))
      delete headers[name];
  }
  const kept = [...next.searchParams].filter(
    ([k, v]) => !looksLikeCredential(k) && !containsSecret(v, secrets) && !containsSecret(k, secrets),
  );
  if (kept.length !== [...next.searchParams].length) {
    next.search = new URLSearchParams(kept).toString();
  }
}

/**
 * Stop reading a body we refuse. undici's BodyReadable emits an AbortError when destroyed before its end;
 * with no listener that error is uncaught and takes the process down.
 */
function discard(body: Dispatcher.ResponseData['body']): void {
  body.on('error', () => undefined);
  body.destroy();
}

/** RFC 9110 section 8.4.1: the content codings asked for, and decoded by `readBody`. */
const ACCEPT_ENCODING = 'gzip, deflate, br';

/** The caller's headers plus Accept-Encoding unless they name one (a copy only then). */
function withAcceptEncoding(headers: Record<string, string>): Record<string, string> {
  for (const name in headers) {
    if (name.length === 15 && name.toLowerCase() === 'accept-encoding') return headers;
  }
  const out: Record<string, string> = { ...headers };
  out['accept-encoding'] = ACCEPT_ENCODING;
  return out;
}

/** The response body as the application sees it: decoded when it has one content coding we asked for. */
function readBody(
  res: Dispatcher.ResponseData,
  maxBodyBytes: number,
  ex: Exchange,
  url: string,
  method: string,
): Promise<Uint8Array> {
  const coding = res.headers['content-encoding'];
  if (coding === undefined) return readCapped(res, maxBodyBytes, ex, url, method);
  return readDecoded(res, headerValue(coding)?.trim().toLowerCase() ?? '', maxBodyBytes, ex, url, method);
}

/**
 * Decode as the bytes arrive, counting decoded bytes against the cap: a small compressed body that
 * expands past it (a compression bomb) is refused without being expanded in full.
 */
async function readDecoded(
  res: Dispatcher.ResponseData,
  coding: string,
  maxBodyBytes: number,
  ex: Exchange,
  url: string,
  method: string,
): Promise<Uint8Array> {
  const decoder =
    coding === 'gzip' || coding === 'x-gzip'
      ? createGunzip()
      : coding === 'deflate'
        ? createInflate()
        : coding === 'br'
          ? createBrotliDecompress()
          : undefined;
  // Identity, or a coding we did not ask for: the bytes are kept as they came.
  if (decoder === undefined) return readCapped(res, maxBodyBytes, ex, url, method);
  const encoded = await readCapped(res, maxBodyBytes, ex, url, method);
  if (encoded.byteLength === 0) return encoded;
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      decoder.on('data', (chunk: Buffer) => {
        total += chunk.byteLength;
        if (total > maxBodyBytes) {
          decoder.destroy();
          reject(
            ex.fail(
              'BODY_TOO_LARGE',
              `response body exceeds the ${maxBodyBytes}-byte cap once decoded (${coding}, ${encoded.byteLength} bytes received)`,
              url,
              method,
            ),
          );
          return;
        }
        chunks.push(chunk);
      });
      decoder.on('error', reject);
      decoder.on('end', resolve);
      decoder.end(encoded);
    });
  } catch (error) {
    if (error instanceof TransportError) throw error;
    throw ex.fail(
      'BAD_ENCODING',
      `response body is not valid ${coding}: ${(error as Error).message}`,
      url,
      method,
    );
  }
  const out = Buffer.concat(chunks, total);
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

async function readCapped(
  res: Dispatcher.ResponseData,
  maxBodyBytes: number,
  ex: Exchange,
  url: string,
  method: string,
): Promise<Uint8Array> {
  const declared = Number(headerValue(res.headers['content-length']));
  if (Number.isFinite(declared) && declared > maxBodyBytes) {
    discard(res.body);
    throw ex.fail(
      'BODY_TOO_LARGE',
      `response body of ${declared} bytes exceeds the ${maxBodyBytes}-byte cap`,
      url,
      method,
    );
  }
  if (Number.isFinite(declared)) {
    // Declared within the cap: let undici collect it (cheaper than iterating the stream). A server that
    // sends more than it declared is cut off by the HTTP parser, so the cap still holds.
    return new Uint8Array(await res.body.arrayBuffer());
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of res.body) {
    const bytes = chunk as Uint8Array;
    total += bytes.byteLength;
    if (total > maxBodyBytes) {
      discard(res.body);
      throw ex.fail('BODY_TOO_LARGE', `response body exceeds the ${maxBodyBytes}-byte cap`, url, method);
    }
    chunks.push(bytes);
  }
  if (chunks.length === 1) {
    // A view, not a copy (undici hands out Buffers; callers get a plain Uint8Array).
    const only = chunks[0]!;
    return new Uint8Array(only.buffer, only.byteOffset, only.byteLength);
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.byteLength;
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

function classify(err: unknown, ex: Exchange, url: string, method: string): TransportError {
  if (err instanceof TransportError) return err;
  const detail = err instanceof Error ? err.message : String(err);
  if (ex.timedOut)
    return ex.fail('TIMEOUT', `no complete response within ${ex.timeoutMs} ms`, url, method, err);
  if (ex.options.signal?.aborted) return ex.fail('ABORTED', 'cancelled', url, method, err);
  const codes = errorCodes(err);
  const has = (...names: string[]) => names.some((n) => codes.includes(n));
  if (has('ECONNREFUSED')) return ex.fail('ECONNREFUSED', `connection refused (${detail})`, url, method, err);
  if (has('UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT')) {
    return ex.fail('TIMEOUT', `timed out after ${ex.timeoutMs} ms (${detail})`, url, method, err);
  }
  if (has('ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_FAIL')) {
    return ex.fail('DNS', `host name could not be resolved (${detail})`, url, method, err);
  }
  if (has('ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED')) {
    return ex.fail('ECONNRESET', `connection reset or closed by the server (${detail})`, url, method, err);
  }
  if (has('UND_ERR_ABORTED', 'AbortError')) return ex.fail('ABORTED', 'cancelled', url, method, err);
  return ex.fail('OTHER', detail, url, method, err);
}
