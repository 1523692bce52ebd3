/** Types of the offline mock: scenarios, options of the mock transport and the mock server. */
import type { OpenApiSource } from '../sources/types.js';

/** One scripted response. Every field is optional; what is left out comes from the OpenAPI description. */
export interface ScenarioResponse {
  /** Status code to answer with. Default: the status the mock would choose (see README "Mock mode"). */
  status?: number;
  /** Extra or replacing response headers (names are compared case-insensitively). */
  headers?: Record<string, string>;
  /** Replaces the generated body entirely (any JSON value; a string for text bodies). */
  body?: unknown;
  /** Deep-merged into the body (objects merge key by key; arrays and scalars replace). */
  merge?: Record<string, unknown>;
  /** Content type of the answer. Default: the one the mock chooses for the status. */
  contentType?: string;
  /** Wait this long before answering, in milliseconds (honours the abort signal). */
  delayMs?: number;
  /** Use this entry this many times before moving on. Default 1. */
  times?: number;
}

/**
 * A validated scenario. Lists are consumed in order, one entry per request; the last entry repeats.
 * Step keys win over operation keys: `workflowId/stepId`, then `stepId`, then `operationId`,
 * then `METHOD /path`.
 */
export interface Scenario {
  /** Seed for generated identifiers. Overridden by the `seed` option of the transport/server. */
  seed?: number;
  /** By operationId or `METHOD /path` (path template as written in the OpenAPI document). */
  operations: Record<string, ScenarioResponse[]>;
  /** By `workflowId/stepId` or `stepId`. Only the mock transport knows steps; the mock server ignores these. */
  steps: Record<string, ScenarioResponse[]>;
}

/** Options of `createMockTransport`. */
export interface MockTransportOptions {
  /**
   * Scripted responses (from `loadScenario`). Default: none, every answer comes from the description.
   * @example { scenario: loadScenario('steps:\n  pollConnection:\n    - merge: { status: ACTIVE }') }
   */
  scenario?: Scenario;
  /**
   * Seed for generated identifiers (`id`, `*_id`, `*Id` string properties): the same seed and the same
   * sequence of requests give the same bodies. Default: the scenario's seed, else 1.
   * @example { seed: 42 }
   */
  seed?: number;
  /**
   * The OpenAPI sources, so `$ref` cycles left in resolved schemas can be followed when sampling.
   * Default: none (a cyclic reference samples as an empty object).
   * @example { sources: [...loaded.sources.values()] }
   */
  sources?: Iterable<OpenApiSource | { kind: string }>;
}

/** What the mock answers, before it becomes an HttpResponse or bytes on a socket. */
export interface MockAnswer {
  statusCode: number;
  headers: Record<string, string>;
  contentType?: string;
  /** JSON value for JSON content types, a string for text/XML, bytes otherwise; undefined for no body. */
  body: unknown;
  delayMs: number;
}
