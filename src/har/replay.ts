/** Replaying a recorded HAR log as an offline transport: requests matched by method, path, query and body. */
import { didYouMean } from '../document/suggest.js';
import { TransportError } from '../errors.js';
import type { HttpResponse, PreparedRequest, Transport } from '../http/types.js';
import type { Har, HarEntry } from './types.js';

/** What a recording masked; in a recorded value it stands for any text. */
const MASKED = '***';

/** Options of `createReplayTransport`. */
export interface ReplayOptions {
  /**
   * Called with each recorded entry as it is served (for reports and tests). Default: none.
   * @example createReplayTransport(har, { onServe: (e) => served.push(e) })
   */
  onServe?: (entry: HarEntry) => void;
}

/** A recorded log is JSON from a file: check the parts replay reads before trusting them. */
export function parseHar(value: unknown): Har {
  const log = (value as { log?: { entries?: unknown } } | null)?.log;
  if (typeof log !== 'object' || log === null || !Array.isArray(log.entries))
    throw new TypeError('not a HAR log: expected { "log": { "entries": [...] } }');
  for (const [i, e] of log.entries.entries()) {
    const entry = e as Partial<HarEntry> | null;
    if (
      typeof entry?.request?.method !== 'string' ||
      typeof entry.request.url !== 'string' ||
      typeof entry.response?.status !== 'number'
    )
      throw new TypeError(
        `not a HAR log: entries[${i}] needs request.method, request.url and response.status`,
      );
  }
  return value as Har;
}

/**
 * A transport that answers from a recorded HAR log, offline. A request matches an entry with the same
 * method, path, query (as a multiset of pairs) and body (JSON compared as values); a masked value in the
 * recording matches anything. Entries that match the same request are served in recorded order, the last
 * one repeating, so a recorded poll loop replays. A request with no match fails with TransportError
 * reason `REPLAY_UNMATCHED`, naming the closest recorded request. Each transport keeps its own position:
 * use a fresh one per run.
 * @example runWorkflow(spec, inputs, { transport: createReplayTransport(parseHar(JSON.parse(text))), maxRetryDelayMs: 0 })
 */
export function createReplayTransport(har: Har, options: ReplayOptions = {}): Transport {
  const entries = har.log.entries;
  const served = new Set<number>();
  return async (request: PreparedRequest): Promise<HttpResponse> => {
    const live = describe(request.method, request.url);
    const liveBody = liveBodyOf(request);
    const matching: number[] = [];
    for (const [i, entry] of entries.entries()) {
      const rec = describe(entry.request.method, entry.request.url);
      if (rec.method !== live.method || !same(rec.path, live.path) || !sameQuery(rec.query, live.query))
        continue;
      if (!sameValue(parseBody(entry.request.postData?.text), liveBody)) continue;
      matching.push(i);
    }
    const index = matching.find((i) => !served.has(i)) ?? matching[matching.length - 1];
    if (index === undefined) throw unmatched(request, entries);
    served.add(index);
    const entry = entries[index] as HarEntry;
    options.onServe?.(entry);
    return toResponse(entry, request.url);
  };
}

interface Described {
  method: string;
  path: string;
  query: Array<[string, string]>;
}

function describe(method: string, url: string): Described {
  const u = new URL(url);
  return { method: method.toUpperCase(), path: u.pathname, query: [...u.searchParams] };
}

/** Recorded text equals live text, a masked part of the recording matching any text. */
function same(recorded: string, live: string): boolean {
  if (!recorded.includes(MASKED)) return recorded === live;
  const pattern = recorded
    .split(MASKED)
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('[\\s\\S]*');
  return new RegExp(`^${pattern}$`).test(live);
}

function sameQuery(recorded: Array<[string, string]>, live: Array<[string, string]>): boolean {
  if (recorded.length !== live.length) return false;
  const left = [...live];
  for (const [name, value] of recorded) {
    const at = left.findIndex(([n, v]) => n === name && same(value, v));
    if (at < 0) return false;
    left.splice(at, 1);
  }
  return true;
}

function sameValue(recorded: unknown, live: unknown): boolean {
  if (typeof recorded === 'string' && typeof live === 'string') return same(recorded, live);
  if (typeof recorded === 'string' && recorded === MASKED) return live !== undefined;
  if (Array.isArray(recorded))
    return (
      Array.isArray(live) &&
      recorded.length === live.length &&
      recorded.every((v, i) => sameValue(v, live[i]))
    );
  if (typeof recorded === 'object' && recorded !== null) {
    if (typeof live !== 'object' || live === null || Array.isArray(live)) return false;
    const r = recorded as Record<string, unknown>;
    const l = live as Record<string, unknown>;
    const keys = Object.keys(r);
    return (
      keys.length === Object.keys(l).length && keys.every((k) => Object.hasOwn(l, k) && sameValue(r[k], l[k]))
    );
  }
  return recorded === live;
}

/**
 * The live body in the form the recording holds it: a recording stores the body value (a form body as
 * its object, not its encoded text), so compare with that when there is one.
 */
function liveBodyOf(request: PreparedRequest): unknown {
  const value = request.bodyValue;
  if (typeof value === 'string') return parseBody(value);
  if (value !== undefined) return parseBody(JSON.stringify(value));
  if (request.body === undefined) return undefined;
  return parseBody(typeof request.body === 'string' ? request.body : new TextDecoder().decode(request.body));
}

/** JSON text as its value (key order and spacing then do not matter), any other text as itself. */
function parseBody(text: string | undefined): unknown {
  if (text === undefined || text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function label(method: string, url: string): string {
  const u = new URL(url);
  return `${method.toUpperCase()} ${u.pathname}${u.search}`;
}

function unmatched(request: PreparedRequest, entries: readonly HarEntry[]): TransportError {
  const live = describe(request.method, request.url);
  const labels = [...new Set(entries.map((e) => label(e.request.method, e.request.url)))];
  const samePath = entries.find((e) => {
    const rec = describe(e.request.method, e.request.url);
    return rec.method === live.method && same(rec.path, live.path);
  });
  const closest =
    samePath !== undefined
      ? `; closest recorded: "${label(samePath.request.method, samePath.request.url)}" (same method and path, different ${sameQuery(describe(samePath.request.method, samePath.request.url).query, live.query) ? 'body' : 'query'})`
      : didYouMean(label(request.method, request.url), labels).replace('did you mean', 'closest recorded:') ||
        (labels.length > 0 ? `; recorded: ${labels.slice(0, 5).join(', ')}` : '; the log has no entries');
  return new TransportError(
    'REPLAY_UNMATCHED',
    `replay: no recorded exchange for ${label(request.method, request.url)}${closest}`,
    { method: request.method, url: request.url },
  );
}

function toResponse(entry: HarEntry, url: string): HttpResponse {
  const headers: Record<string, string | string[]> = {};
  for (const { name, value } of entry.response.headers) {
    const k = name.toLowerCase();
    const had = headers[k];
    headers[k] = had === undefined ? value : [...(Array.isArray(had) ? had : [had]), value];
  }
  const { text, encoding, mimeType } = entry.response.content;
  let body: unknown;
  let size = 0;
  if (text !== undefined) {
    const bytes = encoding === 'base64' ? Buffer.from(text, 'base64') : Buffer.from(text, 'utf8');
    size = bytes.length;
    if (encoding === 'base64') body = new Uint8Array(bytes);
    else if (/[/+]json\b/i.test(mimeType)) body = parseBody(text);
    else body = text;
  }
  return {
    statusCode: entry.response.status,
    headers,
    body,
    ...(mimeType !== '' ? { contentType: mimeType } : {}),
    size,
    durationMs: 0,
    url,
  };
}
