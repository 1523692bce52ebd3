// Arazzo 1.0.1 and 1.1.0 "Schema" sections: the official JSON Schemas (schemas/arazzo-1.x-schema.json), compiled once.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import generatedValidate from './arazzo-schema.generated.js';
import type { SpecVersion } from './model.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonMap = { [key: string]: Json };

const REUSABLE = '#/$defs/reusable-object';

const compiled = new Map<SpecVersion, ValidateFunction>();

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
 * The 1.1 schema with these repairs, each documented in the README semantics section:
 * 1. As 1.0's repair 1 (Reusable Object oneOfs become if/then/else).
 * 2. The three Step variants (OpenAPI, AsyncAPI, workflow) become one object with every field: the
 *    variant rules (exactly one target, `action` on AsyncAPI steps, `correlationId` only on receive
 *    steps, `in` on operation parameters) are semantic checks with their own codes, which locate the
 *    problem instead of reporting "matches none of three forms". Likewise the action `allOf`s (goto
 *    target, `parameters` needs `workflowId`) and the `dependsOn` forms.
 * 3. Expression Type Object `version` is optional (the text gives each type a default; the schema's own
 *    description says "if omitted, a default value is assumed"); a missing one is a compat warning.
 * 4. Parameter and Payload Replacement `value` are "Any | {expression} | Selector Object" in the text (its
 *    own example uses `value: 10`); the schema allows no object literal there. Objects are told apart
 *    by `isSelectorObject` and Selector Objects are checked semantically.
 */
export function repairSchema11(schema: JsonMap): JsonMap {
  const out = rewriteOneOf(structuredClone(schema)) as JsonMap;
  const defs = out.$defs as { [name: string]: JsonMap };
  const props = (name: string): JsonMap => (defs[name]!.properties ?? {}) as JsonMap;
  const variantProps = (name: string): JsonMap => {
    const parts = defs[name]!.allOf as JsonMap[];
    return (parts[1]!.properties ?? {}) as JsonMap;
  };
  const base = defs['step-object-base']!;
  const parameters = structuredClone(props('step-object-base').parameters) as JsonMap;
  parameters.items = (structuredClone(variantProps('workflow-step-object').parameters) as JsonMap).items!;
  const dependsOn = props('step-object-base').dependsOn as JsonMap;
  dependsOn.items = { type: 'string' };
  defs['step-object'] = {
    $comment: defs['step-object']!.$comment!,
    description: defs['step-object']!.description!,
    type: 'object',
    properties: {
      ...props('step-object-base'),
      ...variantProps('openapi-step-object'),
      ...variantProps('asyncapi-step-object'),
      ...variantProps('workflow-step-object'),
      parameters,
    },
    required: base.required!,
    $ref: '#/$defs/specification-extensions',
    unevaluatedProperties: false,
  };
  for (const name of [
    'step-object-base',
    'operation-step-parameters',
    'openapi-step-object',
    'asyncapi-step-object',
    'workflow-step-object',
  ]) {
    delete defs[name];
  }
  for (const name of ['success-action-object', 'failure-action-object']) {
    delete defs[name]!.allOf;
    props(name).parameters = structuredClone(parameters);
  }
  defs['expression-type-object']!.required = ['type'];
  props('parameter-object').value = true;
  props('payload-replacement-object').value = true;
  return out;
}

/**
 * The validator of a feature set, precompiled at development time by scripts/gen-schema-validator.mjs
 * (ajv standalone mode): loading a document neither imports ajv's compiler nor compiles the schema. A
 * test regenerates the code and fails when a committed file is stale.
 */
export function arazzoSchemaValidator(version: SpecVersion = '1.0'): ValidateFunction {
  if (version === '1.0') return generatedValidate as unknown as ValidateFunction;
  // Not preloaded (a synchronous caller met a 1.1 document first): compile it now, once.
  return generated11 ?? compileArazzoSchema('1.1');
}

let generated11: ValidateFunction | undefined;

/**
 * Load the precompiled 1.1 validator. It is a module of its own, imported only when a 1.1 document is
 * met, so 1.0 documents do not pay for parsing it; `loadArazzo` calls this before validating.
 */
export async function preloadSchemaValidator(version: SpecVersion): Promise<void> {
  if (version !== '1.1' || generated11 !== undefined) return;
  generated11 = (await import('./arazzo-1.1-schema.generated.js')).default as unknown as ValidateFunction;
}

/** Compile the repaired schema with ajv at run time (used by the freshness test and the generator). */
export function compileArazzoSchema(version: SpecVersion = '1.0'): ValidateFunction {
  const known = compiled.get(version);
  if (known !== undefined) return known;
  const raw = JSON.parse(
    readFileSync(new URL(`../../schemas/arazzo-${version}-schema.json`, import.meta.url), 'utf8'),
  ) as JsonMap;
  const require = createRequire(import.meta.url);
  const { Ajv2020 } = require('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js');
  const addFormats = (require('ajv-formats') as typeof import('ajv-formats')).default;
  const ajv = new Ajv2020({ allErrors: true, strict: false, validateFormats: true });
  addFormats(ajv);
  const validate = ajv.compile(version === '1.1' ? repairSchema11(raw) : repairSchema(raw));
  compiled.set(version, validate);
  return validate;
}

export type SchemaError = ErrorObject;
