// A run worker process for bench/queue.mjs (settings from the environment; says "ready", stops on SIGTERM).
import { createRunWorker } from '../dist/queue/index.js';

const env = process.env;
const worker = createRunWorker({
  connection: env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  ...(env.QUEUE_NAME !== undefined ? { queueName: env.QUEUE_NAME } : {}),
  concurrency: Number(env.CONCURRENCY ?? 16),
});
await worker.ready();
process.send?.({ ready: true });
process.on('SIGTERM', () => {
  void worker.close().then(() => process.exit(0));
});
