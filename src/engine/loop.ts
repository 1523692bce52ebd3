// Arazzo 1.0.1 "Workflow Object" and "Step Object": the step loop over run state, frames and transitions.
import { evaluateCriteria } from '../criteria/index.js';
import type {
  ArazzoDocument,
  CriterionObject,
  ParameterObject,
  ReusableObject,
  StepObject,
  WorkflowObject,
} from '../document/model.js';
import type { ResolveValueOptions } from '../expression/index.js';
import type { ExpressionScope } from '../expression/types.js';
import { setOwn } from '../own.js';
import { resolveStepTarget } from '../sources/index.js';
import type { LoadedDocument } from '../sources/types.js';
import { decideTransition, type Transition } from './actions.js';
import { internal, type RunContext, RunStop } from './context.js';
import { checkInputs } from './inputs.js';
import { type EffectiveParameter, effectiveParameters } from './parameters.js';
import type { Frame, RunState } from './state.js';
import { workflowKey } from './state.js';
import {
  type AttemptResult,
  evaluateOutputs,
  resolveStepValue,
  runOperationAttempt,
  type StepContext,
} from './step.js';
import type { ActionRecord, RunError, RunEvent, StepRecord } from './types.js';
import { isV11, nextInPlan, objectEvaluator, selfUri, sourceEntries, stepPlan } from './v11.js';

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

function newFrame(
  docPath: string[],
  workflow: WorkflowObject,
  inputs: Record<string, unknown>,
  returnMode: Frame['returnMode'],
  depth: number,
): Frame {
  return {
    docPath,
    workflowId: workflow.workflowId,
    inputs,
    stepIndex: 0,
    attempt: 1,
    retryUsed: {},
    steps: {},
    pendingDeps: [...(workflow.dependsOn ?? [])],
    returnMode,
    depth,
  };
}

/** The document a frame's workflow lives in: the root, or an `arazzo` source reached by name. */
function documentAt(ctx: RunContext, docPath: readonly string[]): LoadedDocument | undefined {
  let current: LoadedDocument = ctx.root;
  for (const name of docPath) {
    const source = current.sources.get(name);
    if (source === undefined || source.kind !== 'arazzo') return undefined;
    current = source.loaded;
  }
  return current;
}

/** Resolve a workflow reference (`id` or `$sourceDescriptions.<name>.<id>`) from a document. */
function resolveWorkflowRef(
  ctx: RunContext,
  docPath: readonly string[],
  ref: string,
): { docPath: string[]; workflow: WorkflowObject; document: ArazzoDocument } | undefined {
  const prefix = '$sourceDescriptions.';
  let path = [...docPath];
  let id = ref;
  if (ref.startsWith(prefix)) {
    const rest = ref.slice(prefix.length);
    const dot = rest.indexOf('.');
    if (dot <= 0) return undefined;
    path = [...docPath, rest.slice(0, dot)];
    id = rest.slice(dot + 1);
  }
  const loaded = documentAt(ctx, path);
  const workflow = loaded?.document.workflows.find((w) => w.workflowId === id);
  if (loaded === undefined || workflow === undefined) return undefined;
  return { docPath: path, workflow, document: loaded.document };
}

/** The document a frame's workflow lives in (the root when its path no longer resolves). */
function frameDocument(ctx: RunContext, frame: Frame): ArazzoDocument {
  return (documentAt(ctx, frame.docPath) ?? ctx.root).document;
}

function frameWorkflow(
  ctx: RunContext,
  frame: Frame,
): { workflow: WorkflowObject; loaded: LoadedDocument; index: number } {
  const loaded = documentAt(ctx, frame.docPath);
  const index = loaded?.document.workflows.findIndex((w) => w.workflowId === frame.workflowId) ?? -1;
  const workflow = loaded?.document.workflows[index];
  if (loaded === undefined || workflow === undefined) {
    throw new RunStop(internal(`workflow "${frame.workflowId}" vanished from its document`));
  }
  return { workflow, loaded, index };
}

const sourceScopes = new WeakMap<LoadedDocument, Record<string, Record<string, unknown>>>();

/**
 * `$sourceDescriptions.<name>.*` of a document: built once per loaded document. In 1.1 documents the
 * source's operationIds / workflowIds come first and the Source Description Object's fields fill the rest.
 */
function sourceDescriptionsScope(loaded: LoadedDocument): Record<string, Record<string, unknown>> {
  let scope = sourceScopes.get(loaded);
  if (scope === undefined) {
    scope = {};
    const v11 = isV11(loaded.document);
    for (const s of loaded.document.sourceDescriptions) {
      const resolved = loaded.sources.get(s.name);
      const fields: Record<string, unknown> = {
        name: s.name,
        url: resolved?.url ?? s.url,
        type: s.type ?? 'openapi',
      };
      // Operation and workflow ids win over the object's own fields.
      if (v11)
        for (const [id, entry] of Object.entries(sourceEntries(loaded, s.name))) setOwn(fields, id, entry);
      scope[s.name] = fields;
    }
    sourceScopes.set(loaded, scope);
  }
  return scope;
}

function samePath(a: readonly string[], b: readonly string[]): boolean {
  return a === b || (a.length === b.length && a.every((part, i) => part === b[i]));
}

/** The expression scope shared by every step of a frame (request/response parts are added per attempt). */
export function frameScope(ctx: RunContext, state: RunState, frame: Frame): ExpressionScope {
  const loaded = documentAt(ctx, frame.docPath) ?? ctx.root;
  const workflows: Record<string, { inputs: Record<string, unknown>; outputs: Record<string, unknown> }> = {};
  const prefix = frame.docPath.length === 0 ? '' : `${frame.docPath.join('/')}#`;
  for (const [key, value] of Object.entries(state.workflows)) {
    if (prefix === '' ? !key.includes('#') : key.startsWith(prefix))
      workflows[key.slice(prefix.length)] = value;
  }
  // A workflow's inputs are known from its start: `$workflows.<id>.inputs` reads the innermost running
  // instance of <id> (the frame itself or one that called it); outputs stay those of the last finished run.
  for (const running of state.frames) {
    if (!samePath(running.docPath, frame.docPath)) continue;
    const finished = Object.hasOwn(workflows, running.workflowId) ? workflows[running.workflowId] : undefined;
    setOwn(workflows, running.workflowId, { inputs: running.inputs, outputs: finished?.outputs ?? {} });
  }
  const sourceDescriptions = sourceDescriptionsScope(loaded);
  const scope: ExpressionScope = {
    inputs: frame.inputs,
    outputs: {},
    steps: frame.steps,
    workflows,
    sourceDescriptions,
  };
  if (loaded.document.components !== undefined) {
    scope.components = loaded.document.components as unknown as Record<string, Record<string, unknown>>;
  }
  if (isV11(loaded.document)) scope.self = selfUri(loaded);
  return scope;
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
        const ms = frame.pendingDelayMs;
        delete frame.pendingDelayMs;
        if (ctx.suspendRetryOverMs !== undefined && ms >= ctx.suspendRetryOverMs) {
          // The caller waits (e.g. a delayed job) and resumes from this state; the wait counts as honoured.
          if (ctx.checkpoint !== undefined) await ctx.checkpoint(state);
          return { suspendedForMs: ms };
        }
        try {
          await ctx.sleep(ms, ctx.signal);
        } catch {
          checkSignal(ctx);
        }
        checkSignal(ctx);
      }
      if (frame.pendingDeps.length > 0) {
        startDependency(state, ctx, frame, frame.pendingDeps.shift()!);
        continue;
      }
      const { workflow, index: wfIndex, loaded: frameLoaded } = frameWorkflow(ctx, frame);
      // 1.1 step dependencies: the first step of the plan's order, after the workflows it depends on.
      const plan = stepPlan(frameLoaded.document, workflow);
      if (plan !== undefined && frame.planned === undefined) {
        frame.planned = true;
        frame.stepIndex = plan.order[0] ?? 0;
        const pending = plan.workflows.filter(
          (w) => state.workflows[workflowKey(frame.docPath, w)] === undefined,
        );
        if (pending.length > 0) {
          frame.pendingDeps.push(...pending);
          continue;
        }
      }
      const first = plan === undefined ? 0 : (plan.order[0] ?? 0);
      if (frame.stepIndex === first && frame.attempt === 1 && Object.keys(frame.steps).length === 0) {
        if (ctx.listening)
          ctx.emit(() => ({
            type: 'workflow-start',
            workflowId: frame.workflowId,
            inputs: ctx.masker.value(frame.inputs) as Record<string, unknown>,
            depth: frame.depth,
          }));
        if (ctx.messaging !== undefined) {
          const loaded = documentAt(ctx, frame.docPath) ?? ctx.root;
          const scope = frameScope(ctx, state, frame);
          ctx.messaging.step.subscribeEarly(ctx, ctx.messaging.session, loaded, workflow, wfIndex, scope, 0);
        }
      }
      const step = workflow.steps[frame.stepIndex];
      if (step === undefined) {
        frame.ended = { status: 'succeeded' };
        continue;
      }
      if (state.stepsUsed >= ctx.maxSteps) {
        throw new RunStop({
          code: 'STEP_BUDGET_EXHAUSTED',
          message: `step budget of ${ctx.maxSteps} attempts used up at step "${step.stepId}" of workflow "${frame.workflowId}"`,
          stepId: step.stepId,
          workflowId: frame.workflowId,
        });
      }
      state.stepsUsed++;
      const pointer = `/workflows/${wfIndex}/steps/${frame.stepIndex}`;
      if (step.workflowId !== undefined) {
        startChildStep(state, ctx, frame, step, pointer);
        if (ctx.checkpoint !== undefined) await ctx.checkpoint(state);
        continue;
      }
      const stepCtx: StepContext = {
        ctx,
        loaded: documentAt(ctx, frame.docPath) ?? ctx.root,
        workflow,
        step,
        pointer,
        frame,
        scope: frameScope(ctx, state, frame),
      };
      const attempt =
        ctx.messaging !== undefined
          ? await runMaybeMessage(stepCtx, ctx.messaging, wfIndex)
          : await runOperationAttempt(stepCtx);
      if (ctx.signal.aborted) checkSignal(ctx);
      afterAttempt(state, ctx, frame, workflow, step, attempt);
      if (ctx.checkpoint !== undefined) await ctx.checkpoint(state);
    }
  } catch (error) {
    if (!(error instanceof RunStop)) throw error;
    stopRun(state, ctx, error.error);
  }
  if (ctx.checkpoint !== undefined) await ctx.checkpoint(state);
  return {};
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
  if (ctx.options.signal?.aborted) throw new RunStop({ code: 'CANCELLED', message: 'the run was cancelled' });
  throw new RunStop({
    code: 'TIMEOUT',
    message: `the run did not finish within ${ctx.options.timeoutMs} ms`,
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

function workflowOutputs(
  state: RunState,
  ctx: RunContext,
  frame: Frame,
): { outputs: Record<string, unknown>; warnings: string[] } {
  const { workflow, loaded } = frameWorkflow(ctx, frame);
  const scope = frameScope(ctx, state, frame);
  return evaluateOutputs(workflow.outputs, scope, objectEvaluator(loaded.document, scope));
}

function startDependency(state: RunState, ctx: RunContext, frame: Frame, ref: string): void {
  const target = resolveWorkflowRef(ctx, frame.docPath, ref);
  if (target === undefined) {
    frame.ended = {
      status: 'failed',
      error: {
        code: 'DEPENDENCY_FAILED',
        workflowId: frame.workflowId,
        message: `dependsOn "${ref}" of workflow "${frame.workflowId}" does not name a workflow`,
      },
    };
    return;
  }
  if (state.workflows[workflowKey(target.docPath, target.workflow.workflowId)] !== undefined) return;
  // Decision (README "Semantics"): a dependency runs once per run, with the dependent workflow's inputs.
  const checked = checkInputs(target.workflow.inputs, target.document, frame.inputs);
  if (!checked.ok) {
    frame.ended = {
      status: 'failed',
      error: {
        code: 'DEPENDENCY_FAILED',
        workflowId: frame.workflowId,
        message: `dependsOn workflow "${target.workflow.workflowId}": ${checked.problems.join('; ')}`,
      },
    };
    return;
  }
  state.frames.push(newFrame(target.docPath, target.workflow, checked.value, 'dependency', frame.depth + 1));
}

function startChildStep(
  state: RunState,
  ctx: RunContext,
  frame: Frame,
  step: StepObject,
  pointer: string,
): void {
  const { workflow } = frameWorkflow(ctx, frame);
  const ref = step.workflowId!;
  const target = resolveWorkflowRef(ctx, frame.docPath, ref);
  ctx.emit({
    type: 'step-start',
    workflowId: frame.workflowId,
    stepId: step.stepId,
    attempt: frame.attempt,
    operation: `workflow ${ref}`,
  });
  const failStep = (message: string): void => {
    const record: StepRecord = {
      workflowId: frame.workflowId,
      stepId: step.stepId,
      attempt: frame.attempt,
      outcome: 'failed',
      criteria: [],
      error: { code: 'CHILD_WORKFLOW', message },
      durationMs: 0,
    };
    afterAttempt(state, ctx, frame, workflow, step, {
      outcome: 'failed',
      record,
      scope: frameScope(ctx, state, frame),
    });
  };
  if (target === undefined) {
    failStep(`step "${step.stepId}" (${pointer}): workflow "${ref}" is not in the document`);
    return;
  }
  // Parameters of a workflowId step are the child's inputs (spec: Parameter Object `in`).
  const scope = frameScope(ctx, state, frame);
  const childInputs = childInputsFromParameters(workflow, step, scope, ctx, frame.docPath);
  const checked = checkInputs(target.workflow.inputs, target.document, childInputs);
  if (!checked.ok) {
    failStep(`child workflow "${target.workflow.workflowId}": ${checked.problems.join('; ')}`);
    return;
  }
  const child = newFrame(target.docPath, target.workflow, checked.value, 'step', frame.depth + 1);
  state.frames.push(child);
  frame.childStartedAt = performance.now();
}

function childInputsFromParameters(
  workflow: WorkflowObject,
  step: StepObject,
  scope: ExpressionScope,
  ctx: RunContext,
  docPath: readonly string[],
): Record<string, unknown> {
  // Reusable parameters resolve in the document that holds the calling workflow.
  const doc = (documentAt(ctx, docPath) ?? ctx.root).document;
  return inputsFromParameters(
    effectiveParameters(workflow.parameters, step.parameters, doc.components),
    scope,
    objectEvaluator(doc, scope),
  );
}

/** Parameters that map to a workflow's inputs (those without `in`), evaluated. */
function inputsFromParameters(
  params: readonly EffectiveParameter[],
  scope: ExpressionScope,
  objects: ResolveValueOptions['evaluateObject'],
): Record<string, unknown> {
  const inputs: Record<string, unknown> = {};
  for (const p of params) {
    // "When the step in context specifies a workflowId, then all parameters map to workflow inputs": a
    // step's own parameter is an input even with a stray `in` (validation warns). A workflow-level one
    // with `in` is addressed to the workflow's operation steps.
    if (p.in !== undefined && p.origin === 'workflow') continue;
    const value = resolveStepValue(p.value, scope, undefined, undefined, objects);
    if (value.resolved) setOwn(inputs, p.name, value.value);
  }
  return inputs;
}

/**
 * The inputs a goto/retry action gives its target workflow: in 1.1 documents the action's `parameters`
 * when it has them (spec "Success Action Object" `parameters`), else the current workflow's inputs.
 */
function actionTargetInputs(
  frame: Frame,
  doc: ArazzoDocument,
  parameters: ReadonlyArray<ParameterObject | ReusableObject> | undefined,
  scope: ExpressionScope,
): Record<string, unknown> {
  if (parameters === undefined || !isV11(doc)) return frame.inputs;
  return inputsFromParameters(
    effectiveParameters(undefined, parameters, doc.components),
    scope,
    objectEvaluator(doc, scope),
  );
}

/** A frame has ended: record its outputs, pop it, and hand its result to whoever started it. */
function finishFrame(state: RunState, ctx: RunContext, frame: Frame): void {
  const ended = frame.ended!;
  const { outputs, warnings } = workflowOutputs(state, ctx, frame);
  state.workflows[workflowKey(frame.docPath, frame.workflowId)] = { inputs: frame.inputs, outputs };
  ctx.emit(() => {
    const endEvent: RunEvent = {
      type: 'workflow-end',
      workflowId: frame.workflowId,
      status: ended.status,
      outputs: ctx.masker.value(outputs) as Record<string, unknown>,
      depth: frame.depth,
    };
    if (ended.error !== undefined) endEvent.error = ended.error;
    return endEvent;
  });
  state.frames.pop();
  const parent = state.frames[state.frames.length - 1];

  switch (frame.returnMode) {
    case 'root': {
      state.result = { status: ended.status, outputs };
      if (ended.error !== undefined) state.result.error = ended.error;
      if (warnings.length > 0 && state.records.length > 0) {
        const last = state.records[state.records.length - 1]!;
        last.warnings = [...(last.warnings ?? []), ...warnings.map((w) => `workflow output ${w}`)];
      }
      return;
    }
    case 'dependency': {
      if (parent === undefined) return;
      if (ended.status === 'failed') {
        parent.ended = {
          status: 'failed',
          error: {
            code: 'DEPENDENCY_FAILED',
            workflowId: parent.workflowId,
            message: `dependsOn workflow "${frame.workflowId}" failed${ended.error ? `: ${ended.error.message}` : ''}`,
          },
        };
      }
      return;
    }
    case 'goto-workflow': {
      if (parent === undefined) return;
      parent.ended =
        ended.error === undefined ? { status: ended.status } : { status: ended.status, error: ended.error };
      return;
    }
    case 'retry-detour': {
      // The detour finished (whatever its outcome); the parent's step is retried after its delay.
      return;
    }
    case 'step': {
      if (parent === undefined) return;
      const { workflow } = frameWorkflow(ctx, parent);
      const step = workflow.steps[parent.stepIndex]!;
      const scope = frameScope(ctx, state, parent);
      scope.outputs = outputs;
      const started = parent.childStartedAt ?? performance.now();
      delete parent.childStartedAt;
      let outcome: 'succeeded' | 'failed' = ended.status;
      const record: StepRecord = {
        workflowId: parent.workflowId,
        stepId: step.stepId,
        attempt: parent.attempt,
        outcome,
        criteria: [],
        durationMs: performance.now() - started,
      };
      if (ended.status === 'failed') {
        record.error = {
          code: 'CHILD_WORKFLOW',
          message: `workflow "${frame.workflowId}" failed${ended.error ? `: ${ended.error.message}` : ''}`,
        };
      } else if (step.successCriteria !== undefined && step.successCriteria.length > 0) {
        const evaluated = evaluateCriteria(step.successCriteria, scope, { compat: ctx.compat });
        record.criteria = evaluated.records;
        if (!evaluated.passed) outcome = 'failed';
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
      afterAttempt(state, ctx, parent, workflow, step, { outcome, record, scope });
      return;
    }
  }
}

function holdsFor(
  ctx: RunContext,
  scope: ExpressionScope,
): (criteria: CriterionObject[] | undefined) => boolean {
  return (criteria) =>
    criteria === undefined ||
    criteria.length === 0 ||
    evaluateCriteria(criteria, scope, { compat: ctx.compat }).passed;
}

/** Decide and apply the transition after an attempt, and record it. */
function afterAttempt(
  state: RunState,
  ctx: RunContext,
  frame: Frame,
  workflow: WorkflowObject,
  step: StepObject,
  attempt: AttemptResult,
): void {
  const record = attempt.record;
  const loaded = documentAt(ctx, frame.docPath) ?? ctx.root;

  // A detour step (retry with stepId) runs once and hands control back; its own actions are not followed.
  if (frame.detour !== undefined && frame.stepIndex === frame.detour.stepIndex) {
    const { resumeStepIndex, delayMs } = frame.detour;
    delete frame.detour;
    record.action = { type: 'next', target: workflow.steps[resumeStepIndex]?.stepId ?? '' };
    pushRecord(state, ctx, record);
    frame.stepIndex = resumeStepIndex;
    frame.attempt = frame.retryAttempt ?? frame.attempt + 1;
    delete frame.retryAttempt;
    if (delayMs > 0) frame.pendingDelayMs = delayMs;
    return;
  }

  const transition: Transition = decideTransition({
    step,
    workflow,
    components: loaded.document.components,
    outcome: attempt.outcome,
    holds: holdsFor(ctx, attempt.scope),
    retryUsed: frame.retryUsed,
    retryAfterHeaderMs: attempt.retryAfterMs,
    maxRetryDelayMs: ctx.maxRetryDelayMs,
  });

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

  switch (transition.type) {
    case 'next':
      enterStep(
        frame,
        nextInPlan(stepPlan(loaded.document, workflow), frame.stepIndex, workflow.steps.length),
      );
      return;
    case 'goto-step': {
      const index = workflow.steps.findIndex((s) => s.stepId === transition.stepId);
      if (index < 0) {
        frame.ended = {
          status: 'failed',
          error: {
            code: 'STEP_FAILED',
            stepId: step.stepId,
            workflowId: frame.workflowId,
            message: `action "${transition.name}": step "${transition.stepId}" is not in workflow "${frame.workflowId}"`,
          },
        };
        return;
      }
      enterStep(frame, index);
      return;
    }
    case 'goto-workflow': {
      const target = resolveWorkflowRef(ctx, frame.docPath, transition.workflowId);
      if (target === undefined) {
        frame.ended = {
          status: 'failed',
          error: {
            code: 'STEP_FAILED',
            stepId: step.stepId,
            workflowId: frame.workflowId,
            message: `action "${transition.name}": workflow "${transition.workflowId}" is not in the document`,
          },
        };
        return;
      }
      // Decision (README "Semantics"): goto a workflow is a one-way transfer; the target runs with the current
      // workflow's inputs (defaults of its own schema applied) and the current workflow ends with its status.
      const given = actionTargetInputs(frame, loaded.document, transition.parameters, attempt.scope);
      const checked = checkInputs(target.workflow.inputs, target.document, given);
      state.frames.push(
        newFrame(target.docPath, target.workflow, checked.value, 'goto-workflow', frame.depth + 1),
      );
      return;
    }
    case 'end':
      frame.ended =
        attempt.outcome === 'succeeded'
          ? { status: 'succeeded' }
          : {
              status: 'failed',
              error: {
                code: 'STEP_FAILED',
                stepId: step.stepId,
                workflowId: frame.workflowId,
                message: `step "${step.stepId}" failed and failure action "${transition.name}" ended the workflow${record.error ? `: ${record.error.message}` : ''}`,
              },
            };
      return;
    case 'retry': {
      frame.retryUsed[transition.name] = transition.used;
      ctx.emit({
        type: 'retry-wait',
        workflowId: frame.workflowId,
        stepId: step.stepId,
        attempt: frame.attempt + 1,
        delayMs: transition.delayMs,
        reason: `retry ${transition.used}/${transition.limit} (action "${transition.name}")`,
      });
      if (transition.detour !== undefined && 'stepId' in transition.detour) {
        const index = workflow.steps.findIndex(
          (s) => s.stepId === (transition.detour as { stepId: string }).stepId,
        );
        if (index >= 0) {
          frame.detour = { stepIndex: index, resumeStepIndex: frame.stepIndex, delayMs: transition.delayMs };
          frame.retryAttempt = frame.attempt + 1;
          frame.stepIndex = index;
          frame.attempt = 1;
          return;
        }
      }
      frame.attempt += 1;
      if (transition.delayMs > 0) frame.pendingDelayMs = transition.delayMs;
      if (transition.detour !== undefined && 'workflowId' in transition.detour) {
        const target = resolveWorkflowRef(ctx, frame.docPath, transition.detour.workflowId);
        if (target !== undefined) {
          const given = actionTargetInputs(
            frame,
            loaded.document,
            transition.detour.parameters,
            attempt.scope,
          );
          const checked = checkInputs(target.workflow.inputs, target.document, given);
          state.frames.push(
            newFrame(target.docPath, target.workflow, checked.value, 'retry-detour', frame.depth + 1),
          );
        }
      }
      return;
    }
    case 'fail':
      frame.ended = {
        status: 'failed',
        error: {
          code: 'STEP_FAILED',
          stepId: step.stepId,
          workflowId: frame.workflowId,
          message: `step "${step.stepId}" failed: ${record.error?.message ?? transition.reason}`,
        },
      };
      return;
  }
}

function enterStep(frame: Frame, index: number): void {
  frame.stepIndex = index;
  frame.attempt = 1;
  frame.retryUsed = {};
}

function actionRecord(transition: Transition): ActionRecord {
  switch (transition.type) {
    case 'next':
      return { type: 'next' };
    case 'goto-step':
      return { type: 'goto', name: transition.name, target: transition.stepId };
    case 'goto-workflow':
      return { type: 'goto', name: transition.name, target: `workflow:${transition.workflowId}` };
    case 'end':
      return { type: 'end', name: transition.name };
    case 'retry':
      return { type: 'retry', name: transition.name, delayMs: transition.delayMs };
    case 'fail':
      return { type: 'end' };
  }
}

function pushRecord(state: RunState, ctx: RunContext, record: StepRecord): void {
  state.records.push(record);
  // The record's outputs are the run's data; the event is for display, so it shows them masked.
  if (ctx.listening)
    ctx.emit(() => ({
      type: 'step-end',
      record:
        record.outputs === undefined
          ? record
          : { ...record, outputs: ctx.masker.value(record.outputs) as Record<string, unknown> },
    }));
}
