/** Text formatting shared by commands and reporters: diagnostics, durations, JSON-safe values. */
import { isAbsolute, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Diagnostic } from '../document/diagnostic.js';

/** A file: URL or absolute path shown relative to cwd when it lies below it; other URLs as they are. */
export function displayPath(file: string, cwd: string): string {
  let path = file;
  if (file.startsWith('file:')) {
    try {
      path = fileURLToPath(file);
    } catch {
      return file;
    }
  }
  if (!isAbsolute(path)) return path;
  const rel = relative(cwd, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

export function diagnosticLocation(d: Diagnostic, cwd: string): string {
  const file = displayPath(d.file, cwd);
  return d.line > 0 ? `${file}:${d.line}:${d.column}` : file;
}

/** `file:line:col severity code message` (the format editors and CI annotators understand). */
export function formatDiagnostic(d: Diagnostic, cwd: string): string {
  return `${diagnosticLocation(d, cwd)} ${d.severity} ${d.code} ${d.message}`;
}

export function countSeverities(diagnostics: readonly Diagnostic[]): { errors: number; warnings: number } {
  let errors = 0;
  let warnings = 0;
  for (const d of diagnostics) {
    if (d.severity === 'error') errors++;
    else if (d.severity === 'warning') warnings++;
  }
  return { errors, warnings };
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** 12 ms, 1.25 s, 3 s. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  return `${Number.isInteger(s) ? s : s.toFixed(2)} s`;
}

/** Compact wait for retry lines: 3s, 1.5s, 250ms. */
export function formatWait(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = ms / 1000;
  return `${Number.isInteger(s) ? s : s.toFixed(1)}s`;
}

export function truncate(text: string, limit: number): string {
  if (text.length <= limit) return text;
  return `${text.slice(0, limit)}… (${text.length - limit} more characters)`;
}

/**
 * A deep copy that JSON.stringify renders sanely: bytes as `{ encoding: 'base64', byteLength, data }`,
 * bigint as a string, errors as `{ name, message }`, Maps as objects, cycles as '[Circular]'.
 */
export function toJsonSafe(value: unknown, seen: WeakSet<object> = new WeakSet()): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (typeof value !== 'object' || value === null) return value;
  if (value instanceof Uint8Array) {
    return { encoding: 'base64', byteLength: value.byteLength, data: Buffer.from(value).toString('base64') };
  }
  if (value instanceof ArrayBuffer) return toJsonSafe(new Uint8Array(value), seen);
  if (value instanceof Date) return value.toISOString();
  if (seen.has(value)) return '[Circular]';
  seen.add(value);
  try {
    if (value instanceof Error) return { name: value.name, message: value.message };
    if (value instanceof Map) {
      return Object.fromEntries([...value].map(([k, v]) => [String(k), toJsonSafe(v, seen)]));
    }
    if (value instanceof Set) return [...value].map((v) => toJsonSafe(v, seen));
    if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : toJsonSafe(v, seen)));
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
      out[k] = toJsonSafe(v, seen);
    }
    return out;
  } finally {
    seen.delete(value);
  }
}

export function stringifyJson(value: unknown, indent = 2): string {
  return JSON.stringify(toJsonSafe(value), null, indent) ?? 'null';
}

/** A value for one line of text: strings as they are, bytes summarized, the rest as compact JSON. */
export function inlineValue(value: unknown): string {
  if (value === undefined) return '(not set)';
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array) return `<${value.byteLength} bytes>`;
  return JSON.stringify(toJsonSafe(value)) ?? String(value);
}

/** A body for verbose output: JSON pretty-printed, bytes summarized, text as is; cut at `limit` characters. */
export function blockValue(value: unknown, limit: number): string {
  if (value instanceof Uint8Array) return `<binary, ${value.byteLength} bytes>`;
  const text = typeof value === 'string' ? value : stringifyJson(value);
  return truncate(text, limit);
}
