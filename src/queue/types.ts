/** Public shapes of the durable run queue (issue #10). */

import type { Redis, RedisOptions } from 'ioredis';
import type { RunOptions } from '../engine/options.js';
import type { RunResult } from '../engine/types.js';

/** ioredis connection options (host, port, username, password, db, tls, sentinels, ...). */
export type RedisConnectionOptions = RedisOptions;

/**
 * Where Redis is: a `redis://[user:pass@]host:port[/db]` or `rediss://` URL, ioredis options, or an ioredis
 * client of your own (used as is for commands, duplicated for blocking reads, never closed by the queue).
 * @example 'redis://127.0.0.1:6379'
 */
export type RedisConnection = string | RedisConnectionOptions | Redis;

/**
 * The run options that can travel through Redis (everything JSON; no functions, signals or dispatchers).
 * They mean what they mean for `runWorkflow`.
 */
export type QueuedRunOptions = Pick<
  RunOptions,
  | 'workflowId'
  | 'sources'
  | 'servers'
  | 'serverVariables'
  | 'auth'
  | 'requestTimeoutMs'
  | 'maxResponseBytes'
  | 'maxSteps'
  | 'maxRetryDelayMs'
  | 'strict'
  | 'allowCrossOriginRedirects'
  | 'secrets'
> & {
  /** Wall-clock limit counted from the run's start, across hops and delayed waits (unlike a local run). */
  timeoutMs?: number;
};

/** Options shared by the queue (producer side) and the worker. */
export interface QueueConnectionOptions {
  /**
   * The Redis server: a `redis://[user:pass@]host:port[/db]` (or `rediss://`) URL, ioredis options or an
   * ioredis client (which the queue never closes).
   * @example 'redis://127.0.0.1:6379'
   */
  connection: RedisConnection;
  /** Prefix of every Redis key. @default 'arazzo' */
  prefix?: string;
  /** BullMQ queue name. @default 'arazzo-runs' */
  queueName?: string;
  /**
   * Secret (at least 32 characters or bytes) from which the AES-256-GCM key for everything stored in
   * Redis is derived. Enqueuers and workers must share it. @default process.env.ARAZZO_QUEUE_KEY
   * @example process.env.ARAZZO_QUEUE_KEY
   */
  secretKey?: string | Uint8Array;
}

export interface RunQueueOptions extends QueueConnectionOptions {
  /** Keep finished runs (and their encrypted results) this long, in seconds. @default 86400 */
  keepFinishedSeconds?: number;
}

export type QueuedRunStatus = 'queued' | 'running' | 'waiting' | 'succeeded' | 'failed';

/** Progress published by the worker at every step boundary. Holds no request data: step ids and counts only. */
export interface RunProgress {
  /** 'running' while a worker advances it; 'waiting' while it sits as a delayed job. */
  phase: 'running' | 'waiting';
  /** Step records so far (every attempt counts). */
  steps: number;
  /** The last step that ended, e.g. { stepId: 'pollConnection', attempt: 2, outcome: 'failed' }. */
  lastStep?: { workflowId: string; stepId: string; attempt: number; outcome: 'succeeded' | 'failed' };
  /** How many times the run was handed back to the queue to wait (delayed job). */
  hops: number;
  /** Epoch ms when a waiting run becomes due again. */
  resumeAt?: number;
}

export interface QueuedRunInfo {
  runId: string;
  status: QueuedRunStatus;
  /** Set once the run finished (succeeded or failed as a workflow). */
  result?: RunResult;
  progress?: RunProgress;
  /** Why the run failed without a RunResult (unusable document, worker error, stalled too often). */
  error?: string;
}

/** What `events(runId)` yields: a snapshot first, then one per change, ending with the final state. */
export interface RunQueueEvent extends QueuedRunInfo {
  /** The BullMQ event behind this snapshot ('snapshot' for the first). */
  event: 'snapshot' | 'active' | 'progress' | 'delayed' | 'waiting' | 'completed' | 'failed';
}

/** Data of a queued job as stored in Redis: every field that could hold a secret is sealed. */
export interface QueuedJobData {
  v: 1;
  /** Sealed RunConfig. */
  config: string;
  /** Sealed RunState once the run has started. */
  state?: string;
  hops: number;
}

/** The job's return value: the run's status in clear, the RunResult sealed. */
export interface QueuedJobResult {
  status: 'succeeded' | 'failed';
  result: string;
}

/** What is sealed in `config`. */
export interface RunConfig {
  /** Absolute path or URL of the Arazzo document. */
  spec: string;
  inputs: Record<string, unknown>;
  options: QueuedRunOptions;
}
