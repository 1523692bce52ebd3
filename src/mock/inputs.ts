// Arazzo 1.0.1 "Workflow Object" `inputs` (a JSON Schema) and OpenAPI "Security Scheme Object": sample values for mock runs.
import type { AuthCredentials as AuthValues } from '../http/types.js';
import type { LoadedSource, SecurityScheme } from '../sources/types.js';

/** Options of `synthesizeInputs`. */
export interface SynthesizeOptions {
  /**
   * Fill optional properties too (a realistic run exercises every parameter). `false` fills only
   * `required` ones and those with a `default`, `const` or example. Default true.
   * @example synthesizeInputs(schema, { optional: false })
   */
  optional?: boolean;
  /**
   * Resolves a local `$ref` (e.g. `#/components/inputs/pagination`) to its schema. Default: none
   * (a `$ref` without a resolver samples as an empty string).
   * @example { resolveRef: (ref) => document.components?.inputs?.[ref.split('/').pop()!] }
   */
  resolveRef?: (ref: string) => unknown;
}

type Schema = Record<string, unknown>;

/** Sample strings for the JSON Schema / OpenAPI formats real workflows declare. */
const FORMAT_SAMPLES: Record<string, string> = {
  email: 'user@example.com',
  'idn-email': 'user@example.com',
  uuid: '123e4567-e89b-42d3-a456-426614174000',
  'date-time': '2024-01-02T03:04:05Z',
  date: '2024-01-02',
  time: '03:04:05Z',
  duration: 'P1D',
  uri: 'https://example.com/resource',
  url: 'https://example.com/resource',
  'uri-reference': 'https://example.com/resource',
  iri: 'https://example.com/resource',
  'iri-reference': 'https://example.com/resource',
  'uri-template': 'https://example.com/{id}',
  hostname: 'example.com',
  'idn-hostname': 'example.com',
  ipv4: '192.0.2.1',
  ipv6: '2001:db8::1',
  byte: 'ZXhhbXBsZQ==',
  binary: 'example',
  password: 'example-password',
  'json-pointer': '/example',
  'relative-json-pointer': '0',
  regex: '^example$',
  phone: '+15555550100',
};

const MAX_DEPTH = 12;

function isObject(v: unknown): v is Schema {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The first JSON type a schema allows, preferring non-null. */
function typeOf(schema: Schema): string | undefined {
  const t = schema.type;
  if (typeof t === 'string') return t;
  if (Array.isArray(t)) {
    const named = t.filter((x): x is string => typeof x === 'string');
    return named.find((x) => x !== 'null') ?? named[0];
  }
  if (isObject(schema.properties)) return 'object';
  if (schema.items !== undefined) return 'array';
  return undefined;
}

/** Merge `allOf` members into one schema (properties and required lists are unioned). */
function flatten(schema: Schema, options: SynthesizeOptions, depth: number): Schema {
  let s = schema;
  if (typeof s.$ref === 'string' && options.resolveRef !== undefined && depth < MAX_DEPTH) {
    const target = options.resolveRef(s.$ref);
    if (isObject(target)) {
      const { $ref: _ref, ...rest } = s;
      s = { ...flatten(target, options, depth + 1), ...rest };
    }
  }
  if (Array.isArray(s.allOf)) {
    const { allOf, ...rest } = s;
    let merged: Schema = {};
    for (const part of allOf) {
      if (!isObject(part)) continue;
      const p = flatten(part, options, depth + 1);
      merged = {
        ...merged,
        ...p,
        properties: {
          ...(isObject(merged.properties) ? merged.properties : {}),
          ...(isObject(p.properties) ? p.properties : {}),
        },
        required: [
          ...(Array.isArray(merged.required) ? merged.required : []),
          ...(Array.isArray(p.required) ? p.required : []),
        ],
      };
    }
    s = { ...merged, ...rest };
  }
  const branches = Array.isArray(s.oneOf) ? s.oneOf : Array.isArray(s.anyOf) ? s.anyOf : undefined;
  if (branches !== undefined) {
    const first = branches.find((b) => isObject(b) && typeOf(b) !== 'null') ?? branches[0];
    const { oneOf: _o, anyOf: _a, ...rest } = s;
    if (isObject(first)) s = { ...flatten(first, options, depth + 1), ...rest };
  }
  return s;
}

/** An explicit value the schema offers: const, default, example, examples[0], enum[0] (in that order). */
function declaredValue(schema: Schema): { value: unknown } | undefined {
  if (Object.hasOwn(schema, 'const')) return { value: schema.const };
  if (Object.hasOwn(schema, 'default')) return { value: schema.default };
  if (Object.hasOwn(schema, 'example')) return { value: schema.example };
  if (Array.isArray(schema.examples) && schema.examples.length > 0) return { value: schema.examples[0] };
  if (Array.isArray(schema.enum) && schema.enum.length > 0) {
    return { value: schema.enum.find((v) => v !== null) ?? schema.enum[0] };
  }
  return undefined;
}

function sampleString(schema: Schema, name: string): string {
  const format = typeof schema.format === 'string' ? schema.format.toLowerCase() : undefined;
  let text =
    format !== undefined && Object.hasOwn(FORMAT_SAMPLES, format) ? FORMAT_SAMPLES[format]! : undefined;
  if (text === undefined) {
    const lower = name.toLowerCase();
    if (lower.includes('email')) text = FORMAT_SAMPLES.email!;
    else if (/(^|_)(url|uri)$|url$|uri$/i.test(name)) text = FORMAT_SAMPLES.uri!;
    else text = `sample-${name || 'value'}`;
  }
  const min = typeof schema.minLength === 'number' ? schema.minLength : 0;
  const max = typeof schema.maxLength === 'number' ? schema.maxLength : undefined;
  if (text.length < min) text = text.padEnd(min, 'x');
  if (max !== undefined && text.length > max) text = text.slice(0, max);
  return text;
}

function sampleNumber(schema: Schema, integer: boolean): number {
  const min =
    typeof schema.minimum === 'number'
      ? schema.minimum
      : typeof schema.exclusiveMinimum === 'number'
        ? schema.exclusiveMinimum + (integer ? 1 : 0.5)
        : undefined;
  const max =
    typeof schema.maximum === 'number'
      ? schema.maximum
      : typeof schema.exclusiveMaximum === 'number'
        ? schema.exclusiveMaximum - (integer ? 1 : 0.5)
        : undefined;
  let n = min ?? (max !== undefined ? Math.min(1, max) : 1);
  if (integer) n = Math.ceil(n);
  if (typeof schema.multipleOf === 'number' && schema.multipleOf > 0) {
    n = Math.ceil(n / schema.multipleOf) * schema.multipleOf;
  }
  return n;
}

function sample(raw: unknown, name: string, options: SynthesizeOptions, depth: number): unknown {
  if (!isObject(raw)) return raw === false ? undefined : `sample-${name || 'value'}`;
  const schema = flatten(raw, options, depth);
  const declared = declaredValue(schema);
  if (declared !== undefined) return structuredClone(declared.value);
  if (depth >= MAX_DEPTH) return undefined;
  switch (typeOf(schema)) {
    case 'object': {
      const out: Record<string, unknown> = {};
      const props = isObject(schema.properties) ? schema.properties : {};
      const required = new Set(
        Array.isArray(schema.required)
          ? schema.required.filter((r): r is string => typeof r === 'string')
          : [],
      );
      for (const key of Object.keys(props)) {
        const prop = props[key];
        const wanted =
          required.has(key) ||
          options.optional !== false ||
          (isObject(prop) && declaredValue(flatten(prop, options, depth + 1)) !== undefined);
        if (!wanted) continue;
        const v = sample(prop, key, options, depth + 1);
        if (v !== undefined) out[key] = v;
      }
      // Required names without a property schema still need a value.
      for (const key of required) if (!Object.hasOwn(out, key)) out[key] = `sample-${key}`;
      return out;
    }
    case 'array': {
      const count = Math.max(1, typeof schema.minItems === 'number' ? schema.minItems : 1);
      const items = Array.isArray(schema.prefixItems) ? schema.prefixItems : [];
      const out: unknown[] = [];
      for (let i = 0; i < count; i++) {
        const item = sample(items[i] ?? schema.items ?? {}, name, options, depth + 1);
        out.push(item === undefined ? `sample-${name}` : item);
      }
      return out;
    }
    case 'integer':
      return sampleNumber(schema, true);
    case 'number':
      return sampleNumber(schema, false);
    case 'boolean':
      return true;
    case 'null':
      return null;
    default:
      return sampleString(schema, name);
  }
}

/**
 * Inputs that satisfy a workflow's `inputs` JSON Schema, for mock runs and smoke tests. Deterministic.
 * Per property: `const`, then `default`, `example`, `examples[0]`, `enum[0]`; otherwise a value of the
 * declared type (strings by `format`: email, uuid, date-time, uri...; numbers within minimum/maximum;
 * arrays with `minItems` items, at least one). `allOf` is merged, the first `oneOf`/`anyOf` branch taken.
 * @example synthesizeInputs({ type: 'object', required: ['email'], properties: { email: { type: 'string', format: 'email' } } })
 * // { email: 'user@example.com' }
 */
export function synthesizeInputs(schema: unknown, options: SynthesizeOptions = {}): Record<string, unknown> {
  if (!isObject(schema)) return {};
  const value = sample(schema, '', options, 0);
  return isObject(value) ? value : {};
}

/** A dummy credential of the shape `buildRequest` expects for a security scheme. */
export function dummyCredential(scheme: SecurityScheme, token = 'mock-token'): AuthValues[string] {
  if (scheme.type === 'http' && scheme.scheme.toLowerCase() === 'basic') {
    return { username: 'mock-user', password: token };
  }
  if (scheme.type === 'apiKey') return { value: token };
  return { token };
}

/**
 * Credentials for every security scheme of every OpenAPI source (and of nested Arazzo sources):
 * apiKey -> `{ value }`, http basic -> `{ username, password }`, bearer/oauth2/openIdConnect -> `{ token }`.
 * mutualTLS schemes get nothing (they are not header credentials). Use with mock runs: `runWorkflow(..., { auth })`.
 * @example dummyAuth(loaded.sources.values()) // { bearerAuth: { token: 'mock-token' } }
 */
export function dummyAuth(sources: Iterable<LoadedSource>, token = 'mock-token'): AuthValues {
  const out: AuthValues = {};
  const seen = new Set<object>();
  const walk = (list: Iterable<LoadedSource>): void => {
    for (const source of list) {
      if (seen.has(source)) continue;
      seen.add(source);
      if (source.kind === 'arazzo') {
        walk(source.loaded.sources.values());
        continue;
      }
      // Read defensively: the typed shape is what a valid document has, not what every source has.
      const raw: unknown = source.raw;
      const schemes = new Map<string, SecurityScheme>();
      // OpenAPI 3: components.securitySchemes; Swagger 2: securityDefinitions (the index maps both
      // onto each operation, so ask the operations when the raw document shape is unfamiliar).
      const fromRaw = isObject(raw)
        ? isObject(raw.components) && isObject(raw.components.securitySchemes)
          ? raw.components.securitySchemes
          : isObject(raw.securityDefinitions)
            ? raw.securityDefinitions
            : undefined
        : undefined;
      if (fromRaw !== undefined) {
        for (const [name, s] of Object.entries(fromRaw)) {
          if (isObject(s) && typeof s.type === 'string') schemes.set(name, normalizeScheme(s));
        }
      }
      for (const [name, scheme] of schemes) {
        if (scheme.type === 'mutualTLS' || Object.hasOwn(out, name)) continue;
        out[name] = dummyCredential(scheme, token);
      }
    }
  };
  walk(sources);
  return out;
}

/** Swagger 2 `basic` is OpenAPI 3 `http`/`basic`; everything else keeps its type. */
function normalizeScheme(s: Schema): SecurityScheme {
  if (s.type === 'basic') return { type: 'http', scheme: 'basic' };
  if (s.type === 'http') return { type: 'http', scheme: typeof s.scheme === 'string' ? s.scheme : 'bearer' };
  if (s.type === 'apiKey') {
    const where = s.in === 'query' || s.in === 'cookie' ? s.in : 'header';
    return { type: 'apiKey', name: typeof s.name === 'string' ? s.name : '', in: where };
  }
  if (s.type === 'oauth2') return { type: 'oauth2' };
  if (s.type === 'openIdConnect') return { type: 'openIdConnect' };
  return { type: 'mutualTLS' };
}
