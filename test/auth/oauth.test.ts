import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OAuthCredential, RunOptions, RunResult } from '../../src/index.js';
import { runWorkflow } from '../../src/index.js';
import { startScriptedServer } from '../helpers/scripted-server.js';
import {
  type AuthServers,
  CLIENT_SECRET,
  startAuthServers,
  USER_PASSWORD,
  writeWorkflow,
} from './provider.js';

let s: AuthServers;
beforeAll(async () => {
  s = await startAuthServers();
});
afterAll(async () => {
  await s?.close();
});

function reset(): void {
  s.grants.length = 0;
  s.seenTokens.length = 0;
}

async function run(
  operations: string[],
  auth: Record<string, OAuthCredential>,
  options: RunOptions = {},
  issuer = s.issuer,
): Promise<RunResult> {
  reset();
  return runWorkflow(writeWorkflow(issuer, s.api, operations), {}, { auth, ...options });
}

/** No secret, token or refresh token anywhere in what the run reports. */
function expectMasked(result: RunResult, ...more: string[]): void {
  const text = JSON.stringify(result);
  for (const secret of [CLIENT_SECRET, USER_PASSWORD, ...s.seenTokens.filter((t) => t !== ''), ...more]) {
    expect(text).not.toContain(secret);
  }
}

describe('oauth2 token flows against oidc-provider', () => {
  it.each([
    ['client_secret_basic', { clientId: 'cc', clientSecret: CLIENT_SECRET }],
    [
      'client_secret_post',
      { clientId: 'cc-post', clientSecret: CLIENT_SECRET, clientAuth: 'client_secret_post' },
    ],
  ] as const)(
    'client credentials with %s: one token for both steps, verified by the API',
    async (_, cred) => {
      const result = await run(['listPets', 'listPets'], { oauth: { ...cred } });
      expect(result.error).toBeUndefined();
      expect(result.status).toBe('succeeded');
      expect(s.grants).toEqual(['client_credentials']);
      expect(s.seenTokens).toHaveLength(2);
      expect(s.seenTokens[0]).toBe(s.seenTokens[1]);
      expect(result.steps[0]?.response?.body).toMatchObject({ client: cred.clientId, scope: 'pets:read' });
      expect(result.steps[0]?.request?.headers.Authorization).toBe('***');
      expectMasked(result);
    },
  );

  it('private_key_jwt: the client signs an assertion with its EC key', async () => {
    const result = await run(['listPets'], {
      oauth: { clientId: 'cc-jwt', privateKey: s.privateKeyPem, keyId: 'cc-jwt-1' },
    });
    expect(result.error).toBeUndefined();
    expect(result.steps[0]?.response?.body).toMatchObject({ client: 'cc-jwt' });
    expect(s.grants).toEqual(['client_credentials']);
    expectMasked(result);
  });

  it('an expired token is replaced; a revoked one (401) is replaced and the request sent once more', async () => {
    let clock = Date.now();
    const credential = { clientId: 'cc', clientSecret: CLIENT_SECRET };
    const expiry = await run(
      ['listPets', 'listPets'],
      { oauth: credential },
      {
        now: () => clock,
        onEvent: (e) => {
          if (e.type === 'step-end' && e.record.stepId === 's0') clock += 2 * 3600_000;
        },
      },
    );
    expect(expiry.status).toBe('succeeded');
    expect(s.grants).toEqual(['client_credentials', 'client_credentials']);
    expect(s.seenTokens[0]).not.toBe(s.seenTokens[1]);

    const revoked = await run(
      ['listPets', 'listPets'],
      { oauth: { ...credential } },
      {
        onEvent: (e) => {
          if (e.type === 'step-end' && e.record.stepId === 's0') void s.revoke(s.seenTokens[0] ?? '');
        },
      },
    );
    expect(revoked.status).toBe('succeeded');
    // s1 was sent with the revoked token, answered 401, then sent with a fresh one.
    expect(s.seenTokens).toHaveLength(3);
    expect(s.seenTokens[1]).toBe(s.seenTokens[0]);
    expect(s.seenTokens[2]).not.toBe(s.seenTokens[0]);
    expect(s.grants).toEqual(['client_credentials', 'client_credentials']);
    expect(revoked.steps[1]?.warnings?.join()).toContain('fresh token');
    expectMasked(revoked);
  });

  it('the token is cached with the credential object across runs', async () => {
    const credential = { clientId: 'cc', clientSecret: CLIENT_SECRET };
    const file = writeWorkflow(s.issuer, s.api, ['listPets']);
    reset();
    const first = await runWorkflow(file, {}, { auth: { oauth: credential } });
    const second = await runWorkflow(file, {}, { auth: { oauth: credential } });
    const other = await runWorkflow(file, {}, { auth: { oauth: { ...credential } } });
    expect([first.status, second.status, other.status]).toEqual(['succeeded', 'succeeded', 'succeeded']);
    expect(s.grants).toEqual(['client_credentials', 'client_credentials']);
    expect(s.seenTokens[1]).toBe(s.seenTokens[0]);
  });

  it('password flow, then refresh_token when the access token has expired', async () => {
    let clock = Date.now();
    const result = await run(
      ['me', 'me'],
      { user: { clientId: 'app', clientSecret: CLIENT_SECRET, username: 'alice', password: USER_PASSWORD } },
      {
        now: () => clock,
        onEvent: (e) => {
          if (e.type === 'step-end' && e.record.stepId === 's0') clock += 2 * 3600_000;
        },
      },
    );
    expect(result.error).toBeUndefined();
    expect(result.steps[1]?.response?.body).toMatchObject({ sub: 'alice', client: 'app' });
    expect(s.grants).toEqual(['password', 'refresh_token']);
    expectMasked(result);
  });

  it('openIdConnect: endpoints come from discovery', async () => {
    const result = await run(['oidcMe'], {
      oidc: { clientId: 'app', clientSecret: CLIENT_SECRET, username: 'alice', password: USER_PASSWORD },
    });
    expect(result.error).toBeUndefined();
    expect(result.steps[0]?.response?.body).toMatchObject({ sub: 'alice' });
    expect(s.grants).toEqual(['password']);
  });
});

describe('AUTH_FAILED before the API is called', () => {
  const closedPort = async (): Promise<string> => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((r) => server.close(() => r()));
    return `http://127.0.0.1:${port}`;
  };

  it.each([
    [
      'a wrong client secret',
      { oauth: { clientId: 'cc', clientSecret: 'wrong-secret-000' } },
      /status 401: invalid_client/,
    ],
    [
      'a scope the server refuses',
      {
        oauth: {
          clientId: 'cc-post',
          clientSecret: CLIENT_SECRET,
          clientAuth: 'client_secret_post',
          scopes: ['pets:write'],
        },
      },
      /status 400: invalid_scope: requested scope is not allowed/,
    ],
    [
      'an expired or unknown refresh token',
      { user: { clientId: 'app', clientSecret: CLIENT_SECRET, refreshToken: 'not-a-refresh-token-123' } },
      /refresh_token request .* failed with status 400: invalid_grant: grant request is invalid/,
    ],
  ] as const)('%s', async (_, auth, message) => {
    const result = await run(
      [Object.keys(auth)[0] === 'user' ? 'me' : 'listPets'],
      auth as Record<string, OAuthCredential>,
    );
    expect(result.status).toBe('failed');
    expect(result.steps[0]?.error?.code).toBe('AUTH_FAILED');
    expect(result.steps[0]?.error?.message).toMatch(/security scheme "(oauth|user)"/);
    expect(result.steps[0]?.error?.message).toMatch(message);
    expect(s.seenTokens).toEqual([]);
    expectMasked(result, 'wrong-secret-000', 'not-a-refresh-token-123');
  });

  it('a token endpoint that is down', async () => {
    const result = await run(
      ['listPets'],
      { oauth: { clientId: 'cc', clientSecret: CLIENT_SECRET } },
      {},
      await closedPort(),
    );
    expect(result.steps[0]?.error?.code).toBe('AUTH_FAILED');
    expect(result.steps[0]?.error?.message).toMatch(
      /client_credentials request to http:\/\/127\.0\.0\.1:\d+\/token failed: unreachable \(ECONNREFUSED\)/,
    );
    expect(s.seenTokens).toEqual([]);
  });

  it('a token endpoint that answers HTML', async () => {
    const html = await startScriptedServer([
      {
        route: 'POST /token',
        status: 200,
        headers: { 'content-type': 'text/html' },
        raw: '<html>login</html>',
      },
    ]);
    try {
      const result = await run(
        ['listPets'],
        { oauth: { clientId: 'cc', clientSecret: CLIENT_SECRET } },
        {},
        html.url,
      );
      expect(result.steps[0]?.error?.code).toBe('AUTH_FAILED');
      expect(result.steps[0]?.error?.message).toMatch(
        /security scheme "oauth": client_credentials request .* failed: .*must be application\/json \(status 200, content-type text\/html\)/,
      );
      expect(s.seenTokens).toEqual([]);
      expect(html.received[0]?.headers.authorization).toMatch(/^Basic /);
    } finally {
      await html.close();
    }
  });
});
