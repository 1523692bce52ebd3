// Arazzo 1.1 engine behaviour that a scripted server cannot show: a transport that ignores its signal, warning events.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { HttpResponse, PreparedRequest } from '../../src/http/index.js';
import type { RunEvent } from '../../src/index.js';
import { runWorkflow } from '../../src/index.js';

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
