/** `arazzo mock`: serve an OpenAPI document's operations (or an Arazzo document's sources) on loopback. */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  collectPairs,
  lastString,
  type Parsed,
  parseCommandArgs,
  parseIntegerFlag,
  stringList,
  UsageError,
} from '../args.js';
import type { CommandContext } from '../context.js';
import { untilAborted } from '../io.js';
import { MOCK_USAGE } from '../usage.js';

const MOCK_OPTIONS = {
  port: { type: 'string' },
  host: { type: 'string' },
  scenario: { type: 'string' },
  seed: { type: 'string' },
  source: { type: 'string', multiple: true },
  help: { type: 'boolean', short: 'h' },
} as const;

/** What `arazzo mock` understood from its arguments. */
interface MockArgs {
  file: string;
  port: number;
  host: string;
  seed: number | undefined;
  scenario: string | undefined;
  /** The --source flags, read only for an Arazzo document. */
  sourceFlags: string[];
}

type MockModule = typeof import('../../mock/index.js');
type MockTarget = Parameters<MockModule['startMockServer']>[0];

export async function mockCommand(argv: readonly string[], ctx: CommandContext): Promise<number> {
  const args = parseMockArgs(argv, ctx);
  if (args === undefined) return 0;
  const path = resolve(ctx.cwd, args.file);
  const text = await readMockedDocument(path, args.file);
  const mock = await import('../../mock/index.js');
  const scenario = args.scenario !== undefined ? await readScenario(mock, args.scenario, ctx) : undefined;
  const target = await mockTarget(text, path, args, ctx);
  const server = await listen(mock, target, args, scenario);
  ctx.out.write(`mock server for ${args.file} listening on ${server.url} (Ctrl-C to stop)\n`);
  await untilAborted(ctx.io.signal);
  await server.close();
  return 0;
}

/** The arguments; undefined when --help printed the usage. */
function parseMockArgs(argv: readonly string[], ctx: CommandContext): MockArgs | undefined {
  const { values, positionals }: Parsed = parseCommandArgs(argv, MOCK_OPTIONS, 'mock');
  if (values.help === true) {
    ctx.out.write(MOCK_USAGE);
    return undefined;
  }
  const file = positionals[0];
  if (file === undefined) throw new UsageError('missing <file>: an OpenAPI or Arazzo document', 'mock');
  const port = parseIntegerFlag(lastString(values.port), '--port', 0) ?? 4010;
  if (port > 65535) throw new UsageError(`--port must be at most 65535, got ${port}`, 'mock');
  return {
    file,
    port,
    host: lastString(values.host) ?? '127.0.0.1',
    seed: parseIntegerFlag(lastString(values.seed), '--seed', 0),
    scenario: lastString(values.scenario),
    sourceFlags: stringList(values.source),
  };
}

async function readMockedDocument(path: string, file: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(
      `cannot read ${file} (${(error as { code?: string }).code ?? String(error)})`,
      'mock',
    );
  }
}

/** The --scenario file, read and checked. */
async function readScenario(
  mock: MockModule,
  scenarioFile: string,
  ctx: CommandContext,
): Promise<import('../../mock/types.js').Scenario> {
  const raw = await readFile(resolve(ctx.cwd, scenarioFile), 'utf8').catch(() => {
    throw new UsageError(`--scenario: cannot read ${scenarioFile}`, 'mock');
  });
  try {
    return mock.loadScenario(raw);
  } catch (error) {
    if (!mock.isScenarioError(error)) throw error;
    throw new UsageError(
      `--scenario ${scenarioFile}: ${error.issues.map((i) => `${i.pointer || '/'}: ${i.message}`).join('; ')}`,
      'mock',
    );
  }
}

/** What to serve: an Arazzo document's sources, or the OpenAPI document itself (as source "api"). */
async function mockTarget(
  text: string,
  path: string,
  args: MockArgs,
  ctx: CommandContext,
): Promise<MockTarget> {
  const sources = await import('../../sources/index.js');
  const isArazzo = /(^|\n)\s*["']?arazzo["']?\s*:/.test(text.slice(0, 4096));
  if (isArazzo)
    return sources.loadArazzo(path, { sources: collectPairs(args.sourceFlags, '--source'), cwd: ctx.cwd });
  const { file } = args;
  const parsed = sources.parseSourceText(text);
  if ('error' in parsed) throw new UsageError(`${file}: ${parsed.error}`, 'mock');
  const url = pathToFileURL(path).href;
  const built = sources.createOpenApiSource({
    name: 'api',
    url,
    displayUrl: file,
    raw: parsed.value,
    documents: { docs: new Map([[url, parsed.value]]), failures: new Map() },
  });
  if (built.source === undefined) {
    throw new UsageError(`${file}: ${built.diagnostics[0]?.message ?? 'not an OpenAPI document'}`, 'mock');
  }
  return built.source;
}

/** Start the server; a port in use or an address it cannot bind is a usage error. */
async function listen(
  mock: MockModule,
  target: MockTarget,
  args: MockArgs,
  scenario: import('../../mock/types.js').Scenario | undefined,
): Promise<Awaited<ReturnType<MockModule['startMockServer']>>> {
  const { port, host, seed } = args;
  try {
    return await mock.startMockServer(target, {
      port,
      host,
      ...(scenario !== undefined ? { scenario } : {}),
      ...(seed !== undefined ? { seed } : {}),
    });
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'EADDRINUSE') throw new UsageError(`port ${port} on ${host} is already in use`, 'mock');
    if (code === 'EADDRNOTAVAIL' || code === 'EACCES')
      throw new UsageError(`cannot listen on ${host}:${port} (${code})`, 'mock');
    throw error;
  }
}
