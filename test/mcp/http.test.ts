/** serveMcpHttp in-process: sessions, idle sessions closed, requests under a foreign Host refused. */
import { request } from 'node:http';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMcpServer, type McpHttpServer, serveMcpHttp } from '../../src/mcp/index.js';

const TOOLS = 'test/mcp/fixtures/tools/tools.arazzo.yaml';

function post(
  url: string,
  headers: Record<string, string>,
  body: unknown,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          ...headers,
        },
      },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString('utf8')));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

const LIST = { jsonrpc: '2.0', id: 9, method: 'tools/list', params: {} };

describe('serveMcpHttp', () => {
  let served: McpHttpServer;
  beforeAll(async () => {
    const mcp = await createMcpServer([TOOLS], { env: {} });
    served = await serveMcpHttp(mcp, { port: 0, idleSessionMs: 1000 });
  });
  afterAll(async () => {
    await served.close();
  });

  it('listens on loopback at /mcp', () => {
    expect(served.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
  });

  it('refuses a request whose Host is not the loopback address (DNS rebinding)', async () => {
    const init = {
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'x', version: '1' } },
    };
    const refused = await post(served.url, { host: 'attacker.example' }, init);
    expect(refused.status).toBe(403);
    const accepted = await post(served.url, {}, init);
    expect(accepted.status).toBe(200);
  });

  it('answers 404 for an unknown session and for another path', async () => {
    expect((await post(served.url, { 'mcp-session-id': 'no-such-session' }, LIST)).status).toBe(404);
    expect((await post(served.url.replace('/mcp', '/other'), {}, LIST)).status).toBe(404);
  });

  it('closes a session that stays idle', async () => {
    const transport = new StreamableHTTPClientTransport(new URL(served.url));
    const client = new Client({ name: 'idle', version: '1' });
    await client.connect(transport);
    expect((await client.listTools()).tools.map((t) => t.name)).toEqual([
      'get-user',
      'always-fails',
      'slow-retry',
    ]);
    const sessionId = transport.sessionId!;
    expect(sessionId).toMatch(/^[0-9a-f-]{36}$/);
    // Each probe is activity too: probe less often than idle time plus one sweep interval.
    let status = 200;
    for (let i = 0; i < 6 && status !== 404; i++) {
      await new Promise((r) => setTimeout(r, 2200));
      status = (
        await post(served.url, { 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-06-18' }, LIST)
      ).status;
    }
    expect(status).toBe(404);
  }, 30_000);
});
