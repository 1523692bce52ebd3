// Behaviour the corpus needs and the spec leaves open (corpus README): verified against runWorkflow.
import { describe, expect, it } from 'vitest';
import type { Transport } from '../../src/engine/index.js';
import { runWorkflow } from '../../src/engine/index.js';
import type { PreparedRequest } from '../../src/http/types.js';
import { loadArazzo } from '../../src/sources/index.js';

const spec = new URL('./fixtures/open-behaviours/arazzo.yaml', import.meta.url);

/** Answers every request with `body` and keeps what was sent. */
function recording(status: number, body: unknown): { transport: Transport; sent: PreparedRequest[] } {
  const sent: PreparedRequest[] = [];
  const transport: Transport = async (request) => {
    sent.push(request);
    return {
      statusCode: status,
      headers: { 'content-type': 'application/json' },
      body,
      contentType: 'application/json',
      size: 0,
      durationMs: 0,
      url: request.url,
    };
  };
  return { transport, sent };
}

describe('optional inputs the caller did not give', () => {
  it.each([
    [
      'only the required input',
      {
        inputs: { name: 'n' },
        url: 'https://api.example.test/items',
        trace: undefined,
        body: { name: 'n', nested: { kept: 1 } },
      },
    ],
    [
      'every input',
      {
        inputs: { name: 'n', tag: 't', trace: 'abc', note: 'hi' },
        url: 'https://api.example.test/items?tag=t',
        trace: 'abc',
        body: { name: 'n', note: 'hi', nested: { note: 'hi', kept: 1 } },
      },
    ],
  ])('%s: absent parameters and body fields are left out', async (_name, { inputs, url, trace, body }) => {
    const loaded = await loadArazzo(spec);
    const { transport, sent } = recording(201, { id: 'i-1' });
    const result = await runWorkflow(loaded, inputs, { workflowId: 'optional-inputs', transport });
    expect(result.status, JSON.stringify(result.error)).toBe('succeeded');
    expect(sent).toHaveLength(1);
    expect(sent[0]!.url).toBe(url);
    const headers = Object.fromEntries(
      Object.entries(sent[0]!.headers).map(([k, v]) => [k.toLowerCase(), v]),
    );
    expect(headers['x-trace']).toBe(trace);
    expect(JSON.parse(String(sent[0]!.body))).toEqual(body);
    expect(String(sent[0]!.body)).not.toMatch(/undefined|null/);
  });
});

describe('a step output whose pointer finds nothing', () => {
  it('is undefined with a warning in the step record; the step and the run succeed', async () => {
    const loaded = await loadArazzo(spec);
    const { transport } = recording(201, { id: 'i-1' });
    const result = await runWorkflow(loaded, { name: 'n' }, { workflowId: 'optional-inputs', transport });
    expect(result.status).toBe('succeeded');
    const step = result.steps[0]!;
    expect(step.outcome).toBe('succeeded');
    expect(step.outputs?.id).toBe('i-1');
    expect(step.outputs?.missing).toBeUndefined();
    expect(step.warnings?.some((w) => w.includes('missing'))).toBe(true);
    expect(result.outputs.id).toBe('i-1');
    expect(result.outputs.missing).toBeUndefined();
  });
});

describe('workflow outputs over steps an end action skipped', () => {
  it('resolve to undefined and the other outputs are still reported', async () => {
    const loaded = await loadArazzo(spec);
    const { transport, sent } = recording(201, { id: 'i-9' });
    const result = await runWorkflow(loaded, {}, { workflowId: 'skipped-steps', transport });
    expect(result.status, JSON.stringify(result.error)).toBe('succeeded');
    expect(sent).toHaveLength(1);
    expect(result.steps.map((s) => s.stepId)).toEqual(['create']);
    expect(result.outputs.id).toBe('i-9');
    expect(result.outputs.readBody).toBeUndefined();
  });
});
