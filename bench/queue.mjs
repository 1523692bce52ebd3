// Queue throughput: N worker processes against one local redis-server and the Composio simulator
// (needs `npm run build` and redis-server). Usage: node bench/queue.mjs [runs], or import benchQueueAll.
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createRunQueue, startLocalRedis } from '../dist/queue/index.js';
import { startComposioSimulator } from '../dist/simulator/index.js';
import { composioSpec } from '../dist/specs.js';

/** Enqueue `runs` Composio workflows (no retry waits) and time them to completion. */
export async function benchQueue({ workers, runs, concurrency = 16 }) {
  const key = randomBytes(32).toString('hex');
  const redis = await startLocalRedis();
  const sim = await startComposioSimulator({ pollsUntilActive: 1, maxLoggedRequests: 0 });
  const queue = createRunQueue({ connection: redis.url, secretKey: key, queueName: 'bench' });
  const children = [];
  try {
    const script = fileURLToPath(new URL('./queue-worker.mjs', import.meta.url));
    await Promise.all(
      Array.from({ length: workers }, () => {
        const child = fork(script, [], {
          env: {
            ...process.env,
            REDIS_URL: redis.url,
            ARAZZO_QUEUE_KEY: key,
            QUEUE_NAME: 'bench',
            CONCURRENCY: String(concurrency),
          },
          stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
        });
        children.push(child);
        return new Promise((resolve, reject) => {
          child.once('message', () => resolve());
          child.once('exit', (code) => reject(new Error(`bench worker exited (${code})`)));
        });
      }),
    );
    const started = performance.now();
    const inputs = (i) => ({
      apiKey: 'sim_test_key',
      toolkitSlug: 'gmail',
      authType: 'use_composio_managed_auth',
      userId: `u${i}`,
    });
    const ids = await Promise.all(
      Array.from({ length: runs }, (_, i) =>
        queue.enqueue(composioSpec, inputs(i), { servers: { composioApi: sim.url }, maxRetryDelayMs: 0 }),
      ),
    );
    for (;;) {
      const counts = await queue.counts();
      if ((counts.completed ?? 0) + (counts.failed ?? 0) >= ids.length) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const seconds = (performance.now() - started) / 1000;
    let succeeded = 0;
    let steps = 0;
    for (const id of ids) {
      const info = await queue.get(id);
      if (info?.status === 'succeeded') succeeded++;
      steps += info?.result?.steps.length ?? 0;
    }
    return {
      workers,
      runs,
      concurrencyPerWorker: concurrency,
      seconds: Math.round(seconds * 1000) / 1000,
      runsPerSec: Math.round(runs / seconds),
      stepsPerSec: Math.round(steps / seconds),
      succeeded,
    };
  } finally {
    for (const c of children) c.kill('SIGTERM');
    await queue.close();
    await sim.close();
    await redis.stop();
  }
}

export async function benchQueueAll(runs = 400) {
  const results = [];
  for (const workers of [1, 2, 4]) results.push(await benchQueue({ workers, runs }));
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const runs = Number(process.argv[2] ?? 400);
  for (const r of await benchQueueAll(runs)) {
    process.stdout.write(
      `queue workers=${r.workers} runs=${r.runs} ok=${r.succeeded} ${r.seconds}s ${r.runsPerSec} runs/s ${r.stepsPerSec} steps/s\n`,
    );
  }
}
