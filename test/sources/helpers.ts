import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Diagnostic } from '../../src/document/diagnostic.js';

export const FIXTURES = fileURLToPath(new URL('../fixtures/sources/', import.meta.url));
export const REPO = fileURLToPath(new URL('../../', import.meta.url));

export function fixture(...parts: string[]): string {
  return path.join(FIXTURES, ...parts);
}

/** `code@pointer` for compact assertions. */
export function codes(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((d) => `${d.code}@${d.pointer}`);
}

/** Rejection value of a promise (fails the test when it resolves). */
export async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected the promise to reject');
}
