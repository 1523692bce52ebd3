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
import type { ArazzoMcpServer } from '../../mcp/server.js';
import type { McpServerOptions } from '../../mcp/types.js';
import { looksLikeCredential } from '../../secrets/index.js';
import type { LoadedDocument } from '../../sources/types.js';
import {
  collectPairs,
  inputProperties,
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
import { type Readable as CliReadable, type Writable as CliWritable, untilAborted } from '../io.js';
import { packageVersion } from '../paths.js';
import { MCP_USAGE } from '../usage.js';
import { loadFailureReporter, loadOrReport } from './preamble.js';
import { parseLimitFlags, pickRunOptions, readInputFlags, runOptionsFactory } from './run.js';
import { expandPaths } from './test.js';

const MCP_OPTIONS = {
  ...pickRunOptions(
    'input',
    'source',
    'server',
    'auth',
    'strict',
    'max-steps',
    'timeout',
    'request-timeout',
    'max-retry-delay',
    'mock',
    'scenario',
    'seed',
  ),
  'server-input': { type: 'string', multiple: true },
  'env-file': { type: 'string' },
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
  const out: LoadedDocument[] = [];
  const failure = { reporters: () => [loadFailureReporter(ctx, { noColor: true, out: ctx.err })] };
  for (const file of files) {
    const loaded = await loadOrReport(ctx, file, options, failure);
    if (typeof loaded === 'number') return loaded;
    out.push(loaded);
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

/** Everything `arazzo mcp` understood from its arguments (env: references read), before any document is. */
interface McpArgs {
  patterns: string[];
  http: boolean;
  port?: number;
  host?: string;
  rawInputs: Record<string, string>;
  /** --input values that are secrets (from env:, or named like a credential), and --auth values. */
  secrets: string[];
  auth: AuthValues;
  servers: Record<string, string>;
  sources: Record<string, string>;
  serverInputs: string[];
  strict: boolean;
  run: Parameters<typeof runOptionsFactory>[0];
}

function parseMcpArgs(
  values: Parsed['values'],
  positionals: string[],
  env: Record<string, string | undefined>,
): McpArgs {
  if (positionals.length === 0)
    throw new UsageError('missing <files|folders...>: the Arazzo documents to serve', 'mcp');
  const http = values.http === true;
  const port = parseIntegerFlag(lastString(values.port), '--port', 0);
  if (port !== undefined && port > 65535)
    throw new UsageError(`--port must be at most 65535, got ${port}`, 'mcp');
  const host = lastString(values.host);
  if (!http && (port !== undefined || host !== undefined))
    throw new UsageError('--port and --host need --http', 'mcp');
  const mock = values.mock === true;
  const scenario = lastString(values.scenario);
  if (scenario !== undefined && !mock) throw new UsageError('--scenario needs --mock', 'mcp');

  const { inputs: rawInputs, envInputs } = readInputFlags(values, env);
  const secrets: string[] = [];
  for (const [name, value] of Object.entries(rawInputs))
    if (envInputs.has(name) || looksLikeCredential(name)) secrets.push(value);
  const auth: AuthValues = {};
  for (const [scheme, raw] of Object.entries(collectPairs(stringList(values.auth), '--auth'))) {
    const value = readEnvRef(raw, env, `--auth ${scheme}`) ?? raw;
    auth[scheme] = value;
    secrets.push(value);
  }
  const servers = collectPairs(stringList(values.server), '--server');
  for (const [name, url] of Object.entries(servers)) {
    if (!URL.canParse(url)) throw new UsageError(`--server ${name}: "${url}" is not an absolute URL`, 'mcp');
  }
  const run: McpArgs['run'] = { servers, auth: {}, mock };
  const set = <K extends keyof McpArgs['run']>(key: K, value: McpArgs['run'][K] | undefined): void => {
    if (value !== undefined) run[key] = value;
  };
  set('scenario', scenario);
  set('seed', parseIntegerFlag(lastString(values.seed), '--seed', 0));
  Object.assign(run, parseLimitFlags(values));
  return {
    patterns: positionals,
    http,
    ...(port !== undefined ? { port } : {}),
    ...(host !== undefined ? { host } : {}),
    rawInputs,
    secrets,
    auth,
    servers,
    sources: collectPairs(stringList(values.source), '--source'),
    serverInputs: stringList(values['server-input']),
    strict: values.strict === true,
    run,
  };
}

async function documentFiles(patterns: readonly string[], cwd: string): Promise<string[]> {
  let files: string[];
  try {
    files = await expandPaths(patterns, cwd);
  } catch (error) {
    if (error instanceof UsageError) throw new UsageError(error.message, 'mcp');
    throw error;
  }
  if (files.length === 0) throw new UsageError(`no Arazzo document in ${patterns.join(', ')}`, 'mcp');
  return files;
}

function checkServers(servers: Record<string, string>, loaded: readonly LoadedDocument[]): void {
  const known = new Set(loaded.flatMap((l) => l.document.sourceDescriptions.map((d) => d.name)));
  for (const name of Object.keys(servers)) {
    if (known.has(name)) continue;
    const list = [...known].join(', ');
    throw new UsageError(`--server ${name}: no document has a source of that name (sources: ${list})`, 'mcp');
  }
}

async function serverOptions(
  args: McpArgs,
  loaded: readonly LoadedDocument[],
  env: Record<string, string | undefined>,
  ctx: CommandContext,
): Promise<McpServerOptions> {
  const makeOptions = await runOptionsFactory(args.run, ctx);
  // Mock mode: every security scheme without an --auth value gets a dummy credential (as in `arazzo run --mock`).
  const mockAuth: AuthValues = args.run.mock ? await mockCredentials(loaded) : {};
  return {
    inputs: typedInputs(args.rawInputs, loaded),
    serverInputs: args.serverInputs,
    auth: { ...mockAuth, ...args.auth },
    env,
    secrets: args.secrets,
    serverInfo: { name: 'arazzo-runtime', version: await packageVersion() },
    runOptions: ({ document }): RunOptions => ({
      ...makeOptions(),
      servers: serversOf(args.servers, document),
      strict: args.strict,
      onEvent: (event) => logEnd(ctx, event),
    }),
  };
}

export async function mcpCommand(argv: readonly string[], ctx: CommandContext): Promise<number> {
  const { values, positionals }: Parsed = parseCommandArgs(argv, MCP_OPTIONS, 'mcp');
  if (values.help === true) {
    ctx.out.write(MCP_USAGE);
    return 0;
  }
  const env = await environment(lastString(values['env-file']), ctx);
  const args = parseMcpArgs(values, positionals, env);
  for (const secret of args.secrets) ctx.masker.add(secret);
  const files = await documentFiles(args.patterns, ctx.cwd);
  const loaded = await loadAll(files, ctx, { sources: args.sources, strict: args.strict });
  if (typeof loaded === 'number') return loaded;
  checkServers(args.servers, loaded);

  const { createMcpServer } = await import('../../mcp/index.js');
  const mcp = await createMcpServer(loaded, await serverOptions(args, loaded, env, ctx));
  for (const [name, missing] of mcp.unconfigured) {
    ctx.err.write(
      `arazzo mcp: warning: tool ${name}: no value for server input ${missing.join(', ')} (give --input <name>=env:VAR or set ARAZZO_INPUT_<name>); its calls will fail\n`,
    );
  }
  const what = `${mcp.tools.length} tool(s) (${mcp.tools.map((t) => t.name).join(', ')})`;
  const mode = args.run.mock ? ' (mock)' : '';
  const ready = (where: string): void => void ctx.err.write(`arazzo mcp: ${what} ${where}${mode}\n`);
  return args.http ? serveHttp(mcp, args, ctx, ready) : serveStdio(mcp, ctx, ready);
}

async function serveHttp(
  mcp: ArazzoMcpServer,
  args: McpArgs,
  ctx: CommandContext,
  ready: (where: string) => void,
): Promise<number> {
  const { serveMcpHttp } = await import('../../mcp/index.js');
  const served = await serveMcpHttp(mcp, {
    ...(args.port !== undefined ? { port: args.port } : {}),
    ...(args.host !== undefined ? { host: args.host } : {}),
  });
  ready(`at ${served.url}`);
  if (args.host !== undefined && !/^(127\.\d+\.\d+\.\d+|::1|localhost)$/.test(args.host)) {
    ctx.err.write(
      `arazzo mcp: warning: --host ${args.host} is not loopback: anyone who reaches it can call the tools with the server's credentials\n`,
    );
  }
  await untilAborted(ctx.io.signal);
  await served.close();
  return 0;
}

/** stdio: the protocol owns stdout; the server stops when the client closes stdin (or on Ctrl-C). */
async function serveStdio(
  mcp: ArazzoMcpServer,
  ctx: CommandContext,
  ready: (where: string) => void,
): Promise<number> {
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
  ready('on stdio');
  await Promise.race([closed, untilAborted(ctx.io.signal)]);
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
