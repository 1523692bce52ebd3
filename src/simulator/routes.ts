/**
 * The simulator's routes: postAuthConfigs, postConnectedAccounts, getConnectedAccountsByNanoid and the
 * consent page, with faults, API-key checks and Composio-shaped error bodies. No I/O: a request's method,
 * path, headers and body text in, a reply out.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { isRecord } from '../own.js';
import { type SimulatorState, takeFault, touch } from './state.js';
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
import type { SimulatorOperation } from './types.js';

const AUTH_CONFIGS_PATH = '/api/v3/auth_configs';
const ACCOUNTS_PATH = '/api/v3/connected_accounts';

export interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** A reply plus what the request log records: the parsed body and the operation matched. */
export type Handled = Reply & { parsed?: unknown; operation?: SimulatorOperation };

export class HttpProblem {
  constructor(
    readonly status: number,
    readonly message: string,
    readonly suggestedFix?: string,
  ) {}
}

type Route = { operation: SimulatorOperation; nanoid?: string } | { allow: string } | undefined;

function route(method: string, path: string): Route {
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

/** The request body as JSON; text that is not JSON is kept for the log and refused later. */
function parseBody(text: string | HttpProblem): { parsed: unknown; parseFailed: boolean } {
  if (typeof text !== 'string' || text === '') return { parsed: undefined, parseFailed: false };
  try {
    return { parsed: JSON.parse(text), parseFailed: false };
  } catch {
    return { parsed: text, parseFailed: true };
  }
}

/**
 * Answer one request. `text` is the body, or the problem reading it. Faults come first, then the
 * consent page, routing, the API key, the body, and the operation.
 */
export function handleRequest(
  state: SimulatorState,
  req: { method?: string | undefined; url?: string | undefined; headers: IncomingHttpHeaders },
  text: string | HttpProblem,
): Handled {
  const method = req.method ?? 'GET';
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  const { parsed, parseFailed } = parseBody(text);
  const matched = route(method, path);
  const operation = matched !== undefined && 'operation' in matched ? matched.operation : undefined;
  const out = (reply: Reply): Handled =>
    operation === undefined ? { ...reply, parsed } : { ...reply, parsed, operation };
  countResources(state, matched, parsed);

  const fault = takeFault(state, operation);
  if (fault !== undefined) {
    const headers: Record<string, string> = {};
    if (fault.retryAfterSeconds !== undefined) headers['retry-after'] = String(fault.retryAfterSeconds);
    return out({ ...problemReply(state, fault.status, 'simulated fault'), headers });
  }
  if (method === 'GET' && path.startsWith('/link/')) {
    return out({
      status: 200,
      body: 'Simulated Composio consent page. Poll the connected account for its status.',
    });
  }
  if (matched === undefined) return out(problemReply(state, 404, `no route for ${method} ${path}`));
  if ('allow' in matched)
    return out({
      ...problemReply(state, 405, `${method} is not allowed`),
      headers: { allow: matched.allow },
    });
  if (req.headers['x-api-key'] !== state.behaviour.apiKey) {
    return out(
      problemReply(state, 401, 'invalid or missing API key', 'Send your project API key in x-api-key'),
    );
  }
  if (text instanceof HttpProblem) return out(problemReply(state, text.status, text.message));
  if (parseFailed) return out(problemReply(state, 400, 'request body is not valid JSON'));
  return out(runOperation(state, matched, parsed));
}

/** `requestCount`: the account a GET names, and the auth config an account is created for. */
function countResources(state: SimulatorState, matched: Route, parsed: unknown): void {
  if (matched !== undefined && 'nanoid' in matched && matched.nanoid !== undefined)
    touch(state, matched.nanoid);
  if (
    matched !== undefined &&
    'operation' in matched &&
    matched.operation === 'postConnectedAccounts' &&
    isRecord(parsed) &&
    isRecord(parsed.auth_config)
  ) {
    const ref = parsed.auth_config.id;
    if (typeof ref === 'string' && state.authConfigs.has(ref)) touch(state, ref);
  }
}

function runOperation(
  state: SimulatorState,
  matched: { operation: SimulatorOperation; nanoid?: string },
  parsed: unknown,
): Reply {
  try {
    if (matched.operation === 'postAuthConfigs') return createAuthConfig(state, parsed);
    if (matched.operation === 'postConnectedAccounts') return createAccount(state, parsed);
    return getAccount(state, matched.nanoid ?? '');
  } catch (error) {
    if (error instanceof HttpProblem)
      return problemReply(state, error.status, error.message, error.suggestedFix);
    return problemReply(state, 500, 'simulator bug');
  }
}

/** A Composio-shaped error body with its own request id. */
function problemReply(state: SimulatorState, status: number, message: string, suggestedFix?: string): Reply {
  state.requestSeq += 1;
  const error: Record<string, unknown> = {
    message,
    code: 10_000 + status,
    status,
    request_id: `req_sim_${state.requestSeq}`,
  };
  if (suggestedFix !== undefined) error.suggested_fix = suggestedFix;
  return { status, body: { error } };
}

/** postAuthConfigs */
function createAuthConfig(state: SimulatorState, body: unknown): Reply {
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
  const { authScheme, managed } = authSchemeOf(authConfig);
  const tools = authConfig.restrict_to_following_tools;
  const record: AuthConfigRecord = {
    id: nanoid('ac_'),
    uuid: newUuid(),
    toolkitSlug: toolkit.slug,
    authScheme,
    isComposioManaged: managed,
    restrictToFollowingTools: Array.isArray(tools) ? tools.filter((t) => typeof t === 'string') : [],
  };
  state.authConfigs.set(record.id, record);
  touch(state, record.id);
  return { status: 201, body: authConfigBody(record) };
}

/** Composio-managed auth is OAUTH2; custom auth names one of AUTH_SCHEMES. */
function authSchemeOf(authConfig: Record<string, unknown>): { authScheme: string; managed: boolean } {
  if (authConfig.type === 'use_composio_managed_auth') return { authScheme: 'OAUTH2', managed: true };
  if (authConfig.type === 'use_custom_auth') {
    const scheme = authConfig.authScheme;
    if (typeof scheme !== 'string' || !(AUTH_SCHEMES as readonly string[]).includes(scheme)) {
      throw new HttpProblem(400, `auth_config.authScheme must be one of ${AUTH_SCHEMES.join(', ')}`);
    }
    return { authScheme: scheme, managed: false };
  }
  throw new HttpProblem(
    400,
    'auth_config.type must be "use_composio_managed_auth" or "use_custom_auth"',
    'Set auth_config.type',
  );
}

/** postConnectedAccounts */
function createAccount(state: SimulatorState, body: unknown): Reply {
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
  const config = state.authConfigs.get(ref.id);
  if (config === undefined) throw new HttpProblem(404, `auth config ${ref.id} not found`);
  const now = new Date().toISOString();
  const id = nanoid('ca_');
  const active = state.behaviour.activeOnCreate;
  const account: AccountRecord = {
    id,
    uuid: newUuid(),
    authConfig: config,
    userId: connection.user_id ?? 'default',
    status: active ? 'ACTIVE' : 'INITIATED',
    polls: 0,
    redirectUrl: active ? null : `${state.baseUrl}/link/${id}`,
    createdAt: now,
    updatedAt: now,
  };
  state.accounts.set(id, account);
  touch(state, id);
  return { status: 201, body: createdAccountBody(account) };
}

/** getConnectedAccountsByNanoid */
function getAccount(state: SimulatorState, id: string): Reply {
  const account = state.accounts.get(id);
  if (account === undefined) throw new HttpProblem(404, `connected account ${id} not found`);
  const { behaviour } = state;
  // The status is decided when polled, so setOptions() between polls takes effect; a terminal status sticks.
  if (account.status === 'INITIATED' && account.polls >= behaviour.pollsUntilActive) {
    account.status = behaviour.outcome;
    account.updatedAt = new Date().toISOString();
  }
  account.polls += 1;
  return { status: 200, body: accountBody(account) };
}
