// A run worker in its own process, for the crash test: built code (dist/), settings from the environment.
import { createRunWorker } from '../../dist/queue/index.js';

const env = process.env;
const worker = createRunWorker({
  connection: env.REDIS_URL,
  secretKey: env.ARAZZO_QUEUE_KEY,
  queueName: env.QUEUE_NAME,
  concurrency: Number(env.CONCURRENCY ?? 8),
  suspendRetryOverMs: Number(env.SUSPEND_MS ?? 100),
  lockDuration: Number(env.LOCK_MS ?? 2000),
  stalledInterval: Number(env.STALLED_MS ?? 1000),
});
await worker.ready();
process.stdout.write('ready\n');
process.on('SIGTERM', () => {
  void worker.close().then(() => {
    process.stdout.write(`stats ${JSON.stringify(worker.stats())}\n`);
    process.exit(0);
  });
});
