/** arazzo-runtime public API. Every export is named. */

export type { Diagnostic, Severity } from './document/diagnostic.js';
export type * from './document/model.js';
export type * from './engine/types.js';
export * from './errors.js';
