// Testing an Arazzo spec inside a vitest test against a local server, with the public API only.
// The server stands in for the service under test: here a tiny in-memory one.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { runWorkflow } from 'arazzo-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const spec = fileURLToPath(new URL('./orders.arazzo.yaml', import.meta.url));
let server: Server;
let baseUrl: string;
const polls = new Map<string, number>();

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      if (req.method === 'POST' && req.url === '/orders') {
        const id = `o-${polls.size + 1}`;
        polls.set(id, 0);
        res.statusCode = 201;
        res.end(JSON.stringify({ id, state: 'placed', ...JSON.parse(body) }));
        return;
      }
      const id = /^\/orders\/(.+)$/.exec(req.url ?? '')?.[1];
      if (req.method === 'GET' && id !== undefined && polls.has(id)) {
        const n = (polls.get(id) ?? 0) + 1;
        polls.set(id, n);
        res.end(JSON.stringify({ id, state: n >= 2 ? 'shipped' : 'placed' }));
        return;
      }
      res.statusCode = 404;
      res.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('orders workflow', () => {
  it('places an order and polls until it ships, honouring the contract', async () => {
    const result = await runWorkflow(
      spec,
      { sku: 'ABC-1' },
      {
        servers: { orders: baseUrl },
        contract: true,
        sleep: async () => {}, // no real waits in tests
      },
    );
    expect(result.status).toBe('succeeded');
    expect(result.outputs).toEqual({ orderId: 'o-1', state: 'shipped' });
    expect(result.steps.map((s) => `${s.stepId}#${s.attempt}`)).toEqual(['place#1', 'track#1', 'track#2']);
    expect(result.steps.flatMap((s) => s.checks ?? []).every((c) => c.passed)).toBe(true);
  });
});
