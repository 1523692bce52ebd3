/**
 * The worker side: take a queued run, advance it step by step with a checkpoint in Redis at every step
 * boundary, hand long retry waits back to the queue as delayed jobs, and store the sealed RunResult.
 */
import type { Job, Worker } from 'bullmq';
import type { Dispatcher } from 'undici';
import { secretInputNames } from '../engine/inputs.js';
import type { RunOptions } from '../engine/options.js';
import { advanceRun, startRunState } from '../engine/resumable.js';
import type { RunState } from '../engine/state.js';
import type { RunResult } from '../engine/types.js';
import { isArazzoError } from '../errors.js';
import { declareCredentials } from '../http/auth.js';
import { Masker } from '../secrets/index.js';
import { loadArazzo } from '../sources/index.js';
import type { LoadedDocument } from '../sources/types.js';
import { type BullMQ, DEFAULT_PREFIX, DEFAULT_QUEUE_NAME, loadQueueDeps, sealContext } from './bullmq.js';
import { checkConnection, type OpenedRedis, openRedis } from './connection.js';
import { createSealer, resolveSecretKey, type Sealer } from './seal.js';
import type {
  QueueConnectionOptions,
  QueuedJobData,
  QueuedJobResult,
  RunConfig,
  RunProgress,
} from './types.js';

export interface RunWorkerOptions extends QueueConnectionOptions {
  /** Runs processed at the same time by this worker. @default 8 */
  concurrency?: number;
  /**
   * Retry waits of at least this many ms are not slept: the run goes back to the queue as a delayed job that
   * any worker resumes. @default 1000
   */
  suspendRetryOverMs?: number;
  /** undici Dispatcher for every request of every run. @default undici's shared keep-alive Agent */
  dispatcher?: Dispatcher;
  /**
   * How long a worker owns a job without renewing its lock; a crashed worker's runs are picked up by
   * another worker after about lockDuration + stalledInterval. @default 30000
   */
  lockDuration?: number;
  /** How often this worker looks for stalled jobs (runs of crashed workers). @default 30000 */
  stalledInterval?: number;
  /** How many times a run may be recovered from a crashed worker before it fails. @default 5 */
  maxStalledCount?: number;
  /** Start processing at once. @default true */
  autorun?: boolean;
}

export interface RunWorker {
  /** Resolves once connected to Redis. */
  ready(): Promise<void>;
  /** Counters since start (this process only). */
  stats(): { completed: number; failed: number; suspended: number; steps: number };
  /** Stop taking jobs, let active runs reach their next hand-over or end, and disconnect. */
  close(): Promise<void>;
}

interface DocumentCache {
  get(config: RunConfig): Promise<LoadedDocument>;
}

/** Documents loaded once per (spec, sources, strict) in this worker. */
function createDocumentCache(): DocumentCache {
  const cache = new Map<string, Promise<LoadedDocument>>();
  return {
    get(config) {
      const key = JSON.stringify([config.spec, config.options.sources ?? {}, config.options.strict ?? false]);
      let loaded = cache.get(key);
      if (loaded === undefined) {
        loaded = loadArazzo(config.spec, {
          ...(config.options.sources !== undefined ? { sources: config.options.sources } : {}),
          strict: config.options.strict ?? false,
        });
        // A failed load is not cached: the file may be fixed before the next run.
        loaded.catch(() => cache.delete(key));
        cache.set(key, loaded);
      }
      return loaded;
    },
  };
}

function masker(config: RunConfig): Masker {
  const m = new Masker();
  for (const s of config.options.secrets ?? []) m.add(s);
  declareCredentials(m, config.options.auth);
  return m;
}

function progressOf(state: RunState, hops: number, phase: RunProgress['phase']): RunProgress {
  const progress: RunProgress = { phase, steps: state.records.length, hops };
  const last = state.records[state.records.length - 1];
  if (last !== undefined) {
    progress.lastStep = {
      workflowId: last.workflowId,
      stepId: last.stepId,
      attempt: last.attempt,
      outcome: last.outcome,
    };
  }
  return progress;
}

/** What every job of one worker shares. */
interface WorkerContext {
  options: RunWorkerOptions;
  sealer: Sealer;
  documents: DocumentCache;
  suspendOver: number;
  lockDuration: number;
  counters: { completed: number; failed: number; suspended: number; steps: number };
}

/** One job being processed: the job, its lock token, and its decrypted run config. */
interface JobRun {
  ctx: WorkerContext;
  job: Job;
  token: string | undefined;
  runId: string;
  data: QueuedJobData;
  config: RunConfig;
}

/**
 * Start a worker that processes queued runs.
 * @example
 * const worker = createRunWorker({ connection: 'redis://127.0.0.1:6379', concurrency: 16 });
 * process.on('SIGTERM', () => void worker.close());
 */
export function createRunWorker(options: RunWorkerOptions): RunWorker {
  const sealer = createSealer(resolveSecretKey(options.secretKey));
  checkConnection(options.connection);
  const ctx: WorkerContext = {
    options,
    sealer,
    documents: createDocumentCache(),
    suspendOver: options.suspendRetryOverMs ?? 1000,
    lockDuration: options.lockDuration ?? 30_000,
    counters: { completed: 0, failed: 0, suspended: 0, steps: 0 },
  };
  // The template BullMQ duplicates for the worker's connections (maxRetriesPerRequest: null).
  let blocking: OpenedRedis | undefined;
  const worker: Promise<Worker> = loadQueueDeps().then(({ bull, Redis }) => {
    blocking = openRedis(Redis, options.connection, 'blocking');
    return startWorker(ctx, bull, blocking);
  });
  return {
    async ready() {
      await (await worker).waitUntilReady();
    },
    stats: () => ({ ...ctx.counters }),
    async close() {
      const w = await worker.catch(() => undefined);
      await w?.close();
      await blocking?.close();
    },
  };
}

function startWorker(ctx: WorkerContext, bull: BullMQ, blocking: OpenedRedis): Worker {
  const { options } = ctx;
  const processor = (job: Job, token?: string) => processRun(ctx, bull, job, token);
  const w = new bull.Worker(options.queueName ?? DEFAULT_QUEUE_NAME, processor, {
    connection: blocking.client,
    prefix: options.prefix ?? DEFAULT_PREFIX,
    concurrency: options.concurrency ?? 8,
    lockDuration: ctx.lockDuration,
    stalledInterval: options.stalledInterval ?? 30_000,
    maxStalledCount: options.maxStalledCount ?? 5,
    autorun: options.autorun ?? true,
  });
  w.on('error', () => {
    // Connection errors are retried by the client and by BullMQ.
  });
  return w;
}

/** Advance one run from its checkpoint (or its start) to its end or its next hand-over to the queue. */
async function processRun(
  ctx: WorkerContext,
  bull: BullMQ,
  job: Job,
  token: string | undefined,
): Promise<QueuedJobResult> {
  const runId = job.id ?? '';
  const data = job.data as QueuedJobData;
  const config = ctx.sealer.open(data.config, sealContext.config(runId)) as RunConfig;
  const run: JobRun = { ctx, job, token, runId, data, config };
  let loaded: LoadedDocument;
  try {
    loaded = await ctx.documents.get(config);
  } catch (error) {
    // An unusable document will not become usable by retrying this job.
    throw new bull.UnrecoverableError(failureMessage(error, config));
  }
  const runOptions = runOptionsFor(ctx, config, loaded);
  const begun = await startOrResume(run, loaded, runOptions);
  if ('result' in begun) return finish(run, begun.result);
  const { state } = begun;
  // A finished state (the worker died after the last checkpoint, before the job was marked completed) is
  // fine too: advanceRun then builds its RunResult and sends nothing.
  if (config.options.timeoutMs !== undefined) {
    runOptions.timeoutMs = Math.max(1, config.options.timeoutMs - (Date.now() - state.startedAt));
  }
  const before = state.records.length;
  let out: Awaited<ReturnType<typeof advanceRun>>;
  try {
    out = await advanceRun(loaded, state, runOptions, {
      checkpoint: (s) => persist(run, s),
      suspendRetryOverMs: ctx.suspendOver,
    });
  } catch (error) {
    throw new Error(failureMessage(error, config));
  }
  ctx.counters.steps += out.state.records.length - before;
  if (out.status === 'suspended') return suspend(run, bull, out.state, out.resumeAfterMs);
  return finish(run, out.result);
}

/** The run's options: the worker's dispatcher, and the secret inputs declared to the masker. */
function runOptionsFor(ctx: WorkerContext, config: RunConfig, loaded: LoadedDocument): RunOptions {
  const runOptions: RunOptions = { ...config.options };
  // The engine masks the secret inputs it finds in the run's root frame; a finished state has none left.
  const document = loaded.document;
  const rootId = config.options.workflowId ?? document.workflows[0]?.workflowId;
  const root = document.workflows.find((w) => w.workflowId === rootId);
  const secretInputs = secretInputNames(root?.inputs, document)
    .map((name) => config.inputs[name])
    .filter((value) => typeof value === 'string' || typeof value === 'number')
    .map(String);
  if (secretInputs.length > 0) runOptions.secrets = [...(config.options.secrets ?? []), ...secretInputs];
  if (ctx.options.dispatcher !== undefined) runOptions.dispatcher = ctx.options.dispatcher;
  return runOptions;
}

/** The checkpointed state, or a new one (checkpointed at once); a run that ends before its first step, its result. */
async function startOrResume(
  run: JobRun,
  loaded: LoadedDocument,
  runOptions: RunOptions,
): Promise<{ state: RunState } | { result: RunResult }> {
  if (run.data.state !== undefined)
    return { state: run.ctx.sealer.open(run.data.state, sealContext.state(run.runId)) as RunState };
  const started = await startRunState(loaded, run.config.inputs, runOptions);
  if ('state' in started) await persist(run, started.state);
  return started;
}

/** Checkpoint `next` (sealed) and the progress, if this worker still holds the job's lock. */
async function persist(run: JobRun, next: RunState, phase: RunProgress['phase'] = 'running'): Promise<void> {
  const { ctx, job, token, runId, data } = run;
  // A lost lock means a stall check gave this run to another worker: stop rather than race it.
  if (token !== undefined && (await job.extendLock(token, ctx.lockDuration)) === 0) {
    throw new Error(`run ${runId}: lost the job lock; another worker owns the run now`);
  }
  const sealed: QueuedJobData = {
    ...data,
    state: ctx.sealer.seal(next, sealContext.state(runId)),
    hops: data.hops,
  };
  await job.updateData(sealed);
  await job.updateProgress(progressOf(next, data.hops, phase));
}

/** Hand a long retry wait back to the queue: the job becomes delayed until `resumeAfterMs` from now. */
async function suspend(run: JobRun, bull: BullMQ, state: RunState, resumeAfterMs: number): Promise<never> {
  const { ctx, job, token, runId, data } = run;
  const hops = data.hops + 1;
  const resumeAt = Date.now() + resumeAfterMs;
  await job.updateData({ ...data, state: ctx.sealer.seal(state, sealContext.state(runId)), hops });
  await job.updateProgress({ ...progressOf(state, hops, 'waiting'), resumeAt });
  await job.moveToDelayed(resumeAt, token);
  ctx.counters.suspended++;
  throw new bull.DelayedError();
}

function finish(run: JobRun, result: RunResult): QueuedJobResult {
  const { ctx, runId } = run;
  if (result.status === 'succeeded') ctx.counters.completed++;
  else ctx.counters.failed++;
  return { status: result.status, result: ctx.sealer.seal(result, sealContext.result(runId)) };
}

/** An error message safe to store in Redis in clear: the run's secrets masked. */
function failureMessage(error: unknown, config: RunConfig): string {
  const text =
    error instanceof Error
      ? `${isArazzoError(error) ? error.code : error.name}: ${error.message}`
      : String(error);
  return masker(config).text(text.split('\n')[0] ?? text);
}

export type { Sealer };
