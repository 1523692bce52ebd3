/** Types of contract checks: does a response (or a message) match what its description declares? */
import type { HttpResponse } from '../http/types.js';
import type { AsyncApiMessage, OpenApiSource, ResolvedOperation } from '../sources/types.js';

export type ContractCheckKind = 'status' | 'content-type' | 'schema';
export type ContractSeverity = 'error' | 'warning';

/** One check of one response. A failed check is a result, never an exception. */
export interface ContractCheck {
  check: ContractCheckKind;
  passed: boolean;
  severity: ContractSeverity;
  /** Readable, e.g. `response body /data/0/id: must be string`. */
  message: string;
  /** JSON Pointer into the response body or message payload/headers (schema checks), '' for the whole. */
  pointer?: string;
}

/** Options of `checkResponse` and `createContractChecker`. */
export interface ContractOptions {
  /**
   * Severity given to failed checks: one for all kinds, or per kind (kinds left out stay 'error').
   * Default 'error'.
   * @example { severity: { 'content-type': 'warning' } }
   */
  severity?: ContractSeverity | Partial<Record<ContractCheckKind, ContractSeverity>>;
  /**
   * Schema errors reported per response at most (the rest are summed up in one more check).
   * Default 10.
   * @example { maxSchemaErrors: 3 }
   */
  maxSchemaErrors?: number;
}

/** A message as an AsyncAPI step sends or receives it. */
export interface ExchangedMessage {
  direction: 'sent' | 'received';
  headers: Record<string, string>;
  payload: unknown;
}

/** `checkResponse` with fixed options; `.message` checks a message against its AsyncAPI message's schemas. */
export interface ContractChecker {
  (operation: ResolvedOperation, response: HttpResponse, source?: OpenApiSource): ContractCheck[];
  message(message: AsyncApiMessage | undefined, exchanged: ExchangedMessage): ContractCheck[];
}
