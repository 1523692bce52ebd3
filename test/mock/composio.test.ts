import { describe, expect, it } from 'vitest';
import { checkResponse } from '../../src/contract/index.js';
import type { Transport } from '../../src/engine/index.js';
import { runWorkflow } from '../../src/engine/index.js';
import { createMockTransport, loadScenario } from '../../src/mock/index.js';
import { loadArazzo } from '../../src/sources/index.js';
import type { LoadedDocument, OpenApiSource } from '../../src/sources/types.js';
import { readFixture } from './helpers.js';

const specFile = new URL(
  '../../specs/composio/arazzo/composio-connect-account-via-auth-config-workflow.yml',
  import.meta.url,
);
const inputs = {
  apiKey: 'sk_test_1',
  toolkitSlug: 'gmail',
  authType: 'use_composio_managed_auth',
  userId: 'u-1',
};

async function run(
  scenarioFile: string | undefined,
  wrap?: (t: Transport, spec: LoadedDocument) => Transport,
) {
  const spec = await loadArazzo(specFile);
  const scenario = scenarioFile === undefined ? undefined : loadScenario(readFixture(scenarioFile));
  const transport = createMockTransport({
    ...(scenario !== undefined ? { scenario } : {}),
    sources: spec.sources.values(),
  });
  const result = await runWorkflow(spec, inputs, {
    transport: wrap ? wrap(transport, spec) : transport,
    maxRetryDelayMs: 0,
  });
  return { spec, result };
}

describe('mock transport on the Composio workflow', () => {
  it('scenario INITIATED, INITIATED, ACTIVE drives the poll loop to success', async () => {
    const { result } = await run('scenarios/composio-poll.yaml');
    expect(result.status).toBe('succeeded');
    expect(result.steps.map((s) => [s.stepId, s.attempt, s.outcome, s.response?.statusCode])).toEqual([
      ['createAuthConfig', 1, 'succeeded', 201],
      ['createConnectedAccount', 1, 'succeeded', 201],
      ['pollConnection', 1, 'failed', 200],
      ['pollConnection', 2, 'failed', 200],
      ['pollConnection', 3, 'succeeded', 200],
      ['confirmActive', 1, 'succeeded', 200],
    ]);
    const polled = result.steps
      .filter((s) => s.stepId === 'pollConnection')
      .map((s) => (s.response?.body as { status?: string } | undefined)?.status);
    expect(polled).toEqual(['INITIATED', 'INITIATED', 'ACTIVE']);
    const connectedId = result.outputs.connectedAccountId as string;
    expect(connectedId).toMatch(/^mock_[0-9a-z]{10}$/);
    // The single path parameter `nanoid` is echoed into the body's `id`.
    expect(
      result.steps
        .filter((s) => s.stepId === 'pollConnection')
        .map((s) => (s.response?.body as { id?: string } | undefined)?.id),
    ).toEqual([connectedId, connectedId, connectedId]);
    expect(result.outputs).toMatchObject({ status: 'ACTIVE', authConfigId: expect.stringMatching(/^mock_/) });
  });

  it('the same seed gives the same run', async () => {
    const a = await run('scenarios/composio-poll.yaml');
    const b = await run('scenarios/composio-poll.yaml');
    expect(b.result.outputs).toEqual(a.result.outputs);
  });

  it('a 500 then a 200 retries the poll step once', async () => {
    const { result } = await run('scenarios/composio-500-then-200.yaml');
    expect(result.status).toBe('succeeded');
    const polls = result.steps.filter((s) => s.stepId === 'pollConnection');
    expect(polls.map((s) => [s.attempt, s.response?.statusCode, s.outcome])).toEqual([
      [1, 500, 'failed'],
      [2, 200, 'succeeded'],
    ]);
    expect(polls[0]?.response?.body).toEqual({ error: { message: 'upstream down' } });
  });

  it('without a scenario the generated status never becomes ACTIVE and the retry budget ends the run', async () => {
    const { result } = await run(undefined);
    expect(result.status).toBe('failed');
    const polls = result.steps.filter((s) => s.stepId === 'pollConnection');
    expect(polls).toHaveLength(21);
    expect((polls[0]?.response?.body as { status?: string } | undefined)?.status).toBe('INITIALIZING');
  });

  it('every generated answer satisfies the contract of its operation', async () => {
    const seen: Array<[string, string[]]> = [];
    const { spec } = await run(
      'scenarios/composio-poll.yaml',
      (inner, loaded) => async (request, context) => {
        const response = await inner(request, context);
        const source = loaded.sources.get(context.operation.sourceName) as OpenApiSource;
        const failed = checkResponse(context.operation, response, source).filter((c) => !c.passed);
        seen.push([context.stepId, failed.map((c) => c.message)]);
        return response;
      },
    );
    expect(spec.document.workflows).toHaveLength(1);
    expect(seen.map(([step]) => step)).toEqual([
      'createAuthConfig',
      'createConnectedAccount',
      'pollConnection',
      'pollConnection',
      'pollConnection',
      'confirmActive',
    ]);
    expect(seen.filter(([, failed]) => failed.length > 0)).toEqual([]);
  });
});
