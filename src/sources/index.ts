/** Public surface of sources/: loading Arazzo documents and their source descriptions, the operation index. */

export { didYouMean } from '../document/suggest.js';
export { loadArazzo, validate } from './load.js';
export {
  createDefaultLoader,
  DEFAULT_MAX_DOCUMENT_BYTES,
  type DefaultLoaderOptions,
  defaultLoader,
} from './loader.js';
export { createOpenApiSource, detectOpenApiVersion, parseSourceText } from './openapi.js';
export { declaredResponse } from './responses.js';
export { resolveStepTarget } from './target.js';
export type * from './types.js';
