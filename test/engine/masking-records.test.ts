// Regression tests from the review of the performance work: masking and object sharing between records, events and the run.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { HttpResponse, PreparedRequest } from '../../src/http/index.js';
import { runWorkflow } from '../../src/index.js';

const DOC = fileURLToPath(new URL('./fixtures/echo/arazzo.yaml', import.meta.url));
const KEY = 'sk-review-0123456789';
const INPUTS = { apiKey: KEY, tenant: 'acme' };

function ok(req: PreparedRequest, body: unknown, extra: Partial<HttpResponse> = {}): HttpResponse {
  return { statusCode: 200, headers: {}, body, size: 0, durationMs: 0, url: req.url, ...extra };
}

describe('request bodies in records (the JSON text shortcut)', () => {
  it.each<[string, string]>([
    ['an object payload serialized as JSON', 'post'],
    ['a string payload sent as it is', 'postText'],
  ])('%s: the secret is sent but not recorded', async (_name, workflowId) => {
    const sent: string[] = [];
    const result = await runWorkflow(DOC, INPUTS, {
      workflowId,
      transport: async (req) => {
        sent.push(String(req.body));
        return ok(req, {});
      },
    });
    expect(result.status).toBe('succeeded');
    expect(sent[0]).toContain(KEY);
    expect(result.steps[0]?.request?.body).toBeDefined();
    expect(JSON.stringify(result.steps)).not.toContain(KEY);
  });
});
