/**
 * Public shapes of the Composio simulator: a loopback stand-in for the three Composio v3 operations the
 * bundled connect-account workflow calls (postAuthConfigs, postConnectedAccounts,
 * getConnectedAccountsByNanoid).
 */

/** The operations the simulator serves, named by their OpenAPI operationId. */
export type SimulatorOperation = 'postAuthConfigs' | 'postConnectedAccounts' | 'getConnectedAccountsByNanoid';

/** Terminal status a connected account reaches after its INITIATED polls. */
export type ConnectionOutcome = 'ACTIVE' | 'FAILED' | 'EXPIRED';

/** A scripted failure for the next `count` requests of one operation (or of any operation with `'*'`). */
export interface SimulatorFault {
  /**
   * Which operation fails; `'*'` matches every request, including unknown paths.
   * @example 'getConnectedAccountsByNanoid'
   */
  operation: SimulatorOperation | '*';
  /**
   * HTTP status to answer with. 429 and 503 carry a `Retry-After` header when `retryAfterSeconds` is set.
   * @default 500
   * @example 429
   */
  status?: number;
  /**
   * How many matching requests fail before the fault is used up.
   * @default 1
   * @example 3
   */
  count?: number;
  /**
   * Value of the `Retry-After` response header, in seconds. Omitted when undefined.
   * @default undefined (no header)
   * @example 1
   */
  retryAfterSeconds?: number;
}

export interface ComposioSimulatorOptions {
  /**
   * TCP port to listen on; 0 picks a free one (read it back from `simulator.url`).
   * @default 0
   * @example 8787
   */
  port?: number;
  /**
   * Interface to bind. Keep it on loopback: the simulator has no access control beyond the API key.
   * @default '127.0.0.1'
   * @example '::1'
   */
  host?: string;
  /**
   * The only `x-api-key` value accepted; anything else, or no header, answers 401.
   * @default 'sim_test_key'
   * @example 'ak_local_demo'
   */
  apiKey?: string;
  /**
   * How many GETs of a connected account answer `INITIATED` before it reaches `outcome`.
   * 0 means the first GET already reports the terminal status.
   * @default 2
   * @example 0
   */
  pollsUntilActive?: number;
  /**
   * Create connected accounts already `ACTIVE` (POST answers status ACTIVE and `redirect_url: null`),
   * which exercises the workflow's "alreadyActive" branch. `pollsUntilActive` and `outcome` are then ignored.
   * @default false
   * @example true
   */
  activeOnCreate?: boolean;
  /**
   * Terminal status reached after the INITIATED polls.
   * @default 'ACTIVE'
   * @example 'EXPIRED'
   */
  outcome?: ConnectionOutcome;
  /**
   * Scripted failures, consumed in order: the first fault matching a request's operation answers it.
   * @default []
   * @example [{ operation: 'postConnectedAccounts', status: 429, count: 2, retryAfterSeconds: 1 }]
   */
  faults?: SimulatorFault[];
  /**
   * Delay before every response, in milliseconds.
   * @default 0
   * @example 25
   */
  latencyMs?: number;
  /**
   * Most entries kept in `requests`; older ones are dropped (counters stay exact). Bounds memory in benchmarks.
   * @default 10000
   * @example 100
   */
  maxLoggedRequests?: number;
}

/** Options that can be changed on a running simulator with `setOptions()`. */
export type ComposioSimulatorBehaviour = Omit<ComposioSimulatorOptions, 'port' | 'host'>;

/** One handled request, as logged by the simulator. */
export interface SimulatorRequestLog {
  method: string;
  /** Path and query as received, e.g. '/api/v3/connected_accounts/ca_x1Y2'. */
  path: string;
  /** The operation the request routed to, when it matched one. */
  operation?: SimulatorOperation;
  /** Lower-cased request headers; the values of those whose name looks like a credential are masked. */
  headers: Record<string, string>;
  /** Parsed JSON body, the raw text when it is not JSON, or undefined when empty. */
  body?: unknown;
  status: number;
}

export interface ComposioSimulator {
  /** Base URL without a trailing slash, e.g. 'http://127.0.0.1:40123'. Use it as the server override. */
  readonly url: string;
  /** Handled requests, oldest first (a copy; at most `maxLoggedRequests`). */
  readonly requests: readonly SimulatorRequestLog[];
  /** Requests that concerned this auth config or connected account id (its creation included). */
  requestCount(id: string): number;
  /** Queue a fault for the next `count` requests of `operation` (same as adding to `faults`). */
  failNext(
    operation: SimulatorOperation | '*',
    count?: number,
    fault?: Omit<SimulatorFault, 'operation' | 'count'>,
  ): void;
  /** Change behaviour from now on; unspecified fields keep their current value. */
  setOptions(options: ComposioSimulatorBehaviour): void;
  /** Forget every auth config, account, fault and logged request, and restore the start options. */
  reset(): void;
  /** Stop listening and drop open connections. */
  close(): Promise<void>;
}
