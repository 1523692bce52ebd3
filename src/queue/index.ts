/**
 * arazzo-runtime/queue: durable, distributed workflow runs on BullMQ and Redis (issue #10).
 * BullMQ and ioredis are optional peer dependencies, imported only when a queue or worker is created.
 */
export { createRunQueue, type RunQueue } from './queue.js';
export { findRedisServer, type LocalRedis, startLocalRedis } from './redis-server.js';
export { createSealer, QUEUE_KEY_ENV, type Sealer } from './seal.js';
export type * from './types.js';
export { createRunWorker, type RunWorker, type RunWorkerOptions } from './worker.js';
