// Arazzo 1.0.1 "Workflow Object": the frames of the step loop — which workflow a frame runs, its scope,
// starting a dependency, child or goto/retry target frame, and ending a frame.
import type {
  ArazzoDocument,
  ParameterObject,
  ReusableObject,
  StepObject,
  WorkflowObject,
} from '../document/model.js';
import type { ResolveValueOptions } from '../expression/index.js';
import type { ExpressionScope } from '../expression/types.js';
import { setOwn } from '../own.js';
import type { LoadedDocument } from '../sources/types.js';
import { internal, type RunContext, RunStop } from './context.js';
import { checkInputs } from './inputs.js';
import { type EffectiveParameter, effectiveParameters } from './parameters.js';
import type { Frame, ReturnMode, RunState } from './state.js';
import { workflowKey } from './state.js';
import { evaluateOutputs, resolveStepValue } from './step.js';
import type { RunErrorCode, RunEvent } from './types.js';
import { isV11, objectEvaluator, selfUri, sourceEntries } from './v11.js';

/** A workflow found by reference, with the document that holds it. */
interface WorkflowTarget {
  docPath: string[];
  workflow: WorkflowObject;
  document: ArazzoDocument;
}

type Ended = NonNullable<Frame['ended']>;

export function newFrame(
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
export function documentAt(ctx: RunContext, docPath: readonly string[]): LoadedDocument | undefined {
  let current: LoadedDocument = ctx.root;
  for (const name of docPath) {
    const source = current.sources.get(name);
    if (source === undefined || source.kind !== 'arazzo') return undefined;
    current = source.loaded;
  }
  return current;
}

/** Resolve a workflow reference (`id` or `$sourceDescriptions.<name>.<id>`) from a document. */
export function resolveWorkflowRef(
  ctx: RunContext,
  docPath: readonly string[],
  ref: string,
): WorkflowTarget | undefined {
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
export function frameDocument(ctx: RunContext, frame: Frame): ArazzoDocument {
  return (documentAt(ctx, frame.docPath) ?? ctx.root).document;
}

export function frameWorkflow(
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

/** A frame's workflow outputs, as far as they resolve. */
export function workflowOutputs(
  state: RunState,
  ctx: RunContext,
  frame: Frame,
): { outputs: Record<string, unknown>; warnings: string[] } {
  const { workflow, loaded } = frameWorkflow(ctx, frame);
  const scope = frameScope(ctx, state, frame);
  return evaluateOutputs(workflow.outputs, scope, objectEvaluator(loaded.document, scope));
}

/** Enter a step anew (by `next` or `goto`): its first attempt, its retry counters reset. */
export function enterStep(frame: Frame, index: number): void {
  frame.stepIndex = index;
  frame.attempt = 1;
  frame.retryUsed = {};
}

/**
 * End a frame as failed. The error of a step's failure names the step (`STEP_FAILED`); that of a
 * dependency names only the workflow (`DEPENDENCY_FAILED`).
 */
export function failFrame(frame: Frame, code: RunErrorCode, message: string, stepId?: string): void {
  frame.ended = {
    status: 'failed',
    error:
      stepId === undefined
        ? { code, workflowId: frame.workflowId, message }
        : { code, stepId, workflowId: frame.workflowId, message },
  };
}

function pushFrame(
  state: RunState,
  parent: Frame,
  target: WorkflowTarget,
  inputs: Record<string, unknown>,
  mode: ReturnMode,
): void {
  state.frames.push(newFrame(target.docPath, target.workflow, inputs, mode, parent.depth + 1));
}

/** Start the next `dependsOn` workflow of a frame, or fail the frame when it cannot start. */
export function startDependency(state: RunState, ctx: RunContext, frame: Frame, ref: string): void {
  const target = resolveWorkflowRef(ctx, frame.docPath, ref);
  if (target === undefined) {
    failFrame(
      frame,
      'DEPENDENCY_FAILED',
      `dependsOn "${ref}" of workflow "${frame.workflowId}" does not name a workflow`,
    );
    return;
  }
  if (state.workflows[workflowKey(target.docPath, target.workflow.workflowId)] !== undefined) return;
  // Decision (README "Semantics"): a dependency runs once per run, with the dependent workflow's inputs.
  const checked = checkInputs(target.workflow.inputs, target.document, frame.inputs);
  if (!checked.ok) {
    failFrame(
      frame,
      'DEPENDENCY_FAILED',
      `dependsOn workflow "${target.workflow.workflowId}": ${checked.problems.join('; ')}`,
    );
    return;
  }
  pushFrame(state, frame, target, checked.value, 'dependency');
}

/**
 * Start the child workflow of a `workflowId` step. Returns why the step fails when the child cannot
 * start (unknown workflow, inputs its schema refuses); the caller judges that as the step's attempt.
 */
export function startChildFrame(
  state: RunState,
  ctx: RunContext,
  frame: Frame,
  workflow: WorkflowObject,
  step: StepObject,
  pointer: string,
): string | undefined {
  const ref = step.workflowId!;
  const target = resolveWorkflowRef(ctx, frame.docPath, ref);
  ctx.emit({
    type: 'step-start',
    workflowId: frame.workflowId,
    stepId: step.stepId,
    attempt: frame.attempt,
    operation: `workflow ${ref}`,
  });
  if (target === undefined)
    return `step "${step.stepId}" (${pointer}): workflow "${ref}" is not in the document`;
  // Parameters of a workflowId step are the child's inputs (spec: Parameter Object `in`).
  const scope = frameScope(ctx, state, frame);
  const childInputs = childInputsFromParameters(workflow, step, scope, ctx, frame.docPath);
  const checked = checkInputs(target.workflow.inputs, target.document, childInputs);
  if (!checked.ok) return `child workflow "${target.workflow.workflowId}": ${checked.problems.join('; ')}`;
  pushFrame(state, frame, target, checked.value, 'step');
  frame.childStartedAt = performance.now();
  return undefined;
}

/**
 * Start the workflow a goto or retry action names (spec "Success Action Object" / "Failure Action
 * Object" `workflowId`). Its inputs get the defaults of its own schema. Returns false when the
 * reference names no workflow.
 */
export function startActionTarget(
  state: RunState,
  ctx: RunContext,
  frame: Frame,
  ref: string,
  parameters: ReadonlyArray<ParameterObject | ReusableObject> | undefined,
  scope: ExpressionScope,
  mode: 'goto-workflow' | 'retry-detour',
): boolean {
  const target = resolveWorkflowRef(ctx, frame.docPath, ref);
  if (target === undefined) return false;
  const given = actionTargetInputs(frame, frameDocument(ctx, frame), parameters, scope);
  const checked = checkInputs(target.workflow.inputs, target.document, given);
  pushFrame(state, frame, target, checked.value, mode);
  return true;
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

/** Pop an ended frame: record its outputs as `$workflows.<id>` and announce its end. */
export function popFrame(
  state: RunState,
  ctx: RunContext,
  frame: Frame,
): { outputs: Record<string, unknown>; warnings: string[] } {
  const ended = frame.ended!;
  const result = workflowOutputs(state, ctx, frame);
  const outputs = result.outputs;
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
  return result;
}

/** The root workflow ended: its result is the run's; output warnings go to the last step record. */
export function endRun(
  state: RunState,
  ended: Ended,
  outputs: Record<string, unknown>,
  warnings: readonly string[],
): void {
  state.result = { status: ended.status, outputs };
  if (ended.error !== undefined) state.result.error = ended.error;
  if (warnings.length > 0 && state.records.length > 0) {
    const last = state.records[state.records.length - 1]!;
    last.warnings = [...(last.warnings ?? []), ...warnings.map((w) => `workflow output ${w}`)];
  }
}

/** A failed `dependsOn` workflow fails the workflow that depends on it. */
export function failDependent(parent: Frame, dependency: Frame, ended: Ended): void {
  if (ended.status !== 'failed') return;
  failFrame(
    parent,
    'DEPENDENCY_FAILED',
    `dependsOn workflow "${dependency.workflowId}" failed${ended.error ? `: ${ended.error.message}` : ''}`,
  );
}

/** Decision (README "Semantics"): after a goto to a workflow, the workflow that went there ends with its status. */
export function endWithTarget(parent: Frame, ended: Ended): void {
  parent.ended =
    ended.error === undefined ? { status: ended.status } : { status: ended.status, error: ended.error };
}
