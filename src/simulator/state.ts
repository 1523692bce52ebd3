/** The simulator's mutable state: behaviour (changeable at run time), pending faults, resources, the request log. */
import type { AccountRecord, AuthConfigRecord } from './store.js';
import type {
  ComposioSimulatorBehaviour,
  ConnectionOutcome,
  SimulatorFault,
  SimulatorOperation,
  SimulatorRequestLog,
} from './types.js';

const OUTCOMES: readonly ConnectionOutcome[] = ['ACTIVE', 'FAILED', 'EXPIRED'];

export interface Behaviour {
  apiKey: string;
  pollsUntilActive: number;
  activeOnCreate: boolean;
  outcome: ConnectionOutcome;
  latencyMs: number;
  maxLoggedRequests: number;
}

export interface PendingFault {
  operation: SimulatorOperation | '*';
  status: number;
  remaining: number;
  retryAfterSeconds: number | undefined;
}

export interface SimulatorState {
  behaviour: Behaviour;
  faults: PendingFault[];
  authConfigs: Map<string, AuthConfigRecord>;
  accounts: Map<string, AccountRecord>;
  /** Requests per resource id (`requestCount`). */
  counts: Map<string, number>;
  log: SimulatorRequestLog[];
  /** Numbers the `request_id` of error bodies. */
  requestSeq: number;
  /** `http://host:port` once listening (consent-page links are built from it). */
  baseUrl: string;
}

/** The defaults, overridden by `options` (validated). */
export function initialBehaviour(options: ComposioSimulatorBehaviour): Behaviour {
  const initial: Behaviour = {
    apiKey: 'sim_test_key',
    pollsUntilActive: 2,
    activeOnCreate: false,
    outcome: 'ACTIVE',
    latencyMs: 0,
    maxLoggedRequests: 10_000,
  };
  applyBehaviour(initial, options);
  return initial;
}

export function newState(initial: Behaviour, initialFaults: readonly PendingFault[]): SimulatorState {
  return {
    behaviour: { ...initial },
    faults: initialFaults.map((f) => ({ ...f })),
    authConfigs: new Map(),
    accounts: new Map(),
    counts: new Map(),
    log: [],
    requestSeq: 0,
    baseUrl: '',
  };
}

/** Back to the state it started with (the URL stays). */
export function resetState(
  state: SimulatorState,
  initial: Behaviour,
  initialFaults: readonly PendingFault[],
): void {
  Object.assign(state.behaviour, initial);
  state.faults = initialFaults.map((f) => ({ ...f }));
  state.authConfigs.clear();
  state.accounts.clear();
  state.counts.clear();
  state.log = [];
  state.requestSeq = 0;
}

export function applyBehaviour(target: Behaviour, options: ComposioSimulatorBehaviour): void {
  if (options.apiKey !== undefined) target.apiKey = options.apiKey;
  if (options.pollsUntilActive !== undefined) {
    if (!Number.isInteger(options.pollsUntilActive) || options.pollsUntilActive < 0) {
      throw new RangeError(
        `pollsUntilActive: expected a non-negative integer, got ${options.pollsUntilActive}`,
      );
    }
    target.pollsUntilActive = options.pollsUntilActive;
  }
  if (options.activeOnCreate !== undefined) target.activeOnCreate = options.activeOnCreate;
  if (options.outcome !== undefined) {
    if (!OUTCOMES.includes(options.outcome)) {
      throw new RangeError(`outcome: expected one of ${OUTCOMES.join(', ')}, got ${String(options.outcome)}`);
    }
    target.outcome = options.outcome;
  }
  if (options.latencyMs !== undefined) target.latencyMs = Math.max(0, options.latencyMs);
  if (options.maxLoggedRequests !== undefined)
    target.maxLoggedRequests = Math.max(0, options.maxLoggedRequests);
}

export function toPending(fault: SimulatorFault): PendingFault {
  return {
    operation: fault.operation,
    status: fault.status ?? 500,
    remaining: fault.count ?? 1,
    retryAfterSeconds: fault.retryAfterSeconds,
  };
}

/** Count a request that concerned resource `id`. */
export function touch(state: SimulatorState, id: string): void {
  state.counts.set(id, (state.counts.get(id) ?? 0) + 1);
}

/** The first pending fault for `operation` (or for any), used up by one. */
export function takeFault(
  state: SimulatorState,
  operation: SimulatorOperation | undefined,
): PendingFault | undefined {
  const { faults } = state;
  const index = faults.findIndex((f) => f.operation === '*' || f.operation === operation);
  if (index < 0) return undefined;
  const fault = faults[index]!;
  fault.remaining -= 1;
  if (fault.remaining <= 0) faults.splice(index, 1);
  return fault;
}
