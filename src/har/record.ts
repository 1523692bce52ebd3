/** Recording a run's exchanges as a HAR 1.2 log, from the (already masked) request/response events. */
import type { RunEvent } from '../engine/types.js';
import type { Har, HarEntry, HarNameValue } from './types.js';

/** Options of `createHarRecorder`. */
export interface HarRecorderOptions {
  /**
   * The wall clock for `startedDateTime`. Default `() => new Date()`.
   * @example createHarRecorder({ now: () => new Date('2026-01-01T00:00:00Z') })
   */
  now?: () => Date;
  /** `log.creator.version`. Default '0'. @example { version: '0.1.0' } */
  version?: string;
}

export interface HarRecorder {
  /** Pass as (or call from) `runWorkflow`'s `onEvent`; any number of runs may share one recorder. */
  onEvent(event: RunEvent): void;
  /** The log so far. */
  har(): Har;
}

type Pending = { started: Date; request: Extract<RunEvent, { type: 'request' }>['request'] };

/**
 * Collects every request/response pair a run emits (child workflows included) into a HAR 1.2 log.
 * Events carry masked values, so the log holds no secret a run was given.
 * @example const rec = createHarRecorder(); await runWorkflow(doc, inputs, { onEvent: rec.onEvent }); writeFileSync('run.har', JSON.stringify(rec.har()))
 */
export function createHarRecorder(options: HarRecorderOptions = {}): HarRecorder {
  const now = options.now ?? (() => new Date());
  const entries: HarEntry[] = [];
  const pending = new Map<string, Pending>();
  const key = (e: { workflowId: string; stepId: string; attempt: number }) =>
    `${e.workflowId}\u0000${e.stepId}\u0000${e.attempt}`;
  return {
    onEvent(event: RunEvent): void {
      if (event.type === 'request') {
        pending.set(key(event), { started: now(), request: event.request });
        return;
      }
      if (event.type !== 'response') return;
      const p = pending.get(key(event));
      if (p === undefined) return;
      pending.delete(key(event));
      const wait = Math.max(0, event.durationMs);
      const url = new URL(p.request.url);
      const requestType = headerValue(p.request.headers, 'content-type');
      const body = p.request.body === undefined ? undefined : bodyText(p.request.body);
      const responseType = headerValue(event.response.headers, 'content-type') ?? '';
      const content = contentOf(event.response.body, responseType);
      entries.push({
        startedDateTime: p.started.toISOString(),
        time: wait,
        request: {
          method: p.request.method.toUpperCase(),
          url: p.request.url,
          httpVersion: 'HTTP/1.1',
          cookies: [],
          headers: nameValues(p.request.headers),
          queryString: [...url.searchParams].map(([name, value]) => ({ name, value })),
          ...(body !== undefined
            ? { postData: { mimeType: requestType ?? 'application/octet-stream', text: body.text } }
            : {}),
          headersSize: -1,
          bodySize: body?.size ?? 0,
        },
        response: {
          status: event.response.statusCode,
          statusText: '',
          httpVersion: 'HTTP/1.1',
          cookies: [],
          headers: nameValues(event.response.headers),
          content,
          redirectURL: '',
          headersSize: -1,
          bodySize: content.size,
        },
        cache: {},
        timings: { send: 0, wait, receive: 0 },
        comment: `${event.workflowId}/${event.stepId} #${event.attempt}`,
      });
    },
    har: () => ({
      log: {
        version: '1.2',
        creator: { name: 'arazzo-runtime', version: options.version ?? '0' },
        entries: [...entries],
      },
    }),
  };
}

function headerValue(headers: Record<string, string | string[]>, name: string): string | undefined {
  for (const [k, v] of Object.entries(headers))
    if (k.toLowerCase() === name) return Array.isArray(v) ? v.join(', ') : v;
  return undefined;
}

function nameValues(headers: Record<string, string | string[]>): HarNameValue[] {
  return Object.entries(headers).flatMap(([name, v]) =>
    (Array.isArray(v) ? v : [v]).map((value) => ({ name, value })),
  );
}

function bodyText(body: unknown): { text: string; size: number } {
  const text = typeof body === 'string' ? body : (JSON.stringify(body) ?? '');
  return { text, size: new TextEncoder().encode(text).length };
}

function contentOf(body: unknown, mimeType: string): HarEntry['response']['content'] {
  if (body === undefined) return { size: 0, mimeType };
  if (body instanceof Uint8Array)
    return { size: body.length, mimeType, text: Buffer.from(body).toString('base64'), encoding: 'base64' };
  const { text, size } = bodyText(body);
  return { size, mimeType, text };
}
