/** Diagnostics: what is wrong with a document, and exactly where. Data, never printed here. */

// The shape lives with the error family (errors.ts), which carries diagnostics and sits below every layer.
import type { Diagnostic } from '../errors.js';
import { escapePointerToken as escapeToken } from '../expression/parser.js';

export type { Diagnostic, Severity } from '../errors.js';

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
