// Arazzo 1.0.1 "Step Object" `workflowId`: a child workflow's result judged as the step's result.
// (An operation step is judged by step.ts `judgeAttempt`, a message step by message-step.ts.)
import { evaluateCriteria } from '../criteria/index.js';
import type { CriterionObject, StepObject } from '../document/model.js';
import type { ExpressionScope } from '../expression/types.js';
import type { RunContext } from './context.js';
import { warnJudged } from './events.js';
import { frameDocument, frameScope } from './frames.js';
import { newStepRecord } from './records.js';
import type { Frame, RunState } from './state.js';
import { type AttemptResult, evaluateOutputs } from './step.js';
import type { StepRecord } from './types.js';
import { isV11, objectEvaluator } from './v11.js';

/**
 * The attempt of a `workflowId` step whose child has ended (and been popped): failed if the child
 * failed, else judged by the step's successCriteria with the child's outputs as `$outputs`.
 */
export function judgeChildStep(
  state: RunState,
  ctx: RunContext,
  parent: Frame,
  step: StepObject,
  child: Frame,
  outputs: Record<string, unknown>,
): AttemptResult {
  const ended = child.ended!;
  const scope = frameScope(ctx, state, parent);
  scope.outputs = outputs;
  const started = parent.childStartedAt ?? performance.now();
  delete parent.childStartedAt;
  let outcome: 'succeeded' | 'failed' = ended.status;
  // 1.1 documents only: the successCriteria that could not be evaluated.
  let errors: string[] | undefined;
  const record = newStepRecord(parent, step.stepId);
  record.durationMs = performance.now() - started;
  if (ended.status === 'failed') {
    record.error = {
      code: 'CHILD_WORKFLOW',
      message: `workflow "${child.workflowId}" failed${ended.error ? `: ${ended.error.message}` : ''}`,
    };
  } else if (step.successCriteria !== undefined && step.successCriteria.length > 0) {
    errors = isV11(frameDocument(ctx, parent)) ? [] : undefined;
    if (!childCriteriaHold(ctx, step.successCriteria, scope, record, errors)) outcome = 'failed';
  }
  record.outcome = outcome;
  // Decision (README "Semantics"): a workflow step's outputs read the child's outputs as $outputs;
  // with no outputs declared, the child's outputs are the step's outputs.
  const stepOutputs =
    step.outputs === undefined
      ? { outputs, warnings: [] }
      : evaluateOutputs(step.outputs, scope, objectEvaluator(frameDocument(ctx, parent), scope));
  parent.steps[step.stepId] = { outputs: stepOutputs.outputs };
  record.outputs = stepOutputs.outputs;
  if (stepOutputs.warnings.length > 0) record.warnings = stepOutputs.warnings;
  // 1.1.0 "Evaluation Errors": a criterion that could not be evaluated is a warning (record and event).
  if (errors !== undefined)
    for (const message of errors)
      warnJudged({ ctx, frame: parent, step }, record, 'CRITERION_ERROR', message);
  return { outcome, record, scope };
}

/** Whether the criteria hold (records in `record.criteria`); with `errors`, those that could not be evaluated go there. */
function childCriteriaHold(
  ctx: RunContext,
  criteria: CriterionObject[],
  scope: ExpressionScope,
  record: StepRecord,
  errors: string[] | undefined,
): boolean {
  const evaluated = evaluateCriteria(
    criteria,
    scope,
    errors === undefined ? { compat: ctx.compat } : { compat: ctx.compat, onError: (m) => errors.push(m) },
  );
  record.criteria = evaluated.records;
  return evaluated.passed;
}

/** The attempt of a `workflowId` step whose child could not start: failed, for `reason`. */
export function childStartFailed(
  state: RunState,
  ctx: RunContext,
  frame: Frame,
  step: StepObject,
  reason: string,
): AttemptResult {
  const record: StepRecord = {
    workflowId: frame.workflowId,
    stepId: step.stepId,
    attempt: frame.attempt,
    outcome: 'failed',
    criteria: [],
    error: { code: 'CHILD_WORKFLOW', message: reason },
    durationMs: 0,
  };
  return { outcome: 'failed', record, scope: frameScope(ctx, state, frame) };
}
