/**
 * BullMQ and ioredis are optional peer dependencies: both are imported on first use (a queue or worker is
 * created), never when `arazzo-runtime` or `arazzo-runtime/queue` is imported.
 */
import { OptionsError } from '../errors.js';

export type BullMQ = typeof import('bullmq');
export type RedisClass = typeof import('ioredis').Redis;

export interface QueueDeps {
  bull: BullMQ;
  Redis: RedisClass;
}

export const MISSING_DEPS = 'install bullmq and ioredis to use arazzo-runtime/queue';

/** How the two packages are imported; a parameter so a test can simulate a missing one. */
export interface DepsImporter {
  bullmq(): Promise<BullMQ>;
  ioredis(): Promise<{ Redis: RedisClass }>;
}

const nodeImporter: DepsImporter = {
  bullmq: () => import('bullmq'),
  ioredis: () => import('ioredis'),
};

function missing(error: unknown): OptionsError {
  const reason = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
  return new OptionsError(`queue: ${MISSING_DEPS} (npm install bullmq ioredis): ${reason}`, {
    cause: error,
  });
}

/** Import bullmq and ioredis; rejects with an OptionsError naming both when either is missing. */
export async function importQueueDeps(importer: DepsImporter = nodeImporter): Promise<QueueDeps> {
  try {
    const [bull, ioredis] = await Promise.all([importer.bullmq(), importer.ioredis()]);
    return { bull, Redis: ioredis.Redis };
  } catch (error) {
    throw missing(error);
  }
}

let loading: Promise<QueueDeps> | undefined;

/** importQueueDeps once per process (a failed import is retried on the next call). */
export function loadQueueDeps(): Promise<QueueDeps> {
  loading ??= importQueueDeps().catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}

export const DEFAULT_PREFIX = 'arazzo';
export const DEFAULT_QUEUE_NAME = 'arazzo-runs';
export const JOB_NAME = 'run';

/** AAD contexts of sealed fields. */
export const sealContext = {
  config: (runId: string) => `${runId}/config`,
  state: (runId: string) => `${runId}/state`,
  result: (runId: string) => `${runId}/result`,
};
