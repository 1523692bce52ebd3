import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { findRedisServer, type LocalRedis, startLocalRedis } from '../../src/queue/redis-server.js';

/** The redis-server binary, or undefined (the suites then skip with an install hint). */
export const redisBinary = findRedisServer();
export const SKIP_MESSAGE = 'redis-server not found: apt-get install redis-server (queue tests skipped)';
if (redisBinary === undefined) process.stderr.write(`${SKIP_MESSAGE}\n`);

export const secretKey = randomBytes(32).toString('hex');

export const API_KEY = 'sim_test_key';
export const composioInputs = {
  apiKey: API_KEY,
  toolkitSlug: 'gmail',
  authType: 'use_composio_managed_auth',
  userId: 'u1',
};

export function startRedis(): Promise<LocalRedis> {
  return startLocalRedis(redisBinary === undefined ? {} : { binary: redisBinary });
}

/** Every key in Redis with a textual dump of its value (strings, hashes, lists, sets, zsets, streams). */
export async function dumpRedis(url: string): Promise<Map<string, string>> {
  const client = new Redis(url);
  const out = new Map<string, string>();
  try {
    let cursor = '0';
    const keys: string[] = [];
    do {
      const [next, batch] = await client.scan(cursor, 'COUNT', 1000);
      cursor = next;
      keys.push(...batch);
    } while (cursor !== '0');
    for (const key of keys) {
      const type = await client.type(key);
      let value: unknown;
      if (type === 'string') value = await client.get(key);
      else if (type === 'hash') value = await client.hgetall(key);
      else if (type === 'list') value = await client.lrange(key, 0, -1);
      else if (type === 'set') value = await client.smembers(key);
      else if (type === 'zset') value = await client.zrange(key, 0, -1, 'WITHSCORES');
      else if (type === 'stream') value = await client.xrange(key, '-', '+');
      else value = (await client.dumpBuffer(key))?.toString('base64');
      out.set(key, `${type} ${JSON.stringify(value)}`);
    }
  } finally {
    await client.quit();
  }
  return out;
}
