/**
 * Contract types for runtime expressions (spec: "Runtime Expressions").
 * The scope is plain data assembled by the engine; evaluation never mutates it.
 */

/** Headers as received or sent; names may be in any case (lookup is case-insensitive). */
export type HeaderMap = Record<string, string | string[]>;

/** Everything a runtime expression can refer to. Absent members make references to them unresolved. */
export interface ExpressionScope {
  /** $url: the full URL of the request sent by the current step. */
  url?: string;
  /** $method: the HTTP method of that request (upper case). */
  method?: string;
  /** $statusCode: the HTTP status code of the response. */
  statusCode?: number;
  request?: {
    headers?: HeaderMap;
    query?: Record<string, unknown>;
    path?: Record<string, unknown>;
    body?: unknown;
  };
  response?: {
    headers?: HeaderMap;
    body?: unknown;
    /** The body text as received, when the transport kept it (regex criteria over the whole body read it). */
    text?: string | undefined;
  };
  /** 1.1 $message: the message an AsyncAPI step sent or received. */
  message?: {
    headers?: HeaderMap;
    payload?: unknown;
  };
  /** $inputs: the current workflow's inputs (after defaults). */
  inputs?: Record<string, unknown>;
  /** $outputs: the current workflow's outputs resolved so far. */
  outputs?: Record<string, unknown>;
  /** $steps.<stepId>.outputs.<name>: outputs of steps of the current workflow that have run. */
  steps?: Record<string, { outputs?: Record<string, unknown> }>;
  /** $workflows.<workflowId>.{inputs,outputs}.<name>. */
  workflows?: Record<string, { inputs?: Record<string, unknown>; outputs?: Record<string, unknown> }>;
  /** $sourceDescriptions.<name>.<field> (url, type, name; the engine may add more). */
  sourceDescriptions?: Record<string, Record<string, unknown>>;
  /** $self (1.1.0): the canonical URI of the current Arazzo description (its `$self`, resolved). */
  self?: string;
  /** $components.<kind>.<name>. */
  components?: Record<string, Record<string, unknown>>;
}

/** A reference to something that does not exist. Distinguishable from `undefined` values in data. */
export interface Unresolved {
  readonly unresolved: true;
  /** Human-readable, e.g. '$steps.a.outputs.id: step "a" has no output "id"'. */
  readonly reason: string;
}
