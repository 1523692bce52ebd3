/** What every reporter implements: events during the run, the result at the end. */
import type { Diagnostic } from '../../document/diagnostic.js';
import type { ArazzoDocument } from '../../document/model.js';
import type { RunEvent, RunResult } from '../../engine/types.js';

export interface RunInfo {
  /** The Arazzo file as the user named it. */
  file: string;
  workflowId: string;
  /** The loaded document (retry limits, steps never reached); absent when loading failed. */
  document?: ArazzoDocument;
  /** Diagnostics from loading (compat warnings), shown before the run by the pretty reporter. */
  diagnostics: readonly Diagnostic[];
  /** Mock mode: requests are answered from the OpenAPI description, not sent. */
  mock?: boolean;
  /** Line and column of a JSON Pointer into `document` (absent when loading failed). */
  locate?: (pointer: string) => { line: number; column: number };
}

export interface Reporter {
  start(info: RunInfo): void;
  onEvent(event: RunEvent): void;
  finish(result: RunResult): void;
  /** The document cannot be run: its diagnostics. `unreadable`: the file could not be read at all. */
  invalid(diagnostics: readonly Diagnostic[], message: string, unreadable?: boolean): void;
  /** The run could not start or crashed (bad options, internal error): one line. */
  error(code: string, message: string): void;
}

export type ReporterName = 'pretty' | 'json' | 'junit' | 'html';
export const REPORTERS: readonly ReporterName[] = ['pretty', 'json', 'junit', 'html'];
