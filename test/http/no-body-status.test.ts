import type { AddressInfo } from 'node:net';
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendRequest } from '../../src/http/index.js';
import { getRequest } from './helpers.js';

// RFC 9112 §6.3: a 1xx, 204 or 304 answer, and any answer to HEAD, ends at the header section whatever
// Content-Length says. A raw socket server writes exactly the bytes a real server would.
let server: Server;
let origin = '';
const sockets = new Set<Socket>();

beforeAll(async () => {
  server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    let buffered = '';
    socket.on('data', (chunk) => {
      buffered += chunk.toString('latin1');
      let end = buffered.indexOf('\r\n\r\n');
      while (end >= 0) {
        const head = buffered.slice(0, end);
        buffered = buffered.slice(end + 4);
        const [method = '', path = ''] = head.split(' ');
        const status = /^\/status\/(\d{3})$/.exec(path)?.[1] ?? '200';
        const reason = status === '204' ? 'No Content' : status === '304' ? 'Not Modified' : 'OK';
        // The declared length is what a GET of the resource would carry; no body bytes follow.
        socket.write(
          `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: 17\r\nX-Method: ${method}\r\n\r\n`,
        );
        end = buffered.indexOf('\r\n\r\n');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('answers with no body that carry Content-Length', () => {
  const cases: Array<[string, { method: string; path: string; status: number }]> = [
    ['204 to a DELETE', { method: 'DELETE', path: '/status/204', status: 204 }],
    ['204 to a GET', { method: 'GET', path: '/status/204', status: 204 }],
    ['304 to a GET', { method: 'GET', path: '/status/304', status: 304 }],
    ['200 to a HEAD', { method: 'HEAD', path: '/status/200', status: 200 }],
    ['204 to a HEAD', { method: 'HEAD', path: '/status/204', status: 204 }],
  ];
  it.each(cases)('%s is a valid answer with an empty body', async (_name, { method, path, status }) => {
    const res = await sendRequest(getRequest(origin, path, { method }), { timeoutMs: 5000 });
    expect(res.statusCode).toBe(status);
    expect(res.size).toBe(0);
    expect(res.body).toBeUndefined();
    expect(res.bodyParseError).toBeUndefined();
    expect(res.headers['content-length']).toBe('17');
    expect(res.headers['x-method']).toBe(method);
  });

  it('the connection stays usable after a no-body answer', async () => {
    const first = await sendRequest(getRequest(origin, '/status/204', { method: 'DELETE' }), {
      timeoutMs: 5000,
    });
    const second = await sendRequest(getRequest(origin, '/status/304'), { timeoutMs: 5000 });
    expect([first.statusCode, second.statusCode]).toEqual([204, 304]);
  });
});
