/** undici, loaded on first use (only the two modules a request needs), and the shared keep-alive Agent. */
import { createRequire } from 'node:module';
import type { Agent, Dispatcher } from 'undici';

type RequestFn = (this: Dispatcher, options: Dispatcher.RequestOptions) => Promise<Dispatcher.ResponseData>;
interface UndiciParts {
  Agent: typeof Agent;
  /** undici's `Dispatcher.prototype.request`: called on the dispatcher with an origin and a path. */
  request: RequestFn;
  /** Whether only the two modules were loaded (false: undici's whole index, the fallback). */
  partial: boolean;
}
let undiciParts: UndiciParts | undefined;
let sharedAgent: Agent | undefined;

/**
 * undici is loaded on the first request, not at import: a run with an injected transport never pays for
 * it. Only the Agent and the request API are loaded, not undici's index (fetch, WebSocket, caches, cookies):
 * about 40 ms instead of 120 ms of CLI start-up. undici has no exports map, so the module paths resolve;
 * if a future undici moves them, the whole package is loaded instead.
 */
export function undici(): UndiciParts {
  if (undiciParts === undefined) {
    const require = createRequire(import.meta.url);
    try {
      undiciParts = {
        Agent: require('undici/lib/dispatcher/agent.js') as typeof Agent,
        request: require('undici/lib/api/api-request.js') as RequestFn,
        partial: true,
      };
      if (typeof undiciParts.Agent !== 'function' || typeof undiciParts.request !== 'function') {
        throw new TypeError('unexpected undici layout');
      }
    } catch {
      const whole = require('undici') as typeof import('undici');
      undiciParts = {
        Agent: whole.Agent,
        request: whole.Dispatcher.prototype.request as unknown as RequestFn,
        partial: false,
      };
    }
  }
  return undiciParts;
}

/** Whether requests run on undici's Agent and request modules alone (a test checks it stays so). */
export function undiciLoadedPartially(): boolean {
  return undici().partial;
}

/** The module-level keep-alive Agent used when no dispatcher is given; created on first use. */
export function sharedDispatcher(): Dispatcher {
  sharedAgent ??= new (undici().Agent)({ keepAliveTimeout: 4_000, keepAliveMaxTimeout: 30_000 });
  return sharedAgent;
}

/** undici's process-wide dispatcher slot, shared by every undici copy that calls `setGlobalDispatcher`. */
const GLOBAL_DISPATCHER = Symbol.for('undici.globalDispatcher.1');

/**
 * The dispatcher documents are read with: one the application installed with undici's
 * `setGlobalDispatcher` (a MockAgent in its tests, a proxy agent), else the shared Agent. Read from the
 * global slot, so undici's index is not loaded for it.
 */
export function globalOrSharedDispatcher(): Dispatcher {
  const installed = (globalThis as Record<symbol, unknown>)[GLOBAL_DISPATCHER] as Dispatcher | undefined;
  return installed ?? sharedDispatcher();
}

/** Close the shared Agent (lets a CLI process exit at once). A later request creates a new one. */
export async function closeSharedDispatcher(): Promise<void> {
  const agent = sharedAgent;
  sharedAgent = undefined;
  if (agent !== undefined) await agent.close();
}
