import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDocumentError, runWorkflow } from '../../src/index.js';
import { type ScriptedServer, startScriptedServer } from '../helpers/scripted-server.js';

let api: ScriptedServer;
beforeAll(async () => {
  api = await startScriptedServer([{ route: 'GET /things', status: 200, body: { ok: true } }]);
});
afterAll(async () => {
  await api?.close();
});

const KEY = 'key-7d1f9a3c55';
const TOKEN = 'tok-0a9b8c7d6e';
const PASSWORD = 'pw-31f7e2d9c4';

function write(workflowSecurity: unknown, steps: unknown[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'arazzo-xsec-'));
  writeFileSync(
    join(dir, 'api.json'),
    JSON.stringify({
      openapi: '3.1.0',
      info: { title: 'things', version: '1' },
      servers: [{ url: api.url }],
      paths: { '/things': { get: { operationId: 'list', responses: { '200': { description: 'ok' } } } } },
      components: {
        securitySchemes: { ApiKeyAuth: { type: 'apiKey', in: 'header', name: 'X-API-Key' } },
      },
    }),
  );
  const workflow: Record<string, unknown> = {
    workflowId: 'w',
    inputs: { type: 'object', properties: { key: { type: 'string' } } },
    steps,
  };
  if (workflowSecurity !== undefined) workflow['x-security'] = workflowSecurity;
  const file = join(dir, 'arazzo.json');
  writeFileSync(
    file,
    JSON.stringify({
      arazzo: '1.0.1',
      info: { title: 'x', version: '1' },
      sourceDescriptions: [{ name: 'api', url: './api.json', type: 'openapi' }],
      workflows: [workflow],
    }),
  );
  return file;
}

describe("Redocly Respect's x-security", () => {
  it.each([
    [
      'schemeName with values from inputs',
      undefined,
      [{ schemeName: 'ApiKeyAuth', values: { apiKey: '$inputs.key' } }],
      { 'x-api-key': KEY },
    ],
    [
      'an inline bearer scheme',
      undefined,
      [{ scheme: { type: 'http', scheme: 'bearer' }, values: { token: TOKEN } }],
      { authorization: `Bearer ${TOKEN}` },
    ],
    [
      'an inline oauth2 scheme with an access token',
      undefined,
      [{ scheme: { type: 'oauth2', flows: {} }, values: { accessToken: TOKEN } }],
      { authorization: `Bearer ${TOKEN}` },
    ],
    [
      'workflow-level basic, with a step-level key as well',
      [{ scheme: { type: 'http', scheme: 'basic' }, values: { username: 'ann', password: PASSWORD } }],
      [{ schemeName: 'ApiKeyAuth', values: { apiKey: '$inputs.key' } }],
      {
        authorization: `Basic ${Buffer.from(`ann:${PASSWORD}`).toString('base64')}`,
        'x-api-key': KEY,
      },
    ],
  ])('%s: applied, with a compat warning, and masked', async (_, workflowSecurity, stepSecurity, headers) => {
    api.received.length = 0;
    const file = write(workflowSecurity, [{ stepId: 's', operationId: 'list', 'x-security': stepSecurity }]);
    const result = await runWorkflow(file, { key: KEY }, {});
    expect(result.error).toBeUndefined();
    expect(api.received[0]?.headers).toMatchObject(headers);
    const warnings = result.diagnostics.filter((d) => d.code === 'compat-x-security');
    expect(warnings.length).toBeGreaterThan(0);
    expect(warnings[0]?.severity).toBe('warning');
    expect(warnings[0]?.message).toContain('Redocly Respect extension');
    const text = JSON.stringify(result);
    for (const secret of [KEY, TOKEN, PASSWORD]) expect(text).not.toContain(secret);
  });

  it('strict mode refuses it', async () => {
    const file = write(undefined, [
      {
        stepId: 's',
        operationId: 'list',
        'x-security': [{ schemeName: 'ApiKeyAuth', values: { apiKey: 'k' } }],
      },
    ]);
    const error = await runWorkflow(file, {}, { strict: true }).catch((e: unknown) => e);
    expect(isDocumentError(error)).toBe(true);
    expect((error as { diagnostics: Array<{ code: string; severity: string }> }).diagnostics).toContainEqual(
      expect.objectContaining({ code: 'compat-x-security', severity: 'error' }),
    );
  });

  it.each([
    [[{ schemeName: 'Nope', values: {} }], /schemeName "Nope" is not a security scheme of source "api"/],
    [
      [{ scheme: { type: 'http', scheme: 'basic' }, values: { username: 'u' } }],
      /basic scheme needs values.username and values.password/,
    ],
    [[{ values: {} }], /needs schemeName or an inline scheme/],
  ])('%j fails the step before sending', async (security, message) => {
    api.received.length = 0;
    const result = await runWorkflow(
      write(undefined, [{ stepId: 's', operationId: 'list', 'x-security': security }]),
      {},
      {},
    );
    expect(result.steps[0]?.error?.code).toBe('REQUEST_BUILD');
    expect(result.steps[0]?.error?.message).toMatch(message);
    expect(api.received).toEqual([]);
  });
});
