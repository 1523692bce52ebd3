// Arazzo 1.0.1 "Schema" section: the official JSON Schema (schemas/arazzo-1.0-schema.json), compiled once.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import generatedValidate from './arazzo-schema.generated.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonMap = { [key: string]: Json };

const REUSABLE = '#/$defs/reusable-object';

let compiled: ValidateFunction | undefined;

/**
 * The official schema with four repairs, each documented in the README semantics section:
 * 1. `oneOf: [X, Reusable Object]` becomes `if: {required: [reference]} then: Reusable else: X`, so an
 *    invalid action or parameter gets the errors of the form it was meant to be, not a cascade of both.
 * 2. The "exactly one of operationId/operationPath/workflowId" (Step) and "exactly one of stepId/workflowId"
 *    (goto) oneOfs, and the `in` requirement of operation-step parameters, are removed: the semantic checks
 *    report them with their own codes (step-target, goto-target, parameter-missing-in).
 * 3. Criterion `type` may be a Criterion Expression Type Object (spec "Criterion Object"); the official
 *    schema's anyOf applies that object's schema to the criterion itself and so rejects every such criterion.
 * 4. Payload Replacement `value` is "Any | {expression}" in the spec (its own example uses `value: 10`);
 *    the official schema allows only strings.
 */
export function repairSchema(schema: JsonMap): JsonMap {
  const out = rewriteOneOf(structuredClone(schema)) as JsonMap;
  const defs = out.$defs as { [name: string]: JsonMap };
  const step = defs['step-object']!;
  delete step.oneOf;
  for (const name of ['success-action-object', 'failure-action-object']) {
    delete defs[name]!.allOf; // only held the goto oneOf
  }
  const criterion = defs['criterion-object']!;
  delete criterion.anyOf;
  (criterion.properties as JsonMap).type = {
    if: { type: 'object' },
    // biome-ignore lint/suspicious/noThenProperty: a JSON Schema keyword, never awaited
    then: { $ref: '#/$defs/criterion-expression-type-object' },
    else: { enum: ['simple', 'regex', 'jsonpath', 'xpath'] },
  };
  const replacement = defs['payload-replacement-object']!;
  (replacement.properties as JsonMap).value = true;
  return out;
}

function rewriteOneOf(node: Json): Json {
  if (Array.isArray(node)) return node.map(rewriteOneOf);
  if (node === null || typeof node !== 'object') return node;
  const out: JsonMap = {};
  for (const [k, v] of Object.entries(node)) out[k] = rewriteOneOf(v);
  const oneOf = out.oneOf;
  if (Array.isArray(oneOf) && oneOf.length === 2) {
    const isReusable = (s: Json): boolean =>
      typeof s === 'object' && s !== null && !Array.isArray(s) && s.$ref === REUSABLE;
    const other = oneOf.find((s) => !isReusable(s));
    if (oneOf.some(isReusable) && other !== undefined && typeof other === 'object' && other !== null) {
      const otherMap = { ...(other as JsonMap) };
      delete otherMap.required; // `in` on operation steps: reported by parameter-missing-in
      delete out.oneOf;
      out.if = { type: 'object', required: ['reference'] };
      // biome-ignore lint/suspicious/noThenProperty: a JSON Schema keyword, never awaited
      out.then = { $ref: REUSABLE };
      out.else = otherMap;
    }
  }
  return out;
}

/**
 * The validator, precompiled at development time by scripts/gen-schema-validator.mjs (ajv standalone mode):
 * loading a document neither imports ajv's compiler nor compiles the schema. A test regenerates the code
 * and fails when the committed file is stale.
 */
export function arazzoSchemaValidator(): ValidateFunction {
  return generatedValidate as unknown as ValidateFunction;
}

/** Compile the repaired schema with ajv at run time (used by the freshness test and the generator). */
export function compileArazzoSchema(): ValidateFunction {
  if (compiled !== undefined) return compiled;
  const raw = JSON.parse(
    readFileSync(new URL('../../schemas/arazzo-1.0-schema.json', import.meta.url), 'utf8'),
  ) as JsonMap;
  const require = createRequire(import.meta.url);
  const { Ajv2020 } = require('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js');
  const addFormats = (require('ajv-formats') as typeof import('ajv-formats')).default;
  const ajv = new Ajv2020({ allErrors: true, strict: false, validateFormats: true });
  addFormats(ajv);
  compiled = ajv.compile(repairSchema(raw));
  return compiled;
}

export type SchemaError = ErrorObject;
