import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isTransportError } from '../../src/errors.js';
import { sendRequest } from '../../src/http/index.js';
import { getRequest } from './helpers.js';

const JSON_BODY = JSON.stringify({ pets: ['rex', 'tom'], note: 'é'.repeat(100) });
const BOMB = gzipSync(Buffer.alloc(8 * 1024 * 1024));

const routes: Record<string, { coding?: string; body: Buffer; length?: boolean }> = {
  '/gzip': { coding: 'gzip', body: gzipSync(JSON_BODY) },
  '/deflate': { coding: 'deflate', body: deflateSync(JSON_BODY) },
  '/br': { coding: 'br', body: brotliCompressSync(JSON_BODY) },
  '/chunked-gzip': { coding: 'gzip', body: gzipSync(JSON_BODY), length: false },
  '/plain': { body: Buffer.from(JSON_BODY) },
  '/bomb': { coding: 'gzip', body: BOMB },
  '/broken': { coding: 'gzip', body: Buffer.from('not gzip at all') },
  '/unknown': { coding: 'zstd', body: Buffer.from('zzz') },
};

let server: Server;
let origin = '';
const seen: IncomingHttpHeaders[] = [];
beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push(req.headers);
    const route = routes[req.url ?? ''];
    if (route === undefined) return void res.writeHead(404).end();
    const headers: Record<string, string | number> = { 'content-type': 'application/json' };
    if (route.coding !== undefined) headers['content-encoding'] = route.coding;
    if (route.length !== false) headers['content-length'] = route.body.byteLength;
    res.writeHead(200, headers);
    res.end(route.body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

describe('compressed responses', () => {
  it.each(['/gzip', '/deflate', '/br', '/chunked-gzip', '/plain'])(
    '%s is decoded and parsed',
    async (path) => {
      seen.length = 0;
      const response = await sendRequest(getRequest(origin, path));
      expect(response.body).toEqual(JSON.parse(JSON_BODY));
      expect(response.size).toBe(Buffer.byteLength(JSON_BODY));
      expect(seen[0]?.['accept-encoding']).toBe('gzip, deflate, br');
    },
  );

  it("the caller's Accept-Encoding is sent as given", async () => {
    seen.length = 0;
    const request = getRequest(origin, '/plain', { headers: { 'Accept-Encoding': 'identity' } });
    await sendRequest(request);
    expect(seen[0]?.['accept-encoding']).toBe('identity');
    expect(request.headers).toEqual({ 'Accept-Encoding': 'identity' });
  });

  it('the body cap applies to the decoded size: a compression bomb is BODY_TOO_LARGE', async () => {
    expect(BOMB.byteLength).toBeLessThan(1024 * 1024);
    const error = await sendRequest(getRequest(origin, '/bomb'), { maxBodyBytes: 1024 * 1024 }).catch(
      (e: unknown) => e,
    );
    expect(isTransportError(error) && error.reason).toBe('BODY_TOO_LARGE');
    expect((error as Error).message).toMatch(/1048576-byte cap once decoded \(gzip, \d+ bytes received\)/);
    // Within the cap it decodes in full.
    const whole = await sendRequest(getRequest(origin, '/bomb'), { maxBodyBytes: 16 * 1024 * 1024 });
    expect(whole.size).toBe(8 * 1024 * 1024);
  });

  it('a body that is not what its Content-Encoding says fails with BAD_ENCODING', async () => {
    const error = await sendRequest(getRequest(origin, '/broken')).catch((e: unknown) => e);
    expect(isTransportError(error) && error.reason).toBe('BAD_ENCODING');
  });

  it('a coding we did not ask for is left as received', async () => {
    const response = await sendRequest(getRequest(origin, '/unknown'));
    expect(response.size).toBe(3);
  });
});
