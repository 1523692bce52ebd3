// Arazzo 1.0.1 "Workflow Object" `inputs`: a JSON Schema 2020-12 the run's inputs must satisfy.
import type { ErrorObject, ValidateFunction } from 'ajv';
import { resolveInputsRef } from '../document/inputs-ref.js';
import type { ArazzoDocument, JsonObject, JsonValue } from '../document/model.js';
import { setOwn } from '../own.js';
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
 * Inline the local `$ref`s of an inputs schema (JSON Pointer and `$anchor` fragments, spec 1.1 "Resolving
 * URI Fragments"), at any depth: the schema is compiled on its own, where document refs would not resolve.
 * A `$ref`'s siblings override the target's keywords. Cycles end at a depth limit as `{}`.
 */
export function resolveInputsSchema(schema: JsonObject, document: ArazzoDocument, depth = 0): JsonObject {
  if (depth > 32) return {};
  let out: JsonObject = schema;
  const ref = schema.$ref;
  if (typeof ref === 'string') {
    const target = resolveInputsRef(ref, document);
    if (target !== undefined) {
      const { $ref: _ignored, ...rest } = schema;
      // The copy must not declare the anchor again: a schema with two equal anchors does not compile.
      const { $anchor: _anchor, ...inlined } = resolveInputsSchema(target, document, depth + 1);
      out = { ...inlined, ...rest };
    }
  }
  return inlineNested(out, document, depth);
}

/** Children holding a `$ref` somewhere get resolved copies; a schema without nested refs is returned as is. */
function inlineNested(schema: JsonObject, document: ArazzoDocument, depth: number): JsonObject {
  let copy: JsonObject | undefined;
  for (const key of Object.keys(schema)) {
    if (key === 'default' || key === 'examples' || key === 'example' || key === 'const' || key === 'enum')
      continue;
    const value = schema[key];
    if (value === undefined) continue;
    const resolved = resolveChild(value, document, depth + 1);
    if (resolved !== value) {
      copy ??= { ...schema };
      copy[key] = resolved;
    }
  }
  return copy ?? schema;
}

function resolveChild(value: JsonValue, document: ArazzoDocument, depth: number): JsonValue {
  if (Array.isArray(value)) {
    const items = value.map((v) => resolveChild(v, document, depth));
    return items.some((v, i) => v !== value[i]) ? items : value;
  }
  if (typeof value === 'object' && value !== null && !hasRef(value, 0)) return value;
  if (typeof value === 'object' && value !== null) return resolveInputsSchema(value, document, depth);
  return value;
}

function hasRef(node: JsonValue, depth: number): boolean {
  if (depth > 64 || typeof node !== 'object' || node === null) return false;
  if (!Array.isArray(node) && typeof node.$ref === 'string') return true;
  return (Array.isArray(node) ? node : Object.values(node)).some((v) => hasRef(v, depth + 1));
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

/** Input names whose values are secrets: `format: password`, `writeOnly`, `x-secret`, or a credential-like name. */
export function secretInputNames(
  schema: JsonObject | undefined,
  document: ArazzoDocument,
  isSecretName: (n: string) => boolean,
): string[] {
  if (schema === undefined) return [];
  const resolved = resolveInputsSchema(schema, document);
  const props = resolved.properties;
  if (props === null || typeof props !== 'object' || Array.isArray(props)) return [];
  const out: string[] = [];
  for (const [name, raw] of Object.entries(props)) {
    const prop = (raw ?? {}) as JsonObject;
    if (
      prop.format === 'password' ||
      prop.writeOnly === true ||
      prop['x-secret'] === true ||
      isSecretName(name)
    ) {
      out.push(name);
    }
  }
  return out;
}
