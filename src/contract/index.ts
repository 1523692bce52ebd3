/** Public surface of contract/: response checks against the OpenAPI description, message checks against AsyncAPI. */
export { checkResponse } from './check.js';
export { createContractChecker } from './checker.js';
export { checkMessage } from './message.js';
export { toJsonSchema } from './schema.js';
export type {
  ContractCheck,
  ContractChecker,
  ContractCheckKind,
  ContractOptions,
  ContractSeverity,
  ExchangedMessage,
} from './types.js';
