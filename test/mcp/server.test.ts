/** `arazzo-runtime/mcp` in-process: tool names, output shapes, server inputs, start-up failures. */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDocumentError } from '../../src/errors.js';
import { createMcpServer, type McpServerOptions, toolNames } from '../../src/mcp/index.js';
import { describeShape } from '../../src/mcp/output-schema.js';
import { type ScriptedServer, startScriptedServer } from '../helpers/scripted-server.js';

const TOOLS = 'test/mcp/fixtures/tools/tools.arazzo.yaml';
const KEY = 'sk_lib_SECRET_0a9b8c7d';

describe('toolNames', () => {
  const cases: Array<[string, Array<[string, string]>, string[]]> = [
    [
      'unique ids stay as they are',
      [
        ['a', 'file:///x/one.arazzo.yaml'],
        ['b', 'file:///x/two.yaml'],
      ],
      ['a', 'b'],
    ],
    [
      'a collision prefixes both with their document',
      [
        ['get-user', 'file:///x/crm.arazzo.yaml'],
        ['get-user', 'file:///y/billing.json'],
        ['other', 'file:///y/billing.json'],
      ],
      ['crm_get-user', 'billing_get-user', 'other'],
    ],
    [
      'the same document twice gets a number',
      [
        ['w', 'file:///x/d.yaml'],
        ['w', 'file:///x/d.yaml'],
      ],
      ['d_w', 'd_w_2'],
    ],
    ['invalid characters become _', [['pets.list v2/beta', 'file:///p.yaml']], ['pets_list_v2_beta']],
    ['at most 64 characters', [['x'.repeat(80), 'file:///p.yaml']], ['x'.repeat(64)]],
  ];
  it.each(cases)('%s', (_name, given, want) => {
    expect(toolNames(given.map(([workflowId, documentUrl]) => ({ workflowId, documentUrl })))).toEqual(want);
  });
});

describe('describeShape (OpenAPI schema -> outputSchema shape)', () => {
  const cases: Array<[string, unknown, unknown]> = [
    ['3.0 nullable', { type: 'string', nullable: true }, { type: ['string', 'null'] }],
    ['2.0 x-nullable', { type: 'integer', 'x-nullable': true }, { type: ['integer', 'null'] }],
    [
      'validation keywords real APIs break are dropped',
      { type: 'string', enum: ['A'], format: 'uuid', minLength: 3, description: 'd' },
      { type: 'string', description: 'd' },
    ],
    [
      'objects keep properties, not required or additionalProperties: false',
      { type: 'object', required: ['a'], additionalProperties: false, properties: { a: { type: 'number' } } },
      { type: 'object', properties: { a: { type: 'number' } } },
    ],
    [
      'oneOf becomes anyOf',
      { oneOf: [{ type: 'string' }, { type: 'integer' }] },
      { anyOf: [{ type: 'string' }, { type: 'integer' }] },
    ],
    ['an unresolved (cyclic) $ref is untyped', { $ref: '#/components/schemas/Node' }, {}],
    ['3.1 type arrays pass', { type: ['string', 'null'] }, { type: ['string', 'null'] }],
    ['not a schema', 'string', {}],
  ];
  it.each(cases)('%s', (_name, given, want) => {
    expect(describeShape(given)).toEqual(want);
  });
});

describe('createMcpServer', () => {
  let api: ScriptedServer;
  beforeAll(async () => {
    api = await startScriptedServer([
      { route: 'GET /users/7', body: { id: 7, name: 'Lin', tags: [], echo: KEY } },
    ]);
  });
  afterAll(async () => {
    await api.close();
  });

  async function client(
    options: McpServerOptions,
  ): Promise<{ c: Client; sent: string[]; unconfigured: ReadonlyMap<string, string[]> }> {
    const mcp = await createMcpServer([TOOLS], {
      env: {},
      runOptions: { servers: { api: api.url } },
      ...options,
    });
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await mcp.connect(serverSide);
    const c = new Client({ name: 'lib-test', version: '1' });
    await c.connect(clientSide);
    // Everything that reaches the client, as it arrived.
    const sent: string[] = [];
    const deliver = clientSide.onmessage;
    clientSide.onmessage = (message, extra) => {
      sent.push(JSON.stringify(message));
      deliver?.(message, extra);
    };
    return { c, sent, unconfigured: mcp.unconfigured };
  }

  it('fills an input that feeds a security scheme from `auth`, and masks the key everywhere', async () => {
    const { c, sent, unconfigured } = await client({ auth: { ApiKeyAuth: KEY } });
    expect(unconfigured.size).toBe(0);
    const result = (await c.callTool({ name: 'get-user', arguments: { userId: 7 } })) as CallToolResult;
    expect(result.isError).toBeUndefined();
    expect((result.structuredContent as { user: { echo: string } }).user.echo).toBe('***');
    expect(api.received.at(-1)?.headers['x-api-key']).toBe(KEY);
    expect(sent.join('\n')).not.toContain(KEY);
    await c.close();
  });

  it('reports a required server input without a value, and the call fails saying how to configure it', async () => {
    const { c, unconfigured } = await client({});
    expect([...unconfigured]).toEqual([['get-user', ['apiKey']]]);
    const result = (await c.callTool({
      name: 'get-user',
      arguments: { userId: 7, apiKey: 'x'.repeat(8) },
    })) as CallToolResult;
    expect(result.isError).toBe(true);
    expect((result.content[0] as { text: string }).text).toContain('the server has no value for apiKey');
    await c.close();
  });

  it('reads an unset server input from ARAZZO_INPUT_<name>', async () => {
    const { c, unconfigured } = await client({ env: { ARAZZO_INPUT_apiKey: KEY } });
    expect(unconfigured.size).toBe(0);
    const result = (await c.callTool({ name: 'get-user', arguments: { userId: 7 } })) as CallToolResult;
    expect(result.isError).toBeUndefined();
    expect(api.received.at(-1)?.headers['x-api-key']).toBe(KEY);
    await c.close();
  });

  it('an input templated into Authorization feeds the http scheme: hidden, filled from --auth, masked', async () => {
    const token = 'tok_SECRET_bearer_55';
    const me = await startScriptedServer([{ route: 'GET /me', body: { login: `ada (${token})` } }]);
    try {
      const mcp = await createMcpServer(['test/mcp/fixtures/bearer/me.arazzo.yaml'], {
        env: {},
        auth: { bearerAuth: token },
        runOptions: { servers: { api: me.url } },
      });
      expect(mcp.tools[0]?.serverInputs).toEqual(['handle']);
      expect(mcp.tools[0]?.inputSchema).toEqual({
        type: 'object',
        properties: { verbose: { type: 'boolean' } },
      });
      const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
      await mcp.connect(serverSide);
      const c = new Client({ name: 'bearer', version: '1' });
      await c.connect(clientSide);
      const result = (await c.callTool({ name: 'whoami', arguments: {} })) as CallToolResult;
      expect(result.structuredContent).toEqual({ login: 'ada (***)' });
      expect(me.received[0]?.headers.authorization).toBe(`Bearer ${token}`);
      await c.close();
    } finally {
      await me.close();
    }
  });

  it('an unknown tool is an isError result', async () => {
    const { c } = await client({ auth: { ApiKeyAuth: KEY } });
    const result = (await c.callTool({ name: 'nope', arguments: {} })) as CallToolResult;
    expect(result).toMatchObject({ isError: true, content: [{ type: 'text', text: 'unknown tool "nope"' }] });
    await c.close();
  });

  it('a document that does not load rejects at creation with its diagnostics', async () => {
    const error: unknown = await createMcpServer(['test/cli/fixtures/invalid-document/workflow.yml']).catch(
      (e: unknown) => e,
    );
    expect(isDocumentError(error)).toBe(true);
    expect((error as { diagnostics: unknown[] }).diagnostics.length).toBeGreaterThan(0);
  });
});

describe('layering: the MCP SDK stays out of everything but mcp', () => {
  it('only src/mcp/ and the mcp command import the SDK or src/mcp/', async () => {
    const { readdir, readFile } = await import('node:fs/promises');
    const files = (await readdir('src', { recursive: true })).filter((f) => f.endsWith('.ts'));
    const importers = [];
    for (const file of files) {
      const text = await readFile(`src/${file}`, 'utf8');
      const imports = [...text.matchAll(/(?:from|import\()\s*'([^']+)'/g)].map((m) => m[1]!);
      if (imports.some((i) => i.startsWith('@modelcontextprotocol/') || /(^|\/)mcp\//.test(i)))
        importers.push(file);
    }
    expect(importers.filter((f) => !f.startsWith('mcp/')).sort()).toEqual(['cli/commands/mcp.ts']);
    expect(importers.length).toBeGreaterThan(3);
  });
});
