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

/** Build the renderer-neutral graph of one workflow (the first one when `workflowId` is omitted). */
export function buildWorkflowGraph(document: ArazzoDocument, workflowId?: string): WorkflowGraph {
  const workflow = pickWorkflow(document, workflowId);
  const steps = Array.isArray(workflow.steps) ? workflow.steps : [];
  const stepIds = new Set(steps.map((s) => s.stepId));
  const nodes: GraphNode[] = [];
  const extra = new Map<string, GraphNode>(); // goto-workflow targets and missing steps, first-use order
  const edges: GraphEdge[] = [];
  let usesFailed = false;

  const edge = (from: string, to: string, kind: GraphEdge['kind'], label?: string, action?: string): void => {
    if (to === FAILED) usesFailed = true;
    const e: GraphEdge = { from, to, kind };
    if (label !== undefined) e.label = label;
    if (action !== undefined) e.action = action;
    edges.push(e);
  };
  const stepTarget = (stepId: string): string => {
    if (stepIds.has(stepId)) return stepKey(stepId);
    const key = `missing:${stepId}`;
    if (!extra.has(key))
      extra.set(key, { key, kind: 'missing', lines: [`missing step: ${shorten(stepId, 48)}`] });
    return key;
  };
  const workflowTarget = (id: string): string => {
    const key = `workflow:${id}`;
    if (!extra.has(key)) extra.set(key, { key, kind: 'workflow', lines: [workflowLabel(id)] });
    return key;
  };
  /** Where a goto (or a retry's detour) leads; undefined when it names no target. */
  const gotoTarget = (action: Action): string | undefined => {
    if (typeof action.stepId === 'string') return stepTarget(action.stepId);
    if (typeof action.workflowId === 'string') return workflowTarget(action.workflowId);
    return undefined;
  };

  for (const dep of Array.isArray(workflow.dependsOn) ? workflow.dependsOn : []) {
    nodes.push({ key: `dependency:${dep}`, kind: 'dependency', lines: [dependencyLabel(dep)] });
    edge(`dependency:${dep}`, START, 'dependsOn');
  }
  nodes.push({ key: START, kind: 'start', lines: ['Start'] });
  edge(START, steps[0] === undefined ? END : stepKey(steps[0].stepId), 'start');

  steps.forEach((step, index) => {
    const key = stepKey(step.stepId);
    const target = stepTargetLabel(step);
    const lines = target === undefined ? [step.stepId] : [step.stepId, target];
    if (typeof step.timeout === 'number') lines.push(timeoutLabel(step.timeout));
    const node: GraphNode = { key, kind: 'step', lines };
    if (typeof step.workflowId === 'string') node.callsWorkflow = true;
    nodes.push(node);
    // 1.1 step dependsOn: the step waits for each named step (dotted, like workflow dependencies).
    for (const entry of Array.isArray(step.dependsOn) ? step.dependsOn : []) {
      const dep = parseStepDependency(entry);
      if (dep?.kind === 'local') {
        edge(stepTarget(dep.stepId), key, 'dependsOn', 'dependsOn');
      } else if (dep?.kind === 'workflow' && dep.workflowId === workflow.workflowId) {
        edge(stepTarget(dep.stepId), key, 'dependsOn', 'dependsOn');
      } else {
        const depKey = `dependency:${entry}`;
        if (!extra.has(depKey))
          extra.set(depKey, { key: depKey, kind: 'dependency', lines: [stepDependencyLabel(entry)] });
        edge(depKey, key, 'dependsOn');
      }
    }
    const next = steps[index + 1];
    const nextKey = next === undefined ? END : stepKey(next.stepId);

    const onSuccess = effectiveActions(document, step.onSuccess, workflow.successActions, 'successActions');
    let successCovered = false;
    for (const action of onSuccess) {
      const criteria = criteriaLabel(action.criteria);
      if (action.type === 'end') {
        edge(key, END, 'success', actionLabel(action.name, undefined, criteria), action.name);
      } else if (action.type === 'goto') {
        const to = gotoTarget(action) ?? nextKey;
        edge(key, to, 'success', actionLabel(action.name, undefined, criteria), action.name);
      } else continue;
      if (isUnconditional(action.criteria)) successCovered = true;
    }
    // No matching success action (or none at all) falls through to the next step in order.
    if (!successCovered) edge(key, nextKey, 'next', onSuccess.length > 0 ? 'otherwise' : undefined);

    const onFailure = effectiveActions(
      document,
      withCompatRetry(step),
      workflow.failureActions,
      'failureActions',
    );
    let failureCovered = false;
    for (const action of onFailure) {
      const criteria = criteriaLabel(action.criteria);
      if (action.type === 'retry') {
        const retry = retryLabel(action.retryLimit, action.retryAfter);
        const detour = gotoTarget(action);
        const label =
          detour === undefined
            ? actionLabel(action.name, retry, criteria)
            : actionLabel(action.name, `run, then ${retry}`, criteria);
        edge(key, detour ?? key, 'retry', label, action.name);
        // Retries exhausted: later actions or the default failure apply, so a retry never covers.
        continue;
      }
      if (action.type === 'end') {
        edge(key, FAILED, 'failure', actionLabel(action.name, undefined, criteria), action.name);
      } else if (action.type === 'goto') {
        const to = gotoTarget(action) ?? FAILED;
        edge(key, to, 'failure', actionLabel(action.name, undefined, criteria), action.name);
      } else continue;
      if (isUnconditional(action.criteria)) failureCovered = true;
    }
    if (!failureCovered) edge(key, FAILED, 'failure', 'failure');
  });

  nodes.push(...extra.values());
  nodes.push({ key: END, kind: 'end', lines: ['End'] });
  if (usesFailed) nodes.push({ key: FAILED, kind: 'failed', lines: ['Failed'] });
  return { workflowId: workflow.workflowId, nodes, edges };
}
