/**
 * The Composio simulator's HTTP server (node:http only). Every request does O(1) work besides JSON
 * parsing, so a thousand concurrent clients are served without queuing behind each other.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { looksLikeCredential } from '../secrets/index.js';
import { type Handled, HttpProblem, handleRequest, type Reply } from './routes.js';
import {
  applyBehaviour,
  type Behaviour,
  initialBehaviour,
  newState,
  type PendingFault,
  resetState,
  type SimulatorState,
  toPending,
} from './state.js';
import type { ComposioSimulator, ComposioSimulatorOptions, SimulatorRequestLog } from './types.js';

const MAX_BODY_BYTES = 1024 * 1024;

/** The log keeps a long key's first four characters, so a test can tell which key was sent. */
function maskSecret(value: string): string {
  return value.length > 8 ? `${value.slice(0, 4)}****` : '****';
}

function readBody(req: IncomingMessage): Promise<string | HttpProblem> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () =>
      resolve(
        tooLarge
          ? new HttpProblem(413, `request body is larger than ${MAX_BODY_BYTES} bytes`)
          : Buffer.concat(chunks).toString('utf8'),
      ),
    );
    req.on('error', () => resolve(new HttpProblem(400, 'request body could not be read')));
  });
}

/**
 * Start a loopback Composio simulator. Resolves once it listens.
 * @example
 * const sim = await startComposioSimulator({ pollsUntilActive: 1 });
 * await runWorkflow(spec, { apiKey: 'sim_test_key', ... }, { servers: { composioApi: sim.url } });
 * await sim.close();
 */
export async function startComposioSimulator(
  options: ComposioSimulatorOptions = {},
): Promise<ComposioSimulator> {
  const initial = initialBehaviour(options);
  const initialFaults = (options.faults ?? []).map(toPending);
  const state = newState(initial, initialFaults);
  const server = createServer((req, res) => serve(state, req, res));
  server.keepAliveTimeout = 10_000;
  state.baseUrl = await listen(server, options);
  return simulatorHandle(state, server, initial, initialFaults);
}

/** One request: read the body, answer, log, and reply (after the configured latency). */
function serve(state: SimulatorState, req: IncomingMessage, res: ServerResponse): void {
  void readBody(req).then((text) => {
    const reply = handleRequest(state, req, text);
    logRequest(state, req, reply);
    const { latencyMs } = state.behaviour;
    if (latencyMs > 0) setTimeout(() => respond(res, reply), latencyMs);
    else respond(res, reply);
  });
}

/** Listen on `options.host` (loopback) and `options.port` (any free one); the base URL. */
async function listen(server: Server, options: ComposioSimulatorOptions): Promise<string> {
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: options.port ?? 0, host, backlog: 4096 }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  return `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
}

/** Keep the request in the log, credential-like headers masked. */
function logRequest(state: SimulatorState, req: IncomingMessage, handled: Handled): void {
  const { maxLoggedRequests } = state.behaviour;
  if (maxLoggedRequests === 0) return;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    const text = Array.isArray(value) ? value.join(', ') : value;
    headers[name] = looksLikeCredential(name) ? maskSecret(text) : text;
  }
  const entry: SimulatorRequestLog = {
    method: req.method ?? 'GET',
    path: req.url ?? '/',
    headers,
    status: handled.status,
  };
  if (handled.operation !== undefined) entry.operation = handled.operation;
  if (handled.parsed !== undefined) entry.body = handled.parsed;
  state.log.push(entry);
  // Trim in batches so each request stays O(1) amortised.
  if (state.log.length >= maxLoggedRequests * 2)
    state.log = state.log.slice(state.log.length - maxLoggedRequests);
}

function respond(res: ServerResponse, reply: Reply): void {
  const isText = typeof reply.body === 'string';
  const payload = isText ? (reply.body as string) : JSON.stringify(reply.body);
  res.writeHead(reply.status, {
    'content-type': isText ? 'text/plain; charset=utf-8' : 'application/json',
    'content-length': Buffer.byteLength(payload),
    ...reply.headers,
  });
  res.end(payload);
}

/** The ComposioSimulator a caller holds: the URL, the log, counts, faults, behaviour changes, reset, close. */
function simulatorHandle(
  state: SimulatorState,
  server: Server,
  initial: Behaviour,
  initialFaults: readonly PendingFault[],
): ComposioSimulator {
  return {
    url: state.baseUrl,
    get requests() {
      const { log } = state;
      const max = state.behaviour.maxLoggedRequests;
      return log.length > max ? log.slice(log.length - max) : log.slice();
    },
    requestCount: (id) => state.counts.get(id) ?? 0,
    failNext(operation, count = 1, fault = {}) {
      state.faults.push(toPending({ ...fault, operation, count }));
    },
    setOptions(next) {
      applyBehaviour(state.behaviour, next);
      if (next.faults !== undefined) state.faults = next.faults.map(toPending);
    },
    reset() {
      resetState(state, initial, initialFaults);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error === undefined ? resolve() : reject(error)));
        server.closeAllConnections();
      }),
  };
}
