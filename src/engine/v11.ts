// Arazzo 1.1.0: what the engine does for 1.1 documents only (the document's `arazzo` major.minor selects it).
import { evaluateSelector, type JsonPathVersion, jsonPathPointers } from '../criteria/index.js';
import {
  type ArazzoDocument,
  isSelectorObject,
  parseStepDependency,
  type StepObject,
  specVersionOf,
  type WorkflowObject,
} from '../document/model.js';
import type { ExpressionScope, ResolveValueOptions } from '../expression/index.js';
import { setOwn } from '../own.js';
import type { LoadedDocument } from '../sources/types.js';

/** True for a document read by the 1.1 rules (`arazzo: 1.1.x`); the patch number is ignored. */
export function isV11(doc: ArazzoDocument): boolean {
  return specVersionOf(doc) === '1.1';
}

/** The Selector Object evaluator for document values of a 1.1 document; undefined (objects are literals) for 1.0. */
export function objectEvaluator(
  doc: ArazzoDocument,
  scope: ExpressionScope,
): ResolveValueOptions['evaluateObject'] {
  if (!isV11(doc)) return undefined;
  return (value) => (isSelectorObject(value) ? evaluateSelector(value, scope) : undefined);
}

/**
 * `$self` of a 1.1 document: its base URI (the `$self` field resolved against the retrieval URI, or that URI
 * when the field is absent), as the loader computed it.
 */
export function selfUri(loaded: LoadedDocument): string {
  return loaded.baseUri;
}

/**
 * `$sourceDescriptions.<name>.<reference>` entries of a 1.1 document (spec "Source Description Expression
 * Resolution"): operationIds of an OpenAPI source, or workflowIds of an Arazzo source, win over the Source
 * Description Object's fields. An operation reads as `{operationId, method, path, url}` (its document URL
 * with the operation's JSON Pointer), a workflow as `{workflowId, url}`.
 */
export function sourceEntries(loaded: LoadedDocument, name: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const source = loaded.sources.get(name);
  if (source?.kind === 'openapi') {
    for (const op of source.allOperations()) {
      if (op.operationId === undefined || Object.hasOwn(out, op.operationId)) continue;
      setOwn(out, op.operationId, {
        operationId: op.operationId,
        method: op.method.toUpperCase(),
        path: op.path,
        url: `${op.documentUrl}#${op.pointer}`,
      });
    }
  } else if (source?.kind === 'arazzo') {
    for (const wf of source.loaded.document.workflows) {
      setOwn(out, wf.workflowId, { workflowId: wf.workflowId, url: source.url });
    }
  }
  return out;
}

/** The selector type of a replacement target: `targetSelectorType` or, when absent, JSON Pointer / XPath by body. */
export type TargetType =
  | { kind: 'jsonpointer' }
  | { kind: 'jsonpath'; version: JsonPathVersion }
  | { kind: 'xpath'; version: string };

export function targetType(
  declared: string | { type: string; version?: string } | undefined,
  contentType: string | undefined,
): TargetType {
  const name = typeof declared === 'string' ? declared : declared?.type;
  const version = typeof declared === 'object' ? declared.version : undefined;
  if (name === 'jsonpath') {
    return {
      kind: 'jsonpath',
      version: version === 'draft-goessner-dispatch-jsonpath-00' ? version : 'rfc9535',
    };
  }
  if (name === 'xpath') return { kind: 'xpath', version: version ?? 'xpath-31' };
  if (name === 'jsonpointer') return { kind: 'jsonpointer' };
  return contentType !== undefined && /[/+]xml\b/i.test(contentType)
    ? { kind: 'xpath', version: 'xpath-31' }
    : { kind: 'jsonpointer' };
}

/** JSON Pointers for a JSONPath replacement target in a JSON payload (every selected node; none when it selects nothing). */
export function jsonPathTargets(version: JsonPathVersion, target: string, payload: unknown): string[] {
  let json = payload;
  if (typeof json === 'string') {
    try {
      json = JSON.parse(json) as unknown;
    } catch {
      return [];
    }
  }
  return jsonPathPointers(version, target, json);
}

/** Step `timeout` in ms of a 1.1 document's step; undefined for 1.0 documents and steps without one. */
export function stepTimeoutMs(doc: ArazzoDocument, step: StepObject): number | undefined {
  if (!isV11(doc)) return undefined;
  const t = step.timeout;
  return typeof t === 'number' && Number.isFinite(t) && t >= 0 ? t : undefined;
}

/** How a 1.1 workflow's steps run in sequence: an order satisfying every step dependency. */
export interface StepPlan {
  /** Step indices in execution order (a permutation of the workflow's steps). */
  order: number[];
  /** Workflows whose steps some step depends on (`$workflows.<id>.steps.<stepId>` forms): run them first. */
  workflows: string[];
}

const STEP_OUTPUT_REF = /\$steps\.([A-Za-z0-9_-]+)\.outputs\b/g;
const plans = new WeakMap<WorkflowObject, StepPlan | null>();

/** Step ids a step depends on: its `dependsOn` entries and every `$steps.<id>.outputs` it reads. */
function dependenciesOf(step: StepObject, ids: ReadonlySet<string>, workflows: Set<string>): Set<string> {
  const deps = new Set<string>();
  for (const entry of step.dependsOn ?? []) {
    const dep = parseStepDependency(entry);
    if (dep?.kind === 'local') deps.add(dep.stepId);
    else if (dep?.kind === 'workflow') workflows.add(dep.workflowId);
    else if (dep?.kind === 'source') workflows.add(`$sourceDescriptions.${dep.sourceName}.${dep.workflowId}`);
  }
  // Implicit dependencies (spec "Step Dependencies and Execution Order"): any output reference, wherever it
  // is written (parameters, payload, criteria, actions, selectors).
  for (const m of JSON.stringify(step).matchAll(STEP_OUTPUT_REF)) deps.add(m[1]!);
  deps.delete(step.stepId);
  for (const d of deps) if (!ids.has(d)) deps.delete(d);
  return deps;
}

/**
 * The execution order of a 1.1 workflow: document order, except that a step runs only after the steps it
 * depends on (a stable topological order: among the steps that may run, the earliest in the document
 * first). When only steps on a cycle are left, they run in document order (the validator reports the cycle). Undefined for 1.0
 * documents and for workflows whose document order already satisfies every dependency and that depend on
 * no other workflow's steps.
 */
export function stepPlan(doc: ArazzoDocument, workflow: WorkflowObject): StepPlan | undefined {
  if (!isV11(doc)) return undefined;
  let plan = plans.get(workflow);
  if (plan === undefined) {
    const steps = workflow.steps;
    const ids = new Set(steps.map((s) => s.stepId));
    const workflows = new Set<string>();
    const deps = steps.map((s) => dependenciesOf(s, ids, workflows));
    const done = new Set<string>();
    const order: number[] = [];
    const placed = new Set<number>();
    while (order.length < steps.length) {
      let next = steps.findIndex((_s, i) => !placed.has(i) && [...deps[i]!].every((d) => done.has(d)));
      // A cycle: the earliest step not yet placed runs next.
      if (next < 0) next = steps.findIndex((_, i) => !placed.has(i));
      placed.add(next);
      order.push(next);
      done.add(steps[next]!.stepId);
    }
    const identity = order.every((v, i) => v === i);
    plan = identity && workflows.size === 0 ? null : { order, workflows: [...workflows] };
    plans.set(workflow, plan);
  }
  return plan ?? undefined;
}

/** The step index after `current` in a plan's order (the step count when `current` is the last). */
export function nextInPlan(plan: StepPlan | undefined, current: number, stepCount: number): number {
  if (plan === undefined) return current + 1;
  const at = plan.order.indexOf(current);
  return at < 0 || at + 1 >= plan.order.length ? stepCount : plan.order[at + 1]!;
}
