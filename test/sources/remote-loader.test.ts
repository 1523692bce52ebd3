// The default loader's http(s) reads over the network client (src/net/): redirects, the size cap, failures.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDefaultLoader } from '../../src/sources/index.js';

let server: Server;
let other: Server;
let base = '';
let otherBase = '';
const seen: string[] = [];

function listen(s: Server): Promise<string> {
  return new Promise((resolve) =>
    s.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(s.address() as AddressInfo).port}`)),
  );
}

beforeAll(async () => {
  other = createServer((req, res) => {
    seen.push(`other ${req.url}`);
    res.writeHead(200, { 'content-type': 'application/yaml' });
    res.end('openapi: 3.1.0\n');
  });
  otherBase = await listen(other);
  server = createServer((req, res) => {
    seen.push(req.url ?? '');
    if (req.url === '/doc.yaml') {
      res.writeHead(200, { 'content-type': 'application/yaml' });
      res.end('arazzo: 1.0.1\n');
    } else if (req.url === '/elsewhere') {
      res.writeHead(302, { location: `${otherBase}/signed.yaml?X-Amz-Signature=abc&token=t1` });
      res.end();
    } else if (req.url === '/loop') {
      res.writeHead(301, { location: '/loop' });
      res.end();
    } else if (req.url?.startsWith('/hop/')) {
      res.writeHead(307, { location: `/hop/${Number(req.url.slice(5)) + 1}` });
      res.end();
    } else if (req.url === '/big-declared') {
      res.writeHead(200, { 'content-length': '5000' });
      res.end('x'.repeat(5000));
    } else if (req.url === '/big-chunked') {
      res.writeHead(200);
      for (let i = 0; i < 10; i++) res.write('y'.repeat(500));
      res.end();
    } else {
      res.writeHead(404);
      res.end('no');
    }
  });
  base = await listen(server);
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await new Promise<void>((resolve) => other.close(() => resolve()));
});

async function failure(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (e) {
    return { code: (e as { code: string }).code, message: (e as Error).message };
  }
  throw new Error('expected a rejection');
}

describe('default loader over http', () => {
  const load = createDefaultLoader({ maxBytes: 1000 });

  it('reads a document with its content type', async () => {
    await expect(load(new URL(`${base}/doc.yaml`))).resolves.toEqual({
      text: 'arazzo: 1.0.1\n',
      contentType: 'application/yaml',
    });
  });

  it('follows a redirect to another origin as it is (signed query parameters kept), asking checkRemote per hop', async () => {
    seen.length = 0;
    const asked: string[] = [];
    const checked = createDefaultLoader({ checkRemote: (u) => void asked.push(u.href) });
    await expect(checked(new URL(`${base}/elsewhere`))).resolves.toMatchObject({ text: 'openapi: 3.1.0\n' });
    expect(seen).toEqual(['/elsewhere', 'other /signed.yaml?X-Amz-Signature=abc&token=t1']);
    expect(asked).toEqual([`${base}/elsewhere`, `${otherBase}/signed.yaml?X-Amz-Signature=abc&token=t1`]);
  });

  it('refuses a hop checkRemote refuses', async () => {
    const checked = createDefaultLoader({
      checkRemote: (u) => (u.origin === otherBase ? 'not that host' : undefined),
    });
    expect(await failure(checked(new URL(`${base}/elsewhere`)))).toEqual({
      code: 'source-url-refused',
      message: 'not that host',
    });
  });

  it('gives up after maxRedirects hops', async () => {
    expect(await failure(createDefaultLoader({ maxRedirects: 2 })(new URL(`${base}/hop/0`)))).toEqual({
      code: 'source-unreadable',
      message: 'more than 2 redirects',
    });
  });

  it('refuses a redirect loop', async () => {
    expect(await failure(load(new URL(`${base}/loop`)))).toEqual({
      code: 'source-unreadable',
      message: `redirect loop back to ${base}/loop`,
    });
  });

  it('refuses a body over the cap, declared or streamed', async () => {
    expect(await failure(load(new URL(`${base}/big-declared`)))).toEqual({
      code: 'source-too-large',
      message: 'document is 5000 bytes, more than maxDocumentBytes (1000); raise the limit to read it',
    });
    const streamed = await failure(load(new URL(`${base}/big-chunked`)));
    expect(streamed.code).toBe('source-too-large');
    expect(streamed.message).toMatch(/^document is \d+ bytes, more than maxDocumentBytes \(1000\)/);
  });

  it('reports an HTTP error status and a refused connection', async () => {
    expect(await failure(load(new URL(`${base}/missing.yaml`)))).toEqual({
      code: 'source-unreadable',
      message: `HTTP 404 from ${base}/missing.yaml`,
    });
    const closed = createServer();
    const url = await listen(closed);
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    expect(await failure(load(new URL(`${url}/doc.yaml`)))).toEqual({
      code: 'source-unreadable',
      message: 'connection refused',
    });
  });
});

describe('default loader and an installed global dispatcher', () => {
  it("reads through undici's setGlobalDispatcher (an application's MockAgent), as it did before net/", async () => {
    const { MockAgent, getGlobalDispatcher, setGlobalDispatcher } = await import('undici');
    const previous = getGlobalDispatcher();
    const mock = new MockAgent();
    mock.disableNetConnect();
    mock
      .get('https://specs.example')
      .intercept({ path: '/flow.arazzo.yaml', method: 'GET' })
      .reply(200, 'arazzo: 1.0.1\n', { headers: { 'content-type': 'application/yaml' } });
    setGlobalDispatcher(mock);
    try {
      const doc = await createDefaultLoader()(new URL('https://specs.example/flow.arazzo.yaml'));
      expect(doc.text).toBe('arazzo: 1.0.1\n');
      mock.assertNoPendingInterceptors();
    } finally {
      setGlobalDispatcher(previous);
      await mock.close();
    }
  });
});
