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
  const prefix = options.prefix ?? DEFAULT_PREFIX;
  const queueName = options.queueName ?? DEFAULT_QUEUE_NAME;
  const keepSeconds = options.keepFinishedSeconds ?? 86_400;
  const cwd = options.cwd ?? process.cwd();
  let queue: Promise<Queue> | undefined;
  let events: Promise<QueueEvents> | undefined;
  let closed = false;
  // Commands (the Queue, reads) and the template BullMQ duplicates for the events stream's blocking reads.
  let commands: OpenedRedis | undefined;
  let blocking: OpenedRedis | undefined;

  const getQueue = (): Promise<Queue> => {
    if (closed) return Promise.reject(new OptionsError('queue: closed'));
    queue ??= loadQueueDeps().then(({ bull, Redis }) => {
      commands = openRedis(Redis, options.connection, 'commands');
      const q = new bull.Queue(queueName, {
        connection: commands.client,
        prefix,
        defaultJobOptions: {
          // A processor error (Redis hiccup, bug) resumes from the last checkpoint on the next attempt.
          attempts: 3,
          backoff: { type: 'exponential', delay: 1000 },
          removeOnComplete: { age: keepSeconds },
          removeOnFail: { age: keepSeconds },
          stackTraceLimit: 0,
        },
      });
      q.on('error', () => {
        // Connection errors also reject the calls they affect.
      });
      return q;
    });
    return queue;
  };
  const getEvents = (): Promise<QueueEvents> => {
    events ??= getQueue().then(async () => {
      const { bull, Redis } = await loadQueueDeps();
      // Start reading right after the newest event now in the stream: a follower's snapshot is read after
      // this point, so no change after a snapshot can be missed ('$' would start at the first XREAD instead).
      const newest = await commands!.client.xrevrange(`${prefix}:${queueName}:events`, '+', '-', 'COUNT', 1);
      blocking = openRedis(Redis, options.connection, 'blocking');
      const qe = new bull.QueueEvents(queueName, {
        connection: blocking.client,
        prefix,
        lastEventId: newest[0]?.[0] ?? '0-0',
      });
      qe.on('error', () => {
        // Connection errors are retried by the client; a follower sees them as silence.
      });
      await qe.waitUntilReady();
      return qe;
    });
    return events;
  };

  const get = async (runId: string): Promise<QueuedRunInfo | undefined> => {
    const q = await getQueue();
    // State first: finishing is atomic in Redis, so a 'completed' read here means the hash read next has
    // the result (the other order can see 'completed' with a hash read just before it finished).
    const state = await q.getJobState(runId);
    if (state === 'unknown') return undefined;
    const job = await q.getJob(runId);
    if (job === undefined || job === null) return undefined;
    return describeJob(job, state, sealer);
  };

  async function* follow(runId: string, signal?: AbortSignal): AsyncGenerator<RunQueueEvent> {
    const qe = await getEvents();
    const inbox: RunQueueEvent['event'][] = [];
    let wake: (() => void) | undefined;
    const push = (event: RunQueueEvent['event']) => (args: { jobId: string }) => {
      if (args.jobId !== runId) return;
      inbox.push(event);
      wake?.();
    };
    const names = ['active', 'progress', 'delayed', 'waiting', 'completed', 'failed'] as const;
    const handlers = names.map((name) => [name, push(name)] as const);
    for (const [name, handler] of handlers) qe.on(name, handler as never);
    const onAbort = () => wake?.();
    signal?.addEventListener('abort', onAbort);
    try {
      const first = await get(runId);
      if (first === undefined) throw new OptionsError(`queue: no run "${runId}" (unknown or expired)`);
      let last = JSON.stringify(first);
      yield { ...first, event: 'snapshot' };
      if (TERMINAL.has(first.status)) return;
      for (;;) {
        if (inbox.length === 0) {
          if (signal?.aborted) return;
          // Also re-read now and then: the events stream is trimmed, and Redis may have restarted.
          await new Promise<void>((r) => {
            wake = r;
            setTimeout(r, POLL_MS).unref();
          });
          wake = undefined;
          if (signal?.aborted) return;
        }
        const polled = inbox.length === 0;
        const event = inbox.shift() ?? 'progress';
        const info = await get(runId);
        if (info === undefined) return;
        const seen = JSON.stringify(info);
        if (polled && seen === last) continue;
        last = seen;
        // The read may already see the end (an earlier event's read raced the finish): label it as the end.
        const label = info.status === 'succeeded' ? 'completed' : info.status === 'failed' ? 'failed' : event;
        yield { ...info, event: label };
        if (TERMINAL.has(info.status)) return;
      }
    } finally {
      signal?.removeEventListener('abort', onAbort);
      for (const [name, handler] of handlers) qe.off(name, handler as never);
    }
  }

  return {
    async enqueue(spec, inputs = {}, runOptions = {}) {
      const q = await getQueue();
      const runId = randomUUID();
      const config: RunConfig = {
        spec: absoluteSpec(spec, cwd),
        inputs,
        options: serializableOptions(runOptions, cwd),
      };
      const data: QueuedJobData = { v: 1, config: sealer.seal(config, sealContext.config(runId)), hops: 0 };
      await q.add(JOB_NAME, data, { jobId: runId });
      return runId;
    },
    get,
    events: (runId, o = {}) => follow(runId, o.signal),
    async waitFor(runId, o = {}) {
      let last: QueuedRunInfo | undefined;
      for await (const e of follow(runId, o.signal)) last = e;
      if (last === undefined || !TERMINAL.has(last.status))
        throw new OptionsError(`queue: stopped following "${runId}"`);
      const { event: _event, ...info } = last as RunQueueEvent;
      return info;
    },
    async counts() {
      const q = await getQueue();
      return q.getJobCounts('waiting', 'active', 'delayed', 'completed', 'failed', 'prioritized');
    },
    async close() {
      if (closed) return;
      closed = true;
      const [q, qe] = await Promise.all([queue?.catch(() => undefined), events?.catch(() => undefined)]);
      await qe?.close();
      await q?.close();
      await blocking?.close();
      await commands?.close();
    },
  };
}
