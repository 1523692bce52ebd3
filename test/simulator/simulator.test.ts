import { Agent, fetch } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type ComposioSimulator,
  type ComposioSimulatorOptions,
  startComposioSimulator,
} from '../../src/simulator/index.js';

const KEY = 'sim_test_key';
const agent = new Agent({ connections: 2000, pipelining: 0 });
let sim: ComposioSimulator;

interface Answer {
  status: number;
  headers: Headers;
  body: any;
}

async function call(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const init: Parameters<typeof fetch>[1] = {
    method,
    dispatcher: agent,
    headers: {
      'x-api-key': KEY,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
  };
  if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body);
  const res = await fetch(`${sim.url}${path}`, init);
  const text = await res.text();
  const isJson = res.headers.get('content-type')?.startsWith('application/json') ?? false;
  return {
    status: res.status,
    headers: res.headers as unknown as Headers,
    body: isJson ? JSON.parse(text) : text,
  };
}

async function createAuthConfig(slug = 'gmail'): Promise<string> {
  const res = await call('POST', '/api/v3/auth_configs', {
    toolkit: { slug },
    auth_config: { type: 'use_composio_managed_auth' },
  });
  expect(res.status).toBe(201);
  return res.body.auth_config.id as string;
}

async function createAccount(): Promise<Answer> {
  const authConfigId = await createAuthConfig();
  return call('POST', '/api/v3/connected_accounts', {
    auth_config: { id: authConfigId },
    connection: { user_id: 'user-1' },
  });
}

async function pollStatuses(accountId: string, times: number): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < times; i++) {
    const res = await call('GET', `/api/v3/connected_accounts/${accountId}`);
    expect(res.status).toBe(200);
    out.push(res.body.status as string);
  }
  return out;
}

function expectErrorShape(res: Answer, status: number): void {
  expect(res.status).toBe(status);
  expect(res.body.error.status).toBe(status);
  expect(typeof res.body.error.message).toBe('string');
  expect(typeof res.body.error.code).toBe('number');
  expect(res.body.error.request_id).toMatch(/^req_sim_\d+$/);
}

beforeAll(async () => {
  sim = await startComposioSimulator();
});
afterEach(() => sim.reset());
afterAll(async () => {
  await sim.close();
  await agent.close();
});

describe('startComposioSimulator: operations', () => {
  it('listens on loopback with an ephemeral port', () => {
    expect(sim.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(sim.url.endsWith(':0')).toBe(false);
  });

  it.each([
    [
      'composio managed',
      { auth_config: { type: 'use_composio_managed_auth', name: 'demo' }, want: ['OAUTH2', true] },
    ],
    [
      'custom API key',
      { auth_config: { type: 'use_custom_auth', authScheme: 'API_KEY' }, want: ['API_KEY', false] },
    ],
    ['auth_config omitted (document default)', { auth_config: undefined, want: ['OAUTH2', true] }],
  ])('POST /api/v3/auth_configs: %s', async (_name, { auth_config, want }) => {
    const res = await call('POST', '/api/v3/auth_configs', { toolkit: { slug: 'github' }, auth_config });
    expect(res.status).toBe(201);
    expect(res.body.toolkit).toEqual({ slug: 'github' });
    expect(res.body.auth_config.id).toMatch(/^ac_[A-Za-z0-9]{12}$/);
    expect(res.body.auth_config.auth_scheme).toBe(want[0]);
    expect(res.body.auth_config.is_composio_managed).toBe(want[1]);
    expect(res.body.auth_config.restrict_to_following_tools).toEqual([]);
  });

  it('POST /api/v3/connected_accounts answers 201 INITIATED with a redirect', async () => {
    const res = await createAccount();
    expect(res.status).toBe(201);
    expect(res.body.id).toMatch(/^ca_[A-Za-z0-9]{12}$/);
    expect(res.body.status).toBe('INITIATED');
    expect(res.body.redirect_url).toBe(`${sim.url}/link/${res.body.id}`);
    expect(res.body.connectionData).toEqual({
      authScheme: 'OAUTH2',
      val: { status: 'INITIATED', redirectUrl: res.body.redirect_url, callback_url: '' },
    });
    expect(res.body.deprecated.uuid).toMatch(/^[0-9a-f-]{36}$/);
    const link = await call('GET', `/link/${res.body.id}`);
    expect(link.status).toBe(200);
  });

  it('GET /api/v3/connected_accounts/{nanoid} answers the document shape', async () => {
    const created = await createAccount();
    const res = await call('GET', `/api/v3/connected_accounts/${created.body.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: created.body.id,
      user_id: 'user-1',
      status: 'INITIATED',
      toolkit: { slug: 'gmail' },
      auth_config: { auth_scheme: 'OAUTH2', is_composio_managed: true, is_disabled: false },
      status_reason: null,
      is_disabled: false,
      params: {},
    });
    expect(res.body.auth_config.id).toMatch(/^ac_/);
    expect(res.body.data).toEqual(res.body.state.val);
    expect(Date.parse(res.body.created_at)).not.toBeNaN();
  });
});

describe('startComposioSimulator: connection lifecycle', () => {
  it.each([
    ['default: two INITIATED polls, then ACTIVE', {}, ['INITIATED', 'INITIATED', 'ACTIVE', 'ACTIVE']],
    ['pollsUntilActive 0: ACTIVE on the first GET', { pollsUntilActive: 0 }, ['ACTIVE', 'ACTIVE']],
    ['pollsUntilActive 1', { pollsUntilActive: 1 }, ['INITIATED', 'ACTIVE', 'ACTIVE']],
    ['outcome FAILED', { pollsUntilActive: 1, outcome: 'FAILED' }, ['INITIATED', 'FAILED', 'FAILED']],
    ['outcome EXPIRED', { pollsUntilActive: 0, outcome: 'EXPIRED' }, ['EXPIRED', 'EXPIRED']],
  ] satisfies Array<[string, ComposioSimulatorOptions, string[]]>)('%s', async (_name, options, want) => {
    sim.setOptions(options);
    const created = await createAccount();
    expect(created.body.status).toBe('INITIATED');
    expect(await pollStatuses(created.body.id, want.length)).toEqual(want);
  });

  it('activeOnCreate creates ACTIVE accounts without a redirect', async () => {
    sim.setOptions({ activeOnCreate: true, outcome: 'FAILED' });
    const created = await createAccount();
    expect(created.body.status).toBe('ACTIVE');
    expect(created.body.redirect_url).toBeNull();
    expect(await pollStatuses(created.body.id, 1)).toEqual(['ACTIVE']);
  });

  it('terminal FAILED / EXPIRED accounts explain themselves', async () => {
    sim.setOptions({ pollsUntilActive: 0, outcome: 'FAILED' });
    const created = await createAccount();
    const res = await call('GET', `/api/v3/connected_accounts/${created.body.id}`);
    expect(res.body.status_reason).toBe('The user denied access (simulated)');
    expect(res.body.data).toEqual({
      status: 'FAILED',
      error: 'access_denied',
      error_description: 'The user denied access (simulated)',
    });
  });

  it('setOptions mid-test applies to the next poll; a terminal status sticks', async () => {
    sim.setOptions({ pollsUntilActive: 5 });
    const created = await createAccount();
    expect(await pollStatuses(created.body.id, 2)).toEqual(['INITIATED', 'INITIATED']);
    sim.setOptions({ pollsUntilActive: 2, outcome: 'EXPIRED' });
    expect(await pollStatuses(created.body.id, 1)).toEqual(['EXPIRED']);
    sim.setOptions({ outcome: 'ACTIVE' });
    expect(await pollStatuses(created.body.id, 1)).toEqual(['EXPIRED']);
  });

  it('reset restores the start options and forgets resources', async () => {
    sim.setOptions({ pollsUntilActive: 0 });
    const created = await createAccount();
    sim.reset();
    expect(sim.requests).toEqual([]);
    expect(sim.requestCount(created.body.id)).toBe(0);
    const gone = await call('GET', `/api/v3/connected_accounts/${created.body.id}`);
    expectErrorShape(gone, 404);
    const again = await createAccount();
    expect(await pollStatuses(again.body.id, 1)).toEqual(['INITIATED']);
  });

  it('rejects invalid option values', () => {
    expect(() => sim.setOptions({ pollsUntilActive: -1 })).toThrow(/pollsUntilActive/);
    expect(() => sim.setOptions({ outcome: 'INACTIVE' as 'ACTIVE' })).toThrow(/outcome/);
  });
});

describe('startComposioSimulator: errors use the document error shape', () => {
  it.each([
    [
      'missing x-api-key',
      'POST',
      '/api/v3/auth_configs',
      { toolkit: { slug: 'x' } },
      { 'x-api-key': '' },
      401,
    ],
    [
      'wrong x-api-key',
      'POST',
      '/api/v3/auth_configs',
      { toolkit: { slug: 'x' } },
      { 'x-api-key': 'nope' },
      401,
    ],
    ['wrong key on GET', 'GET', '/api/v3/connected_accounts/ca_x', undefined, { 'x-api-key': 'nope' }, 401],
    ['malformed JSON', 'POST', '/api/v3/auth_configs', '{"toolkit": ', {}, 400],
    ['missing toolkit.slug', 'POST', '/api/v3/auth_configs', { toolkit: {} }, {}, 400],
    [
      'unknown auth_config.type',
      'POST',
      '/api/v3/auth_configs',
      { toolkit: { slug: 'x' }, auth_config: { type: 'x' } },
      {},
      400,
    ],
    [
      'custom auth without scheme',
      'POST',
      '/api/v3/auth_configs',
      { toolkit: { slug: 'x' }, auth_config: { type: 'use_custom_auth' } },
      {},
      400,
    ],
    ['body is an array', 'POST', '/api/v3/connected_accounts', [1], {}, 400],
    ['missing auth_config.id', 'POST', '/api/v3/connected_accounts', { connection: {} }, {}, 400],
    ['missing connection', 'POST', '/api/v3/connected_accounts', { auth_config: { id: 'ac_1' } }, {}, 400],
    [
      'unknown auth config',
      'POST',
      '/api/v3/connected_accounts',
      { auth_config: { id: 'ac_nope' }, connection: {} },
      {},
      404,
    ],
    ['unknown connected account', 'GET', '/api/v3/connected_accounts/ca_nope', undefined, {}, 404],
    ['unknown path', 'GET', '/api/v3/tools', undefined, {}, 404],
    ['wrong method', 'DELETE', '/api/v3/auth_configs', undefined, {}, 405],
  ] as const)('%s -> %i', async (_name, method, path, body, headers, status) => {
    const res = await call(method, path, body, headers);
    expectErrorShape(res, status);
  });

  it('wrong method names the allowed one', async () => {
    const res = await call('PUT', '/api/v3/connected_accounts/ca_x');
    expect(res.headers.get('allow')).toBe('GET');
  });
});

describe('startComposioSimulator: scripted faults', () => {
  it.each([
    ['500 once (defaults)', { operation: 'postAuthConfigs' as const }, [500, 201], null],
    [
      '429 twice with Retry-After',
      { operation: 'postAuthConfigs' as const, status: 429, count: 2, retryAfterSeconds: 1 },
      [429, 429, 201],
      '1',
    ],
    ['any operation', { operation: '*' as const, status: 503, count: 1 }, [503, 201], null],
  ])('faults option: %s', async (_name, fault, wantStatuses, wantRetryAfter) => {
    sim.setOptions({ faults: [fault] });
    const statuses: number[] = [];
    for (let i = 0; i < wantStatuses.length; i++) {
      const res = await call('POST', '/api/v3/auth_configs', { toolkit: { slug: 'x' } });
      statuses.push(res.status);
      if (res.status !== 201) {
        expectErrorShape(res, res.status);
        expect(res.headers.get('retry-after')).toBe(wantRetryAfter);
      }
    }
    expect(statuses).toEqual(wantStatuses);
  });

  it('failNext only hits the named operation', async () => {
    const created = await createAccount();
    sim.failNext('getConnectedAccountsByNanoid', 2, { status: 429, retryAfterSeconds: 2 });
    const other = await call('POST', '/api/v3/auth_configs', { toolkit: { slug: 'x' } });
    expect(other.status).toBe(201);
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      statuses.push((await call('GET', `/api/v3/connected_accounts/${created.body.id}`)).status);
    }
    expect(statuses).toEqual([429, 429, 200]);
  });

  it('a faulted poll does not advance the account', async () => {
    sim.setOptions({ pollsUntilActive: 1 });
    const created = await createAccount();
    sim.failNext('getConnectedAccountsByNanoid');
    expect((await call('GET', `/api/v3/connected_accounts/${created.body.id}`)).status).toBe(500);
    expect(await pollStatuses(created.body.id, 2)).toEqual(['INITIATED', 'ACTIVE']);
  });

  it('faults from the start options come back after reset', async () => {
    const local = await startComposioSimulator({ faults: [{ operation: 'postAuthConfigs', status: 502 }] });
    try {
      const post = () =>
        fetch(`${local.url}/api/v3/auth_configs`, {
          method: 'POST',
          dispatcher: agent,
          headers: { 'x-api-key': KEY },
          body: JSON.stringify({ toolkit: { slug: 'x' } }),
        }).then(async (r) => {
          await r.arrayBuffer();
          return r.status;
        });
      expect([await post(), await post()]).toEqual([502, 201]);
      local.reset();
      expect(await post()).toBe(502);
    } finally {
      await local.close();
    }
  });
});

describe('startComposioSimulator: request log and counters', () => {
  it('logs requests with the API key masked', async () => {
    await call(
      'POST',
      '/api/v3/auth_configs',
      { toolkit: { slug: 'slack' } },
      { authorization: 'Bearer abcdefghijk' },
    );
    const [entry] = sim.requests;
    expect(entry).toMatchObject({
      method: 'POST',
      path: '/api/v3/auth_configs',
      operation: 'postAuthConfigs',
      body: { toolkit: { slug: 'slack' } },
      status: 201,
    });
    expect(entry?.headers['x-api-key']).toBe('sim_****');
    expect(entry?.headers.authorization).toBe('Bear****');
    expect(JSON.stringify(sim.requests)).not.toContain(KEY);
  });

  it('counts requests per auth config and per connected account', async () => {
    const created = await createAccount();
    const accountId = created.body.id as string;
    const authConfigId = (sim.requests[1]!.body as any).auth_config.id as string;
    await pollStatuses(accountId, 3);
    expect(sim.requestCount(accountId)).toBe(4);
    expect(authConfigId).toMatch(/^ac_/);
    expect(sim.requestCount(authConfigId)).toBe(2);
    expect(sim.requestCount('ca_unknown')).toBe(0);
  });

  it('keeps at most maxLoggedRequests entries', async () => {
    sim.setOptions({ maxLoggedRequests: 3 });
    for (let i = 0; i < 8; i++) await call('GET', `/api/v3/connected_accounts/ca_${i}`);
    expect(sim.requests.map((r) => r.path)).toEqual([
      '/api/v3/connected_accounts/ca_5',
      '/api/v3/connected_accounts/ca_6',
      '/api/v3/connected_accounts/ca_7',
    ]);
    expect(sim.requestCount('ca_0')).toBe(1);
  });
});

describe('startComposioSimulator: options and load', () => {
  it('accepts a custom API key and adds latency', async () => {
    const local = await startComposioSimulator({ apiKey: 'custom', latencyMs: 60 });
    try {
      const started = performance.now();
      const res = await fetch(`${local.url}/api/v3/connected_accounts/ca_x`, {
        dispatcher: agent,
        headers: { 'x-api-key': 'custom' },
      });
      await res.arrayBuffer();
      expect(res.status).toBe(404);
      expect(performance.now() - started).toBeGreaterThanOrEqual(55);
    } finally {
      await local.close();
    }
  });

  it('serves 1,000 concurrent clients', async () => {
    sim.setOptions({ pollsUntilActive: 0, maxLoggedRequests: 100 });
    const created = await createAccount();
    const id = created.body.id as string;
    const results = await Promise.all(
      Array.from({ length: 1000 }, () =>
        fetch(`${sim.url}/api/v3/connected_accounts/${id}`, {
          dispatcher: agent,
          headers: { 'x-api-key': KEY },
        }).then(async (r) => ((await r.json()) as { status: string }).status),
      ),
    );
    expect(results.filter((s) => s === 'ACTIVE')).toHaveLength(1000);
    expect(sim.requestCount(id)).toBe(1001);
    expect(sim.requests.length).toBeLessThanOrEqual(100);
  });

  it('close() stops listening', async () => {
    const local = await startComposioSimulator();
    await local.close();
    await expect(fetch(`${local.url}/api/v3/auth_configs`, { dispatcher: agent })).rejects.toThrow();
  });
});
