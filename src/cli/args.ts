/** Argument helpers: node:util parseArgs plus the CLI's own value syntax (name=value, env:NAME, typed inputs). */
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { resolveInputsRef } from '../document/inputs-ref.js';
import type { ArazzoDocument, JsonValue, WorkflowObject } from '../document/model.js';
import { isSecretInputName } from '../engine/mask.js';

/** Bad command line: exit code 2, one line on stderr. */
export class UsageError extends Error {
  override name = 'UsageError';
  readonly command: string | undefined;
  constructor(message: string, command?: string) {
    super(message);
    this.command = command;
  }
}

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

export interface Parsed {
  values: Record<string, string | boolean | string[] | boolean[] | undefined>;
  positionals: string[];
}

/** parseArgs with strict checking, turning its verbose errors into one short line. */
export function parseCommandArgs(argv: readonly string[], options: OptionSpec, command: string): Parsed {
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      options,
      strict: true,
      allowPositionals: true,
    });
    return { values: values as Parsed['values'], positionals };
  } catch (error) {
    const code = (error as { code?: string }).code ?? '';
    const message = error instanceof Error ? error.message : String(error);
    const flag = /'(-[^']*)'/.exec(message)?.[1] ?? '';
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') throw new UsageError(`unknown option ${flag}`, command);
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      const name = /--[\w-]+/.exec(message)?.[0] ?? /-[\w]/.exec(message)?.[0] ?? flag;
      throw new UsageError(`option ${name} needs a value`, command);
    }
    throw new UsageError(message.split('\n')[0] ?? message, command);
  }
}

export function stringList(value: Parsed['values'][string]): string[] {
  if (value === undefined) return [];
  if (Array.isArray(value)) return value.map(String);
  return [String(value)];
}

export function lastString(value: Parsed['values'][string]): string | undefined {
  const list = stringList(value);
  return list[list.length - 1];
}

/** `name=value` split at the first '='. Values may contain '='. */
export function splitPair(raw: string, flag: string): [string, string] {
  const at = raw.indexOf('=');
  if (at <= 0) throw new UsageError(`${flag} expects name=value, got "${raw}"`);
  return [raw.slice(0, at), raw.slice(at + 1)];
}

/** Repeated name=value flags into a record; a later flag wins over an earlier one with the same name. */
export function collectPairs(list: readonly string[], flag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of list) {
    const [name, value] = splitPair(raw, flag);
    out[name] = value;
  }
  return out;
}

const ENV_REF = /^env:([A-Za-z_][A-Za-z0-9_]*)$/;

/**
 * `env:NAME` reads the environment variable NAME (so secrets stay out of shell history and `ps`).
 * Returns undefined when `raw` is not an env reference; throws UsageError when the variable is unset.
 */
export function readEnvRef(
  raw: string,
  env: Record<string, string | undefined>,
  flag: string,
): string | undefined {
  const m = ENV_REF.exec(raw);
  if (!m) return undefined;
  const name = m[1]!;
  const value = env[name];
  if (value === undefined) throw new UsageError(`${flag}: environment variable ${name} is not set`);
  return value;
}

export function parseIntegerFlag(raw: string | undefined, flag: string, min: number): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw.trim())) throw new UsageError(`${flag} expects a whole number, got "${raw}"`);
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < min)
    throw new UsageError(`${flag} must be at least ${min}, got ${raw}`);
  return n;
}

export function oneOf<T extends string>(
  raw: string | undefined,
  allowed: readonly T[],
  flag: string,
): T | undefined {
  if (raw === undefined) return undefined;
  if ((allowed as readonly string[]).includes(raw)) return raw as T;
  throw new UsageError(`${flag} must be one of ${allowed.join(', ')}, got "${raw}"`);
}

function schemaTypes(schema: JsonValue | undefined): string[] {
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) return [];
  const t = schema.type;
  if (typeof t === 'string') return [t];
  if (Array.isArray(t)) return t.filter((x): x is string => typeof x === 'string');
  // An enum or const of one JSON type implies that type.
  const values = Array.isArray(schema.enum) ? schema.enum : 'const' in schema ? [schema.const ?? null] : [];
  const kinds = new Set(values.map((v) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v)));
  return [...kinds];
}

function parseAs(type: string, raw: string): { ok: true; value: unknown } | { ok: false } {
  const text = raw.trim();
  switch (type) {
    case 'integer':
      return /^[-+]?\d+$/.test(text) && Number.isSafeInteger(Number(text))
        ? { ok: true, value: Number(text) }
        : { ok: false };
    case 'number': {
      const n = Number(text);
      return text !== '' && Number.isFinite(n) ? { ok: true, value: n } : { ok: false };
    }
    case 'boolean':
      return text === 'true'
        ? { ok: true, value: true }
        : text === 'false'
          ? { ok: true, value: false }
          : { ok: false };
    case 'null':
      return text === 'null' ? { ok: true, value: null } : { ok: false };
    case 'object':
    case 'array': {
      try {
        const value: unknown = JSON.parse(text);
        const isArray = Array.isArray(value);
        const fits = type === 'array' ? isArray : typeof value === 'object' && value !== null && !isArray;
        return fits ? { ok: true, value } : { ok: false };
      } catch {
        return { ok: false };
      }
    }
    case 'string':
      return { ok: true, value: raw };
    default:
      return { ok: false };
  }
}

/**
 * Type a `--input` value by the property's JSON Schema: number/integer/boolean/null parsed, object/array as
 * JSON, otherwise the string as given. With several allowed types the first that parses wins, string last.
 * A value that fits no type is passed through as a string: the engine's input validation then reports it
 * (exit 1, like any other invalid input) with the schema's own words.
 */
export function typeInputValue(raw: string, schema: JsonValue | undefined): unknown {
  const types = schemaTypes(schema);
  const ordered = [...types.filter((t) => t !== 'string'), ...types.filter((t) => t === 'string')];
  for (const t of ordered) {
    const r = parseAs(t, raw);
    if (r.ok) return r.value;
  }
  return raw;
}

type JsonObj = { [key: string]: JsonValue };

function asObject(v: JsonValue | undefined): JsonObj | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? v : undefined;
}

/** The workflow's inputs schema, following `$ref`s (JSON Pointer or `$anchor` fragments). */
export function workflowInputsSchema(doc: ArazzoDocument, workflow: WorkflowObject): JsonObj | undefined {
  let schema = asObject(workflow.inputs);
  for (let hops = 0; schema && typeof schema.$ref === 'string' && hops < 8; hops++) {
    const target = resolveInputsRef(schema.$ref, doc);
    if (target === undefined) return schema;
    schema = asObject(target);
  }
  return schema;
}

export interface InputProperty {
  name: string;
  schema: JsonObj | undefined;
  required: boolean;
  types: string[];
}

export function inputProperties(doc: ArazzoDocument, workflow: WorkflowObject): InputProperty[] {
  const schema = workflowInputsSchema(doc, workflow);
  const props = asObject(schema?.properties) ?? {};
  const required = new Set(Array.isArray(schema?.required) ? schema.required.map(String) : []);
  return Object.entries(props).map(([name, s]) => ({
    name,
    schema: asObject(s),
    required: required.has(name),
    types: schemaTypes(s),
  }));
}

/** Whether an input looks like a credential: by name, or `format: password` / `writeOnly` / `x-secret` in its schema. */
export function isSecretInput(name: string, schema: JsonObj | undefined): boolean {
  if (schema?.format === 'password' || schema?.writeOnly === true || schema?.['x-secret'] === true)
    return true;
  return isSecretInputName(name);
}
