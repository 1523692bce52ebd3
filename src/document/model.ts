/**
 * Arazzo 1.0.1 and 1.1.0 document model ("Schema" section of each specification): the objects as plain,
 * read-only data. Field names follow the spec exactly. Unknown `x-` extensions are kept as-is.
 * The parsed document is never mutated by the engine; run state lives apart.
 * Fields marked "1.1" are accepted in 1.0.x documents only as compat (a warning that says to declare
 * 1.1.0; an error in strict mode), so code may read them whatever `specVersionOf(document)` says.
 */

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** The feature set a document declares (spec "Versions": major.minor selects, the patch is ignored). */
export type SpecVersion = '1.0' | '1.1';

/** Arazzo Specification Object (spec: "Arazzo Specification Object"). */
export interface ArazzoDocument {
  arazzo: string;
  /** 1.1: the document's own URI-reference, its base URI (spec "Establishing the Base URI"); no fragment. */
  $self?: string;
  info: InfoObject;
  sourceDescriptions: SourceDescriptionObject[];
  workflows: WorkflowObject[];
  components?: ComponentsObject;
  [extension: `x-${string}`]: unknown;
}

/** Info Object. */
export interface InfoObject {
  title: string;
  summary?: string;
  description?: string;
  version: string;
}

/** Source Description Object. `type` defaults to openapi when absent (see README semantics). */
export interface SourceDescriptionObject {
  name: string;
  url: string;
  /** 1.1 adds `asyncapi`. */
  type?: 'openapi' | 'arazzo' | 'asyncapi';
}

/** Workflow Object. `inputs` is a JSON Schema (draft 2020-12). */
export interface WorkflowObject {
  workflowId: string;
  summary?: string;
  description?: string;
  inputs?: JsonObject;
  dependsOn?: string[];
  steps: StepObject[];
  successActions?: Array<SuccessActionObject | ReusableObject>;
  failureActions?: Array<FailureActionObject | ReusableObject>;
  /** 1.1: a value may also be a Selector Object. */
  outputs?: Record<string, OutputValue>;
  parameters?: Array<ParameterObject | ReusableObject>;
}

/** A step or workflow output: a runtime expression, or (1.1) a Selector Object. */
export type OutputValue = string | SelectorObject;

/**
 * Step Object. Exactly one of operationId / operationPath / workflowId, or (1.1, AsyncAPI steps) one of
 * operationId / channelPath together with `action`.
 */
export interface StepObject {
  stepId: string;
  description?: string;
  operationId?: string;
  operationPath?: string;
  workflowId?: string;
  /** 1.1: `{$sourceDescriptions.<name>.url}#/channels/...`, an AsyncAPI channel (AsyncAPI steps only). */
  channelPath?: string;
  /** 1.1: AsyncAPI steps: publish (`send`) or subscribe (`receive`). Its presence makes a step an AsyncAPI step. */
  action?: AsyncAction;
  /**
   * 1.1: AsyncAPI `receive` steps: only messages with this correlation value count. The text says string,
   * the schema any non-null JSON value; a string may be a runtime expression (see README semantics).
   */
  correlationId?: JsonValue;
  /** 1.1: milliseconds before the step is aborted and fails (then onFailure applies). */
  timeout?: number;
  /**
   * 1.1: steps that must complete first: a stepId of this workflow, `$workflows.<workflowId>.steps.<stepId>`,
   * or `$sourceDescriptions.<name>.<workflowId>.steps.<stepId>` (see `parseStepDependency`).
   */
  dependsOn?: string[];
  parameters?: Array<ParameterObject | ReusableObject>;
  requestBody?: RequestBodyObject;
  /** Non-empty when present (1.1 says so explicitly; the 1.0 schema already required it). */
  successCriteria?: CriterionObject[];
  onSuccess?: Array<SuccessActionObject | ReusableObject>;
  onFailure?: Array<FailureActionObject | ReusableObject>;
  outputs?: Record<string, OutputValue>;
}

/** 1.1 AsyncAPI step action. */
export type AsyncAction = 'send' | 'receive';

/**
 * `querystring` (1.1): the whole query string as one value, never combined with `query` parameters.
 * `channel` (1.1 schema only, not in the text): an AsyncAPI channel parameter (see README semantics).
 */
export type ParameterLocation = 'path' | 'query' | 'querystring' | 'header' | 'cookie' | 'channel';

/** Parameter Object. `in` is required unless the step has a workflowId. */
export interface ParameterObject {
  name: string;
  in?: ParameterLocation;
  /**
   * A literal, a runtime expression, a string with embedded {$...} expressions, or (1.1) a Selector
   * Object (an object is one when `isSelectorObject` says so; see README semantics).
   */
  value: JsonValue | SelectorObject;
}

/** Success Action Object. */
export interface SuccessActionObject {
  name: string;
  type: 'end' | 'goto';
  workflowId?: string;
  stepId?: string;
  /** 1.1: inputs of the target workflow (`workflowId` required, `in` not allowed). */
  parameters?: Array<ParameterObject | ReusableObject>;
  criteria?: CriterionObject[];
}

/** Failure Action Object. */
export interface FailureActionObject {
  name: string;
  type: 'end' | 'goto' | 'retry';
  workflowId?: string;
  stepId?: string;
  /** Seconds, non-negative. */
  retryAfter?: number;
  /** Non-negative integer. */
  retryLimit?: number;
  /** 1.1: inputs of the target workflow (`workflowId` required, `in` not allowed). */
  parameters?: Array<ParameterObject | ReusableObject>;
  criteria?: CriterionObject[];
}

/** Components Object (unchanged in 1.1; 1.1 adds `$components.successActions|failureActions` expressions). */
export interface ComponentsObject {
  inputs?: Record<string, JsonObject>;
  parameters?: Record<string, ParameterObject>;
  successActions?: Record<string, SuccessActionObject>;
  failureActions?: Record<string, FailureActionObject>;
}

/** Reusable Object: `reference` is a runtime expression like `$components.parameters.page`. */
export interface ReusableObject {
  reference: string;
  value?: JsonValue;
}

export type CriterionType = 'simple' | 'regex' | 'jsonpath' | 'xpath';

/** Criterion Object. */
export interface CriterionObject {
  context?: string;
  condition: string;
  type?: CriterionType | CriterionExpressionTypeObject;
}

/**
 * Criterion Expression Type Object (1.0), Expression Type Object (1.1). 1.1 adds `jsonpointer` (for
 * selectors). A 1.1 object without `version` is given its type's default by the validator (README
 * semantics), so `version` is always set on a validated document.
 */
export interface CriterionExpressionTypeObject {
  type: 'jsonpath' | 'xpath' | 'jsonpointer';
  version: string;
}

/** 1.1 name of the same object. */
export type ExpressionTypeObject = CriterionExpressionTypeObject;

/** 1.1 selector / replacement-target languages. */
export type SelectorType = 'jsonpath' | 'xpath' | 'jsonpointer';

/** Versions of each expression type (1.1 "Expression Type Object"), the default first. */
export const EXPRESSION_TYPE_VERSIONS: Readonly<Record<SelectorType, readonly string[]>> = {
  jsonpath: ['rfc9535', 'draft-goessner-dispatch-jsonpath-00'],
  xpath: ['xpath-31', 'xpath-30', 'xpath-20', 'xpath-10'],
  jsonpointer: ['rfc6901'],
};

/** 1.1 Selector Object: `selector` applied to the structured value `context` evaluates to. */
export interface SelectorObject {
  /** Runtime expression, e.g. `$response.body`. */
  context: string;
  selector: string;
  type: SelectorType | ExpressionTypeObject;
}

/** Request Body Object. */
export interface RequestBodyObject {
  contentType?: string;
  payload?: JsonValue;
  replacements?: PayloadReplacementObject[];
}

/** Payload Replacement Object. */
export interface PayloadReplacementObject {
  target: string;
  /** 1.1: how `target` is read; default JSON Pointer for JSON bodies, XPath for XML bodies. */
  targetSelectorType?: SelectorType | ExpressionTypeObject;
  value: JsonValue | SelectorObject;
}

export function isReusable(value: unknown): value is ReusableObject {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { reference?: unknown }).reference === 'string'
  );
}

/** The feature set of a validated document (its `arazzo` field was checked by the validator). */
export function specVersionOf(document: Pick<ArazzoDocument, 'arazzo'>): SpecVersion {
  return document.arazzo.startsWith('1.1.') ? '1.1' : '1.0';
}

const SELECTOR_KEYS = new Set(['context', 'selector', 'type']);

/**
 * Is this value a 1.1 Selector Object rather than an object literal? It is when it has all three fields
 * (string `context` and `selector`, and `type`) and no others but `x-` extensions (README semantics:
 * "object literals and Selector Objects"). In 1.0.x documents objects are always literals; callers
 * check the version.
 */
export function isSelectorObject(value: unknown): value is SelectorObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const v = value as Record<string, unknown>;
  if (typeof v.context !== 'string' || typeof v.selector !== 'string') return false;
  if (typeof v.type !== 'string' && (typeof v.type !== 'object' || v.type === null)) return false;
  return Object.keys(v).every((k) => SELECTOR_KEYS.has(k) || k.startsWith('x-'));
}

/** A 1.1 step `dependsOn` entry, by form (spec "Step Object", `dependsOn`). */
export type StepDependency =
  | { kind: 'local'; stepId: string }
  | { kind: 'workflow'; workflowId: string; stepId: string }
  | { kind: 'source'; sourceName: string; workflowId: string; stepId: string };

const WORKFLOW_STEP = /^\$workflows\.([^.]+)\.steps\.([^.]+)$/;
const SOURCE_STEP = /^\$sourceDescriptions\.([^.]+)\.([^.]+)\.steps\.([^.]+)$/;

/** Read a `dependsOn` entry; undefined for a `$...` string of neither cross-workflow form. */
export function parseStepDependency(entry: string): StepDependency | undefined {
  if (!entry.startsWith('$')) return { kind: 'local', stepId: entry };
  const w = WORKFLOW_STEP.exec(entry);
  if (w !== null) return { kind: 'workflow', workflowId: w[1] ?? '', stepId: w[2] ?? '' };
  const s = SOURCE_STEP.exec(entry);
  if (s !== null)
    return { kind: 'source', sourceName: s[1] ?? '', workflowId: s[2] ?? '', stepId: s[3] ?? '' };
  return undefined;
}

/** One-line text of an output value for listings and graphs: the expression, or `context selector (type)`. */
export function outputLabel(value: OutputValue): string {
  if (typeof value === 'string') return value;
  const type = typeof value.type === 'string' ? value.type : `${value.type.type} ${value.type.version}`;
  return `${value.context} ${value.selector} (${type})`;
}
