/** JSON reporter: the RunResult (or the invalid document's diagnostics) as one JSON document. */
import type { Diagnostic } from '../../document/diagnostic.js';
import type { RunResult } from '../../engine/types.js';
import { stringifyJson } from '../format.js';
import type { Writable } from '../io.js';
import { createFinalReporter } from './final.js';
import type { Reporter } from './types.js';

export function createJsonReporter(out: Writable): Reporter {
  return createFinalReporter(out, {
    finish: (result: RunResult) => `${stringifyJson(result)}\n`,
    invalid: (diagnostics: readonly Diagnostic[], message: string) =>
      `${stringifyJson({ status: 'invalid', message, diagnostics })}\n`,
    error: (code: string, message: string) =>
      `${stringifyJson({ status: 'error', error: { code, message } })}\n`,
  });
}
