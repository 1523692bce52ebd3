// Arazzo 1.0.1 "Workflow Object" `inputs`: a JSON Schema 2020-12 the run's inputs must satisfy.
import type { ErrorObject, ValidateFunction } from 'ajv';
import { resolveInputsRef } from '../document/inputs-ref.js';
import type { ArazzoDocument, JsonObject, JsonValue } from '../document/model.js';
import { setOwn } from '../own.js';
import { isSecretSchema } from '../secrets/index.js';
import { loadAjv } from './ajv.js';
import { ANNOTATION_FORMATS, compileSimple, type SimpleError } from './simple-schema.js';

let ajv: InstanceType<ReturnType<typeof loadAjv>['Ajv2020']> | undefined;

/** A compiled inputs schema: the subset validator when the schema fits it, else ajv's. */
type InputsValidator = (value: unknown) => { ok: boolean; errors: readonly (ErrorObject | SimpleError)[] };
const compiled = new WeakMap<object, InputsValidator>();

/** Test hook: whether this module instance has created its ajv instance (a trivial inputs schema must not). */
export function ajvLoaded(): boolean {
  return ajv !== undefined;
}

function getAjv(): InstanceType<ReturnType<typeof loadAjv>['Ajv2020']> {
  if (ajv === undefined) {
    const { Ajv2020, addFormats } = loadAjv();
    ajv = new Ajv2020({
      allErrors: true,
      strict: false,
      useDefaults: true,
      // Inputs are data: `constructor` or `toString` must not be found on Object.prototype.
      ownProperties: true,
      // The document validator already checked the inputs schema's shape; compiling the 2020-12
      // meta-schema to check it again costs ~50 ms of CLI start-up.
      validateSchema: false,
      logger: false,
      validateFormats: true,
    });
    addFormats(ajv);
    // Annotations used by real-world input schemas; they constrain nothing.
    for (const format of ANNOTATION_FORMATS) ajv.addFormat(format, true);
  }
  return ajv;
}

/**
 * The schema a local reference of an inputs schema names (`#/components/inputs/pagination`, any other
 * JSON Pointer into the document, or a plain-name `#anchor`: resolveInputsRef), without its `$anchor`,
 * since the copy is placed under `$defs` beside the schema that may declare the same anchor. Undefined
 * for a remote reference or one that names nothing.
 */
export function componentInputsSchema(document: ArazzoDocument, ref: string): JsonObject | undefined {
  const target = resolveInputsRef(ref, document);
  if (target === undefined || target.$anchor === undefined) return target;
  // One copy per target: callers tell schemas apart by identity (recursive references end that way).
  let copy = withoutAnchor.get(target);
  if (copy === undefined) {
    const { $anchor: _anchor, ...rest } = target;
    copy = rest;
    withoutAnchor.set(target, copy);
  }
  return copy;
}

const withoutAnchor = new WeakMap<JsonObject, JsonObject>();

/** Keywords whose values are data, not schemas: a `$ref` key inside them is not a reference. */
const DATA_KEYWORDS = new Set(['const', 'enum', 'default', 'examples', 'example']);
/** Keywords whose values map names to schemas: the names are not keywords. */
const NAME_MAPS = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas']);

/** Prefix of the `$defs` entries that carry the document's components.inputs into a standalone schema. */
const DEF_PREFIX = 'arazzo-components-inputs-';

const resolvedByDocument = new WeakMap<ArazzoDocument, WeakMap<JsonObject, JsonObject>>();

/**
 * The inputs schema as a standalone JSON Schema: a top-level `$ref: '#/components/inputs/x'` is inlined
 * (its siblings win), and one anywhere inside (`properties`, `items`, `allOf`...) points at a `$defs`
 * copy of that component, since the schema is compiled without the Arazzo document around it. Recursive
 * components stay recursive. Resolved once per schema object.
 */
export function resolveInputsSchema(schema: JsonObject, document: ArazzoDocument): JsonObject {
  let cache = resolvedByDocument.get(document);
  if (cache === undefined) {
    cache = new WeakMap();
    resolvedByDocument.set(document, cache);
  }
  let resolved = cache.get(schema);
  if (resolved === undefined) {
    resolved = standalone(schema, document);
    cache.set(schema, resolved);
  }
  return resolved;
}

function standalone(schema: JsonObject, document: ArazzoDocument): JsonObject {
  let root = schema;
  for (let hops = 0; typeof root.$ref === 'string' && hops < 32; hops++) {
    const target = componentInputsSchema(document, root.$ref);
    if (target === undefined) break;
    const { $ref: _inlined, ...rest } = root;
    root = { ...target, ...rest };
  }
  const defNames = new Map<JsonObject, string>();
  const pending: Array<[string, JsonObject]> = [];
  const defRef = (ref: string): string | undefined => {
    const target = componentInputsSchema(document, ref);
    if (target === undefined) return undefined;
    let name = defNames.get(target);
    if (name === undefined) {
      name = `${DEF_PREFIX}${defNames.size}`;
      defNames.set(target, name);
      pending.push([name, target]);
    }
    return `#/$defs/${name}`;
  };
  // Copy on write: only the objects on the way to a rewritten `$ref` are copied.
  const rewrite = (node: JsonValue, names = false): JsonValue => {
    if (node === null || typeof node !== 'object') return node;
    if (Array.isArray(node)) {
      let copy: JsonValue[] | undefined;
      node.forEach((item, i) => {
        const r = rewrite(item);
        if (r === item) return;
        copy ??= node.slice();
        copy[i] = r;
      });
      return copy ?? node;
    }
    let copy: JsonObject | undefined;
    for (const key of Object.keys(node)) {
      const value = node[key]!;
      let r: JsonValue = value;
      if (names) r = rewrite(value);
      else if (key === '$ref') r = typeof value === 'string' ? (defRef(value) ?? value) : value;
      else if (!DATA_KEYWORDS.has(key)) r = rewrite(value, NAME_MAPS.has(key));
      if (r === value) continue;
      copy ??= { ...node };
      setOwn(copy, key, r);
    }
    return copy ?? node;
  };
  const out = rewrite(root) as JsonObject;
  if (pending.length === 0) return out;
  const defs: JsonObject = {};
  for (let next = pending.shift(); next !== undefined; next = pending.shift()) {
    setOwn(defs, next[0], rewrite(next[1]));
  }
  const own = out.$defs;
  const merged = own !== null && typeof own === 'object' && !Array.isArray(own) ? { ...own, ...defs } : defs;
  return { ...out, $defs: merged };
}

export interface InputsCheck {
  ok: boolean;
  /** Inputs with schema defaults applied (a copy; the caller's object is not changed). */
  value: Record<string, unknown>;
  problems: string[];
}

function describe(error: ErrorObject | SimpleError): string {
  const at =
    error.instancePath === '' ? 'inputs' : `input "${error.instancePath.slice(1).replace(/\//g, '.')}"`;
  if (error.keyword === 'required') {
    return `missing required input "${String((error.params as { missingProperty?: string }).missingProperty)}"`;
  }
  if (error.keyword === 'additionalProperties') {
    return `${at}: unknown input "${String((error.params as { additionalProperty?: string }).additionalProperty)}"`;
  }
  return `${at}: ${error.message ?? 'is invalid'}`;
}

export function checkInputs(
  schema: JsonObject | undefined,
  document: ArazzoDocument,
  inputs: Record<string, unknown>,
): InputsCheck {
  // A copy because validation writes schema defaults into the value it checks.
  const value = copyInputs(inputs) as Record<string, unknown>;
  if (schema === undefined) return { ok: true, value, problems: [] };
  const resolved = resolveInputsSchema(schema, document);
  let validate = compiled.get(resolved);
  if (validate === undefined) {
    validate = compileSimple(resolved);
    if (validate === undefined) {
      let ajvValidate: ValidateFunction;
      try {
        ajvValidate = getAjv().compile(resolved);
      } catch (error) {
        return {
          ok: false,
          value,
          problems: [
            `inputs schema cannot be compiled: ${error instanceof Error ? error.message : String(error)}`,
          ],
        };
      }
      validate = (data) => {
        const ok = ajvValidate(data) as boolean;
        return { ok, errors: ok ? [] : (ajvValidate.errors ?? []) };
      };
    }
    compiled.set(resolved, validate);
  }
  const { ok, errors } = validate(value);
  return { ok, value, problems: ok ? [] : errors.map(describe) };
}

/**
 * Copy of the inputs, so that schema defaults are never written into the caller's objects: plain objects
 * and arrays are copied by hand (cycles and shared parts kept as they were, and fast); any other object
 * (Date, Uint8Array, Map, a class instance) is copied with structuredClone, as before, which turns a class
 * instance into a plain object of its own fields. A value structuredClone refuses (a function, a
 * stream) is shared.
 */
function copyInputs(value: unknown, seen = new Map<object, unknown>()): unknown {
  if (value === null || typeof value !== 'object') return value;
  const done = seen.get(value);
  if (done !== undefined) return done;
  if (Array.isArray(value)) {
    const out: unknown[] = new Array(value.length);
    seen.set(value, out);
    for (let i = 0; i < value.length; i++) if (i in value) out[i] = copyInputs(value[i], seen);
    return out;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) {
    let copy: unknown;
    try {
      copy = structuredClone(value);
    } catch {
      copy = value;
    }
    seen.set(value, copy);
    return copy;
  }
  const out: Record<string, unknown> = {};
  seen.set(value, out);
  for (const key of Object.keys(value)) {
    const copy = copyInputs((value as Record<string, unknown>)[key], seen);
    setOwn(out, key, copy);
  }
  return out;
}

/** Input names whose schemas declare their values secret (isSecretSchema); names alone declare nothing. */
export function secretInputNames(schema: JsonObject | undefined, document: ArazzoDocument): string[] {
  if (schema === undefined) return [];
  const resolved = resolveInputsSchema(schema, document);
  const props = resolved.properties;
  if (props === null || typeof props !== 'object' || Array.isArray(props)) return [];
  const out: string[] = [];
  for (const [name, raw] of Object.entries(props)) {
    if (isSecretSchema(raw)) out.push(name);
  }
  return out;
}
