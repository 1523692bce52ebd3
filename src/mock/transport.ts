/** Mock mode: a Transport that answers every operation from its OpenAPI description, offline. */
import type { HttpResponse, PreparedRequest, Transport, TransportContext } from '../http/types.js';
import type { OpenApiSource, ResolvedOperation } from '../sources/types.js';
import { buildAnswer } from './respond.js';
import { ScenarioCursor } from './scenario.js';
import type { MockAnswer, MockTransportOptions } from './types.js';

/** Waits `ms`, rejecting with the signal's reason when it aborts first. */
export function delay(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Raw OpenAPI documents by source name, for following cyclic `$ref`s while sampling. */
export function rawBySource(
  sources: Iterable<OpenApiSource | { kind: string }> | undefined,
): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const s of sources ?? [])
    if (s.kind === 'openapi') out.set((s as OpenApiSource).name, (s as OpenApiSource).raw);
  return out;
}

/** Serialized size of a mock body, as `HttpResponse.size` reports it. */
export function bodyBytes(answer: MockAnswer): Uint8Array {
  const { body } = answer;
  if (body === undefined) return new Uint8Array();
  if (body instanceof Uint8Array) return body;
  if (typeof body === 'string') return new TextEncoder().encode(body);
  return new TextEncoder().encode(JSON.stringify(body));
}

/** Counts calls per operation so generated ids differ from call to call but not from run to run. */
export class CallCounter {
  readonly #calls = new Map<string, number>();
  key(operation: ResolvedOperation): string {
    const label = `${operation.sourceName}:${operation.operationId ?? `${operation.method} ${operation.path}`}`;
    const n = (this.#calls.get(label) ?? 0) + 1;
    this.#calls.set(label, n);
    return `${label}#${n}`;
  }
}

/**
 * A transport for `runWorkflow` that never touches the network: status, body and headers come from
 * the operation's OpenAPI responses (examples first, else a sample of the schema), overridden by the
 * scenario. Each transport keeps its own scenario position, so use a fresh one per run.
 * @example runWorkflow(spec, inputs, { transport: createMockTransport({ scenario, seed: 7 }), maxRetryDelayMs: 0 })
 */
export function createMockTransport(options: MockTransportOptions = {}): Transport {
  const cursor = new ScenarioCursor(options.scenario);
  const seed = options.seed ?? options.scenario?.seed ?? 1;
  const raws = rawBySource(options.sources);
  const counter = new CallCounter();
  const send = async (request: PreparedRequest, context: TransportContext): Promise<HttpResponse> => {
    const started = performance.now();
    const operation = context.operation;
    const scripted = cursor.next(operation, { workflowId: context.workflowId, stepId: context.stepId });
    const answer = buildAnswer(operation, {
      expectedStatus: context.expectedStatus,
      pathParams: request.pathParams,
      scripted,
      seed,
      callKey: counter.key(operation),
      spec: raws.get(operation.sourceName) ?? context.source?.raw,
    });
    await delay(answer.delayMs, context.signal);
    const response: HttpResponse = {
      statusCode: answer.statusCode,
      headers: answer.headers,
      body: answer.body,
      size: bodyBytes(answer).byteLength,
      durationMs: performance.now() - started,
      url: request.url,
    };
    if (answer.contentType !== undefined) response.contentType = answer.contentType;
    return response;
  };
  // It sends nothing, so a source with no server host runs all the same.
  return Object.assign(send, { offline: true });
}
