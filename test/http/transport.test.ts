import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isTransportError, type TransportError } from '../../src/errors.js';
import type { PreparedRequest, SendOptions } from '../../src/http/index.js';
import { closeSharedDispatcher, sendRequest } from '../../src/http/index.js';
import { undiciLoadedPartially } from '../../src/net/index.js';
import { getRequest, sendFailure } from './helpers.js';

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

interface TestServer {
  server: Server;
  origin: string;
  seen: Array<{ method: string; url: string; headers: IncomingMessage['headers']; body: string }>;
}

const pending = new Set<ServerResponse>();

async function startServer(routes: Record<string, Handler>): Promise<TestServer> {
  const seen: TestServer['seen'] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      const handler = routes[path];
      if (handler === undefined) {
        res.writeHead(404).end();
        return;
      }
      pending.add(res);
      res.on('close', () => pending.delete(res));
      handler(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, origin: `http://127.0.0.1:${port}`, seen };
}

function json(res: ServerResponse, status: number, value: unknown, type = 'application/json'): void {
  const text = JSON.stringify(value);
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(text) }).end(text);
}

let main: TestServer;
let other: TestServer;
let dispatcher: Agent;
const timers = new Set<NodeJS.Timeout>();

beforeAll(async () => {
  other = await startServer({
    '/echo': (req, res, body) => json(res, 200, { url: req.url, headers: req.headers, body }),
  });
  main = await startServer({
    '/json': (_req, res) => json(res, 200, { ok: true, n: [1, 2] }),
    '/problem': (_req, res) => json(res, 422, { title: 'bad' }, 'application/problem+json'),
    '/text': (_req, res) => res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end('héllo'),
    '/latin1': (_req, res) =>
      res
        .writeHead(200, { 'content-type': 'text/plain; charset=iso-8859-1' })
        .end(Buffer.from([0x63, 0x61, 0x66, 0xe9])),
    '/xml': (_req, res) => res.writeHead(200, { 'content-type': 'application/xml' }).end('<a>1</a>'),
    '/binary': (_req, res) =>
      res.writeHead(200, { 'content-type': 'image/png' }).end(Buffer.from([0x89, 0x50, 0x00, 0xff])),
    '/untyped': (_req, res) => res.end('plain'),
    '/bom-json': (_req, res) =>
      res
        .writeHead(200, { 'content-type': 'application/json; charset=UTF-8' })
        .end(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"bom":"é"}')])),
    '/broken-utf8': (_req, res) =>
      res
        .writeHead(200, { 'content-type': 'text/plain' })
        .end(Buffer.concat([Buffer.from('a'), Buffer.from([0xff, 0xfe]), Buffer.from('b')])),
    '/latin1-json': (_req, res) =>
      res
        .writeHead(200, { 'content-type': 'application/json; charset=latin1' })
        .end(Buffer.from([0x22, 0x63, 0x61, 0x66, 0xe9, 0x22])),
    '/empty': (_req, res) => res.writeHead(204).end(),
    '/bad-json': (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"a": tru'),
    '/never': () => {
      /* never answers */
    },
    '/trickle': (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      const t = setInterval(() => res.write('x'), 20);
      timers.add(t);
      res.on('close', () => clearInterval(t));
    },
    '/big': (_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('y'.repeat(5000)),
    '/big-chunked': (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('z'.repeat(3000));
      res.write('z'.repeat(3000));
      res.end();
    },
    '/reset': (req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '1000' });
      res.write('partial', () => setTimeout(() => req.socket.resetAndDestroy(), 10));
    },
    '/echo': (req, res, body) =>
      json(res, 200, { method: req.method, url: req.url, headers: req.headers, body }),
    '/redirect': (_req, res) => res.writeHead(302, { location: '/json' }).end(),
    '/redirect-303': (_req, res) => res.writeHead(303, { location: '/echo?from=303' }).end(),
    '/redirect-307': (_req, res) => res.writeHead(307, { location: '/echo' }).end(),
    '/redirect-302': (_req, res) => res.writeHead(302, { location: '/echo' }).end(),
    '/loop-a': (_req, res) => res.writeHead(302, { location: '/loop-b' }).end(),
    '/loop-b': (_req, res) => res.writeHead(301, { location: '/loop-a' }).end(),
    '/chain': (req, res) => {
      const n = Number(new URL(req.url ?? '', 'http://x').searchParams.get('n'));
      if (n > 0) res.writeHead(302, { location: `/chain?n=${n - 1}` }).end();
      else json(res, 200, { done: true });
    },
    '/cross': (req, res) => {
      const query = new URL(req.url ?? '', 'http://x').search;
      res.writeHead(302, { location: `${other.origin}/echo${query}&keep=1` }).end();
    },
  });
  dispatcher = new Agent({ keepAliveTimeout: 1000 });
});

afterAll(async () => {
  for (const t of timers) clearInterval(t);
  for (const res of pending) res.destroy();
  await dispatcher.close();
  main.server.closeAllConnections();
  other.server.closeAllConnections();
  await Promise.all([new Promise((r) => main.server.close(r)), new Promise((r) => other.server.close(r))]);
});

const get = (path: string, extra: Partial<PreparedRequest> = {}) => getRequest(main.origin, path, extra);
const failure = (req: PreparedRequest, options: SendOptions = {}): Promise<TransportError> =>
  sendFailure(req, { dispatcher, timeoutMs: 2000, ...options });

describe('sendRequest: bodies', () => {
  it.each<[string, { path: string; status: number; body: unknown; parseError?: RegExp }]>([
    ['JSON', { path: '/json', status: 200, body: { ok: true, n: [1, 2] } }],
    ['+json', { path: '/problem', status: 422, body: { title: 'bad' } }],
    ['text with charset', { path: '/text', status: 200, body: 'héllo' }],
    ['latin-1 text', { path: '/latin1', status: 200, body: 'café' }],
    ['XML as string', { path: '/xml', status: 200, body: '<a>1</a>' }],
    ['binary as bytes', { path: '/binary', status: 200, body: new Uint8Array([0x89, 0x50, 0x00, 0xff]) }],
    ['no content type, UTF-8 text', { path: '/untyped', status: 200, body: 'plain' }],
    ['empty body', { path: '/empty', status: 204, body: undefined }],
    ['JSON behind a UTF-8 byte-order mark', { path: '/bom-json', status: 200, body: { bom: 'é' } }],
    ['invalid UTF-8 becomes U+FFFD', { path: '/broken-utf8', status: 200, body: 'a\ufffd\ufffdb' }],
    ['JSON in latin-1', { path: '/latin1-json', status: 200, body: 'café' }],
    [
      'invalid JSON keeps the text',
      { path: '/bad-json', status: 200, body: '{"a": tru', parseError: /JSON/ },
    ],
  ])('%s', async (_name, { path, status, body, parseError }) => {
    const res = await sendRequest(get(path), { dispatcher, timeoutMs: 2000 });
    expect(res.statusCode).toBe(status);
    expect(res.body).toEqual(body);
    expect(res.url).toBe(`${main.origin}${path}`);
    expect(res.durationMs).toBeGreaterThanOrEqual(0);
    if (parseError === undefined) expect(res.bodyParseError).toBeUndefined();
    else expect(res.bodyParseError).toMatch(parseError);
  });

  it('keeps the JSON text a body was parsed from (for the secret scan), and only for JSON', async () => {
    const json = await sendRequest(get('/json'), { dispatcher });
    expect(json.text).toBe(JSON.stringify({ ok: true, n: [1, 2] }));
    const text = await sendRequest(get('/text'), { dispatcher });
    expect(text.text).toBeUndefined();
  });

  it("loads only undici's Agent and request modules, not its whole index", async () => {
    await sendRequest(get('/json'), { dispatcher });
    expect(undiciLoadedPartially()).toBe(true);
  });

  it('reports size, content type and headers', async () => {
    const res = await sendRequest(get('/json'), { dispatcher });
    expect(res.size).toBe(JSON.stringify({ ok: true, n: [1, 2] }).length);
    expect(res.contentType).toBe('application/json');
    expect(res.headers['content-length']).toBe(String(res.size));
  });

  it('sends method, headers and a string or Blob body', async () => {
    const res = await sendRequest(
      get('/echo?q=1', {
        method: 'POST',
        headers: { 'Content-Type': 'text/plain', 'X-A': 'b' },
        body: 'hello',
      }),
      { dispatcher },
    );
    expect(res.body).toMatchObject({
      method: 'POST',
      url: '/echo?q=1',
      body: 'hello',
      headers: { 'x-a': 'b' },
    });
    const blob = await sendRequest(get('/echo', { method: 'PUT', bodyBlob: new Blob(['from blob']) }), {
      dispatcher,
    });
    expect(blob.body).toMatchObject({ method: 'PUT', body: 'from blob' });
  });
});

it('uses a shared keep-alive Agent when no dispatcher is given', async () => {
  const first = await sendRequest(get('/json'), { timeoutMs: 2000 });
  const second = await sendRequest(get('/echo'), { timeoutMs: 2000 });
  expect(first.body).toEqual({ ok: true, n: [1, 2] });
  expect((second.body as { headers: Record<string, string> }).headers.connection).toBe('keep-alive');
  await closeSharedDispatcher();
  expect((await sendRequest(get('/json'))).statusCode).toBe(200);
  await closeSharedDispatcher();
});

describe('sendRequest: failures', () => {
  it('times out on a server that never answers', async () => {
    const started = Date.now();
    const err = await failure(get('/never'), { timeoutMs: 150 });
    expect(err.reason).toBe('TIMEOUT');
    expect(err.message).toMatch(/150 ms/);
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('times out overall on a server that trickles bytes', async () => {
    const started = Date.now();
    const err = await failure(get('/trickle'), { timeoutMs: 200 });
    expect(err.reason).toBe('TIMEOUT');
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it.each([
    ['declared Content-Length', '/big'],
    ['chunked', '/big-chunked'],
  ])('caps the body (%s)', async (_name, path) => {
    const err = await failure(get(path), { maxBodyBytes: 1000 });
    expect(err.reason).toBe('BODY_TOO_LARGE');
    expect(err.message).toMatch(/1000-byte cap/);
  });

  it('keeps each exchange to its own deadline when they overlap (one shared deadline timer)', async () => {
    const timed = async (path: string, timeoutMs: number) => {
      const started = performance.now();
      try {
        const res = await sendRequest(get(path), { dispatcher, timeoutMs });
        return { ok: true as const, status: res.statusCode, ms: performance.now() - started };
      } catch (e) {
        return {
          ok: false as const,
          reason: isTransportError(e) ? e.reason : String(e),
          message: e instanceof Error ? e.message : String(e),
          ms: performance.now() - started,
        };
      }
    };
    // A long deadline first, then a shorter one (the shared timer must be re-armed earlier), then one
    // that completes before any deadline.
    const long = timed('/never', 900);
    const short = timed('/never', 250);
    const quick = timed('/json', 5000);
    const [l, s, q] = await Promise.all([long, short, quick]);
    expect(q).toMatchObject({ ok: true, status: 200 });
    expect(s).toMatchObject({ ok: false, reason: 'TIMEOUT' });
    expect(s.ms).toBeGreaterThanOrEqual(240);
    expect(s.ms).toBeLessThan(800);
    expect(l).toMatchObject({ ok: false, reason: 'TIMEOUT' });
    expect(l.ms).toBeGreaterThanOrEqual(890);
    expect(l.ms).toBeLessThan(2000);
  });

  it('refuses a URL that is not HTTP', async () => {
    const err = await failure(get('', { url: 'ftp://127.0.0.1/file' }));
    expect(err.reason).toBe('OTHER');
    expect(err.message).toMatch(/unsupported protocol ftp:/);
  });

  it('reports a refused connection', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const { port } = closed.address() as AddressInfo;
    await new Promise((r) => closed.close(r));
    const err = await failure({ ...get('/'), url: `http://127.0.0.1:${port}/x` });
    expect(err.reason).toBe('ECONNREFUSED');
    expect(err.request).toEqual({ method: 'GET', url: `http://127.0.0.1:${port}/x` });
  });

  it('reports a connection reset mid-body', async () => {
    const err = await failure(get('/reset'));
    expect(err.reason).toBe('ECONNRESET');
  });

  it('aborts via the caller signal', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const err = await failure(get('/never'), { signal: controller.signal, timeoutMs: 5000 });
    expect(err.reason).toBe('ABORTED');
  });

  it('aborts at once when the signal is already aborted', async () => {
    const err = await failure(get('/json'), { signal: AbortSignal.abort() });
    expect(err.reason).toBe('ABORTED');
  });

  it('masks secrets in messages and the recorded URL', async () => {
    const err = await failure(get('/never?api_key=sup3r-secret', { secrets: ['sup3r-secret'] }), {
      timeoutMs: 100,
    });
    expect(err.message).not.toContain('sup3r-secret');
    expect(err.message).toContain('api_key=***');
    expect(err.request.url).toBe(`${main.origin}/never?api_key=***`);
  });
});

describe('sendRequest: redirects', () => {
  it('follows a same-origin redirect', async () => {
    const res = await sendRequest(get('/redirect'), { dispatcher });
    expect(res.statusCode).toBe(200);
    expect(res.body).toEqual({ ok: true, n: [1, 2] });
    expect(res.url).toBe(`${main.origin}/json`);
    expect(res.redirects).toEqual([`${main.origin}/json`]);
  });

  it('returns the 3xx itself when maxRedirects is 0', async () => {
    const res = await sendRequest(get('/redirect'), { dispatcher, maxRedirects: 0 });
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('/json');
  });

  it.each<[string, { path: string; method: string; wantMethod: string; wantBody: string }]>([
    [
      '303 turns POST into GET without body',
      { path: '/redirect-303', method: 'POST', wantMethod: 'GET', wantBody: '' },
    ],
    ['302 turns POST into GET', { path: '/redirect-302', method: 'POST', wantMethod: 'GET', wantBody: '' }],
    [
      '307 keeps method and body',
      { path: '/redirect-307', method: 'POST', wantMethod: 'POST', wantBody: '{"a":1}' },
    ],
    ['302 keeps PUT', { path: '/redirect-302', method: 'PUT', wantMethod: 'PUT', wantBody: '{"a":1}' }],
  ])('%s', async (_name, { path, method, wantMethod, wantBody }) => {
    const res = await sendRequest(
      get(path, { method, headers: { 'Content-Type': 'application/json' }, body: '{"a":1}' }),
      { dispatcher },
    );
    const echoed = res.body as { method: string; body: string; headers: Record<string, string> };
    expect(echoed.method).toBe(wantMethod);
    expect(echoed.body).toBe(wantBody);
    expect(echoed.headers['content-type']).toBe(wantBody === '' ? undefined : 'application/json');
  });

  it('detects a redirect loop', async () => {
    const err = await failure(get('/loop-a'));
    expect(err.reason).toBe('REDIRECT_LOOP');
  });

  it('stops after maxRedirects', async () => {
    expect((await sendRequest(get('/chain?n=2'), { dispatcher, maxRedirects: 2 })).body).toEqual({
      done: true,
    });
    const err = await failure(get('/chain?n=3'), { maxRedirects: 2 });
    expect(err.reason).toBe('TOO_MANY_REDIRECTS');
  });

  it('refuses a cross-origin redirect by default, without following it', async () => {
    const before = other.seen.length;
    const err = await failure(
      get('/cross?api_key=k3y-value', {
        headers: { Authorization: 'Bearer t0ken-value' },
        secrets: ['k3y-value', 't0ken-value'],
      }),
    );
    expect(err.reason).toBe('CROSS_ORIGIN_REDIRECT');
    expect(err.message).not.toMatch(/k3y-value|t0ken-value/);
    expect(other.seen.length).toBe(before);
  });

  it('when allowed, strips credentials and secrets before crossing origins', async () => {
    const res = await sendRequest(
      get('/cross?api_key=k3y-value&page=2', {
        headers: {
          Authorization: 'Bearer t0ken-value',
          Cookie: 'sid=abc',
          'Proxy-Authorization': 'Basic eHg6eXk=',
          'X-Api-Key': 'k3y-value',
          'X-Trace': 'visible',
        },
        secrets: ['k3y-value', 't0ken-value', 'Bearer t0ken-value'],
      }),
      { dispatcher, allowCrossOriginRedirects: true },
    );
    const echoed = res.body as { url: string; headers: Record<string, string> };
    expect(echoed.url).toBe('/echo?page=2&keep=1');
    expect(echoed.headers['x-trace']).toBe('visible');
    for (const name of ['authorization', 'cookie', 'proxy-authorization', 'x-api-key']) {
      expect(echoed.headers[name]).toBeUndefined();
    }
    expect(res.url).toBe(`${other.origin}/echo?page=2&keep=1`);
  });
});
