/** Diagnostics: what is wrong with a document, and exactly where. Data, never printed here. */
import { escapePointerToken as escapeToken } from '../expression/parser.js';

export type Severity = 'error' | 'warning' | 'info';

export interface Diagnostic {
  /** Stable code, e.g. 'schema', 'duplicate-step-id', 'compat-step-retry-fields'. See README "Diagnostic codes". */
  code: string;
  severity: Severity;
  /** "subject: what is wrong", no colour codes. */
  message: string;
  /** RFC 6901 JSON Pointer into `file`, e.g. '/workflows/0/steps/2/operationId'. '' is the root. */
  pointer: string;
  /** Path or URL of the document the pointer refers to. */
  file: string;
  /** 1-based line and column of the node at `pointer` (of its key where that reads better); 0 when unknown. */
  line: number;
  column: number;
}

/** Escape one reference token for a JSON Pointer (RFC 6901 section 3); array indexes may be numbers. */
export function escapePointerToken(token: string | number): string {
  return escapeToken(String(token));
}

/** Append tokens to a JSON Pointer. */
export function childPointer(pointer: string, ...tokens: Array<string | number>): string {
  let out = pointer;
  for (const t of tokens) out += `/${escapePointerToken(t)}`;
  return out;
}

/** Split a JSON Pointer into unescaped tokens. '' gives []. Throws nothing: a malformed pointer yields undefined. */
export function parsePointer(pointer: string): string[] | undefined {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) return undefined;
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/**
 * The tokens of a same-document reference (`#/components/inputs/a%20b`): the fragment percent-decoded
 * (RFC 6901 section 6), then split. Undefined when `ref` is not a fragment or is malformed.
 *
 * @example parseFragmentPointer('#/components/inputs/a~1b') // ['components', 'inputs', 'a/b']
 */
export function parseFragmentPointer(ref: string): string[] | undefined {
  if (!ref.startsWith('#')) return undefined;
  let decoded: string;
  try {
    decoded = decodeURIComponent(ref.slice(1));
  } catch {
    return undefined;
  }
  return parsePointer(decoded);
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}
