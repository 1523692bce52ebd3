// Regression tests from the review of the performance work: masking and object sharing between records, events and the run.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { HttpResponse, PreparedRequest } from '../../src/http/index.js';
import type { RunEvent } from '../../src/index.js';
import { runWorkflow } from '../../src/index.js';

const DOC = fileURLToPath(new URL('./fixtures/echo/arazzo.yaml', import.meta.url));
const KEY = 'sk-review-0123456789';
const INPUTS = { apiKey: KEY, tenant: 'acme' };

function ok(req: PreparedRequest, body: unknown, extra: Partial<HttpResponse> = {}): HttpResponse {
  return { statusCode: 200, headers: {}, body, size: 0, durationMs: 0, url: req.url, ...extra };
}

describe('secrets in records with an injected transport', () => {
  it.each<[string, { text: string | undefined }]>([
    // A wrapping transport that spreads a sendRequest() response and then changes its body keeps a stale text.
    ['a stale text from the response it wrapped', { text: '{"echo":"nothing here"}' }],
  ])('masks an input secret in the response body (%s)', async (_name, { text }) => {
    const result = await runWorkflow(DOC, INPUTS, {
      transport: async (req) => ok(req, { echo: KEY }, text === undefined ? {} : { text }),
    });
    expect(result.status).toBe('succeeded');
    expect(JSON.stringify(result.steps)).not.toContain(KEY);
  });

  it('a transport that signs the request (adds Authorization to req.headers) does not leak it into the record', async () => {
    const result = await runWorkflow(DOC, INPUTS, {
      transport: async (req) => {
        req.headers.Authorization = `Bearer ${KEY}`;
        return ok(req, {});
      },
    });
    expect(result.status).toBe('succeeded');
    expect(result.steps[0]?.request?.headers).toEqual({ 'X-Tenant': 'acme' });
    expect(JSON.stringify(result.steps)).not.toContain(KEY);
  });
});

describe('events are not the run data', () => {
  it('an onEvent listener that edits the request event does not change the request sent', async () => {
    const sent: Array<Record<string, string>> = [];
    const result = await runWorkflow(DOC, INPUTS, {
      onEvent: (event: RunEvent) => {
        if (event.type === 'request') event.request.headers['X-Tenant'] = 'redacted-for-logs';
      },
      transport: async (req) => {
        sent.push({ ...req.headers });
        return ok(req, {});
      },
    });
    expect(result.status).toBe('succeeded');
    expect(sent[0]?.['X-Tenant']).toBe('acme');
  });

  it('an onEvent listener that edits the response event does not change what outputs read', async () => {
    const result = await runWorkflow(DOC, INPUTS, {
      onEvent: (event: RunEvent) => {
        if (event.type === 'response') event.response.headers['x-tenant-seen'] = 'redacted-for-logs';
      },
      transport: async (req) => ok(req, {}, { headers: { 'x-tenant-seen': 'acme' } }),
    });
    expect(result.status).toBe('succeeded');
    expect(result.outputs).toEqual({ tenantSeen: 'acme' });
  });
});
