/** JSON reporter: the RunResult (or the invalid document's diagnostics) as one JSON document. */
import type { Diagnostic } from '../../document/diagnostic.js';
import type { RunResult } from '../../engine/types.js';
import { stringifyJson } from '../format.js';
import type { Writable } from '../io.js';
import type { Reporter } from './types.js';

export function createJsonReporter(out: Writable): Reporter {
  return {
    start() {},
    onEvent() {},
    finish(result: RunResult) {
      out.write(`${stringifyJson(result)}\n`);
    },
    invalid(diagnostics: readonly Diagnostic[], message: string) {
      out.write(`${stringifyJson({ status: 'invalid', message, diagnostics })}\n`);
    },
    error(code: string, message: string) {
      out.write(`${stringifyJson({ status: 'error', error: { code, message } })}\n`);
    },
  };
}
