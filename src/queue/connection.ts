/**
 * Redis connections for the queue, made with ioredis from what the caller gave: a URL, ioredis options or an
 * ioredis client of their own (which the queue uses but never closes).
 */
import type { Redis } from 'ioredis';
import { OptionsError } from '../errors.js';
import type { RedisClass } from './bullmq.js';
import type { RedisConnection } from './types.js';

/** An ioredis client (structurally: what BullMQ also takes as a client rather than as options). */
export function isRedisClient(connection: RedisConnection): connection is Redis {
  return (
    typeof connection === 'object' &&
    connection !== null &&
    typeof (connection as { duplicate?: unknown }).duplicate === 'function'
  );
}

/** Throw OptionsError now (not at the first command) for a connection that cannot be a Redis server. */
export function checkConnection(connection: RedisConnection): void {
  if (typeof connection === 'string') {
    const url = URL.canParse(connection) ? new URL(connection) : undefined;
    if (url === undefined || (url.protocol !== 'redis:' && url.protocol !== 'rediss:')) {
      throw new OptionsError(
        `connection: expected a redis:// or rediss:// URL, ioredis options or an ioredis client, got "${connection}"`,
      );
    }
    return;
  }
  if (typeof connection !== 'object' || connection === null) {
    throw new OptionsError('connection: expected a redis:// URL, ioredis options or an ioredis client');
  }
}

export interface OpenedRedis {
  client: Redis;
  /** Close it (quit, or just drop it if it never connected); a no-op for the caller's own client. */
  close(): Promise<void>;
}

/**
 * A client for one use:
 * - 'commands' (the producer's Queue, reads): the caller's client as is, or a new one with ioredis' default
 *   retry limit per command, so an enqueue fails instead of waiting forever while Redis is down;
 * - 'blocking' (Worker, QueueEvents): a template with `maxRetriesPerRequest: null`, as BullMQ requires.
 *   BullMQ duplicates a client it is given for its blocking connections, so the template is lazy and
 *   never connects itself.
 */
export function openRedis(
  Redis: RedisClass,
  connection: RedisConnection,
  use: 'commands' | 'blocking',
): OpenedRedis {
  const extra =
    use === 'blocking' ? { lazyConnect: true, maxRetriesPerRequest: null } : { lazyConnect: true };
  if (isRedisClient(connection)) {
    if (use === 'commands') return { client: connection, close: async () => {} };
    return owned(connection.duplicate(extra));
  }
  if (typeof connection === 'string') return owned(new Redis(connection, extra));
  return owned(new Redis({ ...connection, ...extra }));
}

function owned(client: Redis): OpenedRedis {
  // Errors also reject the commands they affect; an 'error' without a listener would be printed by ioredis.
  client.on('error', () => {});
  return {
    client,
    async close() {
      if (client.status === 'wait' || client.status === 'end') {
        client.disconnect();
        return;
      }
      await client.quit().catch(() => client.disconnect());
    },
  };
}
