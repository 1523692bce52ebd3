import { expect, it } from 'vitest';
import { RespClient } from '../../src/queue/resp.js';
import { startLocalRedis } from '../../src/queue/redis-server.js';
import { Queue, Worker } from 'bullmq';

it('smoke', async () => {
  const redis = await startLocalRedis();
  const c = new RespClient(redis.url);
  await c.connect();
  expect(await c.set('a', '1')).toBe('OK');
  expect(await c.hset('h', { x: 1, y: 'z' })).toBe(2);
  expect(await c.hgetall('h')).toEqual({ x: '1', y: 'z' });
  const q = new Queue('t', { connection: c as never });
  await q.add('j', { n: 1 });
  const got: unknown[] = [];
  const w = new Worker('t', async (job) => { got.push(job.data); return 5; }, { connection: c as never });
  await new Promise((r) => w.once('completed', r));
  expect(got).toEqual([{ n: 1 }]);
  await w.close();
  await q.close();
  await c.quit();
  await redis.stop();
});
