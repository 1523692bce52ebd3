/**
 * Queue throughput: N worker processes against one local redis-server and the Composio simulator.
 * Needs the built package (it forks dist/queue/bench-worker.js) and redis-server.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { startComposioSimulator } from '../simulator/index.js';
import { composioSpec } from '../specs.js';
import { createRunQueue } from './queue.js';
import { startLocalRedis } from './redis-server.js';

export interface QueueBenchResult {
  workers: number;
  runs: number;
  concurrencyPerWorker: number;
  seconds: number;
  runsPerSec: number;
  stepsPerSec: number;
  succeeded: number;
}

/**
 * Enqueue `runs` Composio workflows (5 steps each, no retry waits) and time them to completion.
 * @example const r = await benchQueue({ workers: 2, runs: 500 }); // { runsPerSec, stepsPerSec, ... }
 */
export async function benchQueue(options: {
  workers: number;
  runs: number;
  concurrency?: number;
}): Promise<QueueBenchResult> {
  const concurrency = options.concurrency ?? 16;
  const key = randomBytes(32).toString('hex');
  const redis = await startLocalRedis();
  const sim = await startComposioSimulator({ pollsUntilActive: 1, maxLoggedRequests: 0 });
  const queue = createRunQueue({ connection: redis.url, secretKey: key, queueName: 'bench' });
  const children: ChildProcess[] = [];
  try {
    const script = fileURLToPath(new URL('./bench-worker.js', import.meta.url));
    await Promise.all(
      Array.from({ length: options.workers }, () => {
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
        return new Promise<void>((resolve, reject) => {
          child.once('message', () => resolve());
          child.once('exit', (code) => reject(new Error(`bench worker exited (${code})`)));
        });
      }),
    );
    const started = performance.now();
    const ids = await Promise.all(
      Array.from({ length: options.runs }, (_, i) =>
        queue.enqueue(
          composioSpec,
          {
            apiKey: 'sim_test_key',
            toolkitSlug: 'gmail',
            authType: 'use_composio_managed_auth',
            userId: `u${i}`,
          },
          { servers: { composioApi: sim.url }, maxRetryDelayMs: 0 },
        ),
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
      workers: options.workers,
      runs: options.runs,
      concurrencyPerWorker: concurrency,
      seconds: Math.round(seconds * 1000) / 1000,
      runsPerSec: Math.round(options.runs / seconds),
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
