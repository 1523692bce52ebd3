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
