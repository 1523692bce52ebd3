/**
 * `arazzo mcp`: serve every workflow of the given documents as Model Context Protocol tools, on stdio (the
 * default) or Streamable HTTP. stdout carries the protocol; everything for people goes to stderr.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';
import type { JsonObject } from '../../document/model.js';
import type { RunOptions } from '../../engine/options.js';
import type { AuthValues, RunEvent } from '../../engine/types.js';
import type { McpServerOptions } from '../../mcp/types.js';
import type { LoadedDocument } from '../../sources/types.js';
import {
  collectPairs,
  inputProperties,
  isSecretInput,
  lastString,
  type Parsed,
  parseCommandArgs,
  parseIntegerFlag,
  readEnvRef,
  stringList,
  typeInputValue,
  UsageError,
} from '../args.js';
import type { CommandContext } from '../context.js';
import { loadSources } from '../deps.js';
import type { Readable as CliReadable, Writable as CliWritable } from '../io.js';
import { packageVersion } from '../paths.js';
import { createPrettyReporter } from '../reporters/pretty.js';
import { MCP_USAGE } from '../usage.js';
import { reportFailure, runOptionsFactory } from './run.js';
import { expandPaths } from './test.js';

const MCP_OPTIONS = {
  input: { type: 'string', short: 'i', multiple: true },
  'server-input': { type: 'string', multiple: true },
  'env-file': { type: 'string' },
  source: { type: 'string', multiple: true },
  server: { type: 'string', multiple: true },
  auth: { type: 'string', multiple: true },
  strict: { type: 'boolean' },
  'max-steps': { type: 'string' },
  timeout: { type: 'string' },
  'request-timeout': { type: 'string' },
  'max-retry-delay': { type: 'string' },
  mock: { type: 'boolean' },
  scenario: { type: 'string' },
  seed: { type: 'string' },
  http: { type: 'boolean' },
  port: { type: 'string' },
  host: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** `--env-file`: variables for `env:NAME` and `ARAZZO_INPUT_<name>`; the real environment wins. */
async function environment(
  file: string | undefined,
  ctx: CommandContext,
): Promise<Record<string, string | undefined>> {
  if (file === undefined) return ctx.io.env;
  let text: string;
  try {
    text = await readFile(resolve(ctx.cwd, file), 'utf8');
  } catch (error) {
    throw new UsageError(
      `--env-file: cannot read ${file} (${(error as { code?: string }).code ?? String(error)})`,
      'mcp',
    );
  }
  return { ...parseEnv(text), ...ctx.io.env };
}

/** Load every document; the first that does not load stops the server before it starts, with its diagnostics. */
async function loadAll(
  files: readonly string[],
  ctx: CommandContext,
  options: { sources: Record<string, string>; strict: boolean },
): Promise<LoadedDocument[] | number> {
  const { loadArazzo } = await loadSources();
  const out: LoadedDocument[] = [];
  for (const file of files) {
    try {
      out.push(await loadArazzo(file, { sources: options.sources, strict: options.strict, cwd: ctx.cwd }));
    } catch (error) {
      const reporter = createPrettyReporter({
        out: ctx.err,
        errOut: ctx.err,
        colors: ctx.colors(true),
        live: false,
        verbose: false,
        cwd: ctx.cwd,
      });
      reporter.start({ file, workflowId: '', diagnostics: [] });
      return reportFailure([reporter], error);
    }
  }
  return out;
}

/** `--input` values typed by the first workflow input of that name (they are shared by every tool). */
function typedInputs(
  raw: Record<string, string>,
  documents: readonly LoadedDocument[],
): Record<string, unknown> {
  const schemas = new Map<string, JsonObject | undefined>();
  for (const { document } of documents) {
    for (const w of document.workflows) {
      for (const p of inputProperties(document, w)) if (!schemas.has(p.name)) schemas.set(p.name, p.schema);
    }
  }
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(raw)) out[name] = typeInputValue(value, schemas.get(name));
  return out;
}

function logEnd(ctx: CommandContext, event: RunEvent): void {
  if (event.type !== 'workflow-end' || event.depth !== 0) return;
  const why =
    event.error !== undefined
      ? ` (${event.error.code}${event.error.stepId !== undefined ? ` at step "${event.error.stepId}"` : ''})`
      : '';
  ctx.err.write(
    `arazzo mcp: ${event.workflowId}: ${event.error?.code === 'CANCELLED' ? 'cancelled' : event.status}${why}\n`,
  );
}

export async function mcpCommand(argv: readonly string[], ctx: CommandContext): Promise<number> {
  const { values, positionals }: Parsed = parseCommandArgs(argv, MCP_OPTIONS, 'mcp');
  if (values.help === true) {
    ctx.out.write(MCP_USAGE);
    return 0;
  }
  if (positionals.length === 0)
    throw new UsageError('missing <files|folders...>: the Arazzo documents to serve', 'mcp');
  const http = values.http === true;
  const port = parseIntegerFlag(lastString(values.port), '--port', 0);
  if (port !== undefined && port > 65535)
    throw new UsageError(`--port must be at most 65535, got ${port}`, 'mcp');
  if (!http && (port !== undefined || values.host !== undefined))
    throw new UsageError('--port and --host need --http', 'mcp');
  const mock = values.mock === true;
  const scenario = lastString(values.scenario);
  if (scenario !== undefined && !mock) throw new UsageError('--scenario needs --mock', 'mcp');

  const env = await environment(lastString(values['env-file']), ctx);
  const rawInputs: Record<string, string> = {};
  const envSecrets: string[] = [];
  for (const [name, raw] of Object.entries(collectPairs(stringList(values.input), '--input'))) {
    const fromEnv = readEnvRef(raw, env, `--input ${name}`);
    rawInputs[name] = fromEnv ?? raw;
    if (fromEnv !== undefined || isSecretInput(name, undefined)) envSecrets.push(rawInputs[name]);
  }
  const auth: AuthValues = {};
  for (const [scheme, raw] of Object.entries(collectPairs(stringList(values.auth), '--auth'))) {
    auth[scheme] = readEnvRef(raw, env, `--auth ${scheme}`) ?? raw;
  }
  for (const secret of [...envSecrets, ...Object.values(auth).map(String)]) ctx.masker.add(secret);
  const servers = collectPairs(stringList(values.server), '--server');
  for (const [name, url] of Object.entries(servers)) {
    if (!URL.canParse(url)) throw new UsageError(`--server ${name}: "${url}" is not an absolute URL`, 'mcp');
  }

  let files: string[];
  try {
    files = await expandPaths(positionals, ctx.cwd);
  } catch (error) {
    if (error instanceof UsageError) throw new UsageError(error.message, 'mcp');
    throw error;
  }
  if (files.length === 0) throw new UsageError(`no Arazzo document in ${positionals.join(', ')}`, 'mcp');
  const strict = values.strict === true;
  const loaded = await loadAll(files, ctx, {
    sources: collectPairs(stringList(values.source), '--source'),
    strict,
  });
  if (typeof loaded === 'number') return loaded;

  const known = new Set(loaded.flatMap((l) => l.document.sourceDescriptions.map((d) => d.name)));
  for (const name of Object.keys(servers)) {
    if (!known.has(name)) {
      throw new UsageError(
        `--server ${name}: no document has a source of that name (sources: ${[...known].join(', ')})`,
        'mcp',
      );
    }
  }
  const seed = parseIntegerFlag(lastString(values.seed), '--seed', 0);
  const maxSteps = parseIntegerFlag(lastString(values['max-steps']), '--max-steps', 1);
  const timeoutMs = parseIntegerFlag(lastString(values.timeout), '--timeout', 1);
  const requestTimeoutMs = parseIntegerFlag(lastString(values['request-timeout']), '--request-timeout', 1);
  const maxRetryDelayMs = parseIntegerFlag(lastString(values['max-retry-delay']), '--max-retry-delay', 0);
  const makeOptions = await runOptionsFactory(
    {
      servers,
      auth: {},
      mock,
      ...(scenario !== undefined ? { scenario } : {}),
      ...(seed !== undefined ? { seed } : {}),
      ...(maxSteps !== undefined ? { maxSteps } : {}),
      ...(timeoutMs !== undefined ? { timeoutMs } : {}),
      ...(requestTimeoutMs !== undefined ? { requestTimeoutMs } : {}),
      ...(maxRetryDelayMs !== undefined ? { maxRetryDelayMs } : {}),
    },
    ctx,
  );
  // Mock mode: every security scheme without an --auth value gets a dummy credential (as in `arazzo run --mock`).
  const mockAuth: AuthValues = mock ? await mockCredentials(loaded) : {};
  const { createMcpServer, serveMcpHttp } = await import('../../mcp/index.js');
  const options: McpServerOptions = {
    inputs: typedInputs(rawInputs, loaded),
    serverInputs: stringList(values['server-input']),
    auth: { ...mockAuth, ...auth },
    env,
    secrets: envSecrets,
    serverInfo: { name: 'arazzo-runtime', version: await packageVersion() },
    runOptions: ({ document }): RunOptions => ({
      ...makeOptions(),
      servers: serversOf(servers, document),
      strict,
      onEvent: (event) => logEnd(ctx, event),
    }),
  };
  const mcp = await createMcpServer(loaded, options);
  for (const [name, missing] of mcp.unconfigured) {
    ctx.err.write(
      `arazzo mcp: warning: tool ${name}: no value for server input ${missing.join(', ')} (give --input <name>=env:VAR or set ARAZZO_INPUT_<name>); its calls will fail\n`,
    );
  }
  const names = mcp.tools.map((t) => t.name).join(', ');
  const signal = ctx.io.signal;

  if (http) {
    const served = await serveMcpHttp(mcp, {
      ...(port !== undefined ? { port } : {}),
      ...(typeof values.host === 'string' ? { host: values.host } : {}),
    });
    ctx.err.write(
      `arazzo mcp: ${mcp.tools.length} tool(s) (${names}) at ${served.url}${mock ? ' (mock)' : ''}\n`,
    );
    await untilAborted(signal);
    await served.close();
    return 0;
  }

  const stdin = ctx.io.stdin as CliReadable & Partial<NodeJS.ReadableStream>;
  const stdout = ctx.io.stdout as CliWritable & Partial<NodeJS.WritableStream>;
  if (typeof stdin.on !== 'function' || typeof stdout.on !== 'function') {
    throw new UsageError('stdio mode needs the process streams (use --http otherwise)', 'mcp');
  }
  const { StdioServerTransport } = await import('@modelcontextprotocol/sdk/server/stdio.js');
  const transport = new StdioServerTransport(
    stdin as unknown as import('node:stream').Readable,
    stdout as unknown as import('node:stream').Writable,
  );
  const closed = new Promise<void>((done) => {
    stdin.on?.('end', () => done());
    stdin.on?.('close', () => done());
  });
  const server = await mcp.connect(transport);
  ctx.err.write(`arazzo mcp: ${mcp.tools.length} tool(s) (${names}) on stdio${mock ? ' (mock)' : ''}\n`);
  await Promise.race([closed, untilAborted(signal)]);
  await server.close();
  return 0;
}

/** `--server` names every document's sources at once; each run gets those of its own document. */
function serversOf(servers: Record<string, string>, loaded: LoadedDocument): Record<string, string> {
  const out: Record<string, string> = {};
  for (const d of loaded.document.sourceDescriptions)
    if (Object.hasOwn(servers, d.name)) out[d.name] = servers[d.name]!;
  return out;
}

async function mockCredentials(loaded: readonly LoadedDocument[]): Promise<AuthValues> {
  const { dummyAuth } = await import('../../mock/index.js');
  return Object.assign({}, ...loaded.map((l) => dummyAuth(l.sources.values()))) as AuthValues;
}

function untilAborted(signal: AbortSignal | undefined): Promise<void> {
  return new Promise<void>((done) => {
    if (signal === undefined) return;
    if (signal.aborted) done();
    else signal.addEventListener('abort', () => done(), { once: true });
  });
}
