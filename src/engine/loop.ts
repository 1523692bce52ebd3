// Arazzo 1.0.1 "Workflow Object" and "Step Object": the step loop over run state, frames and transitions.
import type { StepObject, WorkflowObject } from '../document/model.js';
import type { ExpressionScope } from '../expression/types.js';
import { resolveStepTarget } from '../sources/index.js';
import type { LoadedDocument } from '../sources/types.js';
import { type ActionHolds, actionHolds, decideTransition, type Transition } from './actions.js';
import { type RunContext, RunStop } from './context.js';
import { warnJudged } from './events.js';
import {
  endRun,
  endWithTarget,
  enterStep,
  failDependent,
  failFrame,
  frameDocument,
  frameScope,
  frameWorkflow,
  newFrame,
  popFrame,
  startActionTarget,
  startChildFrame,
  startDependency,
  workflowOutputs,
} from './frames.js';
import { childStartFailed, judgeChildStep } from './judge.js';
import { actionRecord, pushRecord } from './records.js';
import type { Frame, RunState } from './state.js';
import { workflowKey } from './state.js';
import { type AttemptResult, runOperationAttempt, type StepContext } from './step.js';
import type { RunError, StepRecord } from './types.js';
import { isV11, nextInPlan, type StepPlan, stepPlan } from './v11.js';

type GotoStep = Extract<Transition, { type: 'goto-step' }>;
type GotoWorkflow = Extract<Transition, { type: 'goto-workflow' }>;
type Retry = Extract<Transition, { type: 'retry' }>;
type End = Extract<Transition, { type: 'end' }>;
type Fail = Extract<Transition, { type: 'fail' }>;

export function initialState(workflow: WorkflowObject, inputs: Record<string, unknown>): RunState {
  return {
    version: 1,
    startedAt: Date.now(),
    rootWorkflowId: workflow.workflowId,
    frames: [newFrame([], workflow, inputs, 'root', 0)],
    workflows: {},
    stepsUsed: 0,
    records: [],
  };
}

/** The step loop: one iteration per attempt or frame transition, bounded by the step budget. */
export async function drive(state: RunState, ctx: RunContext): Promise<{ suspendedForMs?: number }> {
  try {
    while (state.frames.length > 0) {
      const frame = state.frames[state.frames.length - 1]!;
      if (frame.ended !== undefined) {
        finishFrame(state, ctx, frame);
        if (state.frames.length > 0 && ctx.checkpoint !== undefined) await ctx.checkpoint(state);
        continue;
      }
      checkSignal(ctx);
      if (frame.pendingDelayMs !== undefined) {
        const suspendedForMs = await honourDelay(state, ctx, frame);
        if (suspendedForMs !== undefined) return { suspendedForMs };
      }
      if (frame.pendingDeps.length > 0) {
        startDependency(state, ctx, frame, frame.pendingDeps.shift()!);
        continue;
      }
      const { workflow, index: wfIndex, loaded } = frameWorkflow(ctx, frame);
      const plan = stepPlan(loaded.document, workflow);
      if (plan !== undefined && frame.planned === undefined && queuePlannedDependencies(state, frame, plan))
        continue;
      if (isWorkflowStart(frame, plan)) announceWorkflowStart(state, ctx, frame, loaded, workflow, wfIndex);
      const step = workflow.steps[frame.stepIndex];
      if (step === undefined) {
        frame.ended = { status: 'succeeded' };
        continue;
      }
      countAttempt(state, ctx, frame, step);
      const pointer = `/workflows/${wfIndex}/steps/${frame.stepIndex}`;
      if (step.workflowId !== undefined) {
        // A child that cannot start fails the step's attempt; one that starts is judged when it ends.
        const failure = startChildFrame(state, ctx, frame, workflow, step, pointer);
        if (failure !== undefined)
          afterAttempt(state, ctx, frame, workflow, step, childStartFailed(state, ctx, frame, step, failure));
      } else {
        const attempt = await runAttempt(state, ctx, frame, loaded, workflow, step, pointer, wfIndex);
        if (ctx.signal.aborted) checkSignal(ctx);
        afterAttempt(state, ctx, frame, workflow, step, attempt);
      }
      if (ctx.checkpoint !== undefined) await ctx.checkpoint(state);
    }
  } catch (error) {
    if (!(error instanceof RunStop)) throw error;
    stopRun(state, ctx, error.error);
  }
  if (ctx.checkpoint !== undefined) await ctx.checkpoint(state);
  return {};
}

/**
 * Wait out a frame's retry delay. Returns the delay when the caller waits instead (a long wait with
 * `suspendRetryOverMs`): the run stops here and resumes from this state.
 */
async function honourDelay(state: RunState, ctx: RunContext, frame: Frame): Promise<number | undefined> {
  const ms = frame.pendingDelayMs!;
  delete frame.pendingDelayMs;
  if (ctx.suspendRetryOverMs !== undefined && ms >= ctx.suspendRetryOverMs) {
    // The caller waits (e.g. a delayed job) and resumes from this state; the wait counts as honoured.
    if (ctx.checkpoint !== undefined) await ctx.checkpoint(state);
    return ms;
  }
  try {
    await ctx.sleep(ms, ctx.signal);
  } catch {
    checkSignal(ctx);
  }
  checkSignal(ctx);
  return undefined;
}

/**
 * 1.1 step dependencies: start at the first step of the plan's order, after the workflows it depends
 * on. Returns true when such workflows were queued to run first.
 */
function queuePlannedDependencies(state: RunState, frame: Frame, plan: StepPlan): boolean {
  frame.planned = true;
  frame.stepIndex = plan.order[0] ?? 0;
  const pending = plan.workflows.filter((w) => state.workflows[workflowKey(frame.docPath, w)] === undefined);
  if (pending.length === 0) return false;
  frame.pendingDeps.push(...pending);
  return true;
}

/** Whether the frame is about to make its first attempt at its first step. */
function isWorkflowStart(frame: Frame, plan: StepPlan | undefined): boolean {
  const first = plan === undefined ? 0 : (plan.order[0] ?? 0);
  return frame.stepIndex === first && frame.attempt === 1 && Object.keys(frame.steps).length === 0;
}

/** A workflow starts: announce it, and let its receive steps listen before anything is sent. */
function announceWorkflowStart(
  state: RunState,
  ctx: RunContext,
  frame: Frame,
  loaded: LoadedDocument,
  workflow: WorkflowObject,
  wfIndex: number,
): void {
  if (ctx.listening)
    ctx.emit(() => ({
      type: 'workflow-start',
      workflowId: frame.workflowId,
      inputs: ctx.masker.value(frame.inputs) as Record<string, unknown>,
      depth: frame.depth,
    }));
  if (ctx.messaging !== undefined) {
    const scope = frameScope(ctx, state, frame);
    ctx.messaging.step.subscribeEarly(ctx, ctx.messaging.session, loaded, workflow, wfIndex, scope, 0);
  }
}

/** Count an attempt against the step budget, or stop the run when the budget is used up. */
function countAttempt(state: RunState, ctx: RunContext, frame: Frame, step: StepObject): void {
  if (state.stepsUsed >= ctx.maxSteps) {
    throw new RunStop({
      code: 'STEP_BUDGET_EXHAUSTED',
      message: `step budget of ${ctx.maxSteps} attempts used up at step "${step.stepId}" of workflow "${frame.workflowId}"`,
      stepId: step.stepId,
      workflowId: frame.workflowId,
    });
  }
  state.stepsUsed++;
}

/** One attempt of an operation or message step. */
function runAttempt(
  state: RunState,
  ctx: RunContext,
  frame: Frame,
  loaded: LoadedDocument,
  workflow: WorkflowObject,
  step: StepObject,
  pointer: string,
  wfIndex: number,
): Promise<AttemptResult> {
  const stepCtx: StepContext = {
    ctx,
    loaded,
    workflow,
    step,
    pointer,
    frame,
    scope: frameScope(ctx, state, frame),
  };
  return ctx.messaging !== undefined
    ? runMaybeMessage(stepCtx, ctx.messaging, wfIndex)
    : runOperationAttempt(stepCtx);
}

/** An AsyncAPI step goes to the message runner; anything else to the HTTP one. */
function runMaybeMessage(
  sc: StepContext,
  messaging: NonNullable<RunContext['messaging']>,
  wfIndex: number,
): Promise<AttemptResult> {
  const target = resolveStepTarget(sc.loaded, sc.step, sc.pointer);
  if ('kind' in target && target.kind === 'message')
    return messaging.step.runMessageAttempt(sc, target, messaging.session, wfIndex);
  return runOperationAttempt(sc);
}

function checkSignal(ctx: RunContext): void {
  // The deadline is checked by clock too: a run whose steps never yield to the event loop (an in-memory
  // transport) would otherwise never see the timeout signal fire.
  const late = ctx.deadline !== undefined && performance.now() > ctx.deadline;
  if (!ctx.signal.aborted && !late) return;
  if (ctx.cancelSignal?.aborted) throw new RunStop({ code: 'CANCELLED', message: 'the run was cancelled' });
  throw new RunStop({
    code: 'TIMEOUT',
    message: `the run did not finish within ${ctx.timeoutMs} ms`,
  });
}

/** A budget, timeout or cancellation ends every frame; the root's outputs still resolve as far as they can. */
function stopRun(state: RunState, ctx: RunContext, error: RunError): void {
  const root = state.frames[0];
  const outputs = root === undefined ? {} : workflowOutputs(state, ctx, root).outputs;
  for (let i = state.frames.length - 1; i >= 0; i--) {
    const frame = state.frames[i]!;
    ctx.emit({
      type: 'workflow-end',
      workflowId: frame.workflowId,
      status: 'failed',
      outputs: i === 0 ? (ctx.masker.value(outputs) as Record<string, unknown>) : {},
      error,
      depth: frame.depth,
    });
  }
  state.frames = [];
  state.result = { status: 'failed', outputs, error };
}

/** A frame has ended: record its outputs, pop it, and hand its result to whoever started it. */
function finishFrame(state: RunState, ctx: RunContext, frame: Frame): void {
  const ended = frame.ended!;
  const { outputs, warnings } = popFrame(state, ctx, frame);
  const parent = state.frames[state.frames.length - 1];
  switch (frame.returnMode) {
    case 'root':
      endRun(state, ended, outputs, warnings);
      return;
    case 'dependency':
      if (parent !== undefined) failDependent(parent, frame, ended);
      return;
    case 'goto-workflow':
      if (parent !== undefined) endWithTarget(parent, ended);
      return;
    case 'retry-detour':
      // The detour finished (whatever its outcome); the parent's step is retried after its delay.
      return;
    case 'step':
      if (parent !== undefined) returnToStep(state, ctx, parent, frame, outputs);
      return;
  }
}

/** A child workflow has ended: its result is the attempt of the parent's `workflowId` step. */
function returnToStep(
  state: RunState,
  ctx: RunContext,
  parent: Frame,
  child: Frame,
  outputs: Record<string, unknown>,
): void {
  const { workflow } = frameWorkflow(ctx, parent);
  const step = workflow.steps[parent.stepIndex]!;
  afterAttempt(state, ctx, parent, workflow, step, judgeChildStep(state, ctx, parent, step, child, outputs));
}

/**
 * Whether an action's criteria hold after the attempt (none hold trivially). In a 1.1 document a
 * criterion that cannot be evaluated is a `CRITERION_ERROR` warning of the attempt, as for successCriteria.
 */
function holdsFor(
  ctx: RunContext,
  frame: Frame,
  step: StepObject,
  attempt: AttemptResult,
  v11: boolean,
): ActionHolds {
  if (!v11) return actionHolds(attempt.scope, ctx.compat, undefined);
  const at = { ctx, frame, step };
  return actionHolds(attempt.scope, ctx.compat, (message) =>
    warnJudged(at, attempt.record, 'CRITERION_ERROR', message),
  );
}

/**
 * Decide and apply the transition after an attempt, and record it (spec "Success Action Object" and
 * "Failure Action Object": end, goto a step or a workflow, retry; no matching action means the next step
 * on success and the workflow's failure on failure).
 */
function afterAttempt(
  state: RunState,
  ctx: RunContext,
  frame: Frame,
  workflow: WorkflowObject,
  step: StepObject,
  attempt: AttemptResult,
): void {
  if (frame.detour !== undefined && frame.stepIndex === frame.detour.stepIndex) {
    resumeAfterDetour(state, ctx, frame, workflow, attempt.record);
    return;
  }
  const document = frameDocument(ctx, frame);
  const transition: Transition = decideTransition({
    step,
    workflow,
    components: document.components,
    outcome: attempt.outcome,
    holds: holdsFor(ctx, frame, step, attempt, isV11(document)),
    retryUsed: frame.retryUsed,
    retryAfterHeaderMs: attempt.retryAfterMs,
    maxRetryDelayMs: ctx.maxRetryDelayMs,
  });
  recordTransition(state, ctx, frame, step, attempt.record, transition);
  switch (transition.type) {
    case 'next':
      enterStep(frame, nextInPlan(stepPlan(document, workflow), frame.stepIndex, workflow.steps.length));
      return;
    case 'goto-step':
      gotoStep(frame, workflow, step, transition);
      return;
    case 'goto-workflow':
      gotoWorkflow(state, ctx, frame, step, transition, attempt.scope);
      return;
    case 'end':
      endWorkflow(frame, step, transition, attempt);
      return;
    case 'retry':
      retryStep(state, ctx, frame, workflow, step, transition, attempt.scope);
      return;
    case 'fail':
      failWorkflow(frame, step, transition, attempt.record);
      return;
  }
}

/** A detour step (retry with stepId) runs once and hands control back; its own actions are not followed. */
function resumeAfterDetour(
  state: RunState,
  ctx: RunContext,
  frame: Frame,
  workflow: WorkflowObject,
  record: StepRecord,
): void {
  const { resumeStepIndex, delayMs } = frame.detour!;
  delete frame.detour;
  record.action = { type: 'next', target: workflow.steps[resumeStepIndex]?.stepId ?? '' };
  pushRecord(state, ctx, record);
  frame.stepIndex = resumeStepIndex;
  frame.attempt = frame.retryAttempt ?? frame.attempt + 1;
  delete frame.retryAttempt;
  if (delayMs > 0) frame.pendingDelayMs = delayMs;
}

/** The attempt's record shows the action taken (and why the step failed), then the `action` event. */
function recordTransition(
  state: RunState,
  ctx: RunContext,
  frame: Frame,
  step: StepObject,
  record: StepRecord,
  transition: Transition,
): void {
  const action = actionRecord(transition);
  record.action = action;
  if (transition.type === 'fail' && record.error === undefined) {
    const failed = record.criteria.filter((c) => !c.passed).map((c) => c.reason ?? c.condition);
    record.error = {
      code: 'STEP_FAILED',
      // Say the retry budget ran out, or a poll that never saw its status reads like a one-off failure.
      message:
        failed.length > 0
          ? `${failed.join('; ')}${transition.retriesUsedUp ? `; ${transition.reason}` : ''}`
          : transition.reason,
    };
  }
  pushRecord(state, ctx, record);
  ctx.emit({ type: 'action', workflowId: frame.workflowId, stepId: step.stepId, action });
}

/** goto a step: "The referenced `stepId` MUST be within the current workflow"; it is entered anew. */
function gotoStep(frame: Frame, workflow: WorkflowObject, step: StepObject, transition: GotoStep): void {
  const index = workflow.steps.findIndex((s) => s.stepId === transition.stepId);
  if (index < 0) {
    failFrame(
      frame,
      'STEP_FAILED',
      `action "${transition.name}": step "${transition.stepId}" is not in workflow "${frame.workflowId}"`,
      step.stepId,
    );
    return;
  }
  enterStep(frame, index);
}

/** goto a workflow: "A one-way transfer of workflow control". */
function gotoWorkflow(
  state: RunState,
  ctx: RunContext,
  frame: Frame,
  step: StepObject,
  transition: GotoWorkflow,
  scope: ExpressionScope,
): void {
  // Decision (README "Semantics"): goto a workflow is a one-way transfer; the target runs with the current
  // workflow's inputs (defaults of its own schema applied) and the current workflow ends with its status.
  const ref = transition.workflowId;
  if (startActionTarget(state, ctx, frame, ref, transition.parameters, scope, 'goto-workflow')) return;
  failFrame(
    frame,
    'STEP_FAILED',
    `action "${transition.name}": workflow "${ref}" is not in the document`,
    step.stepId,
  );
}

/** end: "The workflow ends, and context returns to the caller"; after a failure it ends failed. */
function endWorkflow(frame: Frame, step: StepObject, transition: End, attempt: AttemptResult): void {
  if (attempt.outcome === 'succeeded') {
    frame.ended = { status: 'succeeded' };
    return;
  }
  const error = attempt.record.error;
  failFrame(
    frame,
    'STEP_FAILED',
    `step "${step.stepId}" failed and failure action "${transition.name}" ended the workflow${error ? `: ${error.message}` : ''}`,
    step.stepId,
  );
}

/**
 * retry: "The current step will be retried", after `retryAfter`. "If a `stepId` or `workflowId` are
 * specified, then the reference is executed and the context is returned, after which the current step
 * is retried."
 */
function retryStep(
  state: RunState,
  ctx: RunContext,
  frame: Frame,
  workflow: WorkflowObject,
  step: StepObject,
  transition: Retry,
  scope: ExpressionScope,
): void {
  frame.retryUsed[transition.name] = transition.used;
  ctx.emit({
    type: 'retry-wait',
    workflowId: frame.workflowId,
    stepId: step.stepId,
    attempt: frame.attempt + 1,
    delayMs: transition.delayMs,
    reason: `retry ${transition.used}/${transition.limit} (action "${transition.name}")`,
  });
  if (detourThroughStep(frame, workflow, transition)) return;
  frame.attempt += 1;
  if (transition.delayMs > 0) frame.pendingDelayMs = transition.delayMs;
  const detour = transition.detour;
  if (detour !== undefined && 'workflowId' in detour)
    startActionTarget(state, ctx, frame, detour.workflowId, detour.parameters, scope, 'retry-detour');
}

/** A retry through a step: run that step next, the retried step after it. False when there is none. */
function detourThroughStep(frame: Frame, workflow: WorkflowObject, transition: Retry): boolean {
  const detour = transition.detour;
  if (detour === undefined || !('stepId' in detour)) return false;
  const index = workflow.steps.findIndex((s) => s.stepId === detour.stepId);
  if (index < 0) return false;
  frame.detour = { stepIndex: index, resumeStepIndex: frame.stepIndex, delayMs: transition.delayMs };
  frame.retryAttempt = frame.attempt + 1;
  frame.stepIndex = index;
  frame.attempt = 1;
  return true;
}

/** No action applies to a failure (or a retry's budget is used up): the workflow fails. */
function failWorkflow(frame: Frame, step: StepObject, transition: Fail, record: StepRecord): void {
  failFrame(
    frame,
    'STEP_FAILED',
    `step "${step.stepId}" failed: ${record.error?.message ?? transition.reason}`,
    step.stepId,
  );
}
