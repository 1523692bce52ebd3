import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueCommand, statusCommand, workerCommand } from '../../src/cli/commands/queue.js';
import { createContext } from '../../src/cli/context.js';
import { BufferWriter } from '../../src/cli/io.js';
import type { LocalRedis } from '../../src/queue/redis-server.js';
import { startComposioSimulator } from '../../src/simulator/index.js';
import { composioSpec } from '../../src/specs.js';
import { redisBinary, secretKey, startRedis } from './helpers.js';

type Sim = Awaited<ReturnType<typeof startComposioSimulator>>;

function io(signal?: AbortSignal) {
  const stdout = new BufferWriter();
  const stderr = new BufferWriter();
  const ctx = createContext({
    stdout,
    stderr,
    stdin: { async *[Symbol.asyncIterator]() {} },
    env: { ARAZZO_QUEUE_KEY: secretKey, SIM_KEY: 'sim_test_key' },
    isTTY: false,
    ...(signal !== undefined ? { signal } : {}),
  });
  return { ctx, stdout, stderr };
}

describe.skipIf(redisBinary === undefined)('arazzo worker / enqueue / status', () => {
  let redis: LocalRedis;
  let sim: Sim;
  beforeAll(async () => {
    redis = await startRedis();
    sim = await startComposioSimulator({ pollsUntilActive: 1 });
  });
  afterAll(async () => {
    await sim?.close();
    await redis?.stop();
  });

  it('enqueues from the command line, a worker command runs it, status --follow prints it to the end', async () => {
    const stop = new AbortController();
    const w = io(stop.signal);
    const worker = workerCommand(['--redis', redis.url, '--concurrency', '2', '--suspend-over', '50'], w.ctx);

    const e = io();
    const code = await enqueueCommand(
      [
        composioSpec,
        '--redis',
        redis.url,
        '--input',
        'apiKey=env:SIM_KEY',
        '--input',
        'toolkitSlug=gmail',
        '--input',
        'authType=use_composio_managed_auth',
        '--input',
        'userId=u1',
        '--server',
        `composioApi=${sim.url}`,
        '--max-retry-delay',
        '100',
      ],
      e.ctx,
    );
    expect({ code, err: e.stderr.text }).toEqual({ code: 0, err: '' });
    const runId = e.stdout.text.trim();
    expect(runId).toMatch(/^[0-9a-f-]{36}$/);

    const s = io();
    expect(await statusCommand([runId, '--redis', redis.url, '--follow'], s.ctx)).toBe(0);
    const lines = s.stdout.text.trim().split('\n');
    expect(lines.at(-2)).toMatch(
      new RegExp(`^${runId} succeeded steps=5 last=confirmActive#1:succeeded hops=1$`),
    );
    expect(lines.at(-1)).toMatch(/^outputs: \{.*"status":"ACTIVE"/);
    expect(s.stdout.text).not.toContain('sim_test_key');

    const j = io();
    expect(await statusCommand([runId, '--redis', redis.url, '--json'], j.ctx)).toBe(0);
    const info = JSON.parse(j.stdout.text) as { status: string; result: { steps: unknown[] } };
    expect(info.status).toBe('succeeded');
    expect(info.result.steps).toHaveLength(5);

    const u = io();
    expect(await statusCommand(['no-such-run', '--redis', redis.url], u.ctx)).toBe(2);
    expect(u.stderr.text).toContain('no run "no-such-run"');

    stop.abort();
    expect(await worker).toBe(0);
    expect(w.stdout.text).toMatch(/ready \(concurrency 2/);
    expect(w.stdout.text).toMatch(/stopped; 1 succeeded, 0 failed, 1 handed over, 5 steps/);
  });

  it.each([
    ['enqueue without --redis', () => enqueueCommand([composioSpec], io().ctx), /missing --redis/],
    [
      'status without a run id',
      () => statusCommand(['--redis', 'redis://127.0.0.1:1'], io().ctx),
      /missing <run-id>/,
    ],
    [
      'worker with a bad concurrency',
      () => workerCommand(['--redis', 'redis://x', '--concurrency', '0'], io().ctx),
      /at least 1/,
    ],
  ])('%s is a usage error', async (_name, run, want) => {
    await expect(run()).rejects.toThrow(want);
  });
});
