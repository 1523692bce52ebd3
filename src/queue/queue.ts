/** The producer side: enqueue runs, read their status and result, follow their progress. */
import { randomUUID } from 'node:crypto';
import { isAbsolute, resolve } from 'node:path';
import type { Job, Queue, QueueEvents } from 'bullmq';
import type { RunResult } from '../engine/types.js';
import { OptionsError } from '../errors.js';
import { DEFAULT_PREFIX, DEFAULT_QUEUE_NAME, JOB_NAME, loadQueueDeps, sealContext } from './bullmq.js';
import { checkConnection, type OpenedRedis, openRedis } from './connection.js';
import { createSealer, resolveSecretKey, type Sealer } from './seal.js';
import type {
  QueuedJobData,
  QueuedJobResult,
  QueuedRunInfo,
  QueuedRunOptions,
  RunConfig,
  RunProgress,
  RunQueueEvent,
  RunQueueOptions,
} from './types.js';

export interface RunQueue {
  /**
   * Queue a run of the workflow in `spec` (a path, made absolute here, or an http(s)/file URL every
   * worker can read). Resolves with the run id.
   * @example const runId = await queue.enqueue(composioSpec, { apiKey, ... }, { servers: { composioApi: url } });
   */
  enqueue(spec: string, inputs?: Record<string, unknown>, options?: QueuedRunOptions): Promise<string>;
  /** Status, progress and (once finished) the RunResult; undefined for an unknown or expired run id. */
  get(runId: string): Promise<QueuedRunInfo | undefined>;
  /** Follow a run: a snapshot, then one event per change, ending after the run finishes. */
  events(runId: string, options?: { signal?: AbortSignal }): AsyncIterable<RunQueueEvent>;
  /** Wait for the run to finish and return its info (status succeeded or failed). */
  waitFor(runId: string, options?: { signal?: AbortSignal }): Promise<QueuedRunInfo>;
  /** Counts of jobs by BullMQ state. */
  counts(): Promise<Record<string, number>>;
  close(): Promise<void>;
}

const TERMINAL = new Set(['succeeded', 'failed']);
const POLL_MS = 2000;

function absoluteSpec(spec: string, cwd: string): string {
  if (/^[a-z][a-z0-9+.-]+:/i.test(spec) && URL.canParse(spec)) return spec;
  return isAbsolute(spec) ? spec : resolve(cwd, spec);
}

function serializableOptions(options: QueuedRunOptions, cwd: string): QueuedRunOptions {
  const out: QueuedRunOptions = JSON.parse(JSON.stringify(options)) as QueuedRunOptions;
  if (out.sources !== undefined) {
    for (const [name, value] of Object.entries(out.sources)) out.sources[name] = absoluteSpec(value, cwd);
  }
  return out;
}

/** Read a job's status, progress and result (decrypted with the sealer). */
export function describeJob(job: Job, state: string, sealer: Sealer): QueuedRunInfo {
  const runId = job.id ?? '';
  const data = job.data as QueuedJobData;
  const info: QueuedRunInfo = { runId, status: 'queued' };
  if (typeof job.progress === 'object' && job.progress !== null) info.progress = job.progress as RunProgress;
  switch (state) {
    case 'completed': {
      const value = job.returnvalue as QueuedJobResult | null;
      if (value === null || typeof value !== 'object') {
        info.status = 'failed';
        info.error = 'the run completed without a result';
        break;
      }
      info.status = value.status;
      info.result = sealerOpenResult(sealer, runId, value.result);
      break;
    }
    case 'failed':
      info.status = 'failed';
      info.error = job.failedReason;
      break;
    case 'active':
      info.status = 'running';
      break;
    default:
      // wait / delayed / prioritized: 'waiting' once it has started (a retry wait or a stalled hand-over).
      info.status = data.state !== undefined ? 'waiting' : 'queued';
  }
  return info;
}

function sealerOpenResult(sealer: Sealer, runId: string, text: string): RunResult {
  return sealer.open(text, sealContext.result(runId)) as RunResult;
}

/** The producer's options, resolved once, and its connections, opened on first use. */
interface Producer {
  options: RunQueueOptions;
  sealer: Sealer;
  prefix: string;
  queueName: string;
  keepSeconds: number;
  cwd: string;
  queue: Promise<Queue> | undefined;
  events: Promise<QueueEvents> | undefined;
  closed: boolean;
  // Commands (the Queue, reads) and the template BullMQ duplicates for the events stream's blocking reads.
  commands: OpenedRedis | undefined;
  blocking: OpenedRedis | undefined;
}

/**
 * Create the producer side of the run queue. BullMQ and ioredis are loaded, and Redis connected, on first use.
 * @example
 * const queue = createRunQueue({ connection: 'redis://127.0.0.1:6379', secretKey: process.env.ARAZZO_QUEUE_KEY });
 * const runId = await queue.enqueue('./flow.arazzo.yaml', { petId: 1 });
 * for await (const e of queue.events(runId)) if (e.status === 'succeeded' || e.status === 'failed') break;
 */
export function createRunQueue(options: RunQueueOptions & { cwd?: string }): RunQueue {
  const sealer = createSealer(resolveSecretKey(options.secretKey));
  checkConnection(options.connection);
  const p: Producer = {
    options,
    sealer,
    prefix: options.prefix ?? DEFAULT_PREFIX,
    queueName: options.queueName ?? DEFAULT_QUEUE_NAME,
    keepSeconds: options.keepFinishedSeconds ?? 86_400,
    cwd: options.cwd ?? process.cwd(),
    queue: undefined,
    events: undefined,
    closed: false,
    commands: undefined,
    blocking: undefined,
  };
  return {
    enqueue: (spec, inputs = {}, runOptions = {}) => enqueueRun(p, spec, inputs, runOptions),
    get: (runId) => readRun(p, runId),
    events: (runId, o = {}) => followRun(p, runId, o.signal),
    waitFor: (runId, o = {}) => waitForRun(p, runId, o.signal),
    async counts() {
      const q = await openQueue(p);
      return q.getJobCounts('waiting', 'active', 'delayed', 'completed', 'failed', 'prioritized');
    },
    close: () => closeProducer(p),
  };
}

/** The BullMQ Queue, created (and Redis connected) on first use. */
function openQueue(p: Producer): Promise<Queue> {
  if (p.closed) return Promise.reject(new OptionsError('queue: closed'));
  p.queue ??= loadQueueDeps().then(({ bull, Redis }) => {
    p.commands = openRedis(Redis, p.options.connection, 'commands');
    const q = new bull.Queue(p.queueName, {
      connection: p.commands.client,
      prefix: p.prefix,
      defaultJobOptions: {
        // A processor error (Redis hiccup, bug) resumes from the last checkpoint on the next attempt.
        attempts: 3,
        backoff: { type: 'exponential', delay: 1000 },
        removeOnComplete: { age: p.keepSeconds },
        removeOnFail: { age: p.keepSeconds },
        stackTraceLimit: 0,
      },
    });
    q.on('error', () => {
      // Connection errors also reject the calls they affect.
    });
    return q;
  });
  return p.queue;
}

/** The queue's events stream, read from the newest event at the time of the first follower. */
function openEvents(p: Producer): Promise<QueueEvents> {
  p.events ??= openQueue(p).then(async () => {
    const { bull, Redis } = await loadQueueDeps();
    // Start reading right after the newest event now in the stream: a follower's snapshot is read after
    // this point, so no change after a snapshot can be missed ('$' would start at the first XREAD instead).
    const newest = await p.commands!.client.xrevrange(
      `${p.prefix}:${p.queueName}:events`,
      '+',
      '-',
      'COUNT',
      1,
    );
    p.blocking = openRedis(Redis, p.options.connection, 'blocking');
    const qe = new bull.QueueEvents(p.queueName, {
      connection: p.blocking.client,
      prefix: p.prefix,
      lastEventId: newest[0]?.[0] ?? '0-0',
    });
    qe.on('error', () => {
      // Connection errors are retried by the client; a follower sees them as silence.
    });
    await qe.waitUntilReady();
    return qe;
  });
  return p.events;
}

async function enqueueRun(
  p: Producer,
  spec: string,
  inputs: Record<string, unknown>,
  runOptions: QueuedRunOptions,
): Promise<string> {
  const q = await openQueue(p);
  const runId = randomUUID();
  const config: RunConfig = {
    spec: absoluteSpec(spec, p.cwd),
    inputs,
    options: serializableOptions(runOptions, p.cwd),
  };
  const data: QueuedJobData = { v: 1, config: p.sealer.seal(config, sealContext.config(runId)), hops: 0 };
  await q.add(JOB_NAME, data, { jobId: runId });
  return runId;
}

async function readRun(p: Producer, runId: string): Promise<QueuedRunInfo | undefined> {
  const q = await openQueue(p);
  // State first: finishing is atomic in Redis, so a 'completed' read here means the hash read next has
  // the result (the other order can see 'completed' with a hash read just before it finished).
  const state = await q.getJobState(runId);
  if (state === 'unknown') return undefined;
  const job = await q.getJob(runId);
  if (job === undefined || job === null) return undefined;
  return describeJob(job, state, p.sealer);
}

/** A run's events as they arrive, for one follower; `wait` resolves on the next one (or abort). */
interface Inbox {
  events: RunQueueEvent['event'][];
  wake: (() => void) | undefined;
}

const FOLLOWED = ['active', 'progress', 'delayed', 'waiting', 'completed', 'failed'] as const;

async function* followRun(p: Producer, runId: string, signal?: AbortSignal): AsyncGenerator<RunQueueEvent> {
  const qe = await openEvents(p);
  const inbox: Inbox = { events: [], wake: undefined };
  const push = (event: RunQueueEvent['event']) => (args: { jobId: string }) => {
    if (args.jobId !== runId) return;
    inbox.events.push(event);
    inbox.wake?.();
  };
  const handlers = FOLLOWED.map((name) => [name, push(name)] as const);
  for (const [name, handler] of handlers) qe.on(name, handler as never);
  const onAbort = () => inbox.wake?.();
  signal?.addEventListener('abort', onAbort);
  try {
    yield* changesOf(p, runId, inbox, signal);
  } finally {
    signal?.removeEventListener('abort', onAbort);
    for (const [name, handler] of handlers) qe.off(name, handler as never);
  }
}

/** A snapshot, then one re-read per event (or poll) that changed what the run looks like, until it ends. */
async function* changesOf(
  p: Producer,
  runId: string,
  inbox: Inbox,
  signal: AbortSignal | undefined,
): AsyncGenerator<RunQueueEvent> {
  const first = await readRun(p, runId);
  if (first === undefined) throw new OptionsError(`queue: no run "${runId}" (unknown or expired)`);
  let last = JSON.stringify(first);
  yield { ...first, event: 'snapshot' };
  if (TERMINAL.has(first.status)) return;
  for (;;) {
    if (inbox.events.length === 0) {
      if (signal?.aborted) return;
      await nextEventOrPoll(inbox);
      if (signal?.aborted) return;
    }
    const polled = inbox.events.length === 0;
    const event = inbox.events.shift() ?? 'progress';
    const info = await readRun(p, runId);
    if (info === undefined) return;
    const seen = JSON.stringify(info);
    if (polled && seen === last) continue;
    last = seen;
    // The read may already see the end (an earlier event's read raced the finish): label it as the end.
    const label = info.status === 'succeeded' ? 'completed' : info.status === 'failed' ? 'failed' : event;
    yield { ...info, event: label };
    if (TERMINAL.has(info.status)) return;
  }
}

/** Wait for an event, an abort, or the poll interval: the events stream is trimmed, and Redis may have restarted. */
async function nextEventOrPoll(inbox: Inbox): Promise<void> {
  await new Promise<void>((r) => {
    inbox.wake = r;
    setTimeout(r, POLL_MS).unref();
  });
  inbox.wake = undefined;
}

async function waitForRun(
  p: Producer,
  runId: string,
  signal: AbortSignal | undefined,
): Promise<QueuedRunInfo> {
  let last: QueuedRunInfo | undefined;
  for await (const e of followRun(p, runId, signal)) last = e;
  if (last === undefined || !TERMINAL.has(last.status))
    throw new OptionsError(`queue: stopped following "${runId}"`);
  const { event: _event, ...info } = last as RunQueueEvent;
  return info;
}

async function closeProducer(p: Producer): Promise<void> {
  if (p.closed) return;
  p.closed = true;
  const [q, qe] = await Promise.all([p.queue?.catch(() => undefined), p.events?.catch(() => undefined)]);
  await qe?.close();
  await q?.close();
  await p.blocking?.close();
  await p.commands?.close();
}
