// Mock mode for AsyncAPI steps: receive steps answered from the AsyncAPI examples (or a scenario), with the
// correlation id the step waits for; no broker is contacted. Mixed HTTP + AsyncAPI, offline.
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { runWorkflow } from '../../src/index.js';
import { createMessageMock, createMockTransport, loadScenario } from '../../src/mock/index.js';
import { captureIO } from '../cli/helpers.js';

const example = fileURLToPath(new URL('../../examples/async-orders.arazzo.yaml', import.meta.url));

describe('mock mode with AsyncAPI steps', () => {
  it('answers the receive step from the message example, correlated', async () => {
    const result = await runWorkflow(
      example,
      { sku: 'A', requestId: 'req-77' },
      { transport: createMockTransport(), messageMock: createMessageMock() },
    );
    expect(result.error).toBeUndefined();
    expect(result.steps[2]?.messages?.[0]?.payload).toEqual({
      orderId: 'o-1',
      requestId: 'req-77',
      state: 'confirmed',
    });
    expect(result.steps[2]?.outputs).toEqual({ state: 'confirmed' });
  });

  it('a scenario scripts the message per step', async () => {
    const scenario = loadScenario('steps:\n  awaitFulfilment:\n    - merge: { state: rejected }\n');
    const result = await runWorkflow(
      example,
      { sku: 'A', requestId: 'req-78' },
      { transport: createMockTransport(), messageMock: createMessageMock({ scenario }) },
    );
    expect(result.status).toBe('failed');
    expect(result.steps[2]?.messages?.[0]?.payload).toMatchObject({ requestId: 'req-78', state: 'rejected' });
    expect(result.steps[2]?.criteria[0]?.passed).toBe(false);
  });

  it('a message step sees the same scope as an HTTP step ($self included)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'arazzo-self-'));
    try {
      for (const f of ['async-orders.asyncapi.yaml', 'async-orders.openapi.yaml'])
        copyFileSync(fileURLToPath(new URL(`../../examples/${f}`, import.meta.url)), join(dir, f));
      const text = readFileSync(example, 'utf8').replace(
        '          state: $message.payload#/state\n',
        '          state: $message.payload#/state\n          self: $self\n',
      );
      expect(text).toContain('self: $self');
      const file = join(dir, 'async-orders.arazzo.yaml');
      writeFileSync(file, text);
      const result = await runWorkflow(
        file,
        { sku: 'A', requestId: 'req-79' },
        { transport: createMockTransport(), messageMock: createMessageMock() },
      );
      expect(result.error).toBeUndefined();
      expect(result.steps[2]?.outputs?.self).toBe(pathToFileURL(file).href);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('arazzo test --mock runs the mixed workflow offline', async () => {
    const cap = captureIO();
    const code = await main(
      ['test', example, '--mock', '--input', 'sku=A', '--input', 'requestId=r-1', '-r', 'json'],
      cap.io,
    );
    expect(cap.stderr()).toBe('');
    expect(code).toBe(0);
    expect(cap.stdout()).toContain('"direction": "received"');
  });
});

describe('reports show messages', () => {
  it.each([
    ['pretty', /→ sent fulfilment\/requests[\s\S]*← received fulfilment\/replies/],
    ['junit', /<testcase[^>]*name="awaitFulfilment"/],
    ['html', /Message received<\/h5><p><code>fulfilment\/replies<\/code>/],
  ])('%s', async (reporter, want) => {
    const cap = captureIO();
    const code = await main(
      ['run', example, '--mock', '--input', 'sku=A', '--input', 'requestId=r-2', '-r', reporter, '--verbose'],
      cap.io,
    );
    expect(cap.stderr()).toBe('');
    expect(code).toBe(0);
    expect(cap.stdout()).toMatch(want);
  });
});
