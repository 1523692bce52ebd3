/**
 * Fault injection (issue #7): broken servers on loopback, run through runWorkflow with `servers` overrides.
 * Every fault must end in a step failure with a precise code and message, the document's failure actions
 * must apply to it, and the run must end within the configured timeouts.
 */

import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunOptions, RunResult, StepRecord } from '../../src/engine/index.js';
import { runWorkflow } from '../../src/engine/index.js';
import {
  type FaultServer,
  hang,
  json,
  redirect,
  resetMidBody,
  sequence,
  startFaultServer,
  trickle,
} from './fault-server.js';

const SPEC = join(import.meta.dirname, 'fixtures', 'faults.arazzo.yaml');

let server: FaultServer;
let other: FaultServer;
let closedPort: number;

async function freePortThenClose(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

const big = 'x'.repeat(5000);

beforeAll(async () => {
  other = await startFaultServer({ '/elsewhere': json(200, { ok: true, where: 'other' }) });
  server = await startFaultServer({
    '/ok/*': (req, res) => {
      const n = decodeURIComponent((req.url ?? '').split('/').pop() ?? '');
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ n }));
    },
    '/f/good': json(200, { ok: true }),
    '/f/reset': resetMidBody(),
    '/f/hang': hang(),
    '/f/trickle': trickle(20),
    '/f/big-declared': json(200, { ok: true, pad: big }, { 'content-length': String(big.length + 20) }),
    '/f/big-chunked': (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
      for (let i = 0; i < 10; i++) res.write(`${'y'.repeat(500)}`);
      res.end();
    },
    '/f/bad-json': (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"ok": tru');
    },
    '/f/wrong-type': (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html><body>{"ok":true}</body></html>');
    },
    '/f/loop': redirect(302, '/f/loop'),
    '/f/ping': redirect(307, '/f/pong'),
    '/f/pong': redirect(307, '/f/ping'),
    '/f/chain1': redirect(302, '/f/chain2'),
    '/f/chain2': redirect(302, '/f/chain3'),
    '/f/chain3': redirect(302, '/f/chain4'),
    '/f/chain4': redirect(302, '/f/chain5'),
    '/f/chain5': redirect(302, '/f/chain6'),
    '/f/chain6': redirect(302, '/f/chain7'),
    '/f/chain7': json(200, { ok: true }),
    '/f/cross': redirect(302, () => `${other.url}/elsewhere`),
    '/f/bad-location': redirect(302, 'http://[::1'),
    '/f/500': json(500, { error: 'boom' }),
    '/f/429-then-ok': sequence(
      json(429, { error: 'slow down' }, { 'retry-after': '1' }),
      json(200, { ok: true }),
    ),
    '/f/503-date-then-ok': sequence(
      (req, res, s) =>
        json(503, { error: 'busy' }, { 'retry-after': new Date(Date.now() + 3000).toUTCString() })(
          req,
          res,
          s,
        ),
      json(200, { ok: true }),
    ),
    '/f/503-forever': json(503, { error: 'busy' }, { 'retry-after': '3' }),
    '/f/500-retry-after': json(500, { error: 'boom' }, { 'retry-after': '1' }),
  });
  closedPort = await freePortThenClose();
});

afterAll(async () => {
  await server.close();
  await other.close();
});

interface Run {
  result: RunResult;
  sleeps: number[];
  elapsedMs: number;
}

async function run(workflowId: string, kind: string, options: RunOptions = {}, base?: string): Promise<Run> {
  const sleeps: number[] = [];
  const started = performance.now();
  const result = await runWorkflow(SPEC, workflowId === 'healthy' ? { n: kind } : { kind }, {
    workflowId,
    servers: { api: base ?? server.url },
    requestTimeoutMs: 300,
    timeoutMs: 5_000,
    maxResponseBytes: 1000,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...options,
  });
  return { result, sleeps, elapsedMs: performance.now() - started };
}

function last(result: RunResult, stepId: string): StepRecord {
  const records = result.steps.filter((s) => s.stepId === stepId);
  const record = records[records.length - 1];
  if (record === undefined) throw new Error(`no record for ${stepId}`);
  return record;
}

interface TransportCase {
  kind: string;
  code: string;
  message: RegExp;
  options?: RunOptions;
  /** Upper bound on the wall time of the whole run. */
  withinMs?: number;
}

describe('transport faults end in a step failure with a precise code', () => {
  it.each<[string, TransportCase]>([
    ['connection refused', { kind: 'refused', code: 'ECONNREFUSED', message: /connection refused/ }],
    ['reset mid-body', { kind: 'reset', code: 'ECONNRESET', message: /connection reset or closed/ }],
    [
      'server never answers',
      { kind: 'hang', code: 'TIMEOUT', message: /no complete response within 300 ms/, withinMs: 2000 },
    ],
    [
      'server trickles bytes forever',
      { kind: 'trickle', code: 'TIMEOUT', message: /no complete response within 300 ms/, withinMs: 2000 },
    ],
    [
      'body larger than the cap (content-length)',
      { kind: 'big-declared', code: 'BODY_TOO_LARGE', message: /5\d{3} bytes exceeds the 1000-byte cap/ },
    ],
    [
      'body larger than the cap (chunked)',
      { kind: 'big-chunked', code: 'BODY_TOO_LARGE', message: /exceeds the 1000-byte cap/ },
    ],
    ['redirect to itself', { kind: 'loop', code: 'REDIRECT_LOOP', message: /redirect loop back to/ }],
    [
      'redirect ping-pong',
      { kind: 'ping', code: 'REDIRECT_LOOP', message: /redirect loop back to .*\/f\/ping/ },
    ],
    [
      'redirect chain too long',
      { kind: 'chain1', code: 'TOO_MANY_REDIRECTS', message: /more than 5 redirects/ },
    ],
    [
      'redirect to another origin',
      { kind: 'cross', code: 'CROSS_ORIGIN_REDIRECT', message: /redirect to another origin .* refused/ },
    ],
    ['redirect to an invalid Location', { kind: 'bad-location', code: 'OTHER', message: /invalid Location/ }],
  ])('%s', async (_name, c) => {
    const base = c.kind === 'refused' ? `http://127.0.0.1:${closedPort}` : undefined;
    const { result, elapsedMs } = await run('plain', c.kind, c.options, base);
    expect(result.status).toBe('failed');
    expect(result.error?.code).toBe('STEP_FAILED');
    const record = last(result, 'call');
    expect(record.outcome).toBe('failed');
    expect(record.error?.code).toBe(c.code);
    expect(record.error?.message).toMatch(c.message);
    expect(record.error?.message).toMatch(/^GET http:\/\/127\.0\.0\.1:\d+\/f\//);
    expect(result.error?.message).toContain(record.error?.message ?? '');
    expect(elapsedMs).toBeLessThan(c.withinMs ?? 3000);
  });
});

describe('HTTP-level faults are judged by criteria', () => {
  it.each<[string, { kind: string; reason: RegExp; status: number }]>([
    ['500', { kind: '500', status: 500, reason: /500/ }],
    [
      'invalid JSON with a JSON content type',
      { kind: 'bad-json', status: 200, reason: /\$\.ok|jsonpath|string/i },
    ],
    ['wrong content type', { kind: 'wrong-type', status: 200, reason: /\$\.ok|jsonpath|string/i }],
  ])('%s', async (_name, { kind, reason, status }) => {
    const { result } = await run('plain', kind);
    expect(result.status).toBe('failed');
    const record = last(result, 'call');
    expect(record.response?.statusCode).toBe(status);
    expect(record.error?.code).toBe('STEP_FAILED');
    expect(record.error?.message).toMatch(reason);
    expect(record.criteria.some((c) => !c.passed)).toBe(true);
  });

  it('invalid JSON with a JSON content type leaves a warning naming the parse error', async () => {
    const { result } = await run('plain', 'bad-json');
    expect(last(result, 'call').warnings?.join('\n')).toMatch(/not valid JSON|JSON/);
  });
});

describe('failure actions apply to faults', () => {
  it.each<[string, { kind: string; attempts: number }]>([
    ['timeout', { kind: 'hang', attempts: 3 }],
    ['reset', { kind: 'reset', attempts: 3 }],
    ['body too large', { kind: 'big-declared', attempts: 3 }],
    ['cross-origin redirect', { kind: 'cross', attempts: 3 }],
  ])('%s: onFailure retries twice, then goto recovers', async (_name, { kind, attempts }) => {
    const { result, sleeps } = await run('retryThenGoto', kind);
    const calls = result.steps.filter((s) => s.stepId === 'call');
    expect(calls.map((s) => s.attempt)).toEqual(Array.from({ length: attempts }, (_, i) => i + 1));
    expect(calls.every((s) => s.outcome === 'failed' && s.error !== undefined)).toBe(true);
    expect(calls.map((s) => s.action?.type)).toEqual(['retry', 'retry', 'goto']);
    expect(calls[2]?.action).toEqual({ type: 'goto', name: 'fallback', target: 'recover' });
    expect(sleeps).toEqual([]);
    expect(result.steps.some((s) => s.stepId === 'unreachable')).toBe(false);
    expect(result.status).toBe('succeeded');
    expect(result.outputs).toEqual({ n: 'recovered' });
  });
});

describe('429 and 503 with Retry-After', () => {
  it.each<
    [string, { kind: string; status: 'succeeded' | 'failed'; sleeps: (s: number[]) => void; calls: number }]
  >([
    [
      '429 Retry-After: 1 (seconds) wins over the document retryAfter',
      { kind: '429-then-ok', status: 'succeeded', calls: 2, sleeps: (s) => expect(s).toEqual([1000]) },
    ],
    [
      '503 Retry-After: HTTP-date',
      {
        kind: '503-date-then-ok',
        status: 'succeeded',
        calls: 2,
        sleeps: (s) => {
          expect(s).toHaveLength(1);
          // HTTP-dates have whole seconds: 3 s ahead is between 2 and 3 s away.
          expect(s[0]).toBeGreaterThan(1000);
          expect(s[0]).toBeLessThanOrEqual(3000);
        },
      },
    ],
    [
      '503 forever: retry budget used up, then the step fails',
      {
        kind: '503-forever',
        status: 'failed',
        calls: 4,
        sleeps: (s) => expect(s).toEqual([3000, 3000, 3000]),
      },
    ],
    [
      '500 with Retry-After: the retry criteria do not match, no retry',
      { kind: '500-retry-after', status: 'failed', calls: 1, sleeps: (s) => expect(s).toEqual([]) },
    ],
  ])('%s', async (_name, c) => {
    const before = server.count(`/f/${c.kind}`);
    const { result, sleeps } = await run('retryOnStatus', c.kind);
    expect(result.status).toBe(c.status);
    expect(server.count(`/f/${c.kind}`) - before).toBe(c.calls);
    c.sleeps(sleeps);
    if (c.status === 'succeeded') expect(result.outputs).toEqual({ ok: true });
    else expect(last(result, 'call').error?.message).toMatch(/\$statusCode|50[03]/);
  });

  it('maxRetryDelayMs caps a Retry-After header', async () => {
    const { sleeps } = await run('retryOnStatus', '503-forever', { maxRetryDelayMs: 10 });
    expect(sleeps).toEqual([10, 10, 10]);
  });

  it('the real sleep honours timeoutMs: a long Retry-After ends the run with TIMEOUT, not a hang', async () => {
    const started = performance.now();
    const result = await runWorkflow(
      SPEC,
      { kind: '503-forever' },
      { workflowId: 'retryOnStatus', servers: { api: server.url }, timeoutMs: 400, requestTimeoutMs: 200 },
    );
    expect(performance.now() - started).toBeLessThan(2000);
    expect(result.status).toBe('failed');
    expect(result.error?.code).toBe('TIMEOUT');
    expect(result.error?.message).toMatch(/within 400 ms/);
  });
});

describe('run-level bounds', () => {
  it('timeoutMs below requestTimeoutMs stops a hanging request', async () => {
    const { result, elapsedMs } = await run('plain', 'hang', { requestTimeoutMs: 10_000, timeoutMs: 300 });
    expect(elapsedMs).toBeLessThan(2000);
    expect(result.status).toBe('failed');
    expect(result.error?.code).toBe('TIMEOUT');
  });

  it('an abort signal stops a trickling response', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 150);
    const { result, elapsedMs } = await run('plain', 'trickle', {
      requestTimeoutMs: 10_000,
      signal: controller.signal,
    });
    expect(elapsedMs).toBeLessThan(2000);
    expect(result.error?.code).toBe('CANCELLED');
  });

  it('a refused connection with a retry loop still ends within maxSteps', async () => {
    const { result } = await run('retryThenGoto', 'x', { maxSteps: 2 }, `http://127.0.0.1:${closedPort}`);
    expect(result.status).toBe('failed');
    expect(result.error?.code).toBe('STEP_BUDGET_EXHAUSTED');
    expect(result.steps.map((s) => s.error?.code)).toEqual(['ECONNREFUSED', 'ECONNREFUSED']);
  });
});

describe('a shared dispatcher isolates runs', () => {
  it('faulty runs do not disturb a healthy one on the same Agent', async () => {
    // Default pool size: a connection-limited pool would queue healthy requests behind hung ones (undici's
    // documented behaviour, not a fault of the runtime).
    const dispatcher = new Agent({ keepAliveTimeout: 1000 });
    try {
      const faulty = ['hang', 'trickle', 'reset', 'big-chunked', 'loop', 'cross'].map((kind) =>
        run('plain', kind, { dispatcher, requestTimeoutMs: 400 }),
      );
      const healthy = Array.from({ length: 4 }, (_, i) => run('healthy', `h${i}`, { dispatcher }));
      const [bad, good] = await Promise.all([Promise.all(faulty), Promise.all(healthy)]);
      expect(bad.map((r) => r.result.status)).toEqual(Array(6).fill('failed'));
      expect(bad.map((r) => last(r.result, 'call').error?.code)).toEqual([
        'TIMEOUT',
        'TIMEOUT',
        'ECONNRESET',
        'BODY_TOO_LARGE',
        'REDIRECT_LOOP',
        'CROSS_ORIGIN_REDIRECT',
      ]);
      expect(good.map((r) => r.result.status)).toEqual(Array(4).fill('succeeded'));
      expect(good.map((r) => r.result.outputs)).toEqual([0, 1, 2, 3].map((i) => ({ n: `h${i}` })));
      // The Agent stays usable after the faults.
      const after = await run('healthy', 'after', { dispatcher });
      expect(after.result.outputs).toEqual({ n: 'after' });
    } finally {
      await dispatcher.close();
    }
  });
});

describe('the process never crashes', () => {
  it('refused bodies (too large) raise no uncaught error after the step fails', async () => {
    const uncaught: unknown[] = [];
    const listener = (e: unknown) => uncaught.push(e);
    process.on('uncaughtException', listener);
    try {
      for (const kind of ['big-declared', 'big-chunked', 'reset', 'trickle']) {
        const { result } = await run('plain', kind);
        expect(result.status).toBe('failed');
      }
      await new Promise((r) => setTimeout(r, 50));
    } finally {
      process.off('uncaughtException', listener);
    }
    expect(uncaught).toEqual([]);
  });
});
