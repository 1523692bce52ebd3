/** OpenAPI Schema Objects (2.0, 3.0, 3.1) as JSON Schema for ajv, compiled once per schema object. */
import ajvModule, { type ErrorObject, type ValidateFunction } from 'ajv';
import ajv2020 from 'ajv/dist/2020.js';
import formats from 'ajv-formats';
import { isRecord, setOwn } from '../own.js';
import { parseFragmentPointer, readPointer } from '../pointer.js';
import type { OpenApiSource } from '../sources/types.js';

type AjvCtor = typeof ajvModule.default;
type Ajv2020Ctor = typeof ajv2020.default;
type AddFormats = typeof formats.default;
// ajv and ajv-formats are CommonJS; under nodenext the class sits on `.default` at run time or not at all.
const Ajv: AjvCtor =
  (ajvModule as unknown as { default?: AjvCtor }).default ?? (ajvModule as unknown as AjvCtor);
const Ajv2020: Ajv2020Ctor =
  (ajv2020 as unknown as { default?: Ajv2020Ctor }).default ?? (ajv2020 as unknown as Ajv2020Ctor);
const addFormats: AddFormats =
  (formats as unknown as { default?: AddFormats }).default ?? (formats as unknown as AddFormats);

type Obj = Record<string, unknown>;
export type Dialect = 'draft-07' | '2020-12';

interface Validators {
  compile(schema: object): ValidateFunction;
}

const instances = new Map<Dialect, Validators>();

/** Unknown formats (e.g. `format: connectedAccountId`) are ignored, not errors: logger off, strict off. */
function ajvFor(dialect: Dialect): Validators {
  let ajv = instances.get(dialect);
  if (ajv === undefined) {
    const options = { strict: false, logger: false as const, allErrors: true, validateSchema: false };
    const instance = dialect === '2020-12' ? new Ajv2020(options) : new Ajv(options);
    addFormats(instance);
    ajv = instance;
    instances.set(dialect, ajv);
  }
  return ajv;
}

/** Schema sub-keys whose values are schemas. */
const SCHEMA_KEYS = new Set([
  'items',
  'additionalProperties',
  'additionalItems',
  'not',
  'contains',
  'propertyNames',
  'if',
  'then',
  'else',
  'unevaluatedProperties',
  'unevaluatedItems',
  'contentSchema',
]);
const SCHEMA_LIST_KEYS = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems']);
const SCHEMA_MAP_KEYS = new Set([
  'properties',
  'patternProperties',
  'dependentSchemas',
  '$defs',
  'definitions',
]);
/** OpenAPI annotations with no JSON Schema meaning (or a different one) in a response check. */
const DROPPED = new Set([
  'nullable',
  'x-nullable',
  'discriminator',
  'xml',
  'externalDocs',
  'example',
  '$schema',
  '$id',
]);

/**
 * Translate to JSON Schema: `nullable`/`x-nullable` become a null type (or an anyOf with null),
 * boolean `exclusiveMinimum`/`exclusiveMaximum` (OpenAPI 3.0, Swagger 2) become numbers, write-only
 * properties are not required in responses, Swagger `type: file` accepts anything, and `$ref`s left by
 * cycles are pointed at definitions collected under the root. References that cannot be followed
 * (external documents) accept anything.
 */
export function toJsonSchema(schema: unknown, dialect: Dialect, raw: unknown): unknown {
  const defsKey = dialect === '2020-12' ? '$defs' : 'definitions';
  const defs: Obj = {};
  const defNames = new Map<string, string>();
  const memo = new Map<object, unknown>();

  const refTo = (ref: string): unknown => {
    if (!ref.startsWith('#/') || raw === undefined) return {};
    let name = defNames.get(ref);
    if (name === undefined) {
      const tokens = parseFragmentPointer(ref);
      const target = tokens === undefined ? undefined : readPointer(raw, tokens);
      if (target === undefined) return {};
      name = `r${defNames.size}`;
      defNames.set(ref, name);
      defs[name] = {};
      defs[name] = convert(target, 0);
    }
    return { $ref: `#/${defsKey}/${name}` };
  };

  const convert = (node: unknown, depth: number): unknown => {
    if (depth > 256) return {};
    if (typeof node === 'boolean') return node;
    if (!isRecord(node)) return {};
    const seen = memo.get(node);
    if (seen !== undefined) return seen;
    if (typeof node.$ref === 'string') {
      const out = refTo(node.$ref);
      memo.set(node, out);
      return out;
    }
    if (node.type === 'file') return {};
    const out: Obj = {};
    memo.set(node, out);
    for (const [k, v] of Object.entries(node)) {
      if (DROPPED.has(k) || k.startsWith('x-')) continue;
      if (SCHEMA_KEYS.has(k))
        out[k] = Array.isArray(v) ? v.map((s) => convert(s, depth + 1)) : convert(v, depth + 1);
      else if (SCHEMA_LIST_KEYS.has(k) && Array.isArray(v)) out[k] = v.map((s) => convert(s, depth + 1));
      else if (SCHEMA_MAP_KEYS.has(k) && isRecord(v)) {
        const map: Obj = {};
        for (const [name, s] of Object.entries(v)) setOwn(map, name, convert(s, depth + 1));
        out[k] = map;
      } else out[k] = v;
    }
    for (const bound of ['Minimum', 'Maximum'] as const) {
      const flag = out[`exclusive${bound}`];
      const limit = out[bound.toLowerCase()];
      if (typeof flag !== 'boolean') continue;
      if (flag && typeof limit === 'number') {
        out[`exclusive${bound}`] = limit;
        delete out[bound.toLowerCase()];
      } else delete out[`exclusive${bound}`];
    }
    if (Array.isArray(out.required) && isRecord(node.properties)) {
      const props = node.properties;
      out.required = out.required.filter(
        (name) => !(typeof name === 'string' && isRecord(props[name]) && props[name].writeOnly === true),
      );
    }
    if (node.nullable === true || node['x-nullable'] === true) return nullable(out, node);
    return out;
  };

  const root = convert(schema, 0);
  if (Object.keys(defs).length === 0) return root;
  return isRecord(root) && root.$ref === undefined
    ? { ...root, [defsKey]: defs }
    : { allOf: [root], [defsKey]: defs };
}

/** `nullable: true` on a typed schema adds 'null' to the type (and to the enum); otherwise anyOf null. */
function nullable(out: Obj, node: Obj): Obj {
  const simple = out.allOf === undefined && out.anyOf === undefined && out.oneOf === undefined;
  if (typeof out.type === 'string' && simple) {
    out.type = [out.type, 'null'];
    if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
    return out;
  }
  if (Array.isArray(out.type) && simple) {
    if (!out.type.includes('null')) out.type = [...out.type, 'null'];
    if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
    return out;
  }
  if (node.type === undefined && simple && out.enum === undefined) return out;
  // if/else rather than anyOf: a non-null value's errors are reported as they are, not as "no branch matched".
  return { if: { type: 'null' }, else: out };
}

export type CompiledSchema = { validate: ValidateFunction } | { error: string };

const compiled = new WeakMap<object, CompiledSchema>();

export function dialectOf(source: OpenApiSource | undefined): Dialect {
  return source?.version === '3.1' ? '2020-12' : 'draft-07';
}

/** The validator for a response schema, compiled once per schema object. */
export function compileResponseSchema(schema: object, source: OpenApiSource | undefined): CompiledSchema {
  const hit = compiled.get(schema);
  if (hit !== undefined) return hit;
  const dialect = dialectOf(source);
  let result: CompiledSchema;
  try {
    const json = toJsonSchema(schema, dialect, source?.raw);
    result = {
      validate: ajvFor(dialect).compile(
        typeof json === 'boolean' ? (json ? {} : { not: {} }) : (json as object),
      ),
    };
  } catch (error) {
    result = { error: error instanceof Error ? error.message : String(error) };
  }
  compiled.set(schema, result);
  return result;
}

export type { ErrorObject };
