/** Example bodies for OpenAPI schemas: openapi-sampler (loaded on first use), $ref clean-up, seeded ids. */
import { createRequire } from 'node:module';
import type { JsonValue } from '../document/model.js';
import { isRecord, setOwn } from '../own.js';

interface Sampler {
  sample(
    schema: object,
    options?: { skipReadOnly?: boolean; skipWriteOnly?: boolean; quiet?: boolean; format?: 'json' | 'xml' },
    spec?: object,
  ): unknown;
}

let sampler: Sampler | undefined;

/** openapi-sampler pulls in an XML builder; load it only when a body is actually generated. */
function loadSampler(): Sampler {
  if (sampler === undefined) sampler = createRequire(import.meta.url)('openapi-sampler') as Sampler;
  return sampler;
}

type Obj = Record<string, unknown>;

/** Schemas with their unresolvable `$ref`s replaced, per original schema object and spec availability. */
const cleaned = new WeakMap<object, { withSpec?: unknown; bare?: unknown }>();

/**
 * Resolved operations keep a `$ref` where a cycle was cut (`#/...`) or an external document was not
 * available (an absolute URL). openapi-sampler follows `#/...` refs itself when it has the document;
 * every other ref becomes `{}` so the sampler never throws on it.
 */
function cleanRefs(schema: unknown, keepLocal: boolean): unknown {
  if (!isRecord(schema) && !Array.isArray(schema)) return schema;
  const slot = cleaned.get(schema) ?? {};
  const key = keepLocal ? 'withSpec' : 'bare';
  if (slot[key] !== undefined) return slot[key];
  const memo = new Map<object, unknown>();
  const walk = (node: unknown, depth: number): unknown => {
    if (depth > 200) return {};
    if (Array.isArray(node)) return node.map((n) => walk(n, depth + 1));
    if (!isRecord(node)) return node;
    const seen = memo.get(node);
    if (seen !== undefined) return seen;
    if (typeof node.$ref === 'string') {
      const out = keepLocal && node.$ref.startsWith('#/') ? { $ref: node.$ref } : {};
      memo.set(node, out);
      return out;
    }
    const out: Obj = {};
    memo.set(node, out);
    for (const [k, v] of Object.entries(node))
      out[k] =
        k === 'example' || k === 'examples' || k === 'enum' || k === 'default' || k === 'const'
          ? v
          : walk(v, depth + 1);
    return out;
  };
  const result = walk(schema, 0);
  slot[key] = result;
  cleaned.set(schema, slot);
  return result;
}

/**
 * A sample value for `schema`, or undefined when the sampler cannot make one.
 * `spec` is the raw OpenAPI document, used to follow `#/...` references left by cycles.
 */
export function sampleSchema(
  schema: JsonValue | undefined,
  options: { xml?: boolean; spec?: unknown } = {},
): unknown {
  if (schema === undefined || (!isRecord(schema) && typeof schema !== 'boolean')) return undefined;
  if (schema === true || schema === false) return schema ? {} : undefined;
  const spec = isRecord(options.spec) ? options.spec : undefined;
  const prepared = cleanRefs(schema, spec !== undefined) as object;
  try {
    return loadSampler().sample(
      prepared,
      { skipWriteOnly: true, quiet: true, ...(options.xml === true ? { format: 'xml' as const } : {}) },
      spec,
    );
  } catch {
    return undefined;
  }
}

/** FNV-1a, 32 bit. */
function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A deterministic 10-character base-36 token for a seed and a key. */
export function seededToken(seed: number, key: string): string {
  let a = hash32(`${seed}|${key}`);
  let out = '';
  while (out.length < 10) {
    // mulberry32 step
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out += (((t ^ (t >>> 14)) >>> 0) % 36).toString(36);
  }
  return out;
}

const ID_KEY = /^(id|.*_id|.*[a-z0-9]Id|.*ID)$/;

/**
 * Replace the sampler's placeholder text ("string") under id-like keys (`id`, `*_id`, `*Id`) with
 * seeded tokens, so two created resources do not share an id. `key` scopes the tokens (operation + call).
 */
export function seedIdentifiers(value: unknown, seed: number, key: string): unknown {
  const walk = (node: unknown, path: string, depth: number): unknown => {
    if (depth > 64) return node;
    if (Array.isArray(node)) return node.map((n, i) => walk(n, `${path}/${i}`, depth + 1));
    if (!isRecord(node)) return node;
    const out: Obj = {};
    for (const [k, v] of Object.entries(node)) {
      const here = `${path}/${k}`;
      out[k] =
        v === 'string' && ID_KEY.test(k)
          ? `mock_${seededToken(seed, `${key}${here}`)}`
          : walk(v, here, depth + 1);
    }
    return out;
  };
  return walk(value, '', 0);
}

/** Deep merge: objects merge key by key, anything else replaces. Neither input is modified. */
export function deepMerge(base: unknown, patch: unknown): unknown {
  if (!isRecord(base) || !isRecord(patch)) return structuredCloneJson(patch);
  const out: Obj = { ...base };
  for (const [k, v] of Object.entries(patch)) {
    // Own-property writes only: a scenario key "__proto__" must not reach the prototype.
    setOwn(out, k, Object.hasOwn(base, k) ? deepMerge(base[k], v) : structuredCloneJson(v));
  }
  return out;
}

function structuredCloneJson(v: unknown): unknown {
  return v === undefined ? undefined : (JSON.parse(JSON.stringify(v)) as unknown);
}
