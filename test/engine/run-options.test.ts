import { fileURLToPath } from 'node:url';
import { MockAgent } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../src/index.js';
import { isArazzoError, runWorkflow } from '../../src/index.js';
import { type ScriptedServer, startScriptedServer } from '../helpers/scripted-server.js';

const doc = (name: string) =>
  fileURLToPath(new URL(`../conformance/cases/${name}/arazzo.yaml`, import.meta.url));

let server: ScriptedServer | undefined;
afterEach(async () => server?.close());

describe('runWorkflow options', () => {
  it('rejects a servers override naming an unknown source', async () => {
    const error = await runWorkflow(
      doc('retry-default-limit'),
      {},
      { servers: { nope: 'http://127.0.0.1:1' } },
    ).catch((e: unknown) => e);
    expect(isArazzoError(error)).toBe(true);
    expect((error as Error).message).toContain('unknown source "nope"');
  });

  it.each<[string, Record<string, unknown>, RegExp]>([
    ['a negative timeout', { timeoutMs: -5 }, /timeoutMs: must be a number >= 1/],
    ['a step budget of zero', { maxSteps: 0 }, /maxSteps: must be a number >= 1/],
    ['a fractional step budget', { maxSteps: 2.5 }, /maxSteps: must be a whole number/],
    ['a string budget', { maxSteps: 'x' }, /maxSteps: must be a number/],
    [
      'a contract that is a string',
      { contract: 'yes' },
      /contract: must be true, false or an options object/,
    ],
    ['servers as a string', { servers: 'http://x' }, /servers: must be an object/],
  ])('rejects %s with an OptionsError before running', async (_name, options, message) => {
    const error = await runWorkflow(doc('retry-default-limit'), {}, options as never).catch(
      (e: unknown) => e,
    );
    expect(isArazzoError(error)).toBe(true);
    expect((error as { code: string }).code).toBe('OPTIONS_INVALID');
    expect((error as Error).message).toMatch(message);
  });

  it('timeoutMs holds even when no step ever yields to the event loop (in-memory transport)', async () => {
    const started = performance.now();
    const result = await runWorkflow(
      doc('step-budget'),
      {},
      {
        timeoutMs: 50,
        maxSteps: 10_000_000,
        servers: { items: 'http://127.0.0.1:1' },
        transport: async (req) => ({
          statusCode: 200,
          headers: {},
          body: {},
          size: 0,
          durationMs: 0,
          url: req.url,
        }),
      },
    );
    expect(result.error?.code).toBe('TIMEOUT');
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('fails with WORKFLOW_NOT_FOUND for an unknown workflowId, listing the known ones', async () => {
    const result = await runWorkflow(doc('retry-default-limit'), {}, { workflowId: 'missing' });
    expect(result.status).toBe('failed');
    expect(result.error?.code).toBe('WORKFLOW_NOT_FOUND');
    expect(result.error?.message).toContain('"wf"');
  });

  it('cancels a run during a retry wait through signal', async () => {
    server = await startScriptedServer([{ route: 'GET /jobs/j1', body: { done: false } }]);
    const controller = new AbortController();
    const started = Date.now();
    const pending = runWorkflow(
      doc('retry-fallthrough'),
      {},
      {
        servers: { items: server.url },
        signal: controller.signal,
        onEvent: (e) => {
          if (e.type === 'retry-wait') setTimeout(() => controller.abort(), 20);
        },
      },
    );
    const result = await pending;
    expect(result.status).toBe('failed');
    expect(result.error?.code).toBe('CANCELLED');
    expect(Date.now() - started).toBeLessThan(900);
    expect(server.received).toHaveLength(1);
  });

  it('sends through an injected undici dispatcher (MockAgent)', async () => {
    const agent = new MockAgent();
    agent.disableNetConnect();
    const pool = agent.get('http://api.test');
    pool
      .intercept({ path: '/jobs/j1', method: 'GET' })
      .reply(200, { done: true }, { headers: { 'content-type': 'application/json' } });
    const result = await runWorkflow(
      doc('retry-default-limit'),
      {},
      { servers: { items: 'http://api.test' }, dispatcher: agent },
    );
    expect(result.status).toBe('succeeded');
    expect(result.steps).toHaveLength(1);
    expect(result.steps[0]?.response?.body).toEqual({ done: true });
    await agent.close();
  });

  it('emits the events a progress display needs, in order', async () => {
    server = await startScriptedServer([
      { route: 'GET /jobs/j1', body: { done: false } },
      { route: 'GET /jobs/j1', body: { done: true } },
    ]);
    const events: RunEvent[] = [];
    const result = await runWorkflow(
      doc('retry-default-limit'),
      {},
      {
        servers: { items: server.url },
        sleep: async () => {},
        onEvent: (e) => events.push(e),
      },
    );
    expect(result.status).toBe('succeeded');
    expect(events.map((e) => e.type)).toEqual([
      'workflow-start',
      'step-start',
      'request',
      'response',
      'criteria',
      'step-end',
      'action',
      'retry-wait',
      'step-start',
      'request',
      'response',
      'criteria',
      'step-end',
      'action',
      'workflow-end',
    ]);
    const wait = events.find((e) => e.type === 'retry-wait');
    expect(wait).toMatchObject({ delayMs: 500, attempt: 2 });
  });

  it('a throwing event listener does not break the run', async () => {
    server = await startScriptedServer([{ route: 'GET /jobs/j1', body: { done: true } }]);
    const result = await runWorkflow(
      doc('retry-default-limit'),
      {},
      {
        servers: { items: server.url },
        onEvent: () => {
          throw new Error('listener bug');
        },
      },
    );
    expect(result.status).toBe('succeeded');
  });

  it('runs concurrent workflows on one dispatcher without mixing their state', async () => {
    server = await startScriptedServer([
      { route: 'POST /items', status: 201, body: { id: 'same' } },
      { route: 'GET /items/same', body: { name: 'n', count: 1 } },
    ]);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        runWorkflow(doc('sequential-outputs'), { name: `w${i}` }, { servers: { items: server!.url } }),
      ),
    );
    expect(results.every((r) => r.status === 'succeeded')).toBe(true);
    const bodies = server.received.filter((r) => r.method === 'POST').map((r) => JSON.parse(r.body).name);
    expect(new Set(bodies).size).toBe(20);
  });
});
