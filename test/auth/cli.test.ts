import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAuthFlags } from '../../src/cli/args.js';
import { main } from '../../src/cli/main.js';
import { captureIO } from '../cli/helpers.js';
import {
  type AuthServers,
  CLIENT_SECRET,
  signInAndConsent,
  startAuthServers,
  writeWorkflow,
} from './provider.js';

describe('--auth scheme.field=value', () => {
  it.each([
    [['k=abc'], { k: 'abc' }, ['abc']],
    [
      ['o.clientId=ci', 'o.clientSecret=env:CS', 'o.scopes=read, write'],
      { o: { clientId: 'ci', clientSecret: 's3cret-value', scopes: ['read', 'write'] } },
      ['s3cret-value'],
    ],
    [
      ['u.clientId=app', 'u.username=alice', 'u.password=pw-123456', 'u.refreshToken=rt-123456'],
      { u: { clientId: 'app', username: 'alice', password: 'pw-123456', refreshToken: 'rt-123456' } },
      ['pw-123456', 'rt-123456'],
    ],
  ])('%j', (flags, auth, secrets) => {
    expect(parseAuthFlags(flags, { CS: 's3cret-value' })).toEqual({ auth, secrets });
  });

  it.each([
    [['o.color=red'], /unknown field "color"/],
    [['o.clientSecret=x'], /needs --auth o.clientId/],
    [['o.clientSecret=env:NOPE'], /NOPE is not set/],
  ])('%j is a usage error', (flags, message) => {
    expect(() => parseAuthFlags(flags, {})).toThrow(message);
  });
});

describe('arazzo run with an OAuth client credential', () => {
  let s: AuthServers;
  beforeAll(async () => {
    s = await startAuthServers();
  });
  afterAll(async () => {
    await s?.close();
  });

  it('obtains the token, calls the API, and prints no secret', async () => {
    const file = writeWorkflow(s.issuer, s.api, ['listPets']);
    const cap = captureIO({ env: { CS: CLIENT_SECRET } });
    const argv = ['run', file, '--reporter', 'json', '--auth', 'oauth.clientId=cc'];
    const code = await main([...argv, '--auth', 'oauth.clientSecret=env:CS'], cap.io);
    expect(cap.stderr()).toBe('');
    expect(code).toBe(0);
    const out = JSON.parse(cap.stdout()) as { steps: Array<{ response: { body: unknown } }> };
    expect(out.steps[0]?.response.body).toMatchObject({ client: 'cc', scope: 'pets:read' });
    expect(cap.stdout()).not.toContain(CLIENT_SECRET);
    expect(cap.stdout()).not.toContain(s.seenTokens[0]);
  });

  it('authorizationCode: prints the URL, listens on loopback for the redirect, exchanges the code', async () => {
    const file = writeWorkflow(s.issuer, s.api, ['me']);
    const cap = captureIO({ env: { CS: CLIENT_SECRET } });
    const flags = ['user.clientId=app', 'user.clientSecret=env:CS', 'user.flow=authorizationCode'];
    const running = main(['run', file, '--reporter', 'json', ...flags.flatMap((f) => ['--auth', f])], cap.io);
    let printed: string | undefined;
    for (let i = 0; i < 500 && printed === undefined; i++) {
      await new Promise((r) => setTimeout(r, 10));
      printed = /sign in at\n {2}(\S+)/.exec(cap.stderr())?.[1];
    }
    expect(printed).toBeDefined();
    const redirectUri = new URL(printed ?? '').searchParams.get('redirect_uri') ?? '';
    expect(redirectUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    // Play the browser: sign in, consent, then follow the redirect to the CLI's listener.
    const landing = await fetch(await signInAndConsent(printed ?? '', redirectUri));
    expect(await landing.text()).toContain('authorization received');
    expect(await running).toBe(0);
    const out = JSON.parse(cap.stdout()) as { steps: Array<{ response: { body: unknown } }> };
    expect(out.steps[0]?.response.body).toMatchObject({ sub: 'alice', client: 'app' });
    expect(s.grants.at(-1)).toBe('authorization_code');
  });

  it('--mock requests no token: OAuth credentials give way to dummy ones', async () => {
    const file = writeWorkflow('http://127.0.0.1:9', s.api, ['listPets']);
    const cap = captureIO();
    const argv = ['run', file, '--mock', '--reporter', 'json', '--auth', 'oauth.clientId=cc'];
    const code = await main([...argv, '--auth', 'oauth.clientSecret=whatever-123'], cap.io);
    expect(cap.stderr()).toBe('');
    expect(code).toBe(0);
    const out = JSON.parse(cap.stdout()) as {
      steps: Array<{ request: { headers: Record<string, string> } }>;
    };
    expect(out.steps[0]?.request.headers.Authorization).toBe('***');
  });
});
