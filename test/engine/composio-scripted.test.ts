import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../src/engine/index.js';
import { runWorkflow } from '../../src/engine/index.js';
import { type ScriptedServer, startScriptedServer } from '../helpers/scripted-server.js';

const spec = fileURLToPath(
  new URL(
    '../../specs/composio/arazzo/composio-connect-account-via-auth-config-workflow.yml',
    import.meta.url,
  ),
);
const apiKey = 'ak_live_9f8e7d6c5b4a';
const account = {
  id: 'ca_123',
  status: 'INITIATED',
  redirect_url: 'https://connect.example/ca_123',
  toolkit: { slug: 'gmail' },
  data: {},
};

let server: ScriptedServer | undefined;
afterEach(async () => server?.close());

describe('the bundled Composio workflow against a scripted server', () => {
  it('polls INITIATED then ACTIVE and ends succeeded with its four outputs, the key sent and masked', async () => {
    server = await startScriptedServer([
      {
        route: 'POST /api/v3/auth_configs',
        status: 201,
        body: {
          auth_config: { id: 'ac_1', auth_scheme: 'OAUTH2', is_composio_managed: true },
          toolkit: { slug: 'gmail' },
        },
      },
      { route: 'POST /api/v3/connected_accounts', status: 201, body: account },
      { route: 'GET /api/v3/connected_accounts/ca_123', status: 200, body: account },
      { route: 'GET /api/v3/connected_accounts/ca_123', status: 200, body: { ...account, status: 'ACTIVE' } },
    ]);
    const sleeps: number[] = [];
    const events: RunEvent[] = [];
    const result = await runWorkflow(
      spec,
      { apiKey, toolkitSlug: 'gmail', authType: 'use_composio_managed_auth', userId: 'user_1' },
      {
        servers: { composioApi: server.url },
        sleep: async (ms) => void sleeps.push(ms),
        onEvent: (e) => events.push(e),
      },
    );
    expect(result.error).toBeUndefined();
    expect(result.status).toBe('succeeded');
    expect(result.outputs).toEqual({
      authConfigId: 'ac_1',
      connectedAccountId: 'ca_123',
      redirectUrl: 'https://connect.example/ca_123',
      status: 'ACTIVE',
    });
    expect(result.steps.map((s) => `${s.stepId}#${s.attempt}:${s.outcome}:${s.action?.type}`)).toEqual([
      'createAuthConfig#1:succeeded:next',
      'createConnectedAccount#1:succeeded:goto',
      'pollConnection#1:failed:retry',
      'pollConnection#2:succeeded:next',
      'confirmActive#1:succeeded:next',
    ]);
    expect(sleeps).toEqual([3000]);
    expect(server.received).toHaveLength(5);
    for (const r of server.received) expect(r.headers['x-api-key']).toBe(apiKey);
    expect(server.received[0]!.body).toBe(
      JSON.stringify({ toolkit: { slug: 'gmail' }, auth_config: { type: 'use_composio_managed_auth' } }),
    );
    const everything = JSON.stringify(result) + JSON.stringify(events);
    expect(everything).not.toContain(apiKey);
    expect(result.steps[0]!.request!.headers['x-api-key']).toBe('***');
    expect(result.diagnostics.map((d) => d.code)).toEqual(
      expect.arrayContaining(['compat-step-retry-fields']),
    );
  });
});
