// Arazzo 1.0.1 "Workflow Object" `inputs`, JSON Schema 2020-12 subset: validated exactly as inputs.ts's ajv would, without loading ajv.
//
// Why: loading and compiling ajv costs ~40 ms of CLI start-up, and almost every inputs schema is a flat object of
// strings, integers and booleans. compileSimple() accepts only the keywords listed below and reproduces what
// inputs.ts's ajv instance (Ajv2020 with allErrors, strict: false, useDefaults, ownProperties) reports for them:
// the same validity, the same defaults written into the value, and the same error objects in the same order.
// Anything else returns undefined and the caller compiles the schema with ajv. test/engine/simple-schema.test.ts
// runs both on the same table and compares them.

import { escapePointerToken } from '../pointer.js';

/** Formats inputs.ts registers in ajv as always valid: they annotate (secrets, number widths) and constrain nothing. */
export const ANNOTATION_FORMATS: readonly string[] = [
  'password',
  'secret',
  'binary',
  'byte-string',
  'int32',
  'int64',
  'float',
  'double',
];

/** One validation error, shaped like ajv's `ErrorObject` (without the `verbose` fields). */
export interface SimpleError {
  instancePath: string;
  schemaPath: string;
  keyword: string;
  params: Record<string, unknown>;
  message: string;
}

export interface SimpleResult {
  ok: boolean;
  errors: SimpleError[];
}

/** Validates `value` in place: like ajv's `useDefaults`, missing properties that have a `default` are written into it. */
export type SimpleValidate = (value: unknown) => SimpleResult;

type JsonType = 'string' | 'number' | 'integer' | 'boolean' | 'null' | 'object' | 'array';
type Check = (data: unknown, path: string, errors: SimpleError[]) => void;
type SchemaMap = Record<string, unknown>;

const JSON_TYPES = new Set<string>(['string', 'number', 'integer', 'boolean', 'null', 'object', 'array']);

// Keywords that only annotate. ajv either knows them without code (metadata vocabulary) or, with `strict: false`,
// ignores them (`example`, `x-*`). `default` is read by the parent's `properties`.
const ANNOTATIONS = new Set<string>([
  'title',
  'description',
  'default',
  'examples',
  'example',
  'deprecated',
  'readOnly',
  'writeOnly',
  '$comment',
]);

// The keywords of each ajv rule group: a typed group is entered only when the schema has one of them. The order
// inside a group is the order ajv runs them in (its vocabulary order), which fixes the order of the errors.
const NUMBER_KEYWORDS = [
  'maximum',
  'minimum',
  'exclusiveMaximum',
  'exclusiveMinimum',
  'multipleOf',
  'format',
];
const STRING_KEYWORDS = ['maxLength', 'minLength', 'format'];
const ARRAY_KEYWORDS = ['maxItems', 'minItems', 'items', 'uniqueItems'];
const OBJECT_KEYWORDS = ['required', 'additionalProperties', 'properties'];

const LIMITS = {
  maximum: { okStr: '<=', fails: (d: number, l: number) => d > l },
  minimum: { okStr: '>=', fails: (d: number, l: number) => d < l },
  exclusiveMaximum: { okStr: '<', fails: (d: number, l: number) => d >= l },
  exclusiveMinimum: { okStr: '>', fails: (d: number, l: number) => d <= l },
} as const;

/** Thrown inside the compiler when the schema leaves the subset; compileSimple turns it into `undefined`. */
class Unsupported extends Error {}

function unsupported(): never {
  throw new Unsupported();
}

function isPlainObject(value: unknown): value is SchemaMap {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * A validator for `schema`, or undefined when the schema (anywhere inside it) uses a keyword or a keyword value
 * outside the subset, so the caller must fall back to ajv.
 */
export function compileSimple(schema: unknown): SimpleValidate | undefined {
  if (!isPlainObject(schema)) return undefined;
  let check: Check;
  try {
    check = compileNode(schema, '#');
  } catch (error) {
    if (error instanceof Unsupported) return undefined;
    throw error;
  }
  return (value) => {
    const errors: SimpleError[] = [];
    check(value, '', errors);
    return { ok: errors.length === 0, errors };
  };
}

/** `true`, or a schema none of whose keywords constrains anything: ajv skips it, and so may we. */
function alwaysValid(schema: unknown): boolean {
  if (schema === true) return true;
  if (!isPlainObject(schema)) return false;
  return Object.keys(schema).every(
    (k) =>
      schema[k] === undefined || ANNOTATIONS.has(k) || k.startsWith('x-') || isAnnotationFormat(schema, k),
  );
}

function isAnnotationFormat(schema: SchemaMap, key: string): boolean {
  return key === 'format' && typeof schema.format === 'string' && ANNOTATION_FORMATS.includes(schema.format);
}

function has(schema: SchemaMap, keyword: string): boolean {
  return schema[keyword] !== undefined;
}

function finiteNumber(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : unsupported();
}

function compileSubschema(schema: unknown, schemaPath: string): Check | undefined {
  if (alwaysValid(schema)) return undefined;
  if (!isPlainObject(schema)) unsupported();
  return compileNode(schema, schemaPath);
}

function compileNode(schema: SchemaMap, sp: string): Check {
  for (const key of Object.keys(schema)) {
    if (schema[key] === undefined || ANNOTATIONS.has(key) || key.startsWith('x-')) continue;
    if (key === 'format') {
      if (!isAnnotationFormat(schema, key)) unsupported();
      continue;
    }
    if (
      key !== 'type' &&
      key !== 'const' &&
      key !== 'enum' &&
      !NUMBER_KEYWORDS.includes(key) &&
      !STRING_KEYWORDS.includes(key) &&
      !ARRAY_KEYWORDS.includes(key) &&
      !OBJECT_KEYWORDS.includes(key)
    ) {
      unsupported();
    }
  }
  if (has(schema, 'default')) jsonSafe(schema.default);

  const types = schemaTypes(schema.type);
  const groupUsed = {
    number: NUMBER_KEYWORDS.some((k) => has(schema, k)),
    string: STRING_KEYWORDS.some((k) => has(schema, k)),
    array: ARRAY_KEYWORDS.some((k) => has(schema, k)),
    object: OBJECT_KEYWORDS.some((k) => has(schema, k)),
  };
  const single = types.length === 1 ? types[0] : undefined;
  // ajv checks the type before every keyword unless the schema names one type that has keywords of its own here;
  // then the type error is reported where that type's keywords would run (after `const`/`enum`).
  const typeFirst =
    types.length > 0 &&
    !(single !== undefined && single in groupUsed && groupUsed[single as keyof typeof groupUsed]);
  const typeError = (path: string, errors: SimpleError[]): void => {
    errors.push({
      instancePath: path,
      schemaPath: `${sp}/type`,
      keyword: 'type',
      params: { type: schema.type },
      message: `must be ${String(schema.type)}`,
    });
  };

  const untyped = compileUntyped(schema, sp);
  const groups: Array<{ type: 'number' | 'string' | 'array' | 'object'; checks: Check[] }> = [];
  if (groupUsed.number) groups.push({ type: 'number', checks: compileNumber(schema, sp) });
  if (groupUsed.string) groups.push({ type: 'string', checks: compileString(schema, sp) });
  if (groupUsed.array) groups.push({ type: 'array', checks: compileArray(schema, sp) });
  if (groupUsed.object) groups.push({ type: 'object', checks: compileObject(schema, sp) });

  return (data, path, errors) => {
    if (typeFirst && !types.some((t) => hasType(data, t))) typeError(path, errors);
    for (const check of untyped) check(data, path, errors);
    for (const group of groups) {
      if (hasType(data, group.type)) {
        for (const check of group.checks) check(data, path, errors);
      } else if (!typeFirst && single === group.type) {
        typeError(path, errors);
      }
    }
  };
}

function schemaTypes(type: unknown): JsonType[] {
  if (type === undefined) return [];
  const list = Array.isArray(type) ? (type as unknown[]) : [type];
  for (const t of list) if (typeof t !== 'string' || !JSON_TYPES.has(t)) unsupported();
  return list as JsonType[];
}

/** ajv's type tests with `strictNumbers` off (the `strict: false` default): NaN is a number, Infinity an integer. */
function hasType(data: unknown, type: JsonType): boolean {
  switch (type) {
    case 'null':
      return data === null;
    case 'array':
      return Array.isArray(data);
    case 'object':
      return typeof data === 'object' && data !== null && !Array.isArray(data);
    case 'integer':
      return typeof data === 'number' && !(data % 1) && !Number.isNaN(data);
    default:
      return typeof data === type;
  }
}

function compileUntyped(schema: SchemaMap, sp: string): Check[] {
  const checks: Check[] = [];
  if (has(schema, 'const')) {
    const allowed = schema.const;
    jsonSafe(allowed);
    const isObject = typeof allowed === 'object' && allowed !== null;
    checks.push((data, path, errors) => {
      if (isObject ? deepEqual(data, allowed) : data === allowed) return;
      errors.push({
        instancePath: path,
        schemaPath: `${sp}/const`,
        keyword: 'const',
        params: { allowedValue: allowed },
        message: 'must be equal to constant',
      });
    });
  }
  if (has(schema, 'enum')) {
    const allowed = schema.enum;
    if (!Array.isArray(allowed) || allowed.length === 0) unsupported();
    jsonSafe(allowed);
    checks.push((data, path, errors) => {
      for (const v of allowed) {
        if (typeof v === 'object' && v !== null ? deepEqual(data, v) : data === v) return;
      }
      errors.push({
        instancePath: path,
        schemaPath: `${sp}/enum`,
        keyword: 'enum',
        params: { allowedValues: allowed },
        message: 'must be equal to one of the allowed values',
      });
    });
  }
  return checks;
}

function compileNumber(schema: SchemaMap, sp: string): Check[] {
  const checks: Check[] = [];
  for (const keyword of ['maximum', 'minimum', 'exclusiveMaximum', 'exclusiveMinimum'] as const) {
    if (!has(schema, keyword)) continue;
    const limit = finiteNumber(schema[keyword]);
    const { okStr, fails } = LIMITS[keyword];
    checks.push((data, path, errors) => {
      const n = data as number;
      if (!fails(n, limit) && !Number.isNaN(n)) return;
      errors.push({
        instancePath: path,
        schemaPath: `${sp}/${keyword}`,
        keyword,
        params: { comparison: okStr, limit },
        message: `must be ${okStr} ${limit}`,
      });
    });
  }
  if (has(schema, 'multipleOf')) {
    const divisor = finiteNumber(schema.multipleOf);
    checks.push((data, path, errors) => {
      const quotient = (data as number) / divisor;
      // ajv's test: parseInt stringifies first, so 1e21 ("1e+21" -> 1) is not a whole quotient there either.
      if (divisor !== 0 && quotient === Number.parseInt(String(quotient), 10)) return;
      errors.push({
        instancePath: path,
        schemaPath: `${sp}/multipleOf`,
        keyword: 'multipleOf',
        params: { multipleOf: divisor },
        message: `must be multiple of ${divisor}`,
      });
    });
  }
  return checks;
}

/** Length in code points (a lone surrogate counts as one), as ajv's `unicode` option measures strings. */
export function codePointLength(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    count++;
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
  }
  return count;
}

/** maxLength/minLength or maxItems/minItems: a length against a limit, with ajv's message. */
function lengthLimits(
  schema: SchemaMap,
  sp: string,
  keywords: readonly [max: string, min: string],
  measure: (data: unknown) => number,
  unit: 'characters' | 'items',
): Check[] {
  const checks: Check[] = [];
  for (const keyword of keywords) {
    if (!has(schema, keyword)) continue;
    const limit = finiteNumber(schema[keyword]);
    const isMax = keyword === keywords[0];
    checks.push((data, path, errors) => {
      const length = measure(data);
      if (isMax ? length <= limit : length >= limit) return;
      errors.push({
        instancePath: path,
        schemaPath: `${sp}/${keyword}`,
        keyword,
        params: { limit },
        message: `must NOT have ${isMax ? 'more' : 'fewer'} than ${limit} ${unit}`,
      });
    });
  }
  return checks;
}

function compileString(schema: SchemaMap, sp: string): Check[] {
  return lengthLimits(
    schema,
    sp,
    ['maxLength', 'minLength'],
    (data) => codePointLength(data as string),
    'characters',
  );
}

function compileArray(schema: SchemaMap, sp: string): Check[] {
  const checks = lengthLimits(
    schema,
    sp,
    ['maxItems', 'minItems'],
    (data) => (data as unknown[]).length,
    'items',
  );
  if (has(schema, 'items')) {
    const items = schema.items;
    if (items !== true && !isPlainObject(items)) unsupported();
    const itemCheck = compileSubschema(items, `${sp}/items`);
    if (itemCheck !== undefined) {
      checks.push((data, path, errors) => {
        const list = data as unknown[];
        for (let i = 0; i < list.length; i++) itemCheck(list[i], `${path}/${i}`, errors);
      });
    }
  }
  if (has(schema, 'uniqueItems')) {
    if (typeof schema.uniqueItems !== 'boolean') unsupported();
    if (schema.uniqueItems) checks.push(compileUniqueItems(schema, sp));
  }
  return checks;
}

function compileUniqueItems(schema: SchemaMap, sp: string): Check {
  const itemTypes = isPlainObject(schema.items) ? schemaTypes(schema.items.type) : [];
  const report = (path: string, errors: SimpleError[], i: number, j: number): void => {
    errors.push({
      instancePath: path,
      schemaPath: `${sp}/uniqueItems`,
      keyword: 'uniqueItems',
      params: { i, j },
      message: `must NOT have duplicate items (items ## ${j} and ${i} are identical)`,
    });
  };
  if (itemTypes.length > 0 && !itemTypes.some((t) => t === 'object' || t === 'array')) {
    // Scalar items: ajv indexes them by their string form, walking from the end; items of another type are
    // skipped, and with several types a string gets a suffix so "1" and 1 differ. It keeps its index in a plain
    // object, where the key "__proto__" never sticks: such duplicates go unreported, here too.
    const suffixStrings = itemTypes.length > 1;
    return (data, path, errors) => {
      const list = data as unknown[];
      const seen = new Map<string, number>();
      for (let i = list.length - 1; i >= 0; i--) {
        const item = list[i];
        if (!itemTypes.some((t) => hasType(item, t))) continue;
        const key = typeof item === 'string' && suffixStrings ? `${item}_` : String(item);
        const j = seen.get(key);
        if (j !== undefined) {
          report(path, errors, i, j);
          return;
        }
        if (key !== '__proto__') seen.set(key, i);
      }
    };
  }
  return (data, path, errors) => {
    const list = data as unknown[];
    for (let i = list.length - 1; i > 0; i--) {
      for (let j = i - 1; j >= 0; j--) {
        if (deepEqual(list[i], list[j])) {
          report(path, errors, i, j);
          return;
        }
      }
    }
  };
}

function compileObject(schema: SchemaMap, sp: string): Check[] {
  const checks: Check[] = [];
  const properties = schema.properties;
  if (properties !== undefined && !isPlainObject(properties)) unsupported();
  // ajv's `properties` skips a "__proto__" entry but its defaults loop does not; keep clear of both.
  if (properties !== undefined && Object.hasOwn(properties, '__proto__')) unsupported();
  const names = properties === undefined ? [] : Object.keys(properties);
  const defaults = compileDefaults(properties, names);
  if (defaults !== undefined) checks.push(defaults);
  if (has(schema, 'required')) checks.push(compileRequired(schema.required, sp));
  if (has(schema, 'additionalProperties')) {
    const additional = compileAdditional(schema.additionalProperties, names, sp);
    if (additional !== undefined) checks.push(additional);
  }
  if (properties !== undefined) {
    const each = compileProperties(properties, names, sp);
    if (each !== undefined) checks.push(each);
  }
  return checks;
}

/**
 * useDefaults: a property that reads as undefined (inherited ones do not) gets a fresh copy of its default,
 * before any object keyword runs, so a defaulted property satisfies `required`.
 */
function compileDefaults(properties: SchemaMap | undefined, names: string[]): Check | undefined {
  const defaults: Array<[string, unknown]> = [];
  for (const name of names) {
    const sub = properties![name];
    if (isPlainObject(sub) && sub.default !== undefined) {
      jsonSafe(sub.default);
      defaults.push([name, sub.default]);
    }
  }
  if (defaults.length === 0) return undefined;
  return (data) => {
    const target = data as Record<string, unknown>;
    for (const [name, value] of defaults) {
      if (target[name] === undefined) target[name] = copyJson(value);
    }
  };
}

function compileRequired(required: unknown, sp: string): Check {
  if (!Array.isArray(required) || !required.every((r) => typeof r === 'string')) unsupported();
  const list = required as string[];
  return (data, path, errors) => {
    const target = data as Record<string, unknown>;
    for (const name of list) {
      if (target[name] !== undefined && Object.hasOwn(target, name)) continue;
      errors.push({
        instancePath: path,
        schemaPath: `${sp}/required`,
        keyword: 'required',
        params: { missingProperty: name },
        message: `must have required property '${name}'`,
      });
    }
  };
}

function compileAdditional(additional: unknown, names: string[], sp: string): Check | undefined {
  const known = new Set(names);
  if (additional === true) return undefined;
  if (additional === false) {
    return (data, path, errors) => {
      for (const key of Object.keys(data as object)) {
        if (known.has(key)) continue;
        errors.push({
          instancePath: path,
          schemaPath: `${sp}/additionalProperties`,
          keyword: 'additionalProperties',
          params: { additionalProperty: key },
          message: 'must NOT have additional properties',
        });
      }
    };
  }
  if (!isPlainObject(additional)) unsupported();
  const extraCheck = compileSubschema(additional, `${sp}/additionalProperties`);
  if (extraCheck === undefined) return undefined;
  return (data, path, errors) => {
    const target = data as Record<string, unknown>;
    for (const key of Object.keys(target)) {
      if (!known.has(key)) extraCheck(target[key], `${path}/${escapePointerToken(key)}`, errors);
    }
  };
}

function compileProperties(properties: SchemaMap, names: string[], sp: string): Check | undefined {
  const compiled: Array<{ name: string; pointer: string; check: Check; hasDefault: boolean }> = [];
  for (const name of names) {
    const sub = properties[name];
    if (sub !== true && !isPlainObject(sub)) unsupported();
    const check = compileSubschema(sub, `${sp}/properties/${encodeURIComponent(escapePointerToken(name))}`);
    if (check === undefined) continue;
    compiled.push({
      name,
      pointer: `/${escapePointerToken(name)}`,
      check,
      hasDefault: isPlainObject(sub) && sub.default !== undefined,
    });
  }
  if (compiled.length === 0) return undefined;
  return (data, path, errors) => {
    const target = data as Record<string, unknown>;
    for (const { name, pointer, check, hasDefault } of compiled) {
      const value = target[name];
      // With a default, ajv validates whatever the property reads as, even an inherited value.
      if (hasDefault || (value !== undefined && Object.hasOwn(target, name))) {
        check(value, path + pointer, errors);
      }
    }
  };
}

/** Accepts only values ajv would embed unchanged in its generated code as a JSON literal. */
function jsonSafe(value: unknown): void {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return;
  if (typeof value === 'number') {
    finiteNumber(value);
    return;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      if (!(i in value)) unsupported();
      jsonSafe(value[i]);
    }
    return;
  }
  if (!isPlainObject(value) || Object.hasOwn(value, '__proto__')) unsupported();
  for (const key of Object.keys(value)) jsonSafe(value[key]);
}

/** A fresh copy of a value jsonSafe() accepted, as JSON.parse(JSON.stringify(value)) would give it. */
function copyJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(copyJson);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) out[key] = copyJson((value as SchemaMap)[key]);
    return out;
  }
  return Object.is(value, -0) ? 0 : value;
}

/**
 * Structural equality as ajv's `const`, `enum` and `uniqueItems` decide it (fast-deep-equal's rules): same
 * constructor, arrays element by element, RegExps by source and flags, objects with their own `valueOf` or
 * `toString` by what those return, other objects by their own enumerable keys; NaN equals NaN.
 */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) {
    if (a.constructor !== b.constructor) return false;
    if (Array.isArray(a)) {
      const other = b as unknown[];
      if (a.length !== other.length) return false;
      for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], other[i])) return false;
      return true;
    }
    if (a.constructor === RegExp) {
      return (a as RegExp).source === (b as RegExp).source && (a as RegExp).flags === (b as RegExp).flags;
    }
    if (a.valueOf !== Object.prototype.valueOf) return a.valueOf() === b.valueOf();
    if (a.toString !== Object.prototype.toString) return a.toString() === b.toString();
    const keys = Object.keys(a);
    if (keys.length !== Object.keys(b).length) return false;
    if (!keys.every((k) => Object.hasOwn(b, k))) return false;
    return keys.every((k) => deepEqual((a as SchemaMap)[k], (b as SchemaMap)[k]));
  }
  return Number.isNaN(a) && Number.isNaN(b);
}
