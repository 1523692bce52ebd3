/**
 * Every reporter masks the structure it is given before it serializes it: strings that are declared
 * secrets become `***`, keys and numbers stay, so a JSON report stays JSON and JUnit/HTML stay well-formed.
 */
import type { Masker } from '../../secrets/index.js';
import type { Reporter } from './types.js';

export function maskReporter(reporter: Reporter, masker: Masker): Reporter {
  return {
    start(info) {
      reporter.start(masker.value(info) as typeof info);
    },
    onEvent(event) {
      // The engine masks every event with this same masker (RunOptions.masker): masking again would
      // serialize each response body twice.
      reporter.onEvent(event);
    },
    finish(result) {
      reporter.finish(masker.value(result) as typeof result);
    },
    invalid(diagnostics, message, unreadable) {
      reporter.invalid(masker.value(diagnostics) as typeof diagnostics, masker.text(message), unreadable);
    },
    error(code, message) {
      reporter.error(code, masker.text(message));
    },
  };
}
