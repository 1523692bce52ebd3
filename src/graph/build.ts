// Arazzo 1.0.1 "Workflow Object", "Step Object", "Success Action Object", "Failure Action Object": control flow as a graph.
import type {
  ArazzoDocument,
  CriterionObject,
  FailureActionObject,
  ReusableObject,
  StepObject,
  SuccessActionObject,
  WorkflowObject,
} from '../document/model.js';
import { parseStepDependency } from '../document/model.js';
import { OptionsError } from '../errors.js';
import { isRecord } from '../own.js';
import {
  actionLabel,
  criteriaLabel,
  dependencyLabel,
  retryLabel,
  shorten,
  stepDependencyLabel,
  stepTargetLabel,
  timeoutLabel,
  workflowLabel,
} from './labels.js';
import type { GraphEdge, GraphNode, WorkflowGraph } from './types.js';

type Action = SuccessActionObject | FailureActionObject;
type ActionList = ReadonlyArray<Action | ReusableObject> | undefined;

export const START = 'start';
export const END = 'end';
export const FAILED = 'failed';
export const stepKey = (stepId: string): string => `step:${stepId}`;

/** Resolve `$components.successActions.x` / `$components.failureActions.x`; undefined when it cannot be. */
function resolveAction(
  doc: ArazzoDocument,
  item: unknown,
  bucket: 'successActions' | 'failureActions',
): Action | undefined {
  if (!isRecord(item)) return undefined;
  if (typeof item.reference === 'string') {
    const prefix = `$components.${bucket}.`;
    if (!item.reference.startsWith(prefix)) return undefined;
    const found: unknown = doc.components?.[bucket]?.[item.reference.slice(prefix.length)];
    return isRecord(found) && typeof found.type === 'string' ? (found as unknown as Action) : undefined;
  }
  return typeof item.type === 'string' ? (item as unknown as Action) : undefined;
}

/**
 * The actions in force for a step: its own, then the workflow-level ones it does not override by name
 * (spec: workflow actions "can be overridden at the step level but cannot be removed there").
 */
function effectiveActions(
  doc: ArazzoDocument,
  own: ActionList,
  inherited: ActionList,
  bucket: 'successActions' | 'failureActions',
): Action[] {
  const mine = (own ?? []).map((a) => resolveAction(doc, a, bucket)).filter((a) => a !== undefined);
  const names = new Set(mine.map((a) => a.name));
  const theirs = (inherited ?? [])
    .map((a) => resolveAction(doc, a, bucket))
    .filter((a) => a !== undefined && !names.has(a.name)) as Action[];
  return [...mine, ...theirs];
}

/**
 * Step-level `retryAfter` / `retryLimit` (a non-spec form) read as a trailing onFailure retry action named
 * 'retry', as the document compat rewrite does, so raw and normalized documents draw the same graph.
 */
function withCompatRetry(step: StepObject): ActionList {
  const raw = step as unknown as Record<string, unknown>;
  const own = step.onFailure;
  if (!Object.hasOwn(raw, 'retryAfter') && !Object.hasOwn(raw, 'retryLimit')) return own;
  const taken = new Set((own ?? []).map((a) => (isRecord(a) ? a.name : undefined)));
  let name = 'retry';
  for (let n = 2; taken.has(name); n++) name = `retry-${n}`;
  const action: FailureActionObject = { name, type: 'retry' };
  if (typeof raw.retryAfter === 'number') action.retryAfter = raw.retryAfter;
  if (typeof raw.retryLimit === 'number') action.retryLimit = raw.retryLimit;
  return [...(own ?? []), action];
}

function isUnconditional(criteria: readonly CriterionObject[] | undefined): boolean {
  return criteria === undefined || criteria.length === 0;
}

function pickWorkflow(document: ArazzoDocument, workflowId: string | undefined): WorkflowObject {
  const workflows = Array.isArray(document.workflows) ? document.workflows : [];
  const found = workflowId === undefined ? workflows[0] : workflows.find((w) => w.workflowId === workflowId);
  if (found === undefined) {
    throw new OptionsError(
      workflowId === undefined
        ? 'graph: the document has no workflows'
        : `graph: workflow "${workflowId}" is not in the document (have: ${workflows.map((w) => w.workflowId).join(', ') || 'none'})`,
    );
  }
  return found;
}

/** The graph of one workflow as it is collected. */
interface GraphBuilder {
  document: ArazzoDocument;
  workflow: WorkflowObject;
  stepIds: Set<string>;
  nodes: GraphNode[];
  /** goto-workflow targets and missing steps, in first-use order. */
  extra: Map<string, GraphNode>;
  edges: GraphEdge[];
  usesFailed: boolean;
}

function addEdge(
  b: GraphBuilder,
  from: string,
  to: string,
  kind: GraphEdge['kind'],
  label?: string,
  action?: string,
): void {
  if (to === FAILED) b.usesFailed = true;
  const e: GraphEdge = { from, to, kind };
  if (label !== undefined) e.label = label;
  if (action !== undefined) e.action = action;
  b.edges.push(e);
}

/** A step's node key, or a `missing` node's when the workflow has no such step. */
function stepTarget(b: GraphBuilder, stepId: string): string {
  if (b.stepIds.has(stepId)) return stepKey(stepId);
  const key = `missing:${stepId}`;
  if (!b.extra.has(key))
    b.extra.set(key, { key, kind: 'missing', lines: [`missing step: ${shorten(stepId, 48)}`] });
  return key;
}

function workflowTarget(b: GraphBuilder, id: string): string {
  const key = `workflow:${id}`;
  if (!b.extra.has(key)) b.extra.set(key, { key, kind: 'workflow', lines: [workflowLabel(id)] });
  return key;
}

/** Where a goto (or a retry's detour) leads; undefined when it names no target. */
function gotoTarget(b: GraphBuilder, action: Action): string | undefined {
  if (typeof action.stepId === 'string') return stepTarget(b, action.stepId);
  if (typeof action.workflowId === 'string') return workflowTarget(b, action.workflowId);
  return undefined;
}

/** The workflow's dependencies, each a node with an edge into Start. */
function addWorkflowDependencies(b: GraphBuilder): void {
  for (const dep of Array.isArray(b.workflow.dependsOn) ? b.workflow.dependsOn : []) {
    b.nodes.push({ key: `dependency:${dep}`, kind: 'dependency', lines: [dependencyLabel(dep)] });
    addEdge(b, `dependency:${dep}`, START, 'dependsOn');
  }
}

function addStepNode(b: GraphBuilder, step: StepObject): string {
  const key = stepKey(step.stepId);
  const target = stepTargetLabel(step);
  const lines = target === undefined ? [step.stepId] : [step.stepId, target];
  if (typeof step.timeout === 'number') lines.push(timeoutLabel(step.timeout));
  const node: GraphNode = { key, kind: 'step', lines };
  if (typeof step.workflowId === 'string') node.callsWorkflow = true;
  b.nodes.push(node);
  return key;
}

/** 1.1 step dependsOn: the step waits for each named step (dotted, like workflow dependencies). */
function addStepDependencies(b: GraphBuilder, step: StepObject, key: string): void {
  for (const entry of Array.isArray(step.dependsOn) ? step.dependsOn : []) {
    const dep = parseStepDependency(entry);
    if (dep?.kind === 'local') {
      addEdge(b, stepTarget(b, dep.stepId), key, 'dependsOn', 'dependsOn');
    } else if (dep?.kind === 'workflow' && dep.workflowId === b.workflow.workflowId) {
      addEdge(b, stepTarget(b, dep.stepId), key, 'dependsOn', 'dependsOn');
    } else {
      const depKey = `dependency:${entry}`;
      if (!b.extra.has(depKey))
        b.extra.set(depKey, { key: depKey, kind: 'dependency', lines: [stepDependencyLabel(entry)] });
      addEdge(b, depKey, key, 'dependsOn');
    }
  }
}

/**
 * The edge of an `end` or `goto` action: an end leads to `endKey`, a goto to its target (`fallback` when
 * it names none). False for any other action type, which draws no edge here.
 */
function addJumpEdge(
  b: GraphBuilder,
  from: string,
  action: Action,
  kind: 'success' | 'failure',
  endKey: string,
  fallback: string,
): boolean {
  const criteria = criteriaLabel(action.criteria);
  let to: string;
  if (action.type === 'end') to = endKey;
  else if (action.type === 'goto') to = gotoTarget(b, action) ?? fallback;
  else return false;
  addEdge(b, from, to, kind, actionLabel(action.name, undefined, criteria), action.name);
  return true;
}

function addSuccessEdges(b: GraphBuilder, step: StepObject, key: string, nextKey: string): void {
  const onSuccess = effectiveActions(b.document, step.onSuccess, b.workflow.successActions, 'successActions');
  let covered = false;
  for (const action of onSuccess) {
    if (addJumpEdge(b, key, action, 'success', END, nextKey) && isUnconditional(action.criteria))
      covered = true;
  }
  // No matching success action (or none at all) falls through to the next step in order.
  if (!covered) addEdge(b, key, nextKey, 'next', onSuccess.length > 0 ? 'otherwise' : undefined);
}

function addRetryEdge(b: GraphBuilder, key: string, action: FailureActionObject): void {
  const criteria = criteriaLabel(action.criteria);
  const retry = retryLabel(action.retryLimit, action.retryAfter);
  const detour = gotoTarget(b, action);
  const label =
    detour === undefined
      ? actionLabel(action.name, retry, criteria)
      : actionLabel(action.name, `run, then ${retry}`, criteria);
  addEdge(b, key, detour ?? key, 'retry', label, action.name);
}

function addFailureEdges(b: GraphBuilder, step: StepObject, key: string): void {
  const onFailure = effectiveActions(
    b.document,
    withCompatRetry(step),
    b.workflow.failureActions,
    'failureActions',
  );
  let covered = false;
  for (const action of onFailure) {
    if (action.type === 'retry') {
      addRetryEdge(b, key, action);
      // Retries exhausted: later actions or the default failure apply, so a retry never covers.
      continue;
    }
    if (addJumpEdge(b, key, action, 'failure', FAILED, FAILED) && isUnconditional(action.criteria))
      covered = true;
  }
  if (!covered) addEdge(b, key, FAILED, 'failure', 'failure');
}

/** Build the renderer-neutral graph of one workflow (the first one when `workflowId` is omitted). */
export function buildWorkflowGraph(document: ArazzoDocument, workflowId?: string): WorkflowGraph {
  const workflow = pickWorkflow(document, workflowId);
  const steps = Array.isArray(workflow.steps) ? workflow.steps : [];
  const b: GraphBuilder = {
    document,
    workflow,
    stepIds: new Set(steps.map((s) => s.stepId)),
    nodes: [],
    extra: new Map(),
    edges: [],
    usesFailed: false,
  };
  addWorkflowDependencies(b);
  b.nodes.push({ key: START, kind: 'start', lines: ['Start'] });
  addEdge(b, START, steps[0] === undefined ? END : stepKey(steps[0].stepId), 'start');
  steps.forEach((step, index) => {
    const key = addStepNode(b, step);
    addStepDependencies(b, step, key);
    const next = steps[index + 1];
    addSuccessEdges(b, step, key, next === undefined ? END : stepKey(next.stepId));
    addFailureEdges(b, step, key);
  });
  b.nodes.push(...b.extra.values());
  b.nodes.push({ key: END, kind: 'end', lines: ['End'] });
  if (b.usesFailed) b.nodes.push({ key: FAILED, kind: 'failed', lines: ['Failed'] });
  return { workflowId: workflow.workflowId, nodes: b.nodes, edges: b.edges };
}
