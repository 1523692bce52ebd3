// Arazzo 1.1 engine behaviour that a scripted server cannot show: a transport that ignores its signal, warning events.
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ArazzoDocument, WorkflowObject } from '../../src/document/model.js';
import { stepPlan } from '../../src/engine/v11.js';
import type { HttpResponse, PreparedRequest, Transport } from '../../src/http/index.js';
import type { RunEvent, RunOptions } from '../../src/index.js';
import { runWorkflow } from '../../src/index.js';
import { createMessageMock } from '../../src/mock/index.js';

const caseDoc = (name: string): string =>
  fileURLToPath(new URL(`../conformance/cases/${name}/arazzo.yaml`, import.meta.url));

function ok(req: PreparedRequest, body: unknown): HttpResponse {
  return { statusCode: 200, headers: {}, body, size: 0, durationMs: 0, url: req.url };
}

describe('1.1 step timeout', () => {
  it('fails the attempt with STEP_TIMEOUT even when an injected transport ignores its signal', async () => {
    const signals: AbortSignal[] = [];
    const result = await runWorkflow(
      caseDoc('v11-step-timeout-onfailure'),
      {},
      {
        transport: (req, tctx) => {
          if (req.url.endsWith('/items/slow')) {
            signals.push(tctx.signal);
            return new Promise<HttpResponse>(() => {});
          }
          return Promise.resolve(ok(req, { id: 'fast' }));
        },
      },
    );
    expect(result.status).toBe('succeeded');
    expect(result.steps.map((s) => [s.stepId, s.outcome, s.error?.code])).toEqual([
      ['slow', 'failed', 'STEP_TIMEOUT'],
      ['fast', 'succeeded', undefined],
    ]);
    expect(result.steps[0]?.error?.message).toContain('timeout of 200 ms');
    // The transport was told to stop.
    expect(signals[0]?.aborted).toBe(true);
  });
  it('aborts the request of the built-in transport at the step deadline, not at the request timeout', async () => {
    // The slow item never answers; the server sees its request closed when the client gives up.
    let closedAfterMs: number | undefined;
    const server = createServer((req: IncomingMessage, res: ServerResponse) => {
      if (req.url?.endsWith('/items/slow')) {
        const started = performance.now();
        res.on('close', () => {
          closedAfterMs = performance.now() - started;
        });
        return;
      }
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ id: 'fast' }));
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const { port } = server.address() as AddressInfo;
      const result = await runWorkflow(
        caseDoc('v11-step-timeout-onfailure'),
        {},
        { servers: { items: `http://127.0.0.1:${port}` }, requestTimeoutMs: 60_000 },
      );
      expect(result.steps.map((s) => [s.stepId, s.outcome, s.error?.code])).toEqual([
        ['slow', 'failed', 'STEP_TIMEOUT'],
        ['fast', 'succeeded', undefined],
      ]);
      // By the time the run has finished, the slow request is gone: aborted at the 200 ms step deadline,
      // where the 60 s request timeout would have left it open.
      for (let i = 0; i < 100 && closedAfterMs === undefined; i++)
        await new Promise((r) => setTimeout(r, 20));
      expect(closedAfterMs).toBeDefined();
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});

describe('1.1 criterion evaluation errors', () => {
  it('are warning events and step warnings; the criterion fails', async () => {
    const events: RunEvent[] = [];
    const result = await runWorkflow(
      caseDoc('v11-criterion-error-warning'),
      { field: 'status' },
      { transport: async (req) => ok(req, { status: 'ok' }), onEvent: (e) => events.push(e) },
    );
    const warnings = events.filter((e) => e.type === 'warning');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ stepId: 'read', attempt: 1, code: 'CRITERION_ERROR' });
    expect((warnings[0] as { message: string }).message).toMatch(
      /^criterion "\$\[\?\(@\.\{\$inputs\.field\} =="/,
    );
    expect(result.steps[0]?.criteria[0]?.passed).toBe(false);
    expect(result.steps[0]?.warnings?.some((w) => w.startsWith('criterion "'))).toBe(true);
  });
});

describe('stepPlan (1.1 step order)', () => {
  const wf = (steps: Array<Record<string, unknown>>): WorkflowObject =>
    ({ workflowId: 'w', steps }) as unknown as WorkflowObject;
  const doc = (arazzo: string): ArazzoDocument => ({ arazzo }) as unknown as ArazzoDocument;
  it.each<[string, Array<Record<string, unknown>>, number[] | undefined]>([
    [
      'document order already satisfies every dependency',
      [{ stepId: 'a' }, { stepId: 'b', dependsOn: ['a'] }],
      undefined,
    ],
    ['explicit dependsOn moves a step later', [{ stepId: 'b', dependsOn: ['a'] }, { stepId: 'a' }], [1, 0]],
    [
      'an output reference is an implicit dependency',
      [
        { stepId: 'b', parameters: [{ name: 'x', in: 'query', value: '$steps.a.outputs.id' }] },
        { stepId: 'a' },
      ],
      [1, 0],
    ],
    [
      'a step reading its own outputs does not depend on itself',
      [{ stepId: 'a', outputs: { n: '$steps.a.outputs.n' } }],
      undefined,
    ],
    [
      'steps on a cycle run after the ready ones, in document order',
      [{ stepId: 'a', dependsOn: ['b'] }, { stepId: 'b', dependsOn: ['a'] }, { stepId: 'c' }],
      [2, 0, 1],
    ],
    [
      'the earliest ready step goes first',
      [{ stepId: 'c', dependsOn: ['b'] }, { stepId: 'a' }, { stepId: 'b' }],
      [1, 2, 0],
    ],
  ])('%s', (_name, steps, want) => {
    expect(stepPlan(doc('1.1.0'), wf(steps))?.order).toEqual(want);
  });
  it('a workflow-step dependency asks for that workflow; 1.0 documents have no plan', () => {
    const steps = [{ stepId: 'a', dependsOn: ['$workflows.setup.steps.create'] }];
    expect(stepPlan(doc('1.1.0'), wf(steps))).toEqual({ order: [0], workflows: ['setup'] });
    expect(stepPlan(doc('1.0.1'), wf([{ stepId: 'b', dependsOn: ['a'] }, { stepId: 'a' }]))).toBeUndefined();
  });
});

describe('1.1 criterion evaluation errors on every step kind (action criteria and successCriteria)', () => {
  const fixture = (name: string): string =>
    fileURLToPath(new URL(`../fixtures/action-criteria/${name}`, import.meta.url));
  // Every body carries the secret input's value: a warning quoting a body must show it masked.
  const items: Transport = async (req) => {
    const response = ok(req, { id: req.url.split('/').pop(), owner: 's3cr3t-t0ken' });
    if (req.url.endsWith('/items/gone')) response.statusCode = 404;
    else if (req.method === 'POST') response.statusCode = 201;
    return response;
  };
  interface Want {
    trace: string[];
    /** [stepId, the start of the warning] per warning event, in order. */
    warnings: Array<[string, string]>;
    /** A secret input's value that must appear nowhere (masked). */
    absent?: string;
  }
  it.each<[string, string, Record<string, unknown>, RunOptions, Want]>([
    [
      'HTTP step: a reusable onFailure retry and the workflow successActions',
      caseDoc('v11-action-criterion-error-warning'),
      { token: 's3cr3t-t0ken' },
      { transport: items },
      {
        trace: ['read failed goto', 'create succeeded next', 'after succeeded next'],
        warnings: [
          ['read', 'onFailure action "retryLater" criterion "$[?(@.{$inputs.token} =="'],
          ['create', 'successActions action "stopEarly" criterion "/item/id": xpath context must be XML'],
          ['after', 'successActions action "stopEarly" criterion "/item/id": xpath context must be XML'],
        ],
        absent: 's3cr3t-t0ken',
      },
    ],
    [
      'workflowId step: an onSuccess end',
      fixture('workflow-step.arazzo.yaml'),
      {},
      { transport: items },
      {
        trace: ['read succeeded next', 'callChild succeeded next', 'after succeeded next'],
        warnings: [['callChild', 'onSuccess action "stopEarly" criterion "$[?(@.{$outputs.id} =="']],
      },
    ],
    [
      'AsyncAPI steps (mock): a send onSuccess goto, a receive successCriteria, the workflow failureActions retry',
      fixture('message-step.arazzo.yaml'),
      { field: 'orderId' },
      { messageMock: createMessageMock() },
      {
        trace: ['placeOrder succeeded next', 'confirmOrder failed goto', 'done succeeded next'],
        warnings: [
          ['placeOrder', 'onSuccess action "skipAhead" criterion "$[?(@.{$inputs.field} =="'],
          ['confirmOrder', 'criterion "$[?(@.{$inputs.field} =="'],
          ['confirmOrder', 'failureActions action "retryLater" criterion "/order/status": xpath context'],
        ],
      },
    ],
    [
      'workflowId step: its successCriteria',
      fixture('workflow-step-success.arazzo.yaml'),
      {},
      { transport: items },
      {
        trace: ['read succeeded next', 'callChild failed goto', 'after succeeded next'],
        warnings: [['callChild', 'criterion "$[?(@.{$outputs.id} =="']],
      },
    ],
    [
      '1.0.1 document: the criterion fails, no warning (as before)',
      fixture('v10.arazzo.yaml'),
      {},
      { transport: items },
      { trace: ['read failed goto', 'after succeeded next'], warnings: [] },
    ],
  ])('%s', async (_name, doc, inputs, options, want) => {
    const events: RunEvent[] = [];
    const result = await runWorkflow(doc, inputs, { ...options, onEvent: (e) => events.push(e) });
    expect(result.error).toBeUndefined();
    expect(result.steps.map((s) => `${s.stepId} ${s.outcome} ${s.action?.type}`)).toEqual(want.trace);
    const warnings = events.flatMap((e) => (e.type === 'warning' ? [e] : []));
    expect(warnings.map((w) => [w.stepId, w.code])).toEqual(
      want.warnings.map(([s]) => [s, 'CRITERION_ERROR']),
    );
    warnings.forEach((w, i) => {
      expect(w.message.startsWith(want.warnings[i]![1]), w.message).toBe(true);
      // The same message is in the step's record, masked like the event.
      const record = result.steps.find((s) => s.stepId === w.stepId);
      expect(record?.warnings).toContain(w.message);
    });
    if (want.absent !== undefined) {
      expect(warnings.some((w) => w.message.includes('***'))).toBe(true);
      expect(JSON.stringify([result, events])).not.toContain(want.absent);
    }
  });
});
