/** Diagnostics: what is wrong with a document, and exactly where. Data, never printed here. */

// The shape lives with the error family (errors.ts), which carries diagnostics and sits below every layer.
import type { Diagnostic } from '../errors.js';

export type { Diagnostic, Severity } from '../errors.js';

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}
