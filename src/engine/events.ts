// The events of one step attempt (`RunEvent` in types.ts), built only when someone listens (`ctx.listening`).

import type { RunContext } from './context.js';
import type { Frame } from './state.js';
import type {
  CriterionRecord,
  RecordedMessage,
  RecordedRequest,
  RecordedResponse,
  StepRecord,
} from './types.js';

/** Which attempt of which step: what an attempt event is about. */
export interface AttemptAt {
  ctx: Pick<RunContext, 'listening' | 'emit'>;
  frame: Frame;
  step: { stepId: string };
}

/** The fields every attempt event begins with. */
function attemptOf(at: AttemptAt): { workflowId: string; stepId: string; attempt: number } {
  return { workflowId: at.frame.workflowId, stepId: at.step.stepId, attempt: at.frame.attempt };
}

/** A step attempt began; `operation` names what it calls, when that is known. */
export function emitStepStart(at: AttemptAt, operation: string | undefined): void {
  if (!at.ctx.listening) return;
  at.ctx.emit(() =>
    operation === undefined
      ? { type: 'step-start', ...attemptOf(at) }
      : { type: 'step-start', ...attemptOf(at), operation },
  );
}

export function emitRequest(at: AttemptAt, request: RecordedRequest): void {
  if (at.ctx.listening) at.ctx.emit(() => ({ type: 'request', ...attemptOf(at), request }));
}

export function emitResponse(at: AttemptAt, response: RecordedResponse, durationMs: number): void {
  if (at.ctx.listening) at.ctx.emit(() => ({ type: 'response', ...attemptOf(at), response, durationMs }));
}

export function emitMessage(at: AttemptAt, message: RecordedMessage): void {
  if (at.ctx.listening) at.ctx.emit(() => ({ type: 'message', ...attemptOf(at), message }));
}

export function emitCriteria(at: AttemptAt, criteria: CriterionRecord[]): void {
  if (at.ctx.listening) at.ctx.emit(() => ({ type: 'criteria', ...attemptOf(at), criteria }));
}

/** A warning about the attempt (a masked message), e.g. a criterion that could not be evaluated. */
export function emitWarning(at: AttemptAt, code: string, message: string): void {
  if (at.ctx.listening) at.ctx.emit(() => ({ type: 'warning', ...attemptOf(at), code, message }));
}

/**
 * A warning found after the attempt was judged (an action's criterion that could not be evaluated):
 * masked, added to the attempt's record and announced.
 */
export function warnJudged(
  at: AttemptAt & { ctx: Pick<RunContext, 'masker'> },
  record: StepRecord,
  code: string,
  message: string,
): void {
  const masked = at.ctx.masker.text(message);
  if (record.warnings === undefined) record.warnings = [masked];
  else record.warnings.push(masked);
  emitWarning(at, code, masked);
}
