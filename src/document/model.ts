/**
 * Arazzo 1.0.1 document model ("Schema" section of the specification): the objects as plain,
 * read-only data. Field names follow the spec exactly. Unknown `x-` extensions are kept as-is.
 * The parsed document is never mutated by the engine; run state lives apart.
 */

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** Arazzo Specification Object (spec: "Arazzo Specification Object"). */
export interface ArazzoDocument {
  arazzo: string;
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
  type?: 'openapi' | 'arazzo';
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
  outputs?: Record<string, string>;
  parameters?: Array<ParameterObject | ReusableObject>;
}

/** Step Object. Exactly one of operationId / operationPath / workflowId. */
export interface StepObject {
  stepId: string;
  description?: string;
  operationId?: string;
  operationPath?: string;
  workflowId?: string;
  parameters?: Array<ParameterObject | ReusableObject>;
  requestBody?: RequestBodyObject;
  successCriteria?: CriterionObject[];
  onSuccess?: Array<SuccessActionObject | ReusableObject>;
  onFailure?: Array<FailureActionObject | ReusableObject>;
  outputs?: Record<string, string>;
}

export type ParameterLocation = 'path' | 'query' | 'header' | 'cookie';

/** Parameter Object. `in` is required unless the step has a workflowId. */
export interface ParameterObject {
  name: string;
  in?: ParameterLocation;
  /** A literal, a runtime expression, or a string with embedded {$...} expressions. */
  value: JsonValue;
}

/** Success Action Object. */
export interface SuccessActionObject {
  name: string;
  type: 'end' | 'goto';
  workflowId?: string;
  stepId?: string;
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
  criteria?: CriterionObject[];
}

/** Components Object. */
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

/** Criterion Expression Type Object. */
export interface CriterionExpressionTypeObject {
  type: 'jsonpath' | 'xpath';
  version: string;
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
  value: JsonValue;
}

export function isReusable(value: unknown): value is ReusableObject {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { reference?: unknown }).reference === 'string'
  );
}
