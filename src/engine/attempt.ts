// Arazzo 1.0.1 "Step Object": what every attempt of a step shares, HTTP or message: its record, its
// expression scope, and how it ends.
import type { StepObject, WorkflowObject } from '../document/model.js';
import type { ExpressionScope } from '../expression/types.js';
import type { HttpResponse, PreparedRequest } from '../http/types.js';
import type { LoadedDocument } from '../sources/types.js';
import type { RunContext } from './context.js';
import { newStepRecord } from './records.js';
import type { Frame } from './state.js';
import type { StepRecord } from './types.js';

/** One step of a running frame, with the run's derived context (never the raw options). */
export interface StepContext {
  ctx: RunContext;
  loaded: LoadedDocument;
  workflow: WorkflowObject;
  step: StepObject;
  pointer: string;
  frame: Frame;
  scope: ExpressionScope;
}

export interface AttemptResult {
  outcome: 'succeeded' | 'failed';
  record: StepRecord;
  /** The scope after the attempt (with $statusCode, $response...), for action criteria. */
  scope: ExpressionScope;
  /** Delay an HTTP Retry-After header asked for, in ms. */
  retryAfterMs?: number;
}

/** One attempt in progress: what the failure and success paths both finish. */
export interface Attempt {
  sc: StepContext;
  started: number;
  warnings: string[];
  record: StepRecord;
}

/** A new attempt of the step: its record says failed until the attempt is judged. */
export function beginAttempt(sc: StepContext): Attempt {
  return { sc, started: performance.now(), warnings: [], record: newStepRecord(sc.frame, sc.step.stepId) };
}

/** The attempt ends as its record says: its duration and masked warnings recorded. */
export function finishAttempt(a: Attempt, scope: ExpressionScope): AttemptResult {
  const { record, warnings } = a;
  record.durationMs = performance.now() - a.started;
  if (warnings.length > 0) record.warnings = warnings.map((w) => a.sc.ctx.masker.text(w));
  return { outcome: record.outcome, record, scope };
}

/** The attempt failed with an error code and a (masked) message. */
export function failAttempt(
  a: Attempt,
  code: string,
  message: string,
  scope: ExpressionScope = a.sc.scope,
): AttemptResult {
  a.record.error = { code, message: a.sc.ctx.masker.text(message) };
  a.record.outcome = 'failed';
  return finishAttempt(a, scope);
}

/**
 * The scope of an attempt: the frame's scope plus the request sent and, once it came, the response (HTTP
 * steps) or the message (AsyncAPI steps). Built field by field so every step's scope has one shape
 * (spreading a scope was the costliest line of a step). Absent parts are undefined, which the evaluator
 * treats as missing.
 */
export function attemptScope(
  base: ExpressionScope,
  request: PreparedRequest | undefined,
  response: HttpResponse | undefined,
  message?: { headers: Record<string, string>; payload: unknown },
): ExpressionScope {
  return {
    inputs: base.inputs,
    outputs: base.outputs,
    steps: base.steps,
    workflows: base.workflows,
    sourceDescriptions: base.sourceDescriptions,
    components: base.components,
    self: base.self,
    url: request?.url,
    method: request?.method,
    request:
      request === undefined
        ? undefined
        : {
            headers: request.headers,
            query: request.queryParams,
            path: request.pathParams,
            body: request.bodyValue,
          },
    statusCode: response?.statusCode,
    response:
      response === undefined
        ? undefined
        : { headers: response.headers, body: response.body, text: response.text },
    message,
  } as ExpressionScope;
}
