/** Types of contract checks: does a response match what the OpenAPI description declares? */

export type ContractCheckKind = 'status' | 'content-type' | 'schema';
export type ContractSeverity = 'error' | 'warning';

/** One check of one response. A failed check is a result, never an exception. */
export interface ContractCheck {
  check: ContractCheckKind;
  passed: boolean;
  severity: ContractSeverity;
  /** Readable, e.g. `response body /data/0/id: must be string`. */
  message: string;
  /** JSON Pointer into the response body (schema checks), '' for the whole body. */
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
