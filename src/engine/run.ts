// Arazzo 1.0.1 "Workflow Object" and "Step Object": running a workflow as one explicit loop over run state.
import { setTimeout as delay } from 'node:timers/promises';
import type { ContractCheck } from '../contract/types.js';
import { evaluateCriteria } from '../criteria/index.js';
import type { ArazzoDocument, CriterionObject, StepObject, WorkflowObject } from '../document/model.js';
import { OptionsError } from '../errors.js';
import type { ExpressionScope } from '../expression/types.js';
import type { HttpResponse } from '../http/types.js';
import { loadArazzo } from '../sources/index.js';
import type { LoadedDocument, OpenApiSource, ResolvedOperation } from '../sources/types.js';
import { decideTransition, type Transition } from './actions.js';
import { checkInputs, secretInputNames } from './inputs.js';
import { isSecretInputName, Masker } from './mask.js';
import type { RunOptions } from './options.js';
import { effectiveParameters } from './parameters.js';
import type { Frame, RunState } from './state.js';
import { workflowKey } from './state.js';
import {
  type AttemptResult,
  evaluateOutputs,
  resolveStepValue,
  runOperationAttempt,
  type StepContext,
} from './step.js';
import type { ActionRecord, RunError, RunEvent, RunResult, StepRecord } from './types.js';

const DEFAULT_MAX_STEPS = 1000;
const DEFAULT_MAX_RETRY_DELAY_MS = 120_000;

/** Everything the loop needs that is not run state: the document, options, and injected I/O. */
export interface RunContext {
  root: LoadedDocument;
  options: RunOptions;
  masker: Masker;
  signal: AbortSignal;
  maxSteps: number;
  maxRetryDelayMs: number;
  compat: boolean;
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Whether `signal` can ever abort (a caller's signal or a timeout); if not, the transport gets none. */
  cancellable: boolean;
  /** performance.now() by which the run must end (`timeoutMs`). */
  deadline?: number;
  /** Sends an event to `onEvent`; a function is called only when someone listens (masking costs). */
  emit: (event: RunEvent | (() => RunEvent)) => void;
  /** Checks responses against their OpenAPI operation (the `contract` option). */
  contract?: (
    operation: ResolvedOperation,
    response: HttpResponse,
    source?: OpenApiSource,
  ) => ContractCheck[];
  /** Called at every step boundary with the live state (durable runs persist it). */
  checkpoint?: (state: RunState) => Promise<void>;
  /** Retry waits of at least this many ms suspend the run instead of sleeping (durable runs re-queue it). */
  suspendRetryOverMs?: number;
}

const NEVER_ABORTED: AbortSignal = new AbortController().signal;

/** Thrown inside the loop when the whole run must stop (budget, timeout, cancel). Never escapes runWorkflow. */
class RunStop {
  constructor(readonly error: RunError) {}
}

function isLoadedDocument(value: unknown): value is LoadedDocument {
  return (
    typeof value === 'object' &&
    value !== null &&
    'document' in value &&
    'sources' in value &&
    (value as { sources: unknown }).sources instanceof Map
  );
}

async function defaultSleep(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0) return;
  await delay(ms, undefined, { signal });
}

/** A run that could not start (unknown workflow, invalid inputs) or everything a started run needs. */
export type Prepared =
  | { kind: 'result'; result: RunResult }
  | {
      kind: 'ready';
      loaded: LoadedDocument;
      ctx: RunContext;
      workflow: WorkflowObject;
      inputs: Record<string, unknown>;
    };

/** Load the document (unless given loaded), check options and inputs, and build the run context. */
/** Reject unusable numeric options before anything runs (OptionsError, never a raw RangeError later). */
function checkOptions(options: RunOptions): void {
  const numeric: Array<[keyof RunOptions, number]> = [
    ['timeoutMs', 1],
    ['requestTimeoutMs', 1],
    ['maxResponseBytes', 0],
    ['maxSteps', 1],
    ['maxRetryDelayMs', 0],
    ['maxDocumentBytes', 1],
  ];
  for (const [name, min] of numeric) {
    const value = options[name];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
      throw new OptionsError(`${name}: must be a number >= ${min}, got ${JSON.stringify(value)}`);
    }
  }
  if (options.maxSteps !== undefined && !Number.isInteger(options.maxSteps)) {
    throw new OptionsError(`maxSteps: must be a whole number, got ${options.maxSteps}`);
  }
  const contract = options.contract as unknown;
  if (
    contract !== undefined &&
    typeof contract !== 'boolean' &&
    (typeof contract !== 'object' || contract === null)
  ) {
    throw new OptionsError(
      `contract: must be true, false or an options object, got ${JSON.stringify(contract)}`,
    );
  }
  for (const name of ['servers', 'sources', 'auth', 'serverVariables'] as const) {
    const value = options[name] as unknown;
    if (value !== undefined && (typeof value !== 'object' || value === null || Array.isArray(value))) {
      throw new OptionsError(`${name}: must be an object keyed by name`);
    }
  }
}

export async function prepareRun(
  spec: string | URL | LoadedDocument,
  inputs: Record<string, unknown>,
  options: RunOptions & { skipInputCheck?: boolean },
  started: number = performance.now(),
): Promise<Prepared> {
  checkOptions(options);
  const loaded = isLoadedDocument(spec)
    ? spec
    : await loadArazzo(spec, {
        ...(options.sources !== undefined ? { sources: options.sources } : {}),
        ...(options.loader !== undefined ? { loader: options.loader } : {}),
        ...(options.signal !== undefined ? { signal: options.signal } : {}),
        ...(options.allowRemote !== undefined ? { allowRemote: options.allowRemote } : {}),
        ...(options.rootDir !== undefined ? { rootDir: options.rootDir } : {}),
        ...(options.maxDocumentBytes !== undefined ? { maxDocumentBytes: options.maxDocumentBytes } : {}),
        strict: options.strict ?? false,
      });
  for (const name of Object.keys(options.servers ?? {})) {
    if (!loaded.sources.has(name) && !loaded.document.sourceDescriptions.some((s) => s.name === name)) {
      const known = loaded.document.sourceDescriptions.map((s) => `"${s.name}"`).join(', ');
      throw new OptionsError(
        `servers: unknown source "${name}"; the document's sources are ${known || '(none)'}`,
      );
    }
  }

  const document = loaded.document;
  const workflowId = options.workflowId ?? document.workflows[0]?.workflowId ?? '';
  const workflow = document.workflows.find((w) => w.workflowId === workflowId);
  const masker = new Masker();
  for (const s of options.secrets ?? []) masker.add(s);
  for (const value of Object.values(options.auth ?? {})) {
    if (typeof value === 'string') masker.add(value);
    else for (const v of Object.values(value)) masker.add(v);
  }

  const failed = (error: RunError): Prepared => ({
    kind: 'result',
    result: {
      workflowId,
      status: 'failed',
      outputs: {},
      steps: [],
      error,
      diagnostics: loaded.diagnostics,
      durationMs: performance.now() - started,
    },
  });

  if (workflow === undefined) {
    const known = document.workflows.map((w) => `"${w.workflowId}"`).join(', ');
    return failed({
      code: 'WORKFLOW_NOT_FOUND',
      message: `workflow "${workflowId}" is not in the document; it has ${known}`,
    });
  }

  for (const name of secretInputNames(workflow.inputs, document, isSecretInputName)) masker.add(inputs[name]);

  const checked = options.skipInputCheck
    ? { ok: true, value: inputs, problems: [] }
    : checkInputs(workflow.inputs, document, inputs);
  if (!checked.ok) {
    return failed({
      code: 'INPUTS_INVALID',
      workflowId,
      message: masker.text(`workflow "${workflowId}": ${checked.problems.join('; ')}`),
    });
  }

  const signals: AbortSignal[] = [];
  if (options.signal !== undefined) signals.push(options.signal);
  if (options.timeoutMs !== undefined) signals.push(AbortSignal.timeout(options.timeoutMs));
  // A run nobody can cancel shares one signal that never aborts: no AbortController per run, and the
  // transport registers no abort listener per request.
  const signal =
    signals.length === 0 ? NEVER_ABORTED : signals.length === 1 ? signals[0]! : AbortSignal.any(signals);
  const deadline = options.timeoutMs !== undefined ? started + options.timeoutMs : undefined;

  const ctx: RunContext = {
    root: loaded,
    options,
    masker,
    signal,
    cancellable: signal !== NEVER_ABORTED,
    maxSteps: options.maxSteps ?? DEFAULT_MAX_STEPS,
    maxRetryDelayMs: options.maxRetryDelayMs ?? DEFAULT_MAX_RETRY_DELAY_MS,
    compat: !(options.strict ?? false),
    ...(deadline !== undefined ? { deadline } : {}),
    sleep: options.sleep ?? defaultSleep,
    emit: (event) => {
      if (options.onEvent === undefined) return;
      try {
        options.onEvent(typeof event === 'function' ? event() : event);
      } catch {
        // A progress listener must not be able to break the run.
      }
    },
  };
  if (options.contract !== undefined && options.contract !== false) {
    const { createContractChecker } = await import('../contract/index.js');
    ctx.contract = createContractChecker(options.contract === true ? {} : options.contract);
  }
  return { kind: 'ready', loaded, ctx, workflow, inputs: checked.value };
}

/** The RunResult of a state whose root workflow has finished (or was stopped). */
export function finishRun(state: RunState, ctx: RunContext, started: number): RunResult {
  const result = state.result ?? {
    status: 'failed' as const,
    outputs: {},
    error: internal('the run ended without a result'),
  };
  const out: RunResult = {
    workflowId: state.rootWorkflowId,
    status: result.status,
    outputs: ctx.masker.value(result.outputs) as Record<string, unknown>,
    steps: state.records,
    diagnostics: ctx.root.diagnostics,
    durationMs: performance.now() - started,
  };
  if (result.error !== undefined)
    out.error = { ...result.error, message: ctx.masker.text(result.error.message) };
  return out;
}

/**
 * Run one workflow of an Arazzo document.
 *
 * Resolves with a RunResult whether the workflow succeeds or fails; rejects only when the document is
 * unusable (DocumentError / UnreadableDocumentError with diagnostics) or options are invalid (OptionsError).
 *
 * @example
 * const result = await runWorkflow('./pets.arazzo.yaml', { petId: 1 }, { servers: { petStore: 'http://localhost:4010' } });
 */
export async function runWorkflow(
  spec: string | URL | LoadedDocument,
  inputs: Record<string, unknown> = {},
  options: RunOptions = {},
): Promise<RunResult> {
  const started = performance.now();
  const prepared = await prepareRun(spec, inputs, options, started);
  if (prepared.kind === 'result') return prepared.result;
  const state = initialState(prepared.workflow, prepared.inputs);
  await drive(state, prepared.ctx);
  return finishRun(state, prepared.ctx, started);
}

function internal(message: string): RunError {
  return { code: 'INTERNAL', message };
}

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

/** `$sourceDescriptions.<name>.*` of a document: built once per loaded document. */
function sourceDescriptionsScope(loaded: LoadedDocument): Record<string, Record<string, unknown>> {
  let scope = sourceScopes.get(loaded);
  if (scope === undefined) {
    scope = {};
    for (const s of loaded.document.sourceDescriptions) {
      const resolved = loaded.sources.get(s.name);
      scope[s.name] = { name: s.name, url: resolved?.url ?? s.url, type: s.type ?? 'openapi' };
    }
    sourceScopes.set(loaded, scope);
  }
  return scope;
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
  return scope;
}

/** The step loop: one iteration per attempt or frame transition, bounded by the step budget. */
export async function drive(state: RunState, ctx: RunContext): Promise<{ suspendedForMs?: number }> {
  try {
    while (state.frames.length > 0) {
      const frame = state.frames[state.frames.length - 1]!;
      if (frame.ended !== undefined) {
        finishFrame(state, ctx, frame);
        if (state.frames.length > 0) await ctx.checkpoint?.(state);
        continue;
      }
      checkSignal(ctx);
      if (frame.pendingDelayMs !== undefined) {
        const ms = frame.pendingDelayMs;
        delete frame.pendingDelayMs;
        if (ctx.suspendRetryOverMs !== undefined && ms >= ctx.suspendRetryOverMs) {
          // The caller waits (e.g. a delayed job) and resumes from this state; the wait counts as honoured.
          await ctx.checkpoint?.(state);
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
      const { workflow, index: wfIndex } = frameWorkflow(ctx, frame);
      if (frame.stepIndex === 0 && frame.attempt === 1 && Object.keys(frame.steps).length === 0) {
        ctx.emit(() => ({
          type: 'workflow-start',
          workflowId: frame.workflowId,
          inputs: ctx.masker.value(frame.inputs) as Record<string, unknown>,
          depth: frame.depth,
        }));
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
        await ctx.checkpoint?.(state);
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
      const attempt = await runOperationAttempt(stepCtx);
      if (ctx.signal.aborted) checkSignal(ctx);
      afterAttempt(state, ctx, frame, workflow, step, attempt);
      await ctx.checkpoint?.(state);
    }
  } catch (error) {
    if (!(error instanceof RunStop)) throw error;
    stopRun(state, ctx, error.error);
  }
  await ctx.checkpoint?.(state);
  return {};
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
  const { workflow } = frameWorkflow(ctx, frame);
  return evaluateOutputs(workflow.outputs, frameScope(ctx, state, frame));
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
  // Parameters of a workflowId step are the child's inputs (spec: Parameter Object `in` is omitted for them).
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
  const components = (documentAt(ctx, docPath) ?? ctx.root).document.components;
  const inputs: Record<string, unknown> = {};
  for (const p of effectiveParameters(workflow.parameters, step.parameters, components)) {
    if (p.in !== undefined) continue;
    const value = resolveStepValue(p.value, scope);
    if (value.resolved)
      Object.defineProperty(inputs, p.name, {
        value: value.value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
  }
  return inputs;
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
        step.outputs === undefined ? { outputs, warnings: [] } : evaluateOutputs(step.outputs, scope);
      parent.steps[step.stepId] = { outputs: stepOutputs.outputs };
      record.outputs = ctx.masker.value(stepOutputs.outputs) as Record<string, unknown>;
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
      message: failed.length > 0 ? failed.join('; ') : transition.reason,
    };
  }
  pushRecord(state, ctx, record);
  ctx.emit({ type: 'action', workflowId: frame.workflowId, stepId: step.stepId, action });

  switch (transition.type) {
    case 'next':
      enterStep(frame, frame.stepIndex + 1);
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
      const checked = checkInputs(target.workflow.inputs, target.document, frame.inputs);
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
          const checked = checkInputs(target.workflow.inputs, target.document, frame.inputs);
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
  ctx.emit({ type: 'step-end', record });
}
