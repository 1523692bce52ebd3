// Regression tests from the review of the performance work to src/http/transport.ts: timeouts, cancellation, undici bypass.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, MockAgent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TransportError } from '../../src/errors.js';
import type { PreparedRequest, SendOptions } from '../../src/http/index.js';
import { sendRequest } from '../../src/http/index.js';
import { getRequest, sendFailure } from './helpers.js';

let server: Server;
let origin: string;
let dispatcher: Agent;
const open = new Set<ServerResponse>();
const timers = new Set<NodeJS.Timeout>();

function trickle(res: ServerResponse, everyMs: number, headers: Record<string, string> = {}, status = 200) {
  res.writeHead(status, { 'content-type': 'text/plain', ...headers });
  const t = setInterval(() => res.write('x'), everyMs);
  timers.add(t);
  res.on('close', () => clearInterval(t));
}

const routes: Record<string, (req: IncomingMessage, res: ServerResponse) => void> = {
  '/never': () => undefined,
  '/trickle': (_req, res) => trickle(res, 20),
  // Declared length, sent slowly: the body is collected with arrayBuffer().
  '/trickle-declared': (_req, res) => trickle(res, 20, { 'content-length': '100000' }),
  '/to-never': (_req, res) => res.writeHead(302, { location: '/never' }).end(),
  '/redirect-trickling-body': (_req, res) => trickle(res, 20, { location: '/echo' }, 302),
  '/slow-chain': (req, res) => {
    const n = Number(new URL(req.url ?? '', 'http://x').searchParams.get('n'));
    const t = setTimeout(() => {
      if (n > 0) res.writeHead(302, { location: `/slow-chain?n=${n - 1}` }).end();
      else res.writeHead(200, { 'content-type': 'application/json' }).end('{"done":true}');
    }, 120);
    timers.add(t);
  },
  '/redirect-303': (_req, res) => res.writeHead(303, { location: '/echo' }).end(),
  '/echo': (req, res) => {
    const text = JSON.stringify({ url: req.url, headers: req.headers });
    res.writeHead(200, { 'content-type': 'application/json' }).end(text);
  },
};

beforeAll(async () => {
  server = createServer((req, res) => {
    open.add(res);
    res.on('close', () => open.delete(res));
    req.resume();
    req.on('end', () => {
      const route = routes[(req.url ?? '/').split('?')[0] ?? '/'];
      if (route === undefined) res.writeHead(404).end();
      else route(req, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  dispatcher = new Agent({ keepAliveTimeout: 1000 });
});

afterAll(async () => {
  for (const t of timers) clearTimeout(t);
  for (const res of open) res.destroy();
  await dispatcher.close();
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const get = (path: string, extra: Partial<PreparedRequest> = {}) => getRequest(origin, path, extra);
const failure = (req: PreparedRequest, options: SendOptions = {}): Promise<TransportError> =>
  sendFailure(req, { dispatcher, timeoutMs: 5000, ...options });

/** Runs `send` and returns how long it took with its error. */
async function timed(send: () => Promise<TransportError>): Promise<{ err: TransportError; ms: number }> {
  const started = performance.now();
  const err = await send();
  return { err, ms: performance.now() - started };
}

function abortAfter(ms: number): AbortSignal {
  const controller = new AbortController();
  const t = setTimeout(() => controller.abort(), ms);
  timers.add(t);
  return controller.signal;
}

describe('overall timeout and cancellation', () => {
  it.each<[string, { path: string; options: () => SendOptions; reason: string }]>([
    [
      'timeout across a chain of slow redirects',
      { path: '/slow-chain?n=5', options: () => ({ timeoutMs: 300 }), reason: 'TIMEOUT' },
    ],
    [
      'timeout while a 3xx body trickles',
      { path: '/redirect-trickling-body', options: () => ({ timeoutMs: 200 }), reason: 'TIMEOUT' },
    ],
    [
      'timeout on a declared-length body sent slowly',
      { path: '/trickle-declared', options: () => ({ timeoutMs: 200 }), reason: 'TIMEOUT' },
    ],
    [
      'caller abort on the hop after a redirect',
      { path: '/to-never', options: () => ({ signal: abortAfter(150) }), reason: 'ABORTED' },
    ],
    [
      'caller abort mid-body (streamed)',
      { path: '/trickle', options: () => ({ signal: abortAfter(150) }), reason: 'ABORTED' },
    ],
    [
      'caller abort mid-body (declared length)',
      { path: '/trickle-declared', options: () => ({ signal: abortAfter(150) }), reason: 'ABORTED' },
    ],
  ])('%s', async (_name, { path, options, reason }) => {
    const { err, ms } = await timed(() => failure(get(path), options()));
    expect(err.reason).toBe(reason);
    expect(ms).toBeLessThan(1500);
  });
});

describe('the caller request is not changed', () => {
  it("a method-changing redirect works on a copy of the caller's headers", async () => {
    const headers = { 'Content-Type': 'application/json', 'X-Trace': 't1' };
    const req = get('/redirect-303', { method: 'POST', headers, body: '{"a":1}' });
    const res = await sendRequest(req, { dispatcher });
    expect(res.statusCode).toBe(200);
    expect((res.body as { headers: Record<string, string> }).headers['content-type']).toBeUndefined();
    expect(req.headers).toBe(headers);
    expect(headers).toEqual({ 'Content-Type': 'application/json', 'X-Trace': 't1' });
  });
});

describe('URL forms sent through the request module', () => {
  it.each<[string, { url: string; want: string }]>([
    [
      'encoded query characters kept as written',
      { url: '/echo?q=a%2Fb%20c+d&e=%26', want: '/echo?q=a%2Fb%20c+d&e=%26' },
    ],
    ['hash fragment not sent', { url: '/echo?x=1#frag', want: '/echo?x=1' }],
    ['encoded path kept', { url: '/echo/../echo?p=%E2%82%AC', want: '/echo?p=%E2%82%AC' }],
  ])('%s', async (_name, { url, want }) => {
    const res = await sendRequest(get(url), { dispatcher });
    expect((res.body as { url: string }).url).toBe(want);
  });

  it('userinfo in the URL is neither sent nor put in the path', async () => {
    const url = origin.replace('http://', 'http://user:pa55word@');
    const res = await sendRequest(get('', { url: `${url}/echo` }), { dispatcher });
    const body = res.body as { url: string; headers: Record<string, string> };
    expect(body.url).toBe('/echo');
    expect(body.headers.authorization).toBeUndefined();
  });

  it('works with a user MockAgent (origin, path with query, method, headers, JSON body)', async () => {
    const mock = new MockAgent();
    mock.disableNetConnect();
    mock
      .get('https://api.example.test')
      .intercept({ path: '/v1/items?q=a%20b', method: 'POST', headers: { 'x-k': 'v' }, body: '{"n":1}' })
      .reply(201, { id: 7 }, { headers: { 'content-type': 'application/json' } });
    const res = await sendRequest(
      get('', {
        method: 'post',
        url: 'https://api.example.test/v1/items?q=a%20b#x',
        headers: { 'x-k': 'v' },
        body: '{"n":1}',
      }),
      { dispatcher: mock },
    );
    expect(res.statusCode).toBe(201);
    expect(res.body).toEqual({ id: 7 });
    expect(res.text).toBe('{"id":7}');
    await mock.close();
  });
});
