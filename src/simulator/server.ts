/**
 * The Composio simulator's HTTP server (node:http only). Every request does O(1) work besides JSON
 * parsing, so a thousand concurrent clients are served without queuing behind each other.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isRecord } from '../own.js';
import { looksLikeCredential } from '../secrets/index.js';
import {
  type AccountRecord,
  AUTH_SCHEMES,
  type AuthConfigRecord,
  accountBody,
  authConfigBody,
  createdAccountBody,
  nanoid,
  newUuid,
} from './store.js';
import type {
  ComposioSimulator,
  ComposioSimulatorBehaviour,
  ComposioSimulatorOptions,
  ConnectionOutcome,
  SimulatorFault,
  SimulatorOperation,
  SimulatorRequestLog,
} from './types.js';

const MAX_BODY_BYTES = 1024 * 1024;
const AUTH_CONFIGS_PATH = '/api/v3/auth_configs';
const ACCOUNTS_PATH = '/api/v3/connected_accounts';
const OUTCOMES: readonly ConnectionOutcome[] = ['ACTIVE', 'FAILED', 'EXPIRED'];

interface Behaviour {
  apiKey: string;
  pollsUntilActive: number;
  activeOnCreate: boolean;
  outcome: ConnectionOutcome;
  latencyMs: number;
  maxLoggedRequests: number;
}

interface PendingFault {
  operation: SimulatorOperation | '*';
  status: number;
  remaining: number;
  retryAfterSeconds: number | undefined;
}

interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

class HttpProblem {
  constructor(
    readonly status: number,
    readonly message: string,
    readonly suggestedFix?: string,
  ) {}
}

function applyBehaviour(target: Behaviour, options: ComposioSimulatorBehaviour): void {
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

function toPending(fault: SimulatorFault): PendingFault {
  return {
    operation: fault.operation,
    status: fault.status ?? 500,
    remaining: fault.count ?? 1,
    retryAfterSeconds: fault.retryAfterSeconds,
  };
}

/** The log keeps a long key's first four characters, so a test can tell which key was sent. */
function maskSecret(value: string): string {
  return value.length > 8 ? `${value.slice(0, 4)}****` : '****';
}

function route(
  method: string,
  path: string,
): { operation: SimulatorOperation; nanoid?: string } | { allow: string } | undefined {
  if (path === AUTH_CONFIGS_PATH)
    return method === 'POST' ? { operation: 'postAuthConfigs' } : { allow: 'POST' };
  if (path === ACCOUNTS_PATH)
    return method === 'POST' ? { operation: 'postConnectedAccounts' } : { allow: 'POST' };
  if (path.startsWith(`${ACCOUNTS_PATH}/`)) {
    const raw = path.slice(ACCOUNTS_PATH.length + 1);
    if (raw === '' || raw.includes('/')) return undefined;
    let id: string;
    try {
      id = decodeURIComponent(raw);
    } catch {
      return undefined;
    }
    return method === 'GET' ? { operation: 'getConnectedAccountsByNanoid', nanoid: id } : { allow: 'GET' };
  }
  return undefined;
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
  const initial: Behaviour = {
    apiKey: 'sim_test_key',
    pollsUntilActive: 2,
    activeOnCreate: false,
    outcome: 'ACTIVE',
    latencyMs: 0,
    maxLoggedRequests: 10_000,
  };
  applyBehaviour(initial, options);
  const initialFaults = (options.faults ?? []).map(toPending);

  const behaviour: Behaviour = { ...initial };
  let faults: PendingFault[] = initialFaults.map((f) => ({ ...f }));
  const authConfigs = new Map<string, AuthConfigRecord>();
  const accounts = new Map<string, AccountRecord>();
  const counts = new Map<string, number>();
  let log: SimulatorRequestLog[] = [];
  let requestSeq = 0;
  let baseUrl = '';

  const touch = (id: string): void => {
    counts.set(id, (counts.get(id) ?? 0) + 1);
  };

  const takeFault = (operation: SimulatorOperation | undefined): PendingFault | undefined => {
    const index = faults.findIndex((f) => f.operation === '*' || f.operation === operation);
    if (index < 0) return undefined;
    const fault = faults[index]!;
    fault.remaining -= 1;
    if (fault.remaining <= 0) faults.splice(index, 1);
    return fault;
  };

  const createAuthConfig = (body: unknown): Reply => {
    if (!isRecord(body)) throw new HttpProblem(400, 'request body must be a JSON object');
    const toolkit = body.toolkit;
    if (!isRecord(toolkit) || typeof toolkit.slug !== 'string' || toolkit.slug === '') {
      throw new HttpProblem(400, 'toolkit.slug is required', 'Send {"toolkit": {"slug": "gmail"}}');
    }
    const authConfig = body.auth_config ?? { type: 'use_composio_managed_auth' };
    if (!isRecord(authConfig)) throw new HttpProblem(400, 'auth_config must be an object');
    if (authConfig.name !== undefined && typeof authConfig.name !== 'string') {
      throw new HttpProblem(400, 'auth_config.name must be a string');
    }
    let authScheme: string;
    let managed: boolean;
    if (authConfig.type === 'use_composio_managed_auth') {
      authScheme = 'OAUTH2';
      managed = true;
    } else if (authConfig.type === 'use_custom_auth') {
      const scheme = authConfig.authScheme;
      if (typeof scheme !== 'string' || !(AUTH_SCHEMES as readonly string[]).includes(scheme)) {
        throw new HttpProblem(400, `auth_config.authScheme must be one of ${AUTH_SCHEMES.join(', ')}`);
      }
      authScheme = scheme;
      managed = false;
    } else {
      throw new HttpProblem(
        400,
        'auth_config.type must be "use_composio_managed_auth" or "use_custom_auth"',
        'Set auth_config.type',
      );
    }
    const tools = authConfig.restrict_to_following_tools;
    const record: AuthConfigRecord = {
      id: nanoid('ac_'),
      uuid: newUuid(),
      toolkitSlug: toolkit.slug,
      authScheme,
      isComposioManaged: managed,
      restrictToFollowingTools: Array.isArray(tools) ? tools.filter((t) => typeof t === 'string') : [],
    };
    authConfigs.set(record.id, record);
    touch(record.id);
    return { status: 201, body: authConfigBody(record) };
  };

  const createAccount = (body: unknown): Reply => {
    if (!isRecord(body)) throw new HttpProblem(400, 'request body must be a JSON object');
    const ref = body.auth_config;
    if (!isRecord(ref) || typeof ref.id !== 'string' || ref.id === '') {
      throw new HttpProblem(400, 'auth_config.id is required');
    }
    const connection = body.connection;
    if (!isRecord(connection)) throw new HttpProblem(400, 'connection is required');
    if (connection.user_id !== undefined && typeof connection.user_id !== 'string') {
      throw new HttpProblem(400, 'connection.user_id must be a string');
    }
    const config = authConfigs.get(ref.id);
    if (config === undefined) throw new HttpProblem(404, `auth config ${ref.id} not found`);
    const now = new Date().toISOString();
    const id = nanoid('ca_');
    const active = behaviour.activeOnCreate;
    const account: AccountRecord = {
      id,
      uuid: newUuid(),
      authConfig: config,
      userId: connection.user_id ?? 'default',
      status: active ? 'ACTIVE' : 'INITIATED',
      polls: 0,
      redirectUrl: active ? null : `${baseUrl}/link/${id}`,
      createdAt: now,
      updatedAt: now,
    };
    accounts.set(id, account);
    touch(id);
    return { status: 201, body: createdAccountBody(account) };
  };

  const getAccount = (id: string): Reply => {
    const account = accounts.get(id);
    if (account === undefined) throw new HttpProblem(404, `connected account ${id} not found`);
    // The status is decided when polled, so setOptions() between polls takes effect; a terminal status sticks.
    if (account.status === 'INITIATED' && account.polls >= behaviour.pollsUntilActive) {
      account.status = behaviour.outcome;
      account.updatedAt = new Date().toISOString();
    }
    account.polls += 1;
    return { status: 200, body: accountBody(account) };
  };

  type Handled = Reply & { parsed?: unknown; operation?: SimulatorOperation };
  const handle = (req: IncomingMessage, text: string | HttpProblem): Handled => {
    const method = req.method ?? 'GET';
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    let parsed: unknown;
    let parseFailed = false;
    if (typeof text === 'string' && text !== '') {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
        parseFailed = true;
      }
    }
    const matched = route(method, path);
    const operation = matched !== undefined && 'operation' in matched ? matched.operation : undefined;
    const out = (reply: Reply): Handled =>
      operation === undefined ? { ...reply, parsed } : { ...reply, parsed, operation };
    if (matched !== undefined && 'nanoid' in matched && matched.nanoid !== undefined) touch(matched.nanoid);
    if (operation === 'postConnectedAccounts' && isRecord(parsed) && isRecord(parsed.auth_config)) {
      const ref = parsed.auth_config.id;
      if (typeof ref === 'string' && authConfigs.has(ref)) touch(ref);
    }

    const fault = takeFault(operation);
    if (fault !== undefined) {
      const headers: Record<string, string> = {};
      if (fault.retryAfterSeconds !== undefined) headers['retry-after'] = String(fault.retryAfterSeconds);
      return out({ ...problemReply(fault.status, 'simulated fault'), headers });
    }
    if (method === 'GET' && path.startsWith('/link/')) {
      return out({
        status: 200,
        body: 'Simulated Composio consent page. Poll the connected account for its status.',
      });
    }
    if (matched === undefined) return out(problemReply(404, `no route for ${method} ${path}`));
    if ('allow' in matched)
      return out({ ...problemReply(405, `${method} is not allowed`), headers: { allow: matched.allow } });
    if (req.headers['x-api-key'] !== behaviour.apiKey) {
      return out(problemReply(401, 'invalid or missing API key', 'Send your project API key in x-api-key'));
    }
    if (text instanceof HttpProblem) return out(problemReply(text.status, text.message));
    if (parseFailed) return out(problemReply(400, 'request body is not valid JSON'));
    try {
      if (matched.operation === 'postAuthConfigs') return out(createAuthConfig(parsed));
      if (matched.operation === 'postConnectedAccounts') return out(createAccount(parsed));
      return out(getAccount(matched.nanoid ?? ''));
    } catch (error) {
      if (error instanceof HttpProblem)
        return out(problemReply(error.status, error.message, error.suggestedFix));
      return out(problemReply(500, 'simulator bug'));
    }
  };

  const problemReply = (status: number, message: string, suggestedFix?: string): Reply => {
    requestSeq += 1;
    const error: Record<string, unknown> = {
      message,
      code: 10_000 + status,
      status,
      request_id: `req_sim_${requestSeq}`,
    };
    if (suggestedFix !== undefined) error.suggested_fix = suggestedFix;
    return { status, body: { error } };
  };

  const record = (req: IncomingMessage, handled: Handled): void => {
    if (behaviour.maxLoggedRequests === 0) return;
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
    log.push(entry);
    // Trim in batches so each request stays O(1) amortised.
    if (log.length >= behaviour.maxLoggedRequests * 2)
      log = log.slice(log.length - behaviour.maxLoggedRequests);
  };

  const respond = (res: ServerResponse, reply: Reply): void => {
    const isText = typeof reply.body === 'string';
    const payload = isText ? (reply.body as string) : JSON.stringify(reply.body);
    res.writeHead(reply.status, {
      'content-type': isText ? 'text/plain; charset=utf-8' : 'application/json',
      'content-length': Buffer.byteLength(payload),
      ...reply.headers,
    });
    res.end(payload);
  };

  const server = createServer((req, res) => {
    void readBody(req).then((text) => {
      const reply = handle(req, text);
      record(req, reply);
      if (behaviour.latencyMs > 0) setTimeout(() => respond(res, reply), behaviour.latencyMs);
      else respond(res, reply);
    });
  });
  server.keepAliveTimeout = 10_000;

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: options.port ?? 0, host, backlog: 4096 }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  baseUrl = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;

  return {
    url: baseUrl,
    get requests() {
      const max = behaviour.maxLoggedRequests;
      return log.length > max ? log.slice(log.length - max) : log.slice();
    },
    requestCount: (id) => counts.get(id) ?? 0,
    failNext(operation, count = 1, fault = {}) {
      faults.push(toPending({ ...fault, operation, count }));
    },
    setOptions(next) {
      applyBehaviour(behaviour, next);
      if (next.faults !== undefined) faults = next.faults.map(toPending);
    },
    reset() {
      Object.assign(behaviour, initial);
      faults = initialFaults.map((f) => ({ ...f }));
      authConfigs.clear();
      accounts.clear();
      counts.clear();
      log = [];
      requestSeq = 0;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error === undefined ? resolve() : reject(error)));
        server.closeAllConnections();
      }),
  };
}
