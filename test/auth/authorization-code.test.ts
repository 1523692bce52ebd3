import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runWorkflow } from '../../src/index.js';
import {
  type AuthServers,
  CLIENT_SECRET,
  signInAndConsent,
  startAuthServers,
  writeWorkflow,
} from './provider.js';

let s: AuthServers;
beforeAll(async () => {
  s = await startAuthServers();
});
afterAll(async () => {
  await s?.close();
});

const REDIRECT = 'http://127.0.0.1/callback';

describe('authorization code with PKCE against oidc-provider', () => {
  it.each([
    ['oauth2 scheme', 'me', 'user'],
    ['openIdConnect scheme (discovery, nonce, ID token)', 'oidcMe', 'oidc'],
  ])(
    '%s: the user signs in once, the code is exchanged, the token refreshed after expiry',
    async (_, op, scheme) => {
      const seenUrls: string[] = [];
      let clock = Date.now();
      s.grants.length = 0;
      s.seenTokens.length = 0;
      const result = await runWorkflow(
        writeWorkflow(s.issuer, s.api, [op, op]),
        {},
        {
          auth: {
            [scheme]: {
              clientId: 'app',
              clientSecret: CLIENT_SECRET,
              scopes: ['offline_access'],
              redirectUri: REDIRECT,
              authorize: async (url) => {
                seenUrls.push(url);
                return signInAndConsent(url, REDIRECT);
              },
            },
          },
          now: () => clock,
          onEvent: (e) => {
            if (e.type === 'step-end' && e.record.stepId === 's0') clock += 2 * 3600_000;
          },
        },
      );
      expect(result.steps.map((r) => r.error?.message)).toEqual([undefined, undefined]);
      expect(result.steps[1]?.response?.body).toMatchObject({ sub: 'alice', client: 'app' });
      expect(seenUrls).toHaveLength(1);
      const asked = new URL(seenUrls[0] ?? '');
      expect(asked.searchParams.get('code_challenge_method')).toBe('S256');
      expect(asked.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
      expect(asked.searchParams.get('scope')).toBe('offline_access openid');
      expect(asked.searchParams.has('nonce')).toBe(scheme === 'oidc');
      expect(s.grants).toEqual(['authorization_code', 'refresh_token']);
      const text = JSON.stringify(result);
      for (const token of s.seenTokens) expect(text).not.toContain(token);
    },
  );

  it('a denied authorization fails the step with AUTH_FAILED and the server error', async () => {
    s.seenTokens.length = 0;
    const result = await runWorkflow(
      writeWorkflow(s.issuer, s.api, ['me']),
      {},
      {
        auth: {
          user: {
            clientId: 'app',
            clientSecret: CLIENT_SECRET,
            redirectUri: REDIRECT,
            authorize: async (url) => {
              const state = new URL(url).searchParams.get('state') ?? '';
              return `${REDIRECT}?error=access_denied&error_description=the+user+said+no&state=${state}&iss=${encodeURIComponent(s.issuer)}`;
            },
          },
        },
      },
    );
    expect(result.steps[0]?.error?.code).toBe('AUTH_FAILED');
    expect(result.steps[0]?.error?.message).toMatch(
      /security scheme "user": authorization_code request .* failed: access_denied: the user said no/,
    );
    expect(s.seenTokens).toEqual([]);
  });
});
