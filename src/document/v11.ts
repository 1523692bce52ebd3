// Arazzo 1.1.0 "Step Object" (dependsOn, timeout, AsyncAPI fields), "Parameter Object", "Selector Object",
// "Expression Type Object": 1.1 fields met in 1.0.x documents, and the 1.1 rules the schema cannot express.

import { isRecord } from '../own.js';
import { childPointer, readPointer } from '../pointer.js';
import type { CompatReport } from './compat.js';
import { EXPRESSION_TYPE_VERSIONS, parseStepDependency, type SelectorType } from './model.js';
import type { Reporter } from './semantic.js';
import { own } from './subject.js';

type Obj = Record<string, unknown>;

function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}
function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

const STEP_FIELDS_11 = ['timeout', 'dependsOn', 'channelPath', 'action', 'correlationId'] as const;
const LOCATIONS_11 = new Set(['querystring', 'channel']);
/** Expression Type versions that only 1.1 knows (1.0 had goessner JSONPath and XPath 1.0-3.0). */
const VERSIONS_11 = new Set(['rfc9535', 'xpath-31', 'rfc6901']);

/** Where a 1.1-only feature is used, and what it is (for the compat message). */
interface Use11 {
  pointer: string;
  what: string;
}

const WORKFLOW_ACTIONS = ['successActions', 'failureActions'] as const;
const STEP_ACTIONS = ['onSuccess', 'onFailure'] as const;

/** Calls `fn` with each item of the list at `pointer` (nothing when it is not a list) and its pointer. */
function eachItem(list: unknown, pointer: string, fn: (item: unknown, p: string) => void): void {
  arr(list).forEach((item, i) => {
    fn(item, childPointer(pointer, i));
  });
}

function eachWorkflow(doc: unknown, fn: (workflow: unknown, p: string) => void): void {
  eachItem(own(doc, 'workflows'), '/workflows', fn);
}

function eachStep(workflow: unknown, wp: string, fn: (step: unknown, p: string) => void): void {
  eachItem(own(workflow, 'steps'), childPointer(wp, 'steps'), fn);
}

/** The actions of a workflow (`successActions`, `failureActions`) or a step (`onSuccess`, `onFailure`). */
function eachAction(
  holder: unknown,
  p: string,
  fields: readonly [string, string],
  fn: (action: unknown, p: string) => void,
): void {
  for (const field of fields) eachItem(own(holder, field), childPointer(p, field), fn);
}

/** The reusable actions under `components`, by name. */
function eachComponentAction(doc: unknown, fn: (action: unknown, p: string) => void): void {
  const components = own(doc, 'components');
  for (const kind of WORKFLOW_ACTIONS) {
    const map = own(components, kind);
    if (!isRecord(map)) continue;
    for (const name of Object.keys(map)) fn(map[name], childPointer('', 'components', kind, name));
  }
}

/** Collects the uses of 1.1-only features, by the kind of object they appear in. */
class Uses11 {
  readonly found: Use11[] = [];

  add(pointer: string, what: string): void {
    this.found.push({ pointer, what });
  }

  /** Parameter locations `querystring` and `channel`. */
  parameterIn(param: unknown, p: string): void {
    const loc = str(own(param, 'in'));
    if (loc !== undefined && LOCATIONS_11.has(loc))
      this.add(childPointer(p, 'in'), `parameter location "${loc}"`);
  }

  parameters(list: unknown, p: string): void {
    eachItem(list, p, (param, pp) => this.parameterIn(param, pp));
  }

  /** Selector Object outputs. */
  outputs(map: unknown, p: string): void {
    if (!isRecord(map)) return;
    for (const key of Object.keys(map)) {
      if (isRecord(map[key])) this.add(childPointer(p, key), 'a Selector Object output');
    }
  }

  /** `jsonpointer` criteria and Expression Type versions only 1.1 knows. */
  criteria(list: unknown, p: string): void {
    eachItem(list, p, (c, cp) => {
      const type = own(c, 'type');
      const version = str(own(type, 'version'));
      if (own(type, 'type') === 'jsonpointer' || (version !== undefined && VERSIONS_11.has(version))) {
        this.add(childPointer(cp, 'type'), 'this Expression Type Object');
      }
    });
  }

  actionParameters(action: unknown, p: string): void {
    if (own(action, 'parameters') !== undefined)
      this.add(childPointer(p, 'parameters'), 'action "parameters"');
  }

  action(action: unknown, p: string): void {
    this.actionParameters(action, p);
    this.criteria(own(action, 'criteria'), childPointer(p, 'criteria'));
  }

  step(step: unknown, sp: string): void {
    for (const field of STEP_FIELDS_11) {
      if (own(step, field) !== undefined) this.add(childPointer(sp, field), `step "${field}"`);
    }
    this.parameters(own(step, 'parameters'), childPointer(sp, 'parameters'));
    eachItem(
      own(own(step, 'requestBody'), 'replacements'),
      childPointer(sp, 'requestBody', 'replacements'),
      (rep, rp) => {
        if (own(rep, 'targetSelectorType') !== undefined) {
          this.add(childPointer(rp, 'targetSelectorType'), '"targetSelectorType"');
        }
      },
    );
    this.criteria(own(step, 'successCriteria'), childPointer(sp, 'successCriteria'));
    eachAction(step, sp, STEP_ACTIONS, (a, ap) => this.action(a, ap));
    this.outputs(own(step, 'outputs'), childPointer(sp, 'outputs'));
  }

  workflow(wf: unknown, wp: string): void {
    this.parameters(own(wf, 'parameters'), childPointer(wp, 'parameters'));
    eachAction(wf, wp, WORKFLOW_ACTIONS, (a, ap) => this.action(a, ap));
    eachStep(wf, wp, (step, sp) => this.step(step, sp));
    this.outputs(own(wf, 'outputs'), childPointer(wp, 'outputs'));
  }
}

/** Every use of a 1.1-only feature in a document, in document order. */
export function find11Features(doc: unknown): Use11[] {
  const uses = new Uses11();
  if (own(doc, '$self') !== undefined) uses.add('/$self', '"$self"');
  eachItem(own(doc, 'sourceDescriptions'), '/sourceDescriptions', (sd, p) => {
    if (own(sd, 'type') === 'asyncapi') uses.add(childPointer(p, 'type'), 'source type "asyncapi"');
  });
  eachWorkflow(doc, (wf, wp) => uses.workflow(wf, wp));
  const parameters = own(own(doc, 'components'), 'parameters');
  if (isRecord(parameters)) {
    for (const name of Object.keys(parameters)) {
      uses.parameterIn(parameters[name], childPointer('', 'components', 'parameters', name));
    }
  }
  eachComponentAction(doc, (a, ap) => uses.actionParameters(a, ap));
  return uses.found;
}

/**
 * A 1.0.x document that uses 1.1 fields is read as a 1.1.0 document (its `arazzo` field rewritten in the
 * private copy), each use reported as `compat-1.1-field`: a warning that says to declare 1.1.0, an error in
 * strict mode. Reading it by the 1.0 rules would reject every such field as unknown. Returns whether it did.
 */
export function rewrite11FieldsIn10(doc: unknown, report: CompatReport): boolean {
  const found = find11Features(doc);
  for (const f of found) {
    report(
      'compat-1.1-field',
      f.pointer,
      `${f.what} is an Arazzo 1.1 feature in a 1.0.x document; declare arazzo: 1.1.0 (read as a 1.1.0 document)`,
    );
  }
  if (found.length > 0 && isRecord(doc)) doc.arazzo = '1.1.0';
  return found.length > 0;
}

/** Calls `fn` for every Expression Type Object in a 1.1 document (criterion, selector and replacement types). */
function forEachExpressionType(doc: unknown, fn: (holder: Obj, key: string, pointer: string) => void): void {
  const typeField = (holder: unknown, key: string, p: string): void => {
    if (isRecord(holder) && isRecord(holder[key])) fn(holder[key] as Obj, key, childPointer(p, key));
  };
  const deep = (value: unknown, p: string): void => {
    if (Array.isArray(value)) {
      value.forEach((v, i) => {
        deep(v, childPointer(p, i));
      });
    } else if (isRecord(value)) {
      if (typeof value.selector === 'string' && typeof value.context === 'string')
        typeField(value, 'type', p);
      for (const k of Object.keys(value)) if (k !== 'type') deep(value[k], childPointer(p, k));
    }
  };
  const criteria = (list: unknown, p: string): void => {
    eachItem(list, p, (c, cp) => typeField(c, 'type', cp));
  };
  const action = (a: unknown, ap: string): void => {
    criteria(own(a, 'criteria'), childPointer(ap, 'criteria'));
    deep(own(a, 'parameters'), childPointer(ap, 'parameters'));
  };
  const step = (s: unknown, sp: string): void => {
    deep(own(s, 'parameters'), childPointer(sp, 'parameters'));
    deep(own(s, 'outputs'), childPointer(sp, 'outputs'));
    const body = own(s, 'requestBody');
    deep(own(body, 'payload'), childPointer(sp, 'requestBody', 'payload'));
    eachItem(own(body, 'replacements'), childPointer(sp, 'requestBody', 'replacements'), (rep, rp) => {
      typeField(rep, 'targetSelectorType', rp);
      deep(own(rep, 'value'), childPointer(rp, 'value'));
    });
    criteria(own(s, 'successCriteria'), childPointer(sp, 'successCriteria'));
    eachAction(s, sp, STEP_ACTIONS, action);
  };
  eachWorkflow(doc, (wf, wp) => {
    deep(own(wf, 'parameters'), childPointer(wp, 'parameters'));
    deep(own(wf, 'outputs'), childPointer(wp, 'outputs'));
    eachAction(wf, wp, WORKFLOW_ACTIONS, action);
    eachStep(wf, wp, step);
  });
  eachComponentAction(doc, action);
  deep(own(own(doc, 'components'), 'parameters'), childPointer('', 'components', 'parameters'));
}

/**
 * An Expression Type Object without `version` gets its type's default (README semantics: the 1.1 text
 * calls `version` REQUIRED, yet gives every type a default and its schema says one is assumed). Reported as
 * `compat-expression-type-version` (a warning; an error in strict mode). Mutates `doc` (a private copy).
 */
export function fillExpressionTypeVersions(doc: unknown, report: CompatReport): void {
  forEachExpressionType(doc, (object, _key, p) => {
    if (object.version !== undefined) return;
    const type = object.type;
    if (type !== 'jsonpath' && type !== 'xpath' && type !== 'jsonpointer') return; // the schema reports it
    const version = EXPRESSION_TYPE_VERSIONS[type as SelectorType][0]!;
    report(
      'compat-expression-type-version',
      p,
      `Expression Type Object has no "version"; read as the default for ${type}, version: ${version}`,
    );
    object.version = version;
  });
}

/** One `$steps.<id>` reference made by a step (recorded while checking expressions). */
export interface StepReference {
  from: number;
  to: number;
  pointer: string;
  source: string;
}

/** What the 1.1 step checks need to know about the workflow around a step. */
export interface WorkflowFacts {
  id: string | undefined;
  pointer: string;
  /** stepId -> position in `steps`. */
  index: Map<string, number>;
  /** `$steps.<id>` references of steps to steps of this workflow. */
  refs: StepReference[];
}

/** Document-wide facts for cross-workflow dependsOn. */
export interface DocumentFacts {
  /** workflowId -> its stepIds. */
  stepsOf: Map<string, Set<string>>;
  /** source name -> type (undefined: openapi). */
  sources: Map<string, string | undefined>;
}

/** 1.1 rules for one step. */
export function checkStep11(step: Obj, p: string, r: Reporter, doc: unknown): void {
  const timeout = step.timeout;
  if (typeof timeout === 'number' && Number.isInteger(timeout) && timeout < 1) {
    r.error(
      'step-timeout',
      childPointer(p, 'timeout'),
      `timeout ${timeout} must be a positive number of milliseconds`,
    );
  }
  checkAsyncFields(step, p, r);
  checkParameterLocations(step, p, r, doc);
  if (Array.isArray(step.successCriteria) && step.successCriteria.length === 0) {
    r.error(
      'empty-success-criteria',
      childPointer(p, 'successCriteria'),
      'successCriteria is empty; when present it must hold at least one Criterion Object (omit it instead)',
    );
  }
}

/** AsyncAPI steps: `action` says send or receive; `correlationId` only on receive; no HTTP or workflow target. */
function checkAsyncFields(step: Obj, p: string, r: Reporter): void {
  const action = str(step.action);
  if (step.channelPath !== undefined && step.action === undefined) {
    r.error(
      'async-step-action',
      childPointer(p, 'channelPath'),
      'a channelPath step needs action: send or action: receive',
    );
  }
  if (action !== undefined) {
    for (const f of ['operationPath', 'workflowId'] as const) {
      if (step[f] !== undefined) {
        r.error(
          'async-step-target',
          childPointer(p, f),
          `an AsyncAPI step (action: ${action}) names its operation with operationId or channelPath, not ${f}`,
        );
      }
    }
  }
  if (step.correlationId !== undefined && action !== 'receive') {
    r.error(
      'correlation-id-receive',
      childPointer(p, 'correlationId'),
      `correlationId applies only to AsyncAPI steps with action: receive${action === undefined ? '' : `, not ${action}`}`,
    );
  }
  const channelPath = str(step.channelPath);
  if (channelPath !== undefined && !/^\{\$sourceDescriptions\.[^.}]+\.url\}#\/channels\//.test(channelPath)) {
    r.error(
      'channel-path',
      childPointer(p, 'channelPath'),
      `channelPath "${channelPath}" must be {$sourceDescriptions.<name>.url}#/channels/<channel>`,
    );
  }
}

/** The parameter objects of a list, Reusable Objects resolved through components (unresolvable ones skipped). */
function resolvedParameters(list: unknown, doc: unknown): Array<{ param: Obj; index: number }> {
  const out: Array<{ param: Obj; index: number }> = [];
  arr(list).forEach((item, index) => {
    const ref = str(own(item, 'reference'));
    const prefix = '$components.parameters.';
    const param = ref?.startsWith(prefix)
      ? own(own(own(doc, 'components'), 'parameters'), ref.slice(prefix.length))
      : item;
    if (isRecord(param)) out.push({ param, index });
  });
  return out;
}

/**
 * `querystring` is the whole query: never with `query` parameters, never twice (spec "Parameter Object").
 * `channel` (1.1 schema only) belongs to AsyncAPI steps.
 */
function checkParameterLocations(step: Obj, p: string, r: Reporter, doc: unknown): void {
  const isAsync = step.action !== undefined || step.channelPath !== undefined;
  const stepParams = resolvedParameters(step.parameters, doc);
  // On a workflowId step `in` is reported once, for both versions, as compat-workflow-parameter-in.
  if (step.workflowId !== undefined) return;
  for (const { param, index } of stepParams) {
    if (param.in === 'channel' && !isAsync) {
      r.error(
        'parameter-in-channel',
        childPointer(p, 'parameters', index, 'in'),
        'in: channel applies only to AsyncAPI steps (with action or channelPath)',
      );
    }
  }
  // Workflow-level parameters apply to this step too, unless the step overrides them by name and location.
  const workflowPointer = p.replace(/\/steps\/\d+$/, '');
  const workflowParams = resolvedParameters(own(readPointer(doc, workflowPointer), 'parameters'), doc);
  const all = [
    ...workflowParams.map((x) => ({ ...x, pointer: childPointer(workflowPointer, 'parameters', x.index) })),
    ...stepParams.map((x) => ({ ...x, pointer: childPointer(p, 'parameters', x.index) })),
  ];
  const querystrings = all.filter((x) => x.param.in === 'querystring');
  const queries = all.filter((x) => x.param.in === 'query');
  const first = querystrings[0];
  if (first === undefined) return;
  if (querystrings.length > 1) {
    const second = querystrings[1]!;
    r.error(
      'querystring-conflict',
      childPointer(second.pointer, 'in'),
      `a step sends at most one querystring parameter (the whole query string); "${str(first.param.name) ?? '?'}" is one already`,
    );
  }
  if (queries.length > 0) {
    const q = queries[0]!;
    r.error(
      'querystring-conflict',
      childPointer(first.pointer, 'in'),
      `a querystring parameter is the whole query string and cannot be combined with query parameters ("${str(q.param.name) ?? '?'}")`,
    );
  }
}

/** Success/Failure Action `parameters` (1.1): the target workflow's inputs, so a workflowId and no `in`. */
export function checkActionParameters(action: unknown, p: string, r: Reporter, doc: unknown): void {
  const list = own(action, 'parameters');
  if (list === undefined) return;
  if (own(action, 'workflowId') === undefined) {
    r.error(
      'action-parameters-target',
      childPointer(p, 'parameters'),
      'action parameters are inputs of the target workflow; they need a workflowId',
    );
  }
  for (const { param, index } of resolvedParameters(list, doc)) {
    if (param.in !== undefined) {
      r.error(
        'action-parameter-in',
        childPointer(p, 'parameters', index, 'in'),
        '"in" must not be used in action parameters (they are inputs of the target workflow)',
      );
    }
  }
}

const SELECTOR_KEYS = new Set(['context', 'selector', 'type']);

/**
 * A value that is shaped like a Selector Object. `complete`: all three fields and nothing else; otherwise an
 * object with a `selector` and only Selector Object fields, which is read as a literal but is almost
 * certainly a mistake.
 */
export function selectorShape(value: unknown): 'complete' | 'incomplete' | undefined {
  if (!isRecord(value) || value.selector === undefined) return undefined;
  const keys = Object.keys(value).filter((k) => !k.startsWith('x-'));
  if (!keys.every((k) => SELECTOR_KEYS.has(k))) return undefined;
  return keys.length === 3 ? 'complete' : 'incomplete';
}

/** Selector Object rules the schema leaves open: a selector that fits its type; context a runtime expression. */
export function checkSelector(value: Obj, p: string, r: Reporter): void {
  if (selectorShape(value) === 'incomplete') {
    const missing = ['context', 'selector', 'type'].filter((k) => value[k] === undefined);
    r.warn(
      'selector-object-incomplete',
      p,
      `this object has Selector Object fields but no ${missing.join(' or ')}; it is used as a literal object`,
    );
    return;
  }
  const selector = str(value.selector);
  const rawType = isRecord(value.type) ? value.type.type : value.type;
  if (selector === undefined) return;
  if (rawType === 'jsonpointer' && selector !== '' && !selector.startsWith('/')) {
    r.error(
      'selector-syntax',
      childPointer(p, 'selector'),
      `JSON Pointer selector "${selector}" must be empty or start with /`,
    );
  } else if (rawType === 'jsonpath' && !selector.startsWith('$')) {
    r.error(
      'selector-syntax',
      childPointer(p, 'selector'),
      `JSONPath selector "${selector}" must start with $`,
    );
  }
  const context = str(value.context);
  if (context !== undefined && !context.startsWith('$')) {
    r.error(
      'selector-context',
      childPointer(p, 'context'),
      `context "${context}" must be a runtime expression (e.g. $response.body)`,
    );
  }
}

/**
 * Step `dependsOn` (1.1): each entry names a step of this workflow, `$workflows.<id>.steps.<stepId>` or
 * `$sourceDescriptions.<name>.<workflowId>.steps.<stepId>` (an arazzo source); no cycles, counting the
 * implicit dependencies of `$steps` references too. A reference to a later step is an error in a workflow
 * without step-level dependsOn unless a goto can bring control back (README semantics).
 */
export function checkStepDependencies(
  steps: unknown[],
  workflowActions: unknown[],
  wf: WorkflowFacts,
  doc: DocumentFacts,
  r: Reporter,
): void {
  const edges = new Map<number, Array<{ to: number; pointer: string }>>();
  const addEdge = (from: number, to: number, pointer: string): void => {
    edges.set(from, [...(edges.get(from) ?? []), { to, pointer }]);
  };
  let declared = false;
  steps.forEach((step, si) => {
    const list = own(step, 'dependsOn');
    if (!Array.isArray(list)) return;
    declared = true;
    list.forEach((entry, di) => {
      const dp = childPointer(wf.pointer, 'steps', si, 'dependsOn', di);
      if (typeof entry !== 'string') return; // the schema reports it
      const dep = parseStepDependency(entry);
      if (dep === undefined) {
        r.error(
          'step-depends-on',
          dp,
          `dependsOn "${entry}" must be a stepId, $workflows.<workflowId>.steps.<stepId> or $sourceDescriptions.<name>.<workflowId>.steps.<stepId>`,
        );
      } else if (dep.kind === 'local') {
        const to = wf.index.get(dep.stepId);
        if (to === undefined) {
          r.error('step-depends-on', dp, `dependsOn "${entry}" is not a step of workflow "${wf.id ?? '?'}"`);
        } else addEdge(si, to, dp);
      } else if (dep.kind === 'workflow') {
        const stepIds = doc.stepsOf.get(dep.workflowId);
        if (stepIds === undefined) {
          r.error(
            'step-depends-on',
            dp,
            `dependsOn "${entry}": workflow "${dep.workflowId}" is not in this document`,
          );
        } else if (!stepIds.has(dep.stepId)) {
          r.error(
            'step-depends-on',
            dp,
            `dependsOn "${entry}": workflow "${dep.workflowId}" has no step "${dep.stepId}"`,
          );
        } else if (dep.workflowId === wf.id) {
          const to = wf.index.get(dep.stepId);
          if (to !== undefined) addEdge(si, to, dp);
        }
      } else if (!doc.sources.has(dep.sourceName)) {
        r.error(
          'step-depends-on',
          dp,
          `dependsOn "${entry}": source "${dep.sourceName}" is not in sourceDescriptions`,
        );
      } else if (doc.sources.get(dep.sourceName) !== 'arazzo') {
        r.error(
          'step-depends-on',
          dp,
          `dependsOn "${entry}": source "${dep.sourceName}" must be of type arazzo (it is ${doc.sources.get(dep.sourceName) ?? 'openapi'})`,
        );
      }
    });
  });
  for (const ref of wf.refs) if (ref.from !== ref.to) addEdge(ref.from, ref.to, ref.pointer);
  reportStepCycle(edges, steps, r);
  if (!declared) reportForwardReferences(steps, workflowActions, wf, r);
}

function stepIdAt(steps: unknown[], i: number): string {
  return str(own(steps[i], 'stepId')) ?? String(i);
}

function reportStepCycle(
  edges: Map<number, Array<{ to: number; pointer: string }>>,
  steps: unknown[],
  r: Reporter,
): void {
  const state = new Map<number, 'visiting' | 'done'>();
  const visit = (i: number, path: number[]): boolean => {
    state.set(i, 'visiting');
    for (const e of edges.get(i) ?? []) {
      if (state.get(e.to) === 'visiting') {
        const cycle = [...path.slice(path.indexOf(e.to)), e.to].map((n) => stepIdAt(steps, n));
        r.error('step-depends-on-cycle', e.pointer, `step dependencies form a cycle: ${cycle.join(' -> ')}`);
        return true;
      }
      if (state.get(e.to) === undefined && visit(e.to, [...path, e.to])) return true;
    }
    state.set(i, 'done');
    return false;
  };
  for (const i of edges.keys()) if (state.get(i) === undefined && visit(i, [i])) return;
}

/** goto targets (by position) of a workflow's step actions and workflow-level actions. */
function gotoEdges(
  steps: unknown[],
  wf: WorkflowFacts,
  workflowActions: unknown[],
): Array<{ from: number; to: number }> {
  const out: Array<{ from: number; to: number }> = [];
  const targetsOf = (list: unknown): number[] =>
    arr(list)
      .filter((a) => own(a, 'type') === 'goto' || own(a, 'type') === 'retry')
      .map((a) => wf.index.get(str(own(a, 'stepId')) ?? ''))
      .filter((n): n is number => n !== undefined);
  const shared = targetsOf(workflowActions);
  steps.forEach((step, from) => {
    for (const to of [
      ...targetsOf(own(step, 'onSuccess')),
      ...targetsOf(own(step, 'onFailure')),
      ...shared,
    ]) {
      out.push({ from, to });
    }
  });
  return out;
}

function reportForwardReferences(
  steps: unknown[],
  workflowActions: unknown[],
  wf: WorkflowFacts,
  r: Reporter,
): void {
  if (wf.refs.length === 0) return;
  const gotos = gotoEdges(steps, wf, workflowActions);
  for (const ref of wf.refs) {
    if (ref.to <= ref.from) continue;
    // A goto from the referenced step (or after it) back to the referencing one (or before it) runs them in order.
    if (gotos.some((g) => g.from >= ref.to && g.to <= ref.from)) continue;
    r.error(
      'forward-step-reference',
      ref.pointer,
      `"${ref.source}" refers to step "${stepIdAt(steps, ref.to)}", which runs after step "${stepIdAt(steps, ref.from)}"; move it earlier, or declare dependsOn: [${stepIdAt(steps, ref.to)}] on step "${stepIdAt(steps, ref.from)}"`,
    );
  }
}
