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
import { MOCK_USAGE } from '../usage.js';

const MOCK_OPTIONS = {
  port: { type: 'string' },
  host: { type: 'string' },
  scenario: { type: 'string' },
  seed: { type: 'string' },
  source: { type: 'string', multiple: true },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function mockCommand(argv: readonly string[], ctx: CommandContext): Promise<number> {
  const { values, positionals }: Parsed = parseCommandArgs(argv, MOCK_OPTIONS, 'mock');
  if (values.help === true) {
    ctx.out.write(MOCK_USAGE);
    return 0;
  }
  const file = positionals[0];
  if (file === undefined) throw new UsageError('missing <file>: an OpenAPI or Arazzo document', 'mock');
  const port = parseIntegerFlag(lastString(values.port), '--port', 0) ?? 4010;
  if (port > 65535) throw new UsageError(`--port must be at most 65535, got ${port}`, 'mock');
  const host = lastString(values.host) ?? '127.0.0.1';
  const seed = parseIntegerFlag(lastString(values.seed), '--seed', 0);
  const path = resolve(ctx.cwd, file);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(
      `cannot read ${file} (${(error as { code?: string }).code ?? String(error)})`,
      'mock',
    );
  }
  const mock = await import('../../mock/index.js');
  const sources = await import('../../sources/index.js');
  let scenario: import('../../mock/types.js').Scenario | undefined;
  const scenarioFile = lastString(values.scenario);
  if (scenarioFile !== undefined) {
    const raw = await readFile(resolve(ctx.cwd, scenarioFile), 'utf8').catch(() => {
      throw new UsageError(`--scenario: cannot read ${scenarioFile}`, 'mock');
    });
    try {
      scenario = mock.loadScenario(raw);
    } catch (error) {
      if (!mock.isScenarioError(error)) throw error;
      throw new UsageError(
        `--scenario ${scenarioFile}: ${error.issues.map((i) => `${i.pointer || '/'}: ${i.message}`).join('; ')}`,
        'mock',
      );
    }
  }

  let target: Parameters<typeof mock.startMockServer>[0];
  const isArazzo = /(^|\n)\s*["']?arazzo["']?\s*:/.test(text.slice(0, 4096));
  if (isArazzo) {
    target = await sources.loadArazzo(path, {
      sources: collectPairs(stringList(values.source), '--source'),
      cwd: ctx.cwd,
    });
  } else {
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
    target = built.source;
  }
  let server: Awaited<ReturnType<typeof mock.startMockServer>>;
  try {
    server = await mock.startMockServer(target, {
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
  ctx.out.write(`mock server for ${file} listening on ${server.url} (Ctrl-C to stop)\n`);
  await new Promise<void>((done) => {
    if (ctx.io.signal === undefined) return;
    if (ctx.io.signal.aborted) done();
    else ctx.io.signal.addEventListener('abort', () => done(), { once: true });
  });
  await server.close();
  return 0;
}
