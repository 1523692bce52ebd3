/**
 * `arazzo worker`, `arazzo enqueue`, `arazzo status`: the queue's command handlers, shaped like the CLI's
 * other commands `(argv, ctx) => exit code` so src/cli/main.ts can route to them.
 */

import { createRunQueue } from '../../queue/queue.js';
import type { QueuedRunInfo, QueuedRunOptions } from '../../queue/types.js';
import { createRunWorker } from '../../queue/worker.js';
import { loadArazzo } from '../../sources/index.js';
import {
  collectPairs,
  lastString,
  parseAuthFlags,
  parseCommandArgs,
  parseIntegerFlag,
  stringList,
  UsageError,
} from '../args.js';
import { addCredential, type CommandContext } from '../context.js';
import { untilAborted } from '../io.js';
import { parseFileCommand } from './preamble.js';
import {
  buildInputs,
  parseLimitFlags,
  pickRunOptions,
  pickWorkflow,
  readInputFlags,
  readInputsFile,
} from './run.js';

export const WORKER_USAGE = `Usage: arazzo worker --redis <url> [options]

Process queued workflow runs until interrupted (Ctrl-C / SIGINT finishes active runs' current hop).

Options:
  --redis <url>              Redis URL, e.g. redis://127.0.0.1:6379 (default: env REDIS_URL)
  --concurrency <n>          runs processed at once (default 8)
  --suspend-over <ms>        retry waits of at least this long become delayed jobs (default 1000)
  --queue <name>             queue name (default arazzo-runs)
  --prefix <prefix>          Redis key prefix (default arazzo)
The encryption key is read from ARAZZO_QUEUE_KEY (at least 32 characters, shared with enqueuers).
`;

export const ENQUEUE_USAGE = `Usage: arazzo enqueue <file> --redis <url> [run options]

Queue a run and print its run id. Inputs, auth and run options are stored encrypted (ARAZZO_QUEUE_KEY).

Options:
  --redis <url>              Redis URL (default: env REDIS_URL)
  -w, --workflow <id>        workflow to run (default: the first)
  -i, --input name=value     an input (repeatable; value may be env:NAME)
  --inputs <file.json|->     inputs from a JSON file or stdin
  --source name=url          override a source description (repeatable)
  --server name=url          override a source's server URL (repeatable)
  --auth scheme=value        credentials for a security scheme (repeatable; env:NAME)
  --strict, --max-steps <n>, --timeout <ms>, --request-timeout <ms>, --max-retry-delay <ms>
  --queue <name>, --prefix <prefix>
`;

export const STATUS_USAGE = `Usage: arazzo status <run-id> --redis <url> [--follow] [--json]

Print a queued run's status; with --follow, print each change until it finishes.
Exit code: 0 succeeded (or still in progress without --follow), 1 failed, 2 unknown run id or usage.
`;

const COMMON = {
  redis: { type: 'string' },
  queue: { type: 'string' },
  prefix: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

function common(values: Record<string, unknown>, ctx: CommandContext, command: string) {
  const redis = lastString(values.redis as string | string[] | undefined) ?? ctx.io.env.REDIS_URL;
  if (redis === undefined) throw new UsageError('missing --redis <url> (or env REDIS_URL)', command);
  if (!URL.canParse(redis)) throw new UsageError(`--redis: "${redis}" is not a URL`, command);
  const out: { connection: string; queueName?: string; prefix?: string; secretKey?: string } = {
    connection: redis,
  };
  const queueName = lastString(values.queue as string | undefined);
  const prefix = lastString(values.prefix as string | undefined);
  if (queueName !== undefined) out.queueName = queueName;
  if (prefix !== undefined) out.prefix = prefix;
  const key = ctx.io.env.ARAZZO_QUEUE_KEY;
  if (key !== undefined) out.secretKey = key;
  return out;
}

/** `arazzo worker`: runs until `ctx.io.signal` aborts. */
export async function workerCommand(argv: readonly string[], ctx: CommandContext): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    argv,
    { ...COMMON, concurrency: { type: 'string' }, 'suspend-over': { type: 'string' } },
    'worker',
  );
  if (values.help === true) {
    ctx.out.write(WORKER_USAGE);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`, 'worker');
  const base = common(values, ctx, 'worker');
  const concurrency = parseIntegerFlag(lastString(values.concurrency), '--concurrency', 1) ?? 8;
  const suspend = parseIntegerFlag(lastString(values['suspend-over']), '--suspend-over', 0);
  const worker = createRunWorker({
    ...base,
    concurrency,
    ...(suspend !== undefined ? { suspendRetryOverMs: suspend } : {}),
  });
  await worker.ready();
  ctx.out.write(
    `arazzo worker: ready (concurrency ${concurrency}, queue ${base.queueName ?? 'arazzo-runs'})\n`,
  );
  if (ctx.io.signal !== undefined) await untilAborted(ctx.io.signal);
  ctx.out.write('arazzo worker: stopping (active runs finish their current hop)\n');
  await worker.close();
  const s = worker.stats();
  ctx.out.write(
    `arazzo worker: stopped; ${s.completed} succeeded, ${s.failed} failed, ${s.suspended} handed over, ${s.steps} steps\n`,
  );
  return 0;
}

/** The `arazzo run` flags that make sense for a queued run (no reporters, no mock: a worker runs it). */
const ENQUEUE_RUN_OPTIONS = pickRunOptions(
  'workflow',
  'input',
  'inputs',
  'source',
  'server',
  'auth',
  'strict',
  'timeout',
  'max-steps',
  'request-timeout',
  'max-retry-delay',
);

const ENQUEUE_SPEC = {
  command: 'enqueue',
  options: { ...COMMON, ...ENQUEUE_RUN_OPTIONS },
  usage: ENQUEUE_USAGE,
  what: 'the Arazzo document to run',
};

/** `arazzo enqueue <file>`: prints the run id. */
export async function enqueueCommand(argv: readonly string[], ctx: CommandContext): Promise<number> {
  const parsed = parseFileCommand(argv, ctx, ENQUEUE_SPEC);
  if (parsed === undefined) return 0;
  const { values, file } = parsed;
  const base = common(values, ctx, 'enqueue');
  const env = ctx.io.env;

  const { inputs: flagInputs, envInputs } = readInputFlags(values, env);
  // OAuth credentials (client credentials or a refresh token) go into the sealed job like any other.
  const { auth, secrets: authSecrets } = parseAuthFlags(stringList(values.auth), env);
  for (const secret of authSecrets) addCredential(ctx.masker, secret);
  const servers = collectPairs(stringList(values.server), '--server');
  for (const [name, url] of Object.entries(servers)) {
    if (!URL.canParse(url))
      throw new UsageError(`--server ${name}: "${url}" is not an absolute URL`, 'enqueue');
  }
  const sources = collectPairs(stringList(values.source), '--source');
  const strict = values.strict === true;
  const inputsFile = lastString(values.inputs);
  const fileInputs = inputsFile !== undefined ? await readInputsFile(inputsFile, ctx) : {};

  // Load once here to type the inputs by the workflow's schema and fail fast on an unusable document.
  const loaded = await loadArazzo(file, { sources, strict, cwd: ctx.cwd });
  const workflow = pickWorkflow(loaded.document, lastString(values.workflow));
  const inputs = buildInputs(loaded.document, workflow, fileInputs, flagInputs, envInputs, (s) =>
    ctx.masker.add(s),
  );

  const options: QueuedRunOptions = { workflowId: workflow.workflowId, strict };
  if (Object.keys(servers).length > 0) options.servers = servers;
  if (Object.keys(sources).length > 0) options.sources = sources;
  if (Object.keys(auth).length > 0) options.auth = auth;
  Object.assign(options, parseLimitFlags(values));
  if (ctx.masker.size > 0) options.secrets = ctx.masker.list();

  const queue = createRunQueue({ ...base, cwd: ctx.cwd });
  try {
    const runId = await queue.enqueue(file, inputs, options);
    ctx.out.write(`${runId}\n`);
  } finally {
    await queue.close();
  }
  return 0;
}

function line(info: QueuedRunInfo): string {
  const p = info.progress;
  const parts = [info.runId, info.status];
  if (p !== undefined) {
    parts.push(`steps=${p.steps}`);
    if (p.lastStep !== undefined)
      parts.push(`last=${p.lastStep.stepId}#${p.lastStep.attempt}:${p.lastStep.outcome}`);
    if (p.hops > 0) parts.push(`hops=${p.hops}`);
    if (info.status === 'waiting' && p.resumeAt !== undefined)
      parts.push(`resumeAt=${new Date(p.resumeAt).toISOString()}`);
  }
  if (info.result?.error !== undefined)
    parts.push(`error=${info.result.error.code}: ${info.result.error.message}`);
  else if (info.error !== undefined) parts.push(`error=${info.error}`);
  return `${parts.join(' ')}\n`;
}

/** `arazzo status <run-id> [--follow] [--json]`. */
export async function statusCommand(argv: readonly string[], ctx: CommandContext): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    argv,
    { ...COMMON, follow: { type: 'boolean', short: 'f' }, json: { type: 'boolean' } },
    'status',
  );
  if (values.help === true) {
    ctx.out.write(STATUS_USAGE);
    return 0;
  }
  const runId = positionals[0];
  if (runId === undefined) throw new UsageError('missing <run-id>', 'status');
  const base = common(values, ctx, 'status');
  const json = values.json === true;
  const print = (info: QueuedRunInfo) => ctx.out.write(json ? `${JSON.stringify(info)}\n` : line(info));
  const queue = createRunQueue(base);
  try {
    let last: QueuedRunInfo | undefined;
    if (values.follow === true) {
      try {
        for await (const e of queue.events(
          runId,
          ctx.io.signal !== undefined ? { signal: ctx.io.signal } : {},
        )) {
          const { event: _event, ...info } = e;
          print(info);
          last = info;
        }
      } catch (error) {
        if (error instanceof Error && /no run/.test(error.message)) last = undefined;
        else throw error;
      }
    } else {
      last = await queue.get(runId);
      if (last !== undefined) print(last);
    }
    if (last === undefined) {
      ctx.err.write(`arazzo status: no run "${runId}" (unknown or expired)\n`);
      return 2;
    }
    if (last.status === 'succeeded' && json === false && last.result !== undefined) {
      ctx.out.write(`outputs: ${JSON.stringify(last.result.outputs)}\n`);
    }
    return last.status === 'failed' ? 1 : 0;
  } finally {
    await queue.close();
  }
}
