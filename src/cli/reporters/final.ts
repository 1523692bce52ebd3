/**
 * The shell of a reporter that writes once, at the end (JSON, JUnit, HTML): it keeps what `start` said,
 * ignores the events, and writes the text its renderer makes of the result, the diagnostics or the error.
 */
import type { Diagnostic } from '../../document/diagnostic.js';
import type { RunResult } from '../../engine/types.js';
import type { Writable } from '../io.js';
import type { Reporter, RunInfo } from './types.js';

/** How a final reporter renders each ending; `info` is what `start` said (undefined before it). */
export interface FinalRender {
  finish(result: RunResult, info: RunInfo | undefined): string;
  invalid(diagnostics: readonly Diagnostic[], message: string, info: RunInfo | undefined): string;
  error(code: string, message: string, info: RunInfo | undefined): string;
}

export function createFinalReporter(out: Writable, render: FinalRender): Reporter {
  let info: RunInfo | undefined;
  return {
    start(i) {
      info = i;
    },
    onEvent() {},
    finish(result) {
      out.write(render.finish(result, info));
    },
    invalid(diagnostics, message) {
      out.write(render.invalid(diagnostics, message, info));
    },
    error(code, message) {
      out.write(render.error(code, message, info));
    },
  };
}
