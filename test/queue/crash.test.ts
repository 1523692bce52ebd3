import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRunQueue, type QueuedRunInfo, type RunQueue } from '../../src/queue/index.js';
import type { LocalRedis } from '../../src/queue/redis-server.js';
import { startComposioSimulator } from '../../src/simulator/index.js';
import { composioSpec } from '../../src/specs.js';
import { ensureBuilt } from './build.js';
import { composioInputs, redisBinary, secretKey, startRedis } from './helpers.js';

type Sim = Awaited<ReturnType<typeof startComposioSimulator>>;
const RUNS = 200;
const CONCURRENCY = 8;
const QUEUE_NAME = 'crash';
// pollsUntilActive 1: createAuthConfig, createConnectedAccount, pollConnection x2 (one 200 ms retry wait,
// handed over as a delayed job), confirmActive.
const STEPS = [
  'createAuthConfig#1',
  'createConnectedAccount#1',
  'pollConnection#1',
  'pollConnection#2',
  'confirmActive#1',
];
const REQUESTS_PER_RUN = STEPS.length;
// Simulator counters per id: the auth config sees its creation + the account creation that names it;
// the account sees its creation, two polls and the confirmation.
const AUTH_CONFIG_REQUESTS = 2;
const ACCOUNT_REQUESTS = 4;

function startWorker(redisUrl: string): Promise<ChildProcess> {
  const script = fileURLToPath(new URL('./worker-process.mjs', import.meta.url));
  const child = spawn(process.execPath, [script], {
    env: {
      ...process.env,
      REDIS_URL: redisUrl,
      ARAZZO_QUEUE_KEY: secretKey,
      QUEUE_NAME,
      CONCURRENCY: String(CONCURRENCY),
      SUSPEND_MS: '100',
      LOCK_MS: '2000',
      STALLED_MS: '1000',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`worker exited early (${code})`)));
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) resolve(child);
    });
  });
}

describe.skipIf(redisBinary === undefined)('two worker processes, one killed with SIGKILL mid-run', () => {
  let redis: LocalRedis;
  let sim: Sim;
  let queue: RunQueue;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    ensureBuilt();
    redis = await startRedis();
    sim = await startComposioSimulator({ pollsUntilActive: 1, latencyMs: 5, maxLoggedRequests: 100_000 });
    queue = createRunQueue({ connection: redis.url, secretKey, queueName: QUEUE_NAME });
  }, 60_000);
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await queue?.close();
    await sim?.close();
    await redis?.stop();
  });

  it(`${RUNS} Composio runs all succeed, none lost, no completed step repeated`, async () => {
    // BullMQ duplicates this client for its blocking reads; the template itself never connects.
    const template = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: null });
    const watcher = new QueueEvents(QUEUE_NAME, { connection: template, prefix: 'arazzo' });
    const stalled = new Set<string>();
    watcher.on('stalled', ({ jobId }) => stalled.add(jobId));
    await watcher.waitUntilReady();

    const [victim, survivor] = await Promise.all([startWorker(redis.url), startWorker(redis.url)]);
    children.push(victim, survivor);
    const runIds = await Promise.all(
      Array.from({ length: RUNS }, (_, i) =>
        queue.enqueue(
          composioSpec,
          { ...composioInputs, userId: `user-${i}` },
          {
            servers: { composioApi: sim.url },
            maxRetryDelayMs: 200,
          },
        ),
      ),
    );
    expect(new Set(runIds).size).toBe(RUNS);

    const started = Date.now();
    let killedAt: Record<string, number> | undefined;
    for (;;) {
      const counts = await queue.counts();
      if (process.env.DEBUG_QUEUE) process.stderr.write(`${JSON.stringify(counts)}\n`);
      const finished = (counts.completed ?? 0) + (counts.failed ?? 0);
      if (killedAt === undefined && (counts.completed ?? 0) >= RUNS * 0.2) {
        victim.kill('SIGKILL');
        killedAt = counts;
      }
      if (finished >= RUNS) break;
      if (Date.now() - started > 50_000) throw new Error(`not finished in 50 s: ${JSON.stringify(counts)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    if (victim.exitCode === null && victim.signalCode === null) await once(victim, 'exit');
    expect(victim.signalCode).toBe('SIGKILL');
    // The kill came mid-run: work was left, and runs the victim held were recovered by the survivor.
    expect(killedAt?.completed ?? RUNS).toBeLessThan(RUNS);
    expect(stalled.size).toBeGreaterThanOrEqual(1);
    expect(stalled.size).toBeLessThanOrEqual(CONCURRENCY);

    const infos: QueuedRunInfo[] = await Promise.all(runIds.map(async (id) => (await queue.get(id))!));
    // No run lost, every one succeeded with each step recorded exactly once, in order.
    expect(infos).toHaveLength(RUNS);
    const notSucceeded = infos
      .filter((i) => i?.status !== 'succeeded')
      .map((i) => ({
        runId: i?.runId,
        status: i?.status,
        error: i?.error ?? i?.result?.error,
        steps: i?.result?.steps.map(
          (s) => `${s.stepId}#${s.attempt}:${s.outcome}:${s.response?.statusCode ?? s.error?.code}`,
        ),
      }));
    expect(notSucceeded).toEqual([]);
    for (const info of infos) {
      expect(info.result?.steps.map((s) => `${s.stepId}#${s.attempt}`)).toEqual(STEPS);
    }

    // Requests as the simulator counted them, per run: exactly the expected numbers, except that a run
    // the killed worker held may have its one in-flight step re-sent (one extra request, at most).
    const extras: Array<{ runId: string; extra: number }> = [];
    for (const info of infos) {
      const outputs = info.result?.outputs as { authConfigId: string; connectedAccountId: string };
      const { authConfigId, connectedAccountId } = outputs;
      const extra =
        sim.requestCount(authConfigId) -
        AUTH_CONFIG_REQUESTS +
        (sim.requestCount(connectedAccountId) - ACCOUNT_REQUESTS);
      expect(extra === 0 || extra === 1, `run ${info.runId}: ${extra} extra requests`).toBe(true);
      if (extra > 0) extras.push({ runId: info.runId, extra });
    }
    for (const e of extras) expect(stalled.has(e.runId)).toBe(true);
    // Globally: every request beyond 5 per run belongs to a recovered run (an orphan createAuthConfig or
    // createConnectedAccount included), at most one per recovered run.
    const total = sim.requests.length;
    expect(total - RUNS * REQUESTS_PER_RUN).toBeGreaterThanOrEqual(0);
    expect(total - RUNS * REQUESTS_PER_RUN).toBeLessThanOrEqual(stalled.size);
    if (process.env.DEBUG_QUEUE)
      process.stderr.write(
        `stalled ${stalled.size}, runs with a re-sent step ${extras.length}, requests ${total}\n`,
      );
    await watcher.close();
    template.disconnect();
  }, 90_000);
});
