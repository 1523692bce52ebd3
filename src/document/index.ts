/** Public surface of document/: parse Arazzo text with positions, validate it, compat rewrites. */
export { MAX_ALIAS_COUNT, type ParsedText, parseDocumentText, parsedFromValue } from './parse.js';
export {
  collapseSchemaErrors,
  prepareValidation,
  type ValidateOptions,
  type ValidationResult,
  validateArazzo,
} from './validate.js';
