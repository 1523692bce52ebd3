import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { runWorkflow } from '../../src/engine/index.js';
import type { Transport } from '../../src/engine/options.js';
import { resolveServerUrl } from '../../src/http/index.js';
import { createMockTransport } from '../../src/mock/index.js';
import { loadArazzo } from '../../src/sources/index.js';
import { captureIO } from '../cli/helpers.js';
import { makeOperation } from '../http/helpers.js';

const workflow = fileURLToPath(new URL('../fixtures/mock/hostless/workflow.arazzo.yaml', import.meta.url));

describe('mock mode needs no server host', () => {
  it('runs sources whose only server is "/", relative, or absent', async () => {
    const loaded = await loadArazzo(workflow);
    const result = await runWorkflow(loaded, {}, { transport: createMockTransport({ seed: 1 }) });
    expect(result.status).toBe('succeeded');
    expect(result.steps.map((s) => [s.stepId, s.request?.url, s.response?.statusCode])).toEqual([
      ['fromRoot', 'http://mock.invalid/pets/1', 200],
      ['fromRelative', 'http://mock.invalid/api/v3/pets/2', 200],
      ['fromNone', 'http://mock.invalid/pets/3', 200],
    ]);
    expect(result.outputs).toEqual({});
    expect(result.steps[0]?.outputs).toEqual({ name: 'Rex' });
  });

  it('arazzo run --mock runs it without --server; without --mock it asks for one', async () => {
    const mocked = captureIO();
    expect(await main(['run', workflow, '--mock', '-r', 'json'], mocked.io)).toBe(0);
    const result = JSON.parse(mocked.stdout()) as {
      status: string;
      steps: Array<{ request?: { url: string } }>;
    };
    expect(result.status).toBe('succeeded');
    expect(result.steps.map((s) => s.request?.url)).toEqual([
      'http://mock.invalid/pets/1',
      'http://mock.invalid/api/v3/pets/2',
      'http://mock.invalid/pets/3',
    ]);
    const live = captureIO();
    expect(await main(['run', workflow, '-r', 'json'], live.io)).toBe(1);
    expect(live.stdout()).toContain('give a server with --server root=<url>');
  });

  it('a transport that may send still needs a host', async () => {
    const loaded = await loadArazzo(workflow);
    const sent: string[] = [];
    const online: Transport = async (request) => {
      sent.push(request.url);
      return { statusCode: 200, headers: {}, body: undefined, size: 0, durationMs: 0, url: request.url };
    };
    const result = await runWorkflow(loaded, {}, { transport: online });
    expect(result.status).toBe('failed');
    expect(sent).toEqual([]);
    expect(result.steps[0]?.error?.code).toBe('REQUEST_BUILD');
    expect(result.steps[0]?.error?.message).toContain('has the server "/", which has no host');
  });
});

describe('resolveServerUrl with a stand-in origin for hostless servers', () => {
  const file = 'file:///specs/openapi.yaml';
  const cases: Array<[string, { servers: Array<{ url: string }>; documentUrl: string; want: string }]> = [
    ['no servers', { servers: [], documentUrl: file, want: 'http://mock.invalid' }],
    ['"/"', { servers: [{ url: '/' }], documentUrl: file, want: 'http://mock.invalid' }],
    ['"/api/v3"', { servers: [{ url: '/api/v3' }], documentUrl: file, want: 'http://mock.invalid/api/v3' }],
    ['"api/v3"', { servers: [{ url: 'api/v3' }], documentUrl: file, want: 'http://mock.invalid/api/v3' }],
    [
      '"//h.example/v1"',
      { servers: [{ url: '//h.example/v1' }], documentUrl: file, want: 'http://h.example/v1' },
    ],
    [
      'an absolute server is kept',
      {
        servers: [{ url: 'https://api.example.com/v1' }],
        documentUrl: file,
        want: 'https://api.example.com/v1',
      },
    ],
    [
      'a relative server of an http document keeps that host',
      {
        servers: [{ url: '/v2' }],
        documentUrl: 'https://specs.example.com/o.yaml',
        want: 'https://specs.example.com/v2',
      },
    ],
  ];
  it.each(cases)('%s', (_name, { servers, documentUrl, want }) => {
    const op = makeOperation({ servers, documentUrl });
    expect(resolveServerUrl(op, { hostless: 'http://mock.invalid' })).toBe(want);
    if (!want.startsWith('http://mock.invalid') && !want.startsWith('http://h.example')) {
      expect(resolveServerUrl(op)).toBe(want);
    }
  });
});
