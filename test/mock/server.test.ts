import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadScenario, type MockServer, startMockServer } from '../../src/mock/index.js';
import { loadArazzo } from '../../src/sources/index.js';
import { fixtureSource } from './helpers.js';

describe('startMockServer on an OpenAPI source', () => {
  let server: MockServer;
  beforeAll(async () => {
    const scenario = loadScenario({
      operations: { deletePet: [{ status: 500, body: { title: 'locked' } }, { status: 204 }] },
      steps: { ignored: { status: 599 } },
    });
    server = await startMockServer(fixtureSource('petstore-3.0/openapi.yaml'), { scenario, seed: 5 });
  });
  afterAll(() => server.close());

  it('listens on loopback', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it.each<
    [
      string,
      {
        method: string;
        path: string;
        prefer?: string;
        want: { status: number; type?: string; text?: string; body?: unknown };
      },
    ]
  >([
    [
      'a path parameter is matched and echoed',
      { method: 'GET', path: '/pets/31', want: { status: 200, type: 'application/json', body: { id: 31 } } },
    ],
    [
      'the server base path is accepted too',
      { method: 'GET', path: '/v1/pets/32', want: { status: 200, body: { id: 32 } } },
    ],
    [
      'a literal segment beats a parameter',
      {
        method: 'GET',
        path: '/pets/mine',
        want: { status: 200, body: [{ id: 7, name: 'Rex', tag: null, password: 'x' }] },
      },
    ],
    [
      'Prefer: code=404 picks a declared status',
      {
        method: 'GET',
        path: '/pets/1',
        prefer: 'code=404',
        want: { status: 404, body: { title: 'string', status: 0 } },
      },
    ],
    [
      'text body',
      { method: 'GET', path: '/pets/1/card', want: { status: 200, type: 'text/plain', text: 'Rex (dog)' } },
    ],
    [
      'unknown route: 404 JSON error',
      {
        method: 'GET',
        path: '/nope',
        want: { status: 404, body: { error: 'no operation matches GET /nope' } },
      },
    ],
    [
      'known path, undeclared method: 405',
      {
        method: 'PUT',
        path: '/pets',
        want: { status: 405, body: { error: 'method PUT is not declared for /pets' } },
      },
    ],
  ])('%s', async (_name, { method, path, prefer, want }) => {
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: prefer === undefined ? {} : { prefer },
    });
    expect(res.status).toBe(want.status);
    if ('type' in want) expect(res.headers.get('content-type')).toBe(want.type);
    if ('text' in want) expect(await res.text()).toBe(want.text);
    if ('body' in want) expect(await res.json()).toMatchObject(want.body as object);
  });

  it('sends declared headers and a JSON body for POST', async () => {
    const list = await fetch(`${server.url}/pets`);
    expect(list.headers.get('x-total-count')).toBe('3');
    const created = await fetch(`${server.url}/pets`, {
      method: 'POST',
      body: JSON.stringify({ name: 'Rex' }),
    });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ id: 0, name: 'string' });
  });

  it('consumes scenario operations in order (steps are ignored)', async () => {
    const first = await fetch(`${server.url}/pets/1`, { method: 'DELETE' });
    expect([first.status, await first.json()]).toEqual([500, { title: 'locked' }]);
    const second = await fetch(`${server.url}/pets/1`, { method: 'DELETE' });
    expect([second.status, await second.text()]).toEqual([204, '']);
  });
});

describe('startMockServer on a loaded Arazzo document', () => {
  it('serves the Composio operations and generates fresh ids per call', async () => {
    const loaded = await loadArazzo(
      new URL(
        '../../specs/composio/arazzo/composio-connect-account-via-auth-config-workflow.yml',
        import.meta.url,
      ),
    );
    const server = await startMockServer(loaded, { port: 0 });
    try {
      const a = await fetch(`${server.url}/api/v3/auth_configs`, { method: 'POST', body: '{}' });
      const b = await fetch(`${server.url}/api/v3/auth_configs`, { method: 'POST', body: '{}' });
      const idA = ((await a.json()) as { auth_config: { id: string } }).auth_config.id;
      const idB = ((await b.json()) as { auth_config: { id: string } }).auth_config.id;
      expect(a.status).toBe(201);
      expect(idA).toMatch(/^mock_/);
      expect(idB).not.toBe(idA);
      const got = await fetch(`${server.url}/api/v3/connected_accounts/con_42`);
      expect(await got.json()).toMatchObject({ id: 'con_42' });
    } finally {
      await server.close();
    }
  });
});
