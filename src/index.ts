/**
 * arazzo-runtime public API. Every export is named.
 *
 * @example
 * import { runWorkflow, composioSpec } from 'arazzo-runtime';
 * const result = await runWorkflow(composioSpec, { apiKey, toolkitSlug: 'gmail', authType: 'use_composio_managed_auth', userId: 'u1' });
 */

export type * from './async/types.js';
export { checkCriterion, evaluateCriteria, evaluateCriterion, parseCondition } from './criteria/index.js';
export type { Diagnostic, Severity } from './document/diagnostic.js';
export type * from './document/model.js';
export {
  EXPRESSION_TYPE_VERSIONS,
  isSelectorObject,
  outputLabel,
  parseStepDependency,
  specVersionOf,
} from './document/model.js';
export type {
  AdvanceHooks,
  AdvanceResult,
  MessageMock,
  RunOptions,
  RunState,
  Transport,
  TransportContext,
} from './engine/index.js';
export { advanceRun, runWorkflow, startRunState } from './engine/index.js';
export type * from './engine/types.js';
export * from './errors.js';
export type { ExpressionScope, Unresolved } from './expression/index.js';
export {
  evaluateExpression,
  isUnresolved,
  parseExpression,
  parseTemplate,
  renderTemplate,
} from './expression/index.js';
export type { HttpResponse, OAuthCredential, PreparedRequest, SendOptions } from './http/types.js';
export type { ProxyOption, TlsOptions } from './net/index.js';
export { MASK, Masker } from './secrets/index.js';
export type {
  DocumentLoader,
  LoadedDocument,
  LoadOptions,
  ResolvedOperation,
  ValidateOptions,
} from './sources/index.js';
export { loadArazzo, validate } from './sources/index.js';
export { composioSpec, specPath } from './specs.js';
