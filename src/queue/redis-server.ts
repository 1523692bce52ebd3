/**
 * Start a throwaway redis-server on loopback (no persistence) for tests and benchmarks.
 * Production deployments point the queue at their own Redis instead.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { loadQueueDeps, type RedisClass } from './bullmq.js';

export interface LocalRedis {
  /** `redis://127.0.0.1:<port>` */
  url: string;
  port: number;
  /** Stop the server and remove its temporary directory. */
  stop(): Promise<void>;
}

/** Where redis-server is looked for when no path is given. */
export const DEFAULT_REDIS_SERVER = '/usr/bin/redis-server';

/** The redis-server binary, or undefined when it is not installed (`apt-get install redis-server`). */
export function findRedisServer(env: Record<string, string | undefined> = process.env): string | undefined {
  const candidates = [env.REDIS_SERVER, DEFAULT_REDIS_SERVER, '/usr/local/bin/redis-server'];
  return candidates.find((c): c is string => c !== undefined && c !== '' && existsSync(c));
}

/** A port that was free on 127.0.0.1 a moment ago (the OS picks it). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Start `redis-server --port <free port> --bind 127.0.0.1 --save '' --appendonly no` in a temp dir and
 * resolve once it answers PING.
 * @example const redis = await startLocalRedis(); ... await redis.stop();
 */
export async function startLocalRedis(options: { binary?: string } = {}): Promise<LocalRedis> {
  const binary = options.binary ?? findRedisServer();
  if (binary === undefined) throw new Error('redis-server not found (apt-get install redis-server)');
  const { Redis } = await loadQueueDeps();
  const dir = await mkdtemp(join(tmpdir(), 'arazzo-redis-'));
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    const child: ChildProcess = spawn(
      binary,
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
      { stdio: 'ignore', cwd: dir },
    );
    let exited = false;
    child.once('exit', () => {
      exited = true;
    });
    const url = `redis://127.0.0.1:${port}`;
    const ready = await waitForPing(Redis, url, () => exited);
    if (ready) {
      return {
        url,
        port,
        async stop() {
          if (!exited) {
            const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
            child.kill('SIGTERM');
            await Promise.race([gone, delay(3000)]);
            if (!exited) child.kill('SIGKILL');
          }
          await rm(dir, { recursive: true, force: true });
        },
      };
    }
    if (!exited) child.kill('SIGKILL');
    if (attempt >= 3) {
      await rm(dir, { recursive: true, force: true });
      throw new Error(`redis-server did not start on 127.0.0.1 (tried ${attempt + 1} ports)`);
    }
  }
}

async function waitForPing(Redis: RedisClass, url: string, exited: () => boolean): Promise<boolean> {
  for (let i = 0; i < 100 && !exited(); i++) {
    // One attempt per client: no reconnection, no offline queue.
    const client = new Redis(url, {
      lazyConnect: true,
      retryStrategy: () => null,
      enableOfflineQueue: false,
    });
    client.on('error', () => {});
    try {
      await client.connect();
      const pong = await client.ping();
      if (pong === 'PONG') return true;
    } catch {
      // Not listening yet.
    } finally {
      client.disconnect();
    }
    await delay(50);
  }
  return false;
}
