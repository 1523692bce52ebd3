// Arazzo 1.0.1 "Arazzo Specification Object" and "Versions": what makes a document usable.
import type { Diagnostic } from './diagnostic.js';
import type { ArazzoDocument } from './model.js';
import type { ParsedText } from './parse.js';

export interface ValidateOptions {
  /** Refuse non-spec forms instead of rewriting them with a warning. Default false. */
  strict: boolean;
}

export interface ValidationResult {
  /** The compat-normalized, deeply frozen document; undefined when errors make it unusable. */
  document: ArazzoDocument | undefined;
  /** Every problem found, errors and warnings, in document order where possible. */
  diagnostics: Diagnostic[];
}

/** Validate a parsed document: version, JSON Schema, compat rewrites, semantic checks. Never throws. */
export function validateArazzo(parsed: ParsedText, options: ValidateOptions): ValidationResult {
  void options;
  const diagnostics = [...parsed.diagnostics];
  const value = parsed.value;
  if (typeof value !== 'object' || value === null || Array.isArray(value) || !('arazzo' in value)) {
    const pos = parsed.locate('');
    diagnostics.push({
      code: 'not-arazzo',
      severity: 'error',
      message: 'document: not an Arazzo document (no "arazzo" field at the top level)',
      pointer: '',
      file: parsed.url,
      line: pos.line,
      column: pos.column,
    });
    return { document: undefined, diagnostics };
  }
  return { document: undefined, diagnostics };
}
