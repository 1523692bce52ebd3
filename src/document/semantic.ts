// Arazzo 1.0.1 "Schema" section: the rules the JSON Schema cannot express (uniqueness, references, targets).

import type { CriterionInput } from '../criteria/index.js';
import { checkCriterion, criterionExpressions } from '../criteria/index.js';
import { isExpressionSyntaxError } from '../errors.js';
import { type ExpressionNode, parseExpression, parseTemplate } from '../expression/index.js';
import { isRecord } from '../own.js';
import { childPointer, formatPointer } from '../pointer.js';
import { resolveInputsRef } from './inputs-ref.js';
import type { SpecVersion } from './model.js';
import { own } from './subject.js';
import { didYouMean } from './suggest.js';
import {
  checkActionParameters,
  checkSelector,
  checkStep11,
  checkStepDependencies,
  type DocumentFacts,
  type StepReference,
  selectorShape,
} from './v11.js';

/** Where semantic checks send what they find. `pointer` is into the (rewritten) document. */
export interface Reporter {
  error(code: string, pointer: string, what: string): void;
  warn(code: string, pointer: string, what: string): void;
  /** A non-spec form: a warning in compat mode, an error in strict mode. */
  compat(code: string, pointer: string, what: string): void;
  readonly strict: boolean;
}

type Obj = Record<string, unknown>;
const KEY_PATTERN = /^[a-zA-Z0-9.\-_]+$/;
const SOURCE_NAME_PATTERN = /^[A-Za-z0-9_-]+$/;
const ID_PATTERN = /^[A-Za-z0-9_-]+$/;
const EXPRESSION_ROOT =
  /^\$(url|method|statusCode|request|response|inputs|outputs|steps|workflows|sourceDescriptions|components)(?![A-Za-z0-9_])/;
const COMPONENT_KINDS = ['inputs', 'parameters', 'successActions', 'failureActions'] as const;
const STEP_TARGETS = ['operationId', 'operationPath', 'workflowId'] as const;
/** 1.1 adds `channelPath` (AsyncAPI steps). */
const STEP_TARGETS_11 = ['operationId', 'operationPath', 'channelPath', 'workflowId'] as const;

function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}
function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}
function entries(v: unknown): Array<[string, unknown]> {
  return isRecord(v) ? Object.keys(v).map((k) => [k, v[k]]) : [];
}

/** Per-workflow context for reference checks. */
interface WorkflowCtx {
  pointer: string;
  id: string | undefined;
  stepIds: Set<string>;
  /** stepId -> the output names it can have (undefined: cannot be known, e.g. a step of another document). */
  stepOutputs: Map<string, Set<string> | undefined>;
  /** stepId -> position in `steps` (the first one when an id repeats). */
  index: Map<string, number>;
  /** Position of the step being checked; undefined outside steps (workflow outputs, actions). */
  current: number | undefined;
  /** `$steps.<id>` references made by steps, for the 1.1 dependency checks. */
  refs: StepReference[];
  /** The workflow's declared inputs (undefined: no schema, or one too complex to tell). */
  inputs: DeclaredInputs | undefined;
}

interface DeclaredInputs {
  names: Set<string>;
  /** `additionalProperties: false`: an undeclared name can never be given. */
  closed: boolean;
}

/** Schema keywords that can admit properties besides `properties`: with them, no name is provably unknown. */
const OPEN_KEYWORDS = [
  'allOf',
  'anyOf',
  'oneOf',
  'if',
  'then',
  'else',
  'not',
  '$ref',
  '$dynamicRef',
  'patternProperties',
  'dependentSchemas',
  'unevaluatedProperties',
];

/**
 * The names an expression's name segment may denote: output and input names may contain dots, so
 * `$steps.s.outputs.user.name` names `user` or `user.name` (the rest is compat navigation).
 */
function dottedCandidates(node: ExpressionNode, index: number): string[] {
  const first = node.names[index]?.value;
  if (first === undefined) return [];
  const out = [first];
  if (index !== node.names.length - 1) return out;
  let name = first;
  for (const seg of node.path) {
    if (seg.kind !== 'property') break;
    name = `${name}.${seg.key}`;
    out.push(name);
  }
  return out;
}

function quoted(names: Iterable<string>): string {
  const list = [...names].map((n) => `"${n}"`);
  return list.length === 0 ? 'none' : list.join(', ');
}

/**
 * Input and output names may contain dots (`^[a-zA-Z0-9.\-_]+$`), so `$steps.s.outputs.user.name` may
 * name the output "user.name": the longest name, made of the expression's name and its leading dotted
 * segments, that `declared` holds (the runtime looks names up the same way, longest first).
 */
function declaredDottedName(node: ExpressionNode, declared: (name: string) => boolean): string | undefined {
  let name = node.names[node.names.length - 1]?.value;
  if (name === undefined) return undefined;
  let found: string | undefined;
  for (const seg of node.path) {
    if (seg.kind !== 'property') break;
    name = `${name}.${seg.key}`;
    if (declared(name)) found = name;
  }
  return found;
}

export function checkSemantics(doc: unknown, r: Reporter, version: SpecVersion = '1.0'): void {
  new SemanticChecker(doc, r, version).run();
}

class SemanticChecker {
  private readonly sources = new Map<string, string | undefined>();
  private readonly workflowIds = new Set<string>();
  /** workflowId -> its output names (what a workflowId step without outputs of its own exposes). */
  private readonly workflowOutputs = new Map<string, Set<string>>();
  private readonly components: Obj;
  /** Input and output names with a dot anywhere in the document: `$inputs.a.b` may name the input "a.b". */
  private readonly dottedNames = new Set<string>();

  constructor(
    private readonly doc: unknown,
    private readonly r: Reporter,
    private readonly version: SpecVersion,
  ) {
    this.components = isRecord(own(doc, 'components')) ? (own(doc, 'components') as Obj) : {};
    const schemas = [...entries(own(this.components, 'inputs')).map(([, v]) => v)];
    const outputMaps: unknown[] = [];
    for (const wf of arr(own(doc, 'workflows'))) {
      schemas.push(own(wf, 'inputs'));
      outputMaps.push(own(wf, 'outputs'));
      for (const step of arr(own(wf, 'steps'))) outputMaps.push(own(step, 'outputs'));
    }
    const names = [
      ...schemas.flatMap((schema) => entries(own(schema, 'properties')).map(([k]) => k)),
      ...outputMaps.flatMap((map) => entries(map).map(([k]) => k)),
    ];
    for (const name of names) if (name.includes('.')) this.dottedNames.add(name);
  }

  run(): void {
    this.checkSources();
    this.checkComponentsKeys();
    const workflows = arr(own(this.doc, 'workflows'));
    workflows.forEach((wf, i) => {
      const id = str(own(wf, 'workflowId'));
      const p = childPointer('', 'workflows', i);
      if (id === undefined) return;
      if (this.workflowIds.has(id)) {
        this.r.error(
          'duplicate-workflow-id',
          childPointer(p, 'workflowId'),
          `workflowId "${id}" is used by more than one workflow; workflowIds must be unique in the document`,
        );
      }
      this.workflowIds.add(id);
      const outputs = own(wf, 'outputs');
      this.workflowOutputs.set(id, new Set(isRecord(outputs) ? Object.keys(outputs) : []));
      if (!ID_PATTERN.test(id)) {
        this.r.warn(
          'id-pattern',
          childPointer(p, 'workflowId'),
          `workflowId "${id}" should match [A-Za-z0-9_\\-]+`,
        );
      }
    });
    workflows.forEach((wf, i) => {
      this.checkWorkflow(wf, childPointer('', 'workflows', i));
    });
    this.checkDependsOnCycles(workflows);
    this.checkComponentsContents();
  }

  /** Document-wide facts for the 1.1 cross-workflow dependsOn forms. */
  private documentFacts(): DocumentFacts {
    const stepsOf = new Map<string, Set<string>>();
    for (const wf of arr(own(this.doc, 'workflows'))) {
      const id = str(own(wf, 'workflowId'));
      if (id === undefined || stepsOf.has(id)) continue;
      const ids = arr(own(wf, 'steps'))
        .map((st) => str(own(st, 'stepId')))
        .filter((x) => x !== undefined);
      stepsOf.set(id, new Set(ids));
    }
    return { stepsOf, sources: this.sources };
  }

  // ---- source descriptions ----
  private checkSources(): void {
    arr(own(this.doc, 'sourceDescriptions')).forEach((sd, i) => {
      const p = childPointer('', 'sourceDescriptions', i);
      const name = str(own(sd, 'name'));
      if (name === undefined) return;
      if (this.sources.has(name)) {
        this.r.error(
          'duplicate-source-name',
          childPointer(p, 'name'),
          `name "${name}" is used by more than one source description; names must be unique`,
        );
      } else {
        this.sources.set(name, str(own(sd, 'type')));
      }
      if (!SOURCE_NAME_PATTERN.test(name)) {
        this.r.error('source-name', childPointer(p, 'name'), `name "${name}" must match ^[A-Za-z0-9_\\-]+$`);
      }
    });
  }

  // ---- components ----
  private checkComponentsKeys(): void {
    for (const kind of COMPONENT_KINDS) {
      for (const [key] of entries(own(this.components, kind))) {
        if (!KEY_PATTERN.test(key)) {
          this.r.error(
            'component-key',
            childPointer('', 'components', kind, key),
            `key "${key}" must match ^[a-zA-Z0-9\\.\\-_]+$`,
          );
        }
      }
    }
  }

  private checkComponentsContents(): void {
    for (const [key, param] of entries(own(this.components, 'parameters'))) {
      this.checkValueExpressions(
        own(param, 'value'),
        childPointer('', 'components', 'parameters', key, 'value'),
        undefined,
      );
    }
    for (const kind of ['successActions', 'failureActions'] as const) {
      for (const [key, action] of entries(own(this.components, kind))) {
        const p = childPointer('', 'components', kind, key);
        // Targets are checked where the component is used (they are relative to that workflow);
        // the shape of goto/retry is checked here.
        this.checkActionShape(action, p);
        this.checkWorkflowTarget(own(action, 'workflowId'), childPointer(p, 'workflowId'));
        this.checkCriteria(own(action, 'criteria'), childPointer(p, 'criteria'), undefined);
        if (this.version === '1.1') checkActionParameters(action, p, this.r, this.doc);
      }
    }
  }

  // ---- workflows ----
  private checkWorkflow(wf: unknown, p: string): void {
    if (!isRecord(wf)) return;
    const ctx: WorkflowCtx = {
      pointer: p,
      id: str(wf.workflowId),
      stepIds: new Set(),
      stepOutputs: new Map(),
      inputs: this.declaredInputs(wf.inputs),
      index: new Map(),
      current: undefined,
      refs: [],
    };
    const steps = arr(wf.steps);
    steps.forEach((step, i) => {
      const id = str(own(step, 'stepId'));
      if (id === undefined) return;
      const sp = childPointer(p, 'steps', i, 'stepId');
      if (ctx.stepIds.has(id)) {
        this.r.error(
          'duplicate-step-id',
          sp,
          `stepId "${id}" is used by more than one step of workflow "${ctx.id ?? '?'}"; stepIds must be unique in a workflow`,
        );
      }
      ctx.stepIds.add(id);
      if (!ctx.index.has(id)) ctx.index.set(id, i);
      if (!ID_PATTERN.test(id)) this.r.warn('id-pattern', sp, `stepId "${id}" should match [A-Za-z0-9_\\-]+`);
      ctx.stepOutputs.set(id, this.outputsOfStep(step));
    });

    arr(wf.dependsOn).forEach((dep, i) => {
      const dp = childPointer(p, 'dependsOn', i);
      const d = str(dep);
      if (d === undefined) return;
      if (d.startsWith('$')) {
        this.checkSourceWorkflowRef(d, dp, 'unknown-depends-on');
      } else if (!this.workflowIds.has(d)) {
        this.r.error(
          'unknown-depends-on',
          dp,
          `dependsOn "${d}" is not a workflowId of this document${didYouMean(d, [...this.workflowIds])}`,
        );
      } else if (d === ctx.id) {
        this.r.error('depends-on-cycle', dp, `workflow "${d}" depends on itself`);
      }
    });

    this.checkInputsRefs(wf.inputs, childPointer(p, 'inputs'));
    const hasOperationStep = steps.some(
      (s) => own(s, 'operationId') !== undefined || own(s, 'operationPath') !== undefined,
    );
    this.checkParameters(wf.parameters, childPointer(p, 'parameters'), ctx, hasOperationStep);
    this.checkActions(wf.successActions, childPointer(p, 'successActions'), 'successActions', ctx);
    this.checkActions(wf.failureActions, childPointer(p, 'failureActions'), 'failureActions', ctx);
    this.checkOutputs(wf.outputs, childPointer(p, 'outputs'), ctx);
    steps.forEach((step, i) => {
      ctx.current = i;
      this.checkStep(step, childPointer(p, 'steps', i), ctx);
    });
    ctx.current = undefined;
    if (this.version === '1.1') {
      const actions = [...arr(wf.successActions), ...arr(wf.failureActions)];
      checkStepDependencies(steps, actions, ctx, this.documentFacts(), this.r);
    }
  }

  /**
   * Output names a step can have: its own `outputs`; a workflowId step without them exposes the child's
   * (README "Semantics"), known only for a workflow of this document.
   */
  private outputsOfStep(step: unknown): Set<string> | undefined {
    const outputs = own(step, 'outputs');
    if (isRecord(outputs)) return new Set(Object.keys(outputs));
    const workflowId = str(own(step, 'workflowId'));
    if (workflowId !== undefined) return this.workflowOutputs.get(workflowId);
    return new Set();
  }

  /** The property names a workflow's inputs schema declares, following `$ref`s into this document. */
  private declaredInputs(schema: unknown): DeclaredInputs | undefined {
    let node = schema;
    for (let hops = 0; typeof own(node, '$ref') === 'string' && hops < 16; hops++) {
      const target = resolveInputsRef(own(node, '$ref') as string, this.doc);
      if (target === undefined) return undefined;
      node = target;
    }
    if (!isRecord(node) || OPEN_KEYWORDS.some((k) => own(node, k) !== undefined)) return undefined;
    const properties = own(node, 'properties');
    if (properties !== undefined && !isRecord(properties)) return undefined;
    return {
      names: new Set(Object.keys(properties ?? {})),
      closed: own(node, 'additionalProperties') === false,
    };
  }

  private checkInputsRefs(schema: unknown, p: string): void {
    const stack: Array<{ node: unknown; pointer: string }> = [{ node: schema, pointer: p }];
    while (stack.length > 0) {
      const { node, pointer } = stack.pop()!;
      if (Array.isArray(node)) {
        node.forEach((n, i) => {
          stack.push({ node: n, pointer: childPointer(pointer, i) });
        });
      } else if (isRecord(node)) {
        for (const [k, v] of entries(node)) {
          if (k === '$ref' && typeof v === 'string' && v.startsWith('#')) {
            if (resolveInputsRef(v, this.doc) === undefined) {
              this.r.error(
                'unknown-component',
                childPointer(pointer, '$ref'),
                `$ref "${v}" does not resolve to anything in this document`,
              );
            } else if (v.startsWith('#/') && !v.startsWith('#/components/inputs/')) {
              this.r.warn(
                'inputs-ref',
                childPointer(pointer, '$ref'),
                `$ref "${v}" should point into #/components/inputs`,
              );
            }
          } else {
            stack.push({ node: v, pointer: childPointer(pointer, k) });
          }
        }
      }
    }
  }

  // ---- steps ----
  private checkStep(step: unknown, p: string, ctx: WorkflowCtx): void {
    if (!isRecord(step)) return;
    const fields = this.version === '1.1' ? STEP_TARGETS_11 : STEP_TARGETS;
    const targets = fields.filter((f) => step[f] !== undefined);
    if (targets.length !== 1) {
      const allowed = `exactly one of ${fields.slice(0, -1).join(', ')} or ${fields.at(-1)}`;
      this.r.error(
        'step-target',
        targets.length === 0 ? p : childPointer(p, targets[1]!),
        targets.length === 0
          ? `must have ${allowed}; it has none`
          : `must have ${allowed}; it has ${targets.join(' and ')}`,
      );
    }
    const isOperation =
      step.operationId !== undefined || step.operationPath !== undefined || step.channelPath !== undefined;
    const operationId = str(step.operationId);
    if (operationId?.startsWith('$')) {
      this.checkSourceRef(operationId, childPointer(p, 'operationId'), 'openapi');
    } else if (operationId !== undefined) {
      const openapiSources = [...this.sources.entries()].filter(([, t]) => t !== 'arazzo');
      if (openapiSources.length > 1) {
        this.r.compat(
          'compat-unqualified-operation-id',
          childPointer(p, 'operationId'),
          `operationId "${operationId}" must name its source when there are ${openapiSources.length} OpenAPI sources; spec form: $sourceDescriptions.<name>.${operationId}`,
        );
      }
    }
    const operationPath = str(step.operationPath);
    if (operationPath !== undefined)
      this.checkOperationPath(operationPath, childPointer(p, 'operationPath'), ctx);
    this.checkWorkflowTarget(step.workflowId, childPointer(p, 'workflowId'));

    this.checkParameters(
      step.parameters,
      childPointer(p, 'parameters'),
      ctx,
      isOperation,
      step.workflowId !== undefined,
    );
    const body = step.requestBody;
    if (isRecord(body)) {
      this.checkValueExpressions(body.payload, childPointer(p, 'requestBody', 'payload'), ctx);
      arr(body.replacements).forEach((rep, i) => {
        this.checkValueExpressions(
          own(rep, 'value'),
          childPointer(p, 'requestBody', 'replacements', i, 'value'),
          ctx,
        );
      });
    }
    this.checkCriteria(step.successCriteria, childPointer(p, 'successCriteria'), ctx);
    this.checkActions(step.onSuccess, childPointer(p, 'onSuccess'), 'successActions', ctx);
    this.checkActions(step.onFailure, childPointer(p, 'onFailure'), 'failureActions', ctx);
    this.checkOutputs(step.outputs, childPointer(p, 'outputs'), ctx);
    if (this.version === '1.1') checkStep11(step, p, this.r, this.doc);
  }

  private checkOperationPath(path: string, p: string, ctx: WorkflowCtx): void {
    const exprs = this.parseValueString(path, p, ctx);
    if (exprs === undefined) return;
    const source = exprs.find((e) => e.root === 'sourceDescriptions');
    if (source === undefined || !path.startsWith('{$sourceDescriptions.')) {
      this.r.error(
        'operation-path',
        p,
        `operationPath "${path}" must start with {$sourceDescriptions.<name>.url} followed by #<JSON Pointer to the operation>`,
      );
    } else if (!path.includes('#')) {
      this.r.error('operation-path', p, `operationPath "${path}" has no #<JSON Pointer> to the operation`);
    }
  }

  // ---- parameters ----
  private checkParameters(
    list: unknown,
    p: string,
    ctx: WorkflowCtx,
    needsIn: boolean,
    toWorkflow = false,
  ): void {
    const seen = new Set<string>();
    arr(list).forEach((item, i) => {
      const ip = childPointer(p, i);
      let param = item;
      if (own(item, 'reference') !== undefined) {
        const resolved = this.resolveReusable(item, ip, 'parameters');
        this.checkValueExpressions(own(item, 'value'), childPointer(ip, 'value'), ctx);
        if (resolved === undefined) return;
        param = resolved;
      } else {
        this.checkValueExpressions(own(item, 'value'), childPointer(ip, 'value'), ctx);
      }
      const name = str(own(param, 'name'));
      const loc = str(own(param, 'in'));
      if (needsIn && loc === undefined && name !== undefined) {
        this.r.error(
          'parameter-missing-in',
          ip,
          `parameter "${name}" has no "in"; it is required when the step calls an operation (path, query, header or cookie)`,
        );
      }
      if (name === undefined) return;
      if (toWorkflow && loc !== undefined) {
        // Spec (Parameter Object `in`): "When the step in context specifies a workflowId, then all
        // parameters map to workflow inputs."
        this.r.compat(
          'compat-workflow-parameter-in',
          param === item ? childPointer(ip, 'in') : ip,
          `parameter "${name}" has in: ${loc}, but the step calls a workflow, whose parameters are its inputs; it is passed as input "${name}" (spec form: no "in")`,
        );
      }
      const key = `${loc ?? ''}\u0000${name}`;
      if (seen.has(key)) {
        this.r.error(
          'duplicate-parameter',
          ip,
          `parameter "${name}"${loc === undefined ? '' : ` in ${loc}`} is listed more than once`,
        );
      }
      seen.add(key);
    });
  }

  // ---- actions ----
  private checkActions(
    list: unknown,
    p: string,
    kind: 'successActions' | 'failureActions',
    ctx: WorkflowCtx,
  ): void {
    const names = new Set<string>();
    arr(list).forEach((item, i) => {
      const ip = childPointer(p, i);
      let action = item;
      let via = '';
      if (own(item, 'reference') !== undefined) {
        const resolved = this.resolveReusable(item, ip, kind);
        if (resolved === undefined) return;
        action = resolved;
        via = ` (from ${str(own(item, 'reference'))})`;
      } else {
        this.checkActionShape(item, ip);
        this.checkWorkflowTarget(own(item, 'workflowId'), childPointer(ip, 'workflowId'));
        this.checkCriteria(own(item, 'criteria'), childPointer(ip, 'criteria'), ctx);
        if (this.version === '1.1') {
          checkActionParameters(item, ip, this.r, this.doc);
          this.checkParameters(own(item, 'parameters'), childPointer(ip, 'parameters'), ctx, false);
        }
      }
      const name = str(own(action, 'name'));
      if (name !== undefined) {
        if (names.has(name))
          this.r.error('duplicate-action', ip, `action name "${name}" is listed more than once`);
        names.add(name);
      }
      const stepId = str(own(action, 'stepId'));
      if (stepId !== undefined && !ctx.stepIds.has(stepId)) {
        this.r.error(
          'unknown-step',
          via === '' ? childPointer(ip, 'stepId') : ip,
          `stepId "${stepId}"${via} is not a step of workflow "${ctx.id ?? '?'}"${didYouMean(stepId, [...ctx.stepIds])}`,
        );
      }
    });
  }

  /** goto needs exactly one of stepId/workflowId; retry at most one. */
  private checkActionShape(action: unknown, p: string): void {
    const type = str(own(action, 'type'));
    const has = (['stepId', 'workflowId'] as const).filter((f) => own(action, f) !== undefined);
    if (type === 'goto' && has.length !== 1) {
      this.r.error(
        'goto-target',
        has.length === 0 ? p : childPointer(p, 'workflowId'),
        has.length === 0
          ? 'a goto action needs exactly one of stepId or workflowId; it has none'
          : 'a goto action needs exactly one of stepId or workflowId; it has both',
      );
    } else if (type === 'retry' && has.length > 1) {
      this.r.error(
        'goto-target',
        childPointer(p, 'workflowId'),
        'stepId and workflowId are mutually exclusive',
      );
    } else if (type === 'end' && has.length > 0) {
      this.r.warn(
        'action-target-ignored',
        childPointer(p, has[0]!),
        `${has[0]} is ignored by an "end" action`,
      );
    }
  }

  private checkWorkflowTarget(value: unknown, p: string): void {
    const id = str(value);
    if (id === undefined) return;
    if (id.startsWith('$')) {
      this.checkSourceWorkflowRef(id, p, 'unknown-workflow');
    } else if (!this.workflowIds.has(id)) {
      this.r.error(
        'unknown-workflow',
        p,
        `workflowId "${id}" is not a workflow of this document${didYouMean(id, [...this.workflowIds])}`,
      );
    }
  }

  /** `$sourceDescriptions.<name>.<workflowId>` naming an arazzo source. */
  private checkSourceWorkflowRef(src: string, p: string, code: string): void {
    const node = this.parseExpr(src, p);
    if (node === undefined) return;
    if (node.root !== 'sourceDescriptions' || node.names.length < 2) {
      this.r.error(
        code,
        p,
        `"${src}" must be a workflowId of this document or $sourceDescriptions.<name>.<workflowId>`,
      );
      return;
    }
    this.checkSourceRef(src, p, 'arazzo', node);
  }

  /** `$sourceDescriptions.<name>.<x>`: the source exists (and has the expected type when it says). */
  private checkSourceRef(src: string, p: string, want: 'openapi' | 'arazzo', parsed?: ExpressionNode): void {
    const node = parsed ?? this.parseExpr(src, p);
    if (node === undefined) return;
    if (node.root !== 'sourceDescriptions' || node.names.length < 2) {
      this.r.error(
        'unknown-source-description',
        p,
        `"${src}" must have the form $sourceDescriptions.<name>.<id>`,
      );
      return;
    }
    const name = node.names[0]!.value;
    if (!this.sources.has(name)) {
      this.r.error(
        'unknown-source-description',
        p,
        `"${src}" names source "${name}", which is not in sourceDescriptions${didYouMean(name, [...this.sources.keys()])}`,
      );
      return;
    }
    const type = this.sources.get(name) ?? 'openapi';
    // 1.1: an operationId may name an AsyncAPI operation.
    const fits = type === want || (want === 'openapi' && type === 'asyncapi' && this.version === '1.1');
    if (!fits) {
      this.r.error(
        'source-type',
        p,
        `"${src}" needs an ${want} source, but source "${name}" is of type ${type}`,
      );
    }
  }

  private resolveReusable(
    item: unknown,
    p: string,
    kind: 'parameters' | 'successActions' | 'failureActions',
  ): unknown {
    const ref = str(own(item, 'reference'));
    const rp = childPointer(p, 'reference');
    if (ref === undefined) return undefined;
    const node = this.parseExpr(ref, rp);
    if (node === undefined) return undefined;
    if (node.root !== 'components' || node.names.length !== 2) {
      this.r.error(
        'unknown-component',
        rp,
        `reference "${ref}" must have the form $components.${kind}.<name>`,
      );
      return undefined;
    }
    const [k, n] = [node.names[0]!.value, node.names[1]!.value];
    if (k !== kind) {
      this.r.error('component-kind', rp, `reference "${ref}" must point into $components.${kind} here`);
      return undefined;
    }
    const target = own(own(this.components, k), n);
    if (target === undefined) {
      this.r.error(
        'unknown-component',
        rp,
        `reference "${ref}": components.${k} has no "${n}"${didYouMean(
          n,
          entries(own(this.components, k)).map(([key]) => key),
        )}`,
      );
      return undefined;
    }
    if (kind !== 'parameters' && own(item, 'value') !== undefined) {
      this.r.warn(
        'reusable-value-ignored',
        childPointer(p, 'value'),
        'value only applies to parameter references and is ignored',
      );
    }
    return target;
  }

  // ---- outputs ----
  private checkOutputs(outputs: unknown, p: string, ctx: WorkflowCtx): void {
    for (const [key, value] of entries(outputs)) {
      const op = childPointer(p, key);
      if (!KEY_PATTERN.test(key)) {
        this.r.error('output-key', op, `output name "${key}" must match ^[a-zA-Z0-9\\.\\-_]+$`);
      }
      // Outputs are {expression}s: a `$` string here is an expression even when it is misspelt.
      if (typeof value === 'string' && value.startsWith('$')) this.parseValueString(value, op, ctx, true);
      else this.checkValueExpressions(value, op, ctx);
    }
  }

  // ---- criteria ----
  private checkCriteria(list: unknown, p: string, ctx: WorkflowCtx | undefined): void {
    arr(list).forEach((c, i) => {
      const cp = childPointer(p, i);
      if (!isRecord(c) || typeof c.condition !== 'string') return; // schema reports the shape
      if (isRecord(c.type) && c.type.type === 'jsonpointer') {
        this.r.error(
          'criterion-type',
          childPointer(cp, 'type', 'type'),
          'a condition cannot be a JSON Pointer; jsonpointer is a selector type only (use jsonpath, xpath, regex or simple)',
        );
        return;
      }
      let issues: ReturnType<typeof checkCriterion>;
      try {
        issues = checkCriterion(c as unknown as CriterionInput, { compat: !this.r.strict });
      } catch (e) {
        this.r.error(
          'criterion-check-failed',
          cp,
          `the criterion could not be checked: ${e instanceof Error ? e.message : String(e)}`,
        );
        return;
      }
      for (const issue of issues) {
        const fp = childPointer(cp, issue.field);
        const at =
          issue.offset === undefined || /offset/.test(issue.message) ? '' : ` (at offset ${issue.offset})`;
        if (issue.severity === 'error') this.r.error(issue.code, fp, `${issue.message}${at}`);
        else if (this.r.strict) this.r.error(issue.code, fp, `${issue.message}${at}`);
        else this.r.warn(issue.code, fp, `${issue.message}${at}`);
      }
      if (ctx !== undefined) {
        for (const node of criterionExpressions(c as unknown as CriterionInput)) {
          this.checkReferences(node, childPointer(cp, 'condition'), ctx);
        }
      }
      const context = str(c.context);
      if (context !== undefined && EXPRESSION_ROOT.test(context) && ctx !== undefined) {
        const node = this.parseExpr(context, childPointer(cp, 'context'), true);
        if (node !== undefined) this.checkReferences(node, childPointer(cp, 'context'), ctx);
      }
    });
  }

  // ---- runtime expressions in values ----
  /** Every string in a value (deeply) that is, or embeds, a runtime expression must parse and refer to real things. */
  private checkValueExpressions(value: unknown, p: string, ctx: WorkflowCtx | undefined): void {
    const stack: Array<{ v: unknown; p: string }> = [{ v: value, p }];
    while (stack.length > 0) {
      const { v, p: vp } = stack.pop()!;
      const shape = this.version === '1.1' ? selectorShape(v) : undefined;
      if (shape !== undefined) checkSelector(v as Obj, vp, this.r);
      if (shape === 'complete') {
        const context = str((v as Obj).context);
        if (context?.startsWith('$')) this.parseValueString(context, childPointer(vp, 'context'), ctx, true);
        continue;
      }
      if (typeof v === 'string') this.parseValueString(v, vp, ctx);
      else if (Array.isArray(v)) {
        v.forEach((x, i) => {
          stack.push({ v: x, p: childPointer(vp, i) });
        });
      } else if (isRecord(v)) {
        for (const [k, x] of entries(v)) stack.push({ v: x, p: childPointer(vp, k) });
      }
    }
  }

  /** Returns the expressions found, or undefined when the string does not parse. */
  private parseValueString(
    s: string,
    p: string,
    ctx: WorkflowCtx | undefined,
    mustBeExpression = false,
  ): ExpressionNode[] | undefined {
    if (s.startsWith('$')) {
      if (!mustBeExpression && !EXPRESSION_ROOT.test(s)) {
        if (/^\$[A-Za-z]/.test(s)) {
          this.r.warn(
            'expression-like-literal',
            p,
            `"${s}" looks like a runtime expression but $${/^\$([A-Za-z]+)/.exec(s)?.[1]} is not one; it is used as literal text`,
          );
        }
        return [];
      }
      const node = this.parseExpr(s, p);
      if (node === undefined) return undefined;
      if (ctx !== undefined) this.checkReferences(node, p, ctx);
      return [node];
    }
    if (!s.includes('{$')) return [];
    try {
      const t = parseTemplate(s);
      const nodes = t.parts.filter((part): part is ExpressionNode => part.type === 'expression');
      for (const n of nodes) {
        this.checkCompatForms(n, p);
        if (ctx !== undefined) this.checkReferences(n, p, ctx);
      }
      return nodes;
    } catch (e) {
      this.reportSyntax(e, s, p);
      return undefined;
    }
  }

  private parseExpr(src: string, p: string, quietCompat = false): ExpressionNode | undefined {
    try {
      const node = parseExpression(src);
      if (!quietCompat) this.checkCompatForms(node, p);
      return node;
    } catch (e) {
      this.reportSyntax(e, src, p);
      return undefined;
    }
  }

  private checkCompatForms(node: ExpressionNode, p: string): void {
    if (node.compat.length === 0) return;
    let specForm = node.specForm;
    const dotted =
      node.compat.length === 1 && node.compat[0] === 'dotted-path'
        ? declaredDottedName(node, (n) => this.dottedNames.has(n))
        : undefined;
    if (dotted !== undefined) {
      // The dots up to a declared name belong to the name; only the rest is compat navigation.
      const used = dotted.split('.').length - 1;
      if (used === node.path.length) return;
      const rest = node.path
        .slice(used)
        .map((seg) => (seg.kind === 'property' ? seg.key : String(seg.index)));
      const head = node.source.slice(0, node.path[used - 1]!.end - node.start);
      specForm = `${head}#${formatPointer([...rest, ...(node.pointer?.tokens ?? [])])}`;
    }
    if (node.compat.includes('whole-outputs')) {
      const head = node.source.replace(/#.*$/, '');
      this.r.compat(
        'compat-whole-outputs',
        p,
        `"${node.source}" names no output; it is read as the map of every output, but the spec form names one: ${head}.<name>`,
      );
      return;
    }
    this.r.compat(
      'compat-expression-path',
      p,
      `"${node.source}" navigates with ${node.compat.join(' and ')}, which runtime expressions do not have; spec form: ${specForm ?? '(a JSON Pointer after #)'}`,
    );
  }

  private reportSyntax(e: unknown, src: string, p: string): void {
    if (isExpressionSyntaxError(e)) {
      this.r.error(
        'expression-syntax',
        p,
        `runtime expression "${src}" does not parse at offset ${e.offset}: ${e.message}`,
      );
    } else {
      this.r.error(
        'expression-syntax',
        p,
        `runtime expression "${src}" could not be checked: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
  }

  /** `$steps.x`, `$inputs.x`, `$sourceDescriptions.x`, `$components.k.n`, `$workflows.x` name things that exist. */
  private checkReferences(node: ExpressionNode, p: string, ctx: WorkflowCtx): void {
    const first = node.names[0]?.value;
    if (first === undefined) return;
    switch (node.root) {
      case 'steps': {
        const to = ctx.index.get(first);
        if (ctx.stepIds.has(first) && ctx.current !== undefined && to !== undefined) {
          ctx.refs.push({ from: ctx.current, to, pointer: p, source: node.source });
        }
        this.checkStepReference(node, first, p, ctx);
        return;
      }
      case 'inputs':
        this.checkInputReference(node, first, p, ctx);
        return;
      case 'sourceDescriptions':
        if (!this.sources.has(first)) {
          this.r.error(
            'unknown-source-description',
            p,
            `"${node.source}" refers to source "${first}", which is not in sourceDescriptions${didYouMean(first, [...this.sources.keys()])}`,
          );
        }
        return;
      case 'components': {
        const name = node.names[1]?.value;
        if (name !== undefined && own(own(this.components, first), name) === undefined) {
          this.r.error(
            'unknown-component',
            p,
            `"${node.source}" refers to components.${first}.${name}, which does not exist${didYouMean(
              name,
              entries(own(this.components, first)).map(([k]) => k),
            )}`,
          );
        }
        return;
      }
      case 'workflows':
        if (!this.workflowIds.has(first)) {
          this.r.error(
            'unknown-workflow',
            p,
            `"${node.source}" refers to workflow "${first}", which is not in this document${didYouMean(first, [...this.workflowIds])}`,
          );
        }
        return;
      default:
        return;
    }
  }

  private checkStepReference(node: ExpressionNode, stepId: string, p: string, ctx: WorkflowCtx): void {
    if (!ctx.stepIds.has(stepId)) {
      this.r.error(
        'unknown-step-reference',
        p,
        `"${node.source}" refers to step "${stepId}", which is not a step of workflow "${ctx.id ?? '?'}"${didYouMean(stepId, [...ctx.stepIds])}`,
      );
      return;
    }
    const outputs = ctx.stepOutputs.get(stepId);
    if (node.names[1]?.value !== 'outputs' || outputs === undefined) return;
    const candidates = dottedCandidates(node, 2);
    const output = candidates[0];
    if (output === undefined || candidates.some((c) => outputs.has(c))) return;
    const declared = outputs.size === 0 ? 'it declares no outputs' : `its outputs: ${quoted(outputs)}`;
    this.r.error(
      'unknown-step-output',
      p,
      `"${node.source}" refers to output "${output}", which step "${stepId}" does not declare (${declared})${didYouMean(output, [...outputs])}`,
    );
  }

  /** An input the schema cannot hold is an error; one it does not declare but resembles a declared one, a warning. */
  private checkInputReference(node: ExpressionNode, name: string, p: string, ctx: WorkflowCtx): void {
    const inputs = ctx.inputs;
    const candidates = dottedCandidates(node, 0);
    if (inputs === undefined || candidates.some((c) => inputs.names.has(c))) return;
    const hint = didYouMean(name, [...inputs.names]);
    const where = `the inputs of workflow "${ctx.id ?? '?'}"`;
    if (inputs.closed) {
      this.r.error(
        'unknown-input',
        p,
        `"${node.source}" refers to input "${name}", which ${where} do not declare (additionalProperties is false); declared: ${quoted(inputs.names)}${hint}`,
      );
    } else if (hint !== '') {
      this.r.warn(
        'undeclared-input',
        p,
        `"${node.source}" refers to input "${name}", which ${where} do not declare${hint}`,
      );
    }
  }

  // ---- dependsOn cycles ----
  private checkDependsOnCycles(workflows: unknown[]): void {
    const edges = new Map<string, string[]>();
    const where = new Map<string, string>();
    workflows.forEach((wf, i) => {
      const id = str(own(wf, 'workflowId'));
      if (id === undefined) return;
      edges.set(
        id,
        arr(own(wf, 'dependsOn')).filter(
          (d): d is string => typeof d === 'string' && this.workflowIds.has(d) && d !== id,
        ),
      );
      where.set(id, childPointer('', 'workflows', i, 'dependsOn'));
    });
    const state = new Map<string, 'visiting' | 'done'>();
    const reported = new Set<string>();
    const visit = (id: string, path: string[]): void => {
      state.set(id, 'visiting');
      for (const next of edges.get(id) ?? []) {
        if (state.get(next) === 'visiting') {
          const cycle = [...path.slice(path.indexOf(next)), next];
          const key = [...cycle].sort().join(',');
          if (!reported.has(key)) {
            reported.add(key);
            this.r.error(
              'depends-on-cycle',
              where.get(id)!,
              `dependsOn forms a cycle: ${cycle.join(' -> ')}`,
            );
          }
        } else if (state.get(next) === undefined) {
          visit(next, [...path, next]);
        }
      }
      state.set(id, 'done');
    };
    for (const id of edges.keys()) if (state.get(id) === undefined) visit(id, [id]);
  }
}
