/**
 * `arazzo mcp` spawned (the built CLI) and driven by the MCP SDK's own client, over stdio and over
 * Streamable HTTP, against a scripted loopback API and the Composio simulator.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { CallToolResult, Progress } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startComposioSimulator } from '../../src/simulator/index.js';
import type { ComposioSimulator } from '../../src/simulator/types.js';
import { type ScriptedServer, startScriptedServer } from '../helpers/scripted-server.js';
import { ensureBuilt } from '../queue/build.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'dist/cli/bin.js');
const FIXTURES = 'test/mcp/fixtures/tools';
const COMPOSIO = 'specs/composio/arazzo/composio-connect-account-via-auth-config-workflow.yml';
const SCENARIO = 'specs/composio/scenarios/active-after-two-polls.yaml';
const API_KEY = 'sk_mcp_SECRET_4b3c2d1e';
const TENANT = 'tenant_SECRET_77aa';
const SECRET_FORMS = [API_KEY, Buffer.from(API_KEY).toString('base64'), TENANT];

interface Session {
  client: Client;
  /** Every JSON-RPC message the client received, as sent. */
  messages: string[];
  stderr(): string;
  waitForStderr(pattern: RegExp): Promise<string>;
  close(): Promise<void>;
}

const sessions: Session[] = [];

function stderrWatcher(stream: NodeJS.ReadableStream | null): Pick<Session, 'stderr' | 'waitForStderr'> {
  let text = '';
  const waiters: Array<() => void> = [];
  stream?.on('data', (chunk: Buffer) => {
    text += chunk.toString('utf8');
    for (const w of waiters.splice(0)) w();
  });
  const waitForStderr = (pattern: RegExp): Promise<string> =>
    new Promise((resolve) => {
      const check = (): void => {
        const m = pattern.exec(text);
        if (m) resolve(m[0]);
        else waiters.push(check);
      };
      check();
    });
  return { stderr: () => text, waitForStderr };
}

/** Record every message the client receives (the transport's onmessage is set by connect). */
async function connect(transport: Transport): Promise<{ client: Client; messages: string[] }> {
  const client = new Client({ name: 'arazzo-mcp-test', version: '1.0.0' });
  await client.connect(transport);
  const messages: string[] = [];
  const deliver = transport.onmessage;
  transport.onmessage = (message, extra) => {
    messages.push(JSON.stringify(message));
    deliver?.(message, extra);
  };
  return { client, messages };
}

/**
 * The progress notifications the server sent after `mark`, read off the transport. The SDK client hands a
 * notification to `onprogress` in a microtask but settles a response at once and drops the call's progress
 * handler, so under load the last notification, arriving in the same chunk as the result, never reaches
 * `onprogress`: counting there made these tests flaky.
 */
function sentProgress(messages: string[], mark: number): Progress[] {
  return messages
    .slice(mark)
    .map((m) => JSON.parse(m) as { method?: string; params?: Progress })
    .filter((m) => m.method === 'notifications/progress')
    .map((m) => ({ progress: m.params!.progress, message: m.params!.message }));
}

/** Call the Composio tool asking for progress; `mark` is where this call's messages start in `messages`. */
async function connectWithProgress(s: Session): Promise<{ mark: number; result: CallToolResult }> {
  const mark = s.messages.length;
  const result = (await s.client.callTool(
    {
      name: 'connect-account-via-auth-config',
      arguments: { toolkitSlug: 'gmail', authType: 'use_composio_managed_auth', userId: 'u' },
    },
    undefined,
    { onprogress: () => {} },
  )) as CallToolResult;
  return { mark, result };
}

async function startStdio(args: string[], env: Record<string, string> = {}): Promise<Session> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [BIN, 'mcp', ...args],
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stderr: 'pipe',
  });
  const watch = stderrWatcher(transport.stderr as NodeJS.ReadableStream | null);
  const { client, messages } = await connect(transport);
  const session = { client, messages, ...watch, close: () => client.close() };
  sessions.push(session);
  return session;
}

async function startHttp(
  args: string[],
  env: Record<string, string> = {},
): Promise<Session & { child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [BIN, 'mcp', ...args, '--http', '--port', '0'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const watch = stderrWatcher(child.stderr);
  const url = (await watch.waitForStderr(/http:\/\/127\.0\.0\.1:\d+\/mcp/)).trim();
  const { client, messages } = await connect(new StreamableHTTPClientTransport(new URL(url)));
  const session = {
    client,
    messages,
    ...watch,
    child,
    url,
    close: async () => {
      await client.close();
      if (child.exitCode === null) child.kill('SIGINT');
    },
  };
  sessions.push(session);
  return session;
}

function textOf(result: CallToolResult): string {
  return result.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');
}

let api: ScriptedServer;
let sim: ComposioSimulator;
const USER = { id: 1, name: 'Ada', nickname: null, tags: ['admin'], seenKey: API_KEY };

const baseArgs = (): string[] => [
  FIXTURES,
  COMPOSIO,
  '--input',
  'apiKey=env:TEST_API_KEY',
  '--server-input',
  'tenant',
  '--server',
  `api=${api.url}`,
  '--server',
  `composioApi=${sim.url}`,
];
const env = { TEST_API_KEY: API_KEY, ARAZZO_INPUT_tenant: TENANT };

beforeAll(async () => {
  ensureBuilt();
  api = await startScriptedServer([
    { route: 'GET /users/1', body: USER },
    { route: 'GET /users/2', body: { id: 2, name: 'Grace', tags: [] }, delayMs: 50 },
    { route: 'GET /fail', status: 500, body: { error: 'database unavailable' } },
    { route: 'GET /busy', status: 503, body: { error: 'busy' } },
  ]);
  sim = await startComposioSimulator({ apiKey: API_KEY, pollsUntilActive: 0 });
}, 180_000);

afterAll(async () => {
  for (const s of sessions) await s.close().catch(() => {});
  await api?.close();
  await sim?.close();
});

describe('arazzo mcp over stdio', () => {
  let s: Session;
  beforeAll(async () => {
    s = await startStdio(baseArgs(), env);
  }, 60_000);

  it('lists one tool per workflow, colliding names prefixed by their document, secrets out of the schemas', async () => {
    const { tools } = await s.client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([
      'always-fails',
      'connect-account-via-auth-config',
      'other_get-user',
      'slow-retry',
      'tools_get-user',
    ]);
    const getUser = tools.find((t) => t.name === 'tools_get-user')!;
    expect(getUser.description).toBe('Read one user.\n\nReads a user by id and returns the name and tags.');
    // The $ref to components/inputs is resolved; apiKey (feeds X-API-Key), pin (format: password) and
    // tenant (--server-input) are the server's.
    expect(getUser.inputSchema).toEqual({
      type: 'object',
      properties: { userId: { type: 'integer', description: 'The user to read.' } },
      required: ['userId'],
    });
    const out = getUser.outputSchema as { properties: Record<string, Record<string, unknown>> };
    expect(out.properties.name).toEqual({ type: ['string', 'null'], description: 'Display name' });
    expect(out.properties.tags).toEqual({ type: ['array', 'null'], items: { type: 'string' } });
    expect(out.properties.status).toEqual({ type: ['integer', 'null'] });
    expect(out.properties.user?.properties).toMatchObject({ nickname: { type: ['string', 'null'] } });

    const composio = tools.find((t) => t.name === 'connect-account-via-auth-config')!;
    expect(Object.keys(composio.inputSchema.properties ?? {})).toEqual([
      'toolkitSlug',
      'authType',
      'authConfigName',
      'userId',
    ]);
    expect(composio.inputSchema.required).toEqual(['toolkitSlug', 'authType', 'userId']);
    const composioOut = composio.outputSchema as { properties: Record<string, { type?: unknown }> };
    expect(Object.keys(composioOut.properties)).toEqual([
      'authConfigId',
      'connectedAccountId',
      'redirectUrl',
      'status',
    ]);
    expect(composioOut.properties.status?.type).toEqual(['string', 'null']);
  });

  it('calls a tool against a local server: structured outputs, server inputs filled, the model cannot replace them', async () => {
    const before = api.received.length;
    const result = (await s.client.callTool({
      name: 'tools_get-user',
      arguments: { userId: 1, apiKey: 'model_supplied_key' },
    })) as CallToolResult;
    expect(result.isError).toBeUndefined();
    expect(result.structuredContent).toEqual({
      user: { ...USER, seenKey: '***' },
      name: 'Ada',
      tags: ['admin'],
      status: 200,
      asked: 1,
    });
    expect(textOf(result)).toMatch(/^workflow "get-user" succeeded \(1 step, \d+ ms\); outputs: \{"user":/);
    const request = api.received[before]!;
    expect(request.path).toBe('/users/1');
    expect(request.headers['x-api-key']).toBe(API_KEY);
    expect(request.query).toBe(`tenant=${TENANT}`);
  });

  it('calls the bundled Composio workflow against the simulator: status ACTIVE', async () => {
    const result = (await s.client.callTool({
      name: 'connect-account-via-auth-config',
      arguments: { toolkitSlug: 'gmail', authType: 'use_composio_managed_auth', userId: 'user_1' },
    })) as CallToolResult;
    expect(textOf(result)).toContain('succeeded');
    const outputs = result.structuredContent as Record<string, unknown>;
    expect(outputs.status).toBe('ACTIVE');
    expect(outputs.connectedAccountId).toMatch(/^\S+$/);
    expect(outputs.authConfigId).toMatch(/^\S+$/);
  });

  it('a failed workflow is an isError result naming the step, the criterion and the values', async () => {
    const result = (await s.client.callTool({ name: 'always-fails', arguments: {} })) as CallToolResult;
    expect(result.isError).toBe(true);
    expect(result.structuredContent).toBeUndefined();
    const text = textOf(result);
    expect(text).toContain('workflow "always-fails" failed at step "callFail" (attempt 1)');
    expect(text).toMatch(/criterion not met: \$statusCode == 200 \(.*500.*\)/);
    expect(text).toContain('response: HTTP 500, body {"error":"database unavailable"}');
  });

  it('sends a progress notification per step attempt and per retry wait when asked', async () => {
    const { mark, result } = await connectWithProgress(s);
    expect(result.isError).toBeUndefined();
    const progress = sentProgress(s.messages, mark);
    // Every notification goes out before the result (a client drops progress that comes after it).
    const raw = s.messages.slice(mark).map((m) => JSON.parse(m) as { method?: string; result?: unknown });
    const response = raw.findIndex((m) => m.result !== undefined);
    expect(raw.map((m) => m.method).lastIndexOf('notifications/progress')).toBeLessThan(response);
    expect(progress.map((p) => p.progress)).toEqual(progress.map((_, i) => i + 1));
    expect(progress.map((p) => p.message)).toEqual([
      'step "createAuthConfig": postAuthConfigs',
      'step "createConnectedAccount": postConnectedAccounts',
      'step "pollConnection": getConnectedAccountsByNanoid',
      'step "confirmActive": getConnectedAccountsByNanoid',
    ]);
  });

  it('cancelling a call during a retry wait aborts the run (no second request)', async () => {
    const before = api.received.filter((r) => r.path === '/busy').length;
    const controller = new AbortController();
    const waits: string[] = [];
    const call = s.client.callTool({ name: 'slow-retry', arguments: {} }, undefined, {
      signal: controller.signal,
      onprogress: (p) => {
        if (p.message?.startsWith('waiting')) {
          waits.push(p.message);
          controller.abort(new Error('user stopped it'));
        }
      },
    });
    await expect(call).rejects.toThrow(/user stopped it/);
    expect(waits).toEqual(['waiting 60000 ms before retrying step "poll": retry 1/2 (action "wait")']);
    // The server logs the run's end: it is cancelled well before the 60 s wait would end.
    await s.waitForStderr(/slow-retry: cancelled \(CANCELLED\)/);
    expect(api.received.filter((r) => r.path === '/busy').length - before).toBe(1);
  });

  it('runs concurrent calls independently', async () => {
    const [one, two] = (await Promise.all([
      s.client.callTool({ name: 'tools_get-user', arguments: { userId: 2 } }),
      s.client.callTool({ name: 'tools_get-user', arguments: { userId: 1 } }),
    ])) as [CallToolResult, CallToolResult];
    expect((one.structuredContent as { name: string; asked: number }).name).toBe('Grace');
    expect((one.structuredContent as { asked: number }).asked).toBe(2);
    expect((two.structuredContent as { name: string }).name).toBe('Ada');
  });

  it('an invalid argument is an isError result, not a protocol error', async () => {
    const result = (await s.client.callTool({
      name: 'tools_get-user',
      arguments: { userId: 'one' },
    })) as CallToolResult;
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain('INPUTS_INVALID');
  });

  it('no message and no stderr line carries the API key or the tenant secret', () => {
    expect(s.messages.length).toBeGreaterThan(8);
    const all = [...s.messages, s.stderr()].join('\n');
    expect(all).toContain('***');
    for (const secret of SECRET_FORMS) expect(all).not.toContain(secret);
  });
});

describe('arazzo mcp over Streamable HTTP', () => {
  it('lists, calls with progress, cancels, and never sends the API key', async () => {
    // The API key comes from an --env-file this time.
    const dir = mkdtempSync(join(tmpdir(), 'arazzo-mcp-'));
    const envFile = join(dir, 'server.env');
    writeFileSync(envFile, `# for arazzo mcp\nTEST_API_KEY=${API_KEY}\n`);
    const s = await startHttp([...baseArgs(), '--env-file', envFile], { ARAZZO_INPUT_tenant: TENANT });
    const { tools } = await s.client.listTools();
    expect(tools).toHaveLength(5);
    const { mark, result } = await connectWithProgress(s);
    expect((result.structuredContent as { status: string }).status).toBe('ACTIVE');
    expect(sentProgress(s.messages, mark)).toHaveLength(4);

    const controller = new AbortController();
    const call = s.client.callTool({ name: 'slow-retry', arguments: {} }, undefined, {
      signal: controller.signal,
      onprogress: (p) => {
        if (p.message?.startsWith('waiting')) controller.abort(new Error('stop'));
      },
    });
    await expect(call).rejects.toThrow(/stop/);
    await s.waitForStderr(/slow-retry: cancelled/);

    const user = (await s.client.callTool({
      name: 'tools_get-user',
      arguments: { userId: 1 },
    })) as CallToolResult;
    expect((user.structuredContent as { user: { seenKey: string } }).user.seenKey).toBe('***');
    const all = [...s.messages, s.stderr()].join('\n');
    for (const secret of SECRET_FORMS) expect(all).not.toContain(secret);

    await s.client.close();
    s.child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => s.child.once('exit', (c) => resolve(c)));
    expect(code).toBe(0);
  }, 60_000);
});

describe('arazzo mcp start-up and mock mode', () => {
  it('a document that does not load stops the server at start-up with its diagnostics', async () => {
    const run = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        [BIN, 'mcp', COMPOSIO, 'test/cli/fixtures/invalid-document/workflow.yml'],
        { cwd: ROOT, env: { PATH: process.env.PATH ?? '' }, timeout: 30_000 },
        (error, stdout, stderr) =>
          resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
      );
    });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/workflow\.yml:\d+:\d+/);
  });

  it('--mock serves the tools without the API (scenario: ACTIVE after two polls)', async () => {
    const s = await startStdio([COMPOSIO, '--mock', '--scenario', SCENARIO]);
    const { mark, result } = await connectWithProgress(s);
    expect((result.structuredContent as { status: string }).status).toBe('ACTIVE');
    const progress = sentProgress(s.messages, mark).map((p) => p.message ?? '');
    expect(progress.filter((m) => m.startsWith('step "pollConnection"'))).toHaveLength(3);
    // Mock mode skips retry waits (--max-retry-delay 0), but each one is still reported.
    expect(
      progress.filter((m) => m.startsWith('waiting 0 ms before retrying step "pollConnection"')),
    ).toHaveLength(2);
    expect(await s.waitForStderr(/on stdio \(mock\)/)).toBe('on stdio (mock)');
  }, 60_000);
});
