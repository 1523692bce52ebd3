/** The `arazzo` command: dispatch, exit codes, one-line errors. Runs in-process for tests. */
import { isArazzoError } from '../errors.js';
import { UsageError } from './args.js';
import { type CommandContext, createContext } from './context.js';
import type { CliIO } from './io.js';
import { packageVersion } from './paths.js';
import { MAIN_USAGE } from './usage.js';

export type { CliIO } from './io.js';

type Command = (argv: readonly string[], ctx: CommandContext) => Promise<number>;

// Each command module is imported only when it is the one asked for.
const COMMANDS: Record<string, () => Promise<Command>> = {
  run: async () => (await import('./commands/run.js')).runCommand,
  validate: async () => (await import('./commands/validate.js')).validateCommand,
  list: async () => (await import('./commands/list.js')).listCommand,
  graph: async () => (await import('./commands/graph.js')).graphCommand,
  upgrade: async () => (await import('./commands/upgrade.js')).upgradeCommand,
  demo: async () => (await import('./commands/demo.js')).demoCommand,
  test: async () => (await import('./commands/test.js')).testCommand,
  mock: async () => (await import('./commands/mock.js')).mockCommand,
  worker: async () => (await import('../queue/cli.js')).workerCommand,
  enqueue: async () => (await import('../queue/cli.js')).enqueueCommand,
  status: async () => (await import('../queue/cli.js')).statusCommand,
};

/**
 * Run the CLI. `argv` excludes the node binary and script (process.argv.slice(2)).
 * Resolves to the exit code: 0 succeeded, 1 workflow failed, 2 invalid document / unreadable file / usage.
 */
export async function main(argv: readonly string[], io: CliIO): Promise<number> {
  const ctx = createContext(io);
  const [first, ...rest] = argv;
  try {
    if (first === undefined) {
      ctx.err.write(MAIN_USAGE);
      return 2;
    }
    if (first === '--help' || first === '-h' || first === 'help') {
      const topic = rest[0];
      if (first === 'help' && topic !== undefined && topic in COMMANDS) {
        return await (await COMMANDS[topic]!())(['--help'], ctx);
      }
      ctx.out.write(MAIN_USAGE);
      return 0;
    }
    if (first === '--version' || first === '-v' || first === 'version') {
      ctx.out.write(`${await packageVersion()}\n`);
      return 0;
    }
    const load = COMMANDS[first];
    if (!load) {
      const what = first.startsWith('-') ? `unknown option ${first}` : `unknown command "${first}"`;
      throw new UsageError(`${what} (commands: ${Object.keys(COMMANDS).join(', ')})`);
    }
    return await (await load())(rest, ctx);
  } catch (error) {
    return reportUncaught(error, ctx, first !== undefined && first in COMMANDS ? first : undefined);
  }
}

function reportUncaught(error: unknown, ctx: CommandContext, command: string | undefined): number {
  const debug = ctx.io.env.ARAZZO_DEBUG === '1' || ctx.io.env.ARAZZO_DEBUG === 'true';
  if (error instanceof UsageError) {
    const cmd = error.command ?? command;
    const help = cmd ? `arazzo ${cmd} --help` : 'arazzo --help';
    ctx.err.write(`arazzo: ${error.message} (see ${help})\n`);
    return 2;
  }
  if ((command === 'worker' || command === 'enqueue' || command === 'status') && isConnectionFailure(error)) {
    const why = error instanceof Error ? error.message : String(error);
    ctx.err.write(`arazzo: cannot reach Redis (${why}); is redis-server running at the --redis URL?\n`);
    return 2;
  }
  const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
  const code = isArazzoError(error) ? error.code : 'INTERNAL';
  ctx.err.write(`arazzo: ${code === 'INTERNAL' ? 'internal error' : code}: ${message}\n`);
  if (debug && error instanceof Error && error.stack) ctx.err.write(`${error.stack}\n`);
  else if (!isArazzoError(error)) ctx.err.write('arazzo: set ARAZZO_DEBUG=1 for the stack trace\n');
  return code === 'DOCUMENT_INVALID' || code === 'DOCUMENT_UNREADABLE' || code === 'OPTIONS_INVALID' ? 2 : 1;
}

/** A Redis (or other TCP) connection that could not be made or was dropped before use. */
function isConnectionFailure(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : '';
  return (
    code === 'ECONNREFUSED' ||
    code === 'ENOTFOUND' ||
    code === 'ETIMEDOUT' ||
    /Connection is closed|connect ECONNREFUSED|Reached the max retries/.test(message)
  );
}
