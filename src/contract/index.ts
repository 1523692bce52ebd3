/** Public surface of contract/: response checks against the OpenAPI description. */
export { checkResponse, createContractChecker } from './check.js';
export { toJsonSchema } from './schema.js';
export type { ContractCheck, ContractCheckKind, ContractOptions, ContractSeverity } from './types.js';
