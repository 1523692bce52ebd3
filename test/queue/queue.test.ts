import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { advanceRun, startRunState } from '../../src/engine/resumable.js';
import { sealContext } from '../../src/queue/bullmq.js';
import {
  createRunQueue,
  createRunWorker,
  createSealer,
  type QueuedJobData,
  type QueuedRunInfo,
  type RedisConnection,
  type RunConfig,
  type RunQueueEvent,
} from '../../src/queue/index.js';
import type { LocalRedis } from '../../src/queue/redis-server.js';
import { startComposioSimulator } from '../../src/simulator/index.js';
import { composioSpec } from '../../src/specs.js';
import { composioInputs, dumpRedis, redisBinary, SKIP_MESSAGE, secretKey, startRedis } from './helpers.js';

type Sim = Awaited<ReturnType<typeof startComposioSimulator>>;

const EXPECTED_STEPS = [
  'createAuthConfig#1',
  'createConnectedAccount#1',
  'pollConnection#1',
  'pollConnection#2',
  'pollConnection#3',
  'confirmActive#1',
];

describe.skipIf(redisBinary === undefined)('run queue on BullMQ + Redis', () => {
  let redis: LocalRedis;
  let sim: Sim;
  beforeAll(async () => {
    redis = await startRedis();
    sim = await startComposioSimulator({ pollsUntilActive: 2 });
  });
  afterAll(async () => {
    await sim?.close();
    await redis?.stop();
  });

  /** Run one Composio workflow through a fresh queue + worker pair on its own queue name. */
  async function runOne(queueName: string, suspendRetryOverMs: number, inputs = composioInputs) {
    const queue = createRunQueue({ connection: redis.url, secretKey, queueName });
    const worker = createRunWorker({
      connection: redis.url,
      secretKey,
      queueName,
      concurrency: 2,
      suspendRetryOverMs,
    });
    try {
      await worker.ready();
      const runId = await queue.enqueue(composioSpec, inputs, {
        servers: { composioApi: sim.url },
        maxRetryDelayMs: 300,
      });
      const events: RunQueueEvent[] = [];
      const started = Date.now();
      for await (const e of queue.events(runId)) events.push(e);
      return {
        runId,
        events,
        final: events.at(-1) as QueuedRunInfo,
        ms: Date.now() - started,
        queue,
        worker,
      };
    } finally {
      await worker.close();
      await queue.close();
    }
  }

  it.each([
    // A 300 ms retry wait over the 100 ms threshold: the run leaves the worker as a delayed job, twice.
    ['long waits become delayed jobs', { suspendRetryOverMs: 100, want: { hops: 2, delayedEvents: 2 } }],
    // Under the threshold (1000 ms) the worker sleeps in place: no hand-over.
    [
      'short waits are slept in the worker',
      { suspendRetryOverMs: 1000, want: { hops: 0, delayedEvents: 0 } },
    ],
  ])('%s', async (name, { suspendRetryOverMs, want }) => {
    const { events, final, ms } = await runOne(`q-${name.replace(/\W+/g, '-')}`, suspendRetryOverMs);
    expect(final.status).toBe('succeeded');
    expect(final.error).toBeUndefined();
    expect(final.result?.outputs).toMatchObject({ status: 'ACTIVE' });
    expect(final.result?.steps.map((s) => `${s.stepId}#${s.attempt}`)).toEqual(EXPECTED_STEPS);
    expect(final.progress?.hops).toBe(want.hops);
    expect(events.filter((e) => e.event === 'delayed')).toHaveLength(want.delayedEvents);
    expect(events[0]?.event).toBe('snapshot');
    expect(events.at(-1)?.event).toBe('completed');
    // Two 300 ms retry waits are honoured either way.
    expect(ms).toBeGreaterThanOrEqual(600);
    if (want.hops > 0) {
      const waiting = events.find((e) => e.event === 'delayed');
      expect(waiting?.status).toBe('waiting');
      expect(waiting?.progress?.phase).toBe('waiting');
      expect(waiting?.progress?.resumeAt).toBeGreaterThan(0);
    }
  });

  it('never writes the API key, auth values or inputs to Redis in clear', async () => {
    const apiKey = `sk_live_${randomBytes(12).toString('hex')}`;
    const authSecret = `tok_${randomBytes(12).toString('hex')}`;
    const secretSim = await startComposioSimulator({ pollsUntilActive: 2, apiKey });
    const queueName = 'q-secrets';
    const queue = createRunQueue({ connection: redis.url, secretKey, queueName });
    const worker = createRunWorker({ connection: redis.url, secretKey, queueName, suspendRetryOverMs: 100 });
    const dumps: string[] = [];
    try {
      const runId = await queue.enqueue(
        composioSpec,
        { ...composioInputs, apiKey, userId: 'user-secret-check' },
        { servers: { composioApi: secretSim.url }, maxRetryDelayMs: 300, auth: { ApiKeyAuth: authSecret } },
      );
      let final: QueuedRunInfo | undefined;
      for await (const e of queue.events(runId)) {
        // Mid-run (state checkpointed, run parked as a delayed job) and at the end.
        if (e.event === 'delayed' || e.event === 'completed')
          dumps.push(...[...(await dumpRedis(redis.url))].map(([k, v]) => `${k} ${v}`));
        final = e;
      }
      expect(final?.status).toBe('succeeded');
      // The run really used the key: the simulator rejects any other.
      expect(secretSim.requests.every((r) => r.status < 400)).toBe(true);
      const everything = dumps.join('\n');
      expect(everything).toContain(runId);
      expect(everything.length).toBeGreaterThan(5000);
      for (const secret of [apiKey, authSecret, 'user-secret-check']) {
        for (const form of [secret, Buffer.from(secret).toString('base64'), encodeURIComponent(secret)]) {
          expect(everything.includes(form), `${form} found in Redis`).toBe(false);
        }
      }
    } finally {
      await worker.close();
      await queue.close();
      await secretSim.close();
    }
  });

  it.each([
    ['a redis:// URL', { connection: (url: string): RedisConnection => url, owned: false }],
    [
      'ioredis options',
      {
        connection: (url: string): RedisConnection => ({
          host: '127.0.0.1',
          port: Number(new URL(url).port),
        }),
        owned: false,
      },
    ],
    [
      'an ioredis client of the caller',
      { connection: (url: string): RedisConnection => new Redis(url), owned: true },
    ],
  ])('connects with %s', async (name, { connection, owned }) => {
    const queueName = `q-conn-${name.replace(/\W+/g, '-')}`;
    const producerConnection = connection(redis.url);
    const workerConnection = connection(redis.url);
    const queue = createRunQueue({ connection: producerConnection, secretKey, queueName });
    const worker = createRunWorker({ connection: workerConnection, secretKey, queueName });
    try {
      const runId = await queue.enqueue(composioSpec, composioInputs, {
        servers: { composioApi: sim.url },
        maxRetryDelayMs: 0,
      });
      const info = await queue.waitFor(runId);
      expect(info.status).toBe('succeeded');
      expect(info.result?.outputs).toMatchObject({ status: 'ACTIVE' });
    } finally {
      await worker.close();
      await queue.close();
    }
    if (owned) {
      // The caller's clients are left open: still usable after the queue and worker closed.
      for (const c of [producerConnection, workerConnection] as Redis[]) {
        expect(await c.ping()).toBe('PONG');
        await c.quit();
      }
    }
  });

  it('finishes a run whose worker died after the last checkpoint without sending anything again', async () => {
    const queueName = 'q-finished-state';
    const apiKey = `sk_${randomBytes(8).toString('hex')}`;
    const finishedSim = await startComposioSimulator({ pollsUntilActive: 1, apiKey });
    const inputs = { ...composioInputs, apiKey };
    const options = { servers: { composioApi: finishedSim.url }, maxRetryDelayMs: 0 };
    // Run to the end in this process, as a worker would have before dying.
    const started = await startRunState(composioSpec, inputs, options);
    if (!('state' in started)) throw new Error(`did not start: ${JSON.stringify(started.result.error)}`);
    const done = await advanceRun(composioSpec, started.state, options);
    expect(done.status).toBe('done');
    const state = done.state;
    expect(state.result?.status).toBe('succeeded');
    // Outputs are the workflow's data: a secret input that reached them comes back as it is (README "Security").
    state.result!.outputs = { ...state.result!.outputs, echoedKey: apiKey };
    const requestsBefore = finishedSim.requests.length;

    const runId = `finished-${randomBytes(4).toString('hex')}`;
    const sealer = createSealer(secretKey);
    const config: RunConfig = { spec: composioSpec, inputs, options };
    const data: QueuedJobData = {
      v: 1,
      config: sealer.seal(config, sealContext.config(runId)),
      state: sealer.seal(state, sealContext.state(runId)),
      hops: 0,
    };
    const client = new Redis(redis.url);
    const raw = new Queue(queueName, { connection: client, prefix: 'arazzo' });
    const queue = createRunQueue({ connection: redis.url, secretKey, queueName });
    const worker = createRunWorker({ connection: redis.url, secretKey, queueName });
    try {
      await raw.add('run', data, { jobId: runId });
      const info = await queue.waitFor(runId);
      expect(info.status).toBe('succeeded');
      expect(info.result?.steps.map((s) => `${s.stepId}#${s.attempt}`)).toEqual(
        state.records.map((r) => `${r.stepId}#${r.attempt}`),
      );
      expect(info.result?.outputs).toMatchObject({ status: 'ACTIVE', echoedKey: apiKey });
      expect(finishedSim.requests.length).toBe(requestsBefore);
    } finally {
      await worker.close();
      await queue.close();
      await raw.close();
      await client.quit();
      await finishedSim.close();
    }
  });

  it('refuses to start without a secret key, and cannot read runs sealed under another key', async () => {
    expect(() => createRunQueue({ connection: redis.url, secretKey: '' })).toThrow(/ARAZZO_QUEUE_KEY/);
    expect(() => createRunQueue({ connection: redis.url, secretKey: 'short' })).toThrow(/at least 32/);
    const queueName = 'q-wrong-key';
    const queue = createRunQueue({ connection: redis.url, secretKey, queueName });
    const other = createRunQueue({
      connection: redis.url,
      secretKey: randomBytes(32).toString('hex'),
      queueName,
    });
    const worker = createRunWorker({ connection: redis.url, secretKey, queueName });
    try {
      const runId = await queue.enqueue(composioSpec, composioInputs, {
        servers: { composioApi: sim.url },
        maxRetryDelayMs: 0,
      });
      const info = await queue.waitFor(runId);
      expect(info.status).toBe('succeeded');
      await expect(other.get(runId)).rejects.toThrow(/cannot decrypt/);
    } finally {
      await worker.close();
      await other.close();
      await queue.close();
    }
  });

  it('reports an unusable document as a failed run with its reason, and an unknown run id as undefined', async () => {
    const queueName = 'q-bad-doc';
    const queue = createRunQueue({ connection: redis.url, secretKey, queueName });
    const worker = createRunWorker({ connection: redis.url, secretKey, queueName });
    try {
      const runId = await queue.enqueue('/nonexistent/flow.arazzo.yaml', {});
      const info = await queue.waitFor(runId);
      expect(info.status).toBe('failed');
      expect(info.result).toBeUndefined();
      expect(info.error).toMatch(/^DOCUMENT_UNREADABLE: .*nonexistent/);
      expect(await queue.get('no-such-run')).toBeUndefined();
    } finally {
      await worker.close();
      await queue.close();
    }
  });
});

describe.skipIf(redisBinary !== undefined)('run queue (skipped)', () => {
  it.skip(SKIP_MESSAGE, () => {});
});
