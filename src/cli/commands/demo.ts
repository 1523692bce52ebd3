/** `arazzo demo` (what `npm start` runs): the bundled Composio workflow against the built-in simulator. */
import { lastString, oneOf, parseCommandArgs } from '../args.js';
import type { CommandContext } from '../context.js';
import { loadSimulator } from '../deps.js';
import { displayPath } from '../format.js';
import { DEMO_WORKFLOW } from '../paths.js';
import { REPORTERS } from '../reporters/types.js';
import { DEMO_USAGE } from '../usage.js';
import { createReporters, executeRun } from './run.js';

const OPTIONS = {
  fast: { type: 'boolean' },
  reporter: { type: 'string', short: 'r' },
  verbose: { type: 'boolean' },
  'no-color': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** The simulator's only accepted key; masked in the output like any credential. */
const DEMO_API_KEY = 'sim_demo_key_4f7c2a';

export async function demoCommand(argv: readonly string[], ctx: CommandContext): Promise<number> {
  const { values } = parseCommandArgs(argv, OPTIONS, 'demo');
  if (values.help === true) {
    ctx.out.write(DEMO_USAGE);
    return 0;
  }
  const fast = values.fast === true;
  const reporter = oneOf(lastString(values.reporter), REPORTERS, '--reporter') ?? 'pretty';
  ctx.masker.add(DEMO_API_KEY);

  const { startComposioSimulator } = await loadSimulator();
  // One INITIATED poll: the workflow's own retryAfter (3 s) is waited once, for real, unless --fast.
  const sim = await startComposioSimulator({
    port: 0,
    host: '127.0.0.1',
    apiKey: DEMO_API_KEY,
    pollsUntilActive: 1,
  });
  try {
    const note = [
      `Composio simulator listening on ${sim.url} (loopback only).`,
      fast
        ? 'Running with --fast: retry waits are skipped.'
        : 'The connection stays INITIATED for one poll, so the workflow waits its real retryAfter of 3 s once (--fast skips it).',
      '',
    ].join('\n');
    const setup = await createReporters(ctx, {
      reporter,
      verbose: values.verbose === true,
      noColor: values['no-color'] === true,
      note,
    });
    const code = await executeRun(ctx, {
      file: DEMO_WORKFLOW,
      displayFile: displayPath(DEMO_WORKFLOW, ctx.cwd),
      fileInputs: {
        apiKey: DEMO_API_KEY,
        toolkitSlug: 'gmail',
        authType: 'use_composio_managed_auth',
        userId: 'user_123',
      },
      flagInputs: {},
      envInputs: new Set(),
      sources: {},
      runOptions: { servers: { composioApi: sim.url }, ...(fast ? { maxRetryDelayMs: 0 } : {}) },
      reporters: setup.reporters,
      strict: false,
    });
    await setup.flush();
    return code;
  } finally {
    await sim.close();
  }
}
