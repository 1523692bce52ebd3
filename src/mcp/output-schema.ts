// Arazzo 1.0.1 "Workflow Object" `outputs`, typed for an MCP tool's `outputSchema`.

import type { JsonObject, StepObject, WorkflowObject } from '../document/model.js';
import { resolveInputsSchema } from '../engine/inputs.js';
import { isRecord } from '../own.js';
import { isArrayIndex, parsePointer } from '../pointer.js';
import { declaredResponse, resolveStepTarget } from '../sources/index.js';
import type { LoadedDocument, ResolvedOperation } from '../sources/types.js';
import type { ToolSchema } from './types.js';

/**
 * Clients validate `structuredContent` against this schema and reject a result that does not fit, so it
 * keeps only what describes a value's shape (type, properties, items, descriptions) and drops what real
 * APIs routinely break (required, enum, format, additionalProperties: false). Outputs are never required
 * (an output whose expression finds nothing is left out) and may be null.
 */
const UNTYPED: JsonObject = {};
const MAX_DEPTH = 12;

function asObject(value: unknown): JsonObject | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as JsonObject)
    : undefined;
}

/** An OpenAPI (2.0, 3.0, 3.1) schema reduced to a JSON Schema 2020-12 shape description. */
export function describeShape(raw: unknown, depth = 0): JsonObject {
  const schema = asObject(raw);
  if (schema === undefined || depth > MAX_DEPTH || typeof schema.$ref === 'string') return UNTYPED;
  const out: JsonObject = {};
  if (typeof schema.title === 'string') out.title = schema.title;
  if (typeof schema.description === 'string') out.description = schema.description;
  const types =
    typeof schema.type === 'string' ? [schema.type] : Array.isArray(schema.type) ? schema.type : [];
  if (types.length > 0) {
    const nullable = schema.nullable === true || schema['x-nullable'] === true;
    const all = nullable && !types.includes('null') ? [...types, 'null'] : types;
    out.type = all.length === 1 ? all[0]! : all;
  }
  const props = asObject(schema.properties);
  if (props !== undefined) {
    const shaped: JsonObject = {};
    for (const [name, p] of Object.entries(props)) shaped[name] = describeShape(p, depth + 1);
    out.properties = shaped;
  }
  if (asObject(schema.items) !== undefined) out.items = describeShape(schema.items, depth + 1);
  const extra = asObject(schema.additionalProperties);
  if (extra !== undefined) out.additionalProperties = describeShape(extra, depth + 1);
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
    const list = schema[key];
    if (!Array.isArray(list) || list.length === 0) continue;
    // oneOf becomes anyOf: a value matching two branches is still that value.
    out[key === 'allOf' ? 'allOf' : 'anyOf'] = list.map((s) => describeShape(s, depth + 1));
  }
  return out;
}

/** The sub-schema a JSON Pointer into a value of `schema` lands in, or undefined when the schema does not say. */
function schemaAt(schema: unknown, tokens: readonly string[], depth = 0): unknown {
  if (tokens.length === 0) return schema;
  const s = asObject(schema);
  if (s === undefined || depth > 64) return undefined;
  const [head, ...rest] = tokens as [string, ...string[]];
  // Own properties only: a token `__proto__` or `constructor` names a property, never the prototype's.
  const props = s.properties;
  const prop = isRecord(props) && Object.hasOwn(props, head) ? props[head] : undefined;
  if (prop !== undefined) return schemaAt(prop, rest, depth + 1);
  if (isArrayIndex(head) && asObject(s.items) !== undefined) return schemaAt(s.items, rest, depth + 1);
  for (const key of ['allOf', 'anyOf', 'oneOf']) {
    const list = s[key];
    if (!Array.isArray(list)) continue;
    for (const member of list) {
      const found = schemaAt(member, tokens, depth + 1);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/** The status the step's criteria ask for (`$statusCode == 201`), else the first 2xx response declared. */
function successResponse(operation: ResolvedOperation, step: StepObject): JsonObject | undefined {
  for (const c of step.successCriteria ?? []) {
    const m = /^\s*\$statusCode\s*==\s*(\d{3})\s*$/.exec(c.condition);
    if (m) return asObject(declaredResponse(operation, Number(m[1]))?.response);
  }
  const key = Object.keys(operation.responses)
    .filter((k) => /^2/.test(k))
    .sort()[0];
  return key === undefined ? undefined : asObject(operation.responses[key]);
}

/** The JSON body schema of the step's success response, $refs resolved through its source. */
function responseBodySchema(loaded: LoadedDocument, workflow: WorkflowObject, step: StepObject): unknown {
  const w = loaded.document.workflows.indexOf(workflow);
  const target = resolveStepTarget(loaded, step, `/workflows/${w}/steps/${workflow.steps.indexOf(step)}`);
  if (!('kind' in target) || target.kind !== 'operation') return undefined;
  const content = asObject(successResponse(target.operation, step)?.content);
  if (content === undefined) return undefined;
  const media = Object.keys(content).find((k) => /json/i.test(k)) ?? Object.keys(content)[0];
  const schema = media === undefined ? undefined : asObject(content[media])?.schema;
  if (schema === undefined) return undefined;
  const source = loaded.sources.get(target.operation.sourceName);
  return source?.kind === 'openapi' ? source.resolveSchema(schema) : schema;
}

const STEP_OUTPUT = /^\$steps\.([^.#]+)\.outputs\.([^.#]+)(?:#(\/.*))?$/;
const RESPONSE_BODY = /^\$response\.body(?:#(\/.*))?$/;

/** The shape of a step output expression's value, as far as the step's operation declares it. */
function stepOutputShape(
  loaded: LoadedDocument,
  workflow: WorkflowObject,
  stepId: string,
  output: string,
  pointer: string | undefined,
): unknown {
  const step = workflow.steps.find((s) => s.stepId === stepId);
  const expression = step?.outputs?.[output];
  // A Selector Object (1.1) selects from a value whose shape is not described here: untyped.
  if (step === undefined || typeof expression !== 'string') return undefined;
  const body = RESPONSE_BODY.exec(expression.trim());
  if (body) {
    const tokens = [...(parsePointer(body[1] ?? '') ?? []), ...(parsePointer(pointer ?? '') ?? [])];
    return schemaAt(responseBodySchema(loaded, workflow, step), tokens);
  }
  if (pointer !== undefined) return undefined;
  return simpleShape(expression.trim());
}

function simpleShape(expression: string): JsonObject | undefined {
  if (expression === '$statusCode') return { type: 'integer' };
  if (/^\$(url|method)$/.test(expression) || /^\$(response|request)\.header\./.test(expression))
    return { type: 'string' };
  return undefined;
}

function inputShape(loaded: LoadedDocument, workflow: WorkflowObject, name: string): unknown {
  if (workflow.inputs === undefined) return undefined;
  const schema = resolveInputsSchema(workflow.inputs, loaded.document);
  const props = schema.properties;
  const prop = isRecord(props) && Object.hasOwn(props, name) ? props[name] : undefined;
  return prop === undefined ? undefined : resolveInputsSchema(asObject(prop) ?? {}, loaded.document);
}

/** A top-level output may be missing or null whatever its declared type (a field the API left empty). */
function orNull(shape: JsonObject): JsonObject {
  const t = shape.type;
  if (typeof t === 'string') return t === 'null' ? shape : { ...shape, type: [t, 'null'] };
  if (Array.isArray(t)) return t.includes('null') ? shape : { ...shape, type: [...t, 'null'] };
  return shape;
}

function outputShape(loaded: LoadedDocument, workflow: WorkflowObject, expression: string): JsonObject {
  const text = expression.trim();
  const step = STEP_OUTPUT.exec(text);
  let raw: unknown;
  if (step) raw = stepOutputShape(loaded, workflow, step[1]!, step[2]!, step[3]);
  else if (text.startsWith('$inputs.') && /^\$inputs\.[^.#]+$/.test(text))
    raw = inputShape(loaded, workflow, text.slice('$inputs.'.length));
  else raw = simpleShape(text);
  return orNull(describeShape(raw));
}

/** The tool's outputSchema: one property per workflow output, typed where the OpenAPI description says. */
export function workflowOutputSchema(loaded: LoadedDocument, workflow: WorkflowObject): ToolSchema {
  const properties: JsonObject = {};
  for (const [name, expression] of Object.entries(workflow.outputs ?? {})) {
    properties[name] = typeof expression === 'string' ? outputShape(loaded, workflow, expression) : {};
  }
  return { type: 'object', properties };
}
