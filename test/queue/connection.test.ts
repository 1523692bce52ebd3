import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { importQueueDeps, MISSING_DEPS } from '../../src/queue/bullmq.js';
import { checkConnection, isRedisClient } from '../../src/queue/connection.js';
import { createRunQueue, createRunWorker } from '../../src/queue/index.js';
import type { RedisConnection } from '../../src/queue/types.js';
import { secretKey } from './helpers.js';

describe('queue connection option', () => {
  it.each([
    ['a redis:// URL', { given: 'redis://user:pw@127.0.0.1:6390/2', want: undefined }],
    ['a rediss:// URL', { given: 'rediss://redis.example.com:6380', want: undefined }],
    ['ioredis options', { given: { host: '127.0.0.1', port: 6390, db: 1 }, want: undefined }],
    ['an http URL', { given: 'http://127.0.0.1:6379', want: /expected a redis:\/\/ or rediss:\/\/ URL/ }],
    ['a host:port string', { given: '127.0.0.1:6379', want: /expected a redis:\/\/ or rediss:\/\/ URL/ }],
    ['not a URL', { given: 'not a url', want: /got "not a url"/ }],
    ['null', { given: null as unknown as RedisConnection, want: /expected a redis:\/\/ URL/ }],
  ])('%s', (_name, { given, want }) => {
    if (want === undefined) expect(() => checkConnection(given)).not.toThrow();
    else expect(() => checkConnection(given)).toThrow(want);
  });

  it.each([
    ['createRunQueue', () => createRunQueue({ connection: 'http://127.0.0.1:6379', secretKey })],
    ['createRunWorker', () => createRunWorker({ connection: 'http://127.0.0.1:6379', secretKey })],
  ])('%s rejects a bad connection at once', (_name, create) => {
    expect(create).toThrow(/^connection: expected a redis:\/\//);
  });

  it.each([
    ['a URL', { given: 'redis://127.0.0.1:6379', want: false }],
    ['options', { given: { host: '127.0.0.1' }, want: false }],
    ['a client-like object', { given: { duplicate: () => ({}) } as unknown as RedisConnection, want: true }],
  ])('isRedisClient(%s)', (_name, { given, want }) => {
    expect(isRedisClient(given)).toBe(want);
  });
});

describe('optional peer dependencies', () => {
  const notFound = (name: string) => () =>
    Promise.reject(
      Object.assign(new Error(`Cannot find package '${name}'`), { code: 'ERR_MODULE_NOT_FOUND' }),
    );
  const bullmq = () => import('bullmq');
  const ioredis = () => import('ioredis');

  it.each([
    [
      'bullmq missing',
      { given: { bullmq: notFound('bullmq'), ioredis }, want: "Cannot find package 'bullmq'" },
    ],
    [
      'ioredis missing',
      { given: { bullmq, ioredis: notFound('ioredis') }, want: "Cannot find package 'ioredis'" },
    ],
  ])('%s: a clear OptionsError', async (_name, { given, want }) => {
    const error = await importQueueDeps(given).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'OptionsError', code: 'OPTIONS_INVALID' });
    expect((error as Error).message).toBe(`queue: ${MISSING_DEPS} (npm install bullmq ioredis): ${want}`);
    expect((error as Error).message).toContain('install bullmq and ioredis to use arazzo-runtime/queue');
  });

  it('loads both when installed', async () => {
    const deps = await importQueueDeps();
    expect(typeof deps.bull.Worker).toBe('function');
    expect(typeof deps.Redis).toBe('function');
    expect(deps.Redis.name).toBe('Redis');
  });
});

describe('lazy loading', () => {
  const dir = new URL('../../src/queue/', import.meta.url);
  const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));

  it.each(files.map((f) => [f]))('%s imports bullmq and ioredis for types only', (file) => {
    const text = readFileSync(new URL(file, dir), 'utf8');
    const valueImports = text.match(/^import\s+(?!type\b)[^;]*?from\s+'(bullmq|ioredis)'/gm) ?? [];
    expect(valueImports).toEqual([]);
  });
});
