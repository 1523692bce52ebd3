import { fileURLToPath } from 'node:url';
import { DOMParser } from '@xmldom/xmldom';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { type ScriptedServer, startScriptedServer } from '../helpers/scripted-server.js';
import { captureIO } from './helpers.js';

const suite = fileURLToPath(new URL('./fixtures/suite/', import.meta.url));
const composio = fileURLToPath(
  new URL(
    '../../specs/composio/arazzo/composio-connect-account-via-auth-config-workflow.yml',
    import.meta.url,
  ),
);
const scenario = fileURLToPath(
  new URL('../../specs/composio/scenarios/active-after-two-polls.yaml', import.meta.url),
);

/** The Composio workflow's inputs as CLI flags (the key is a made-up secret the output must mask). */
const composioInputs = [
  '--input',
  'apiKey=sk_mock_123456',
  '--input',
  'toolkitSlug=gmail',
  '--input',
  'authType=use_composio_managed_auth',
  '--input',
  'userId=u1',
];

let server: ScriptedServer | undefined;
afterEach(async () => server?.close());

describe('arazzo test', () => {
  it('runs every workflow of every file in a folder, one line each and the summary; exit 1 on a failure', async () => {
    const c = captureIO({ cwd: suite });
    const code = await main(['test', '.', '--mock', '--no-color'], c.io);
    const out = c.stdout();
    expect(out).toMatch(/✓ passing\.arazzo\.yaml › addAndGet/);
    expect(out).toMatch(/✗ nested\/failing\.arazzo\.yaml › expectsTeapot/);
    expect(out).toMatch(/✓ nested\/failing\.arazzo\.yaml › fine/);
    expect(out).toMatch(/\n2 passed, 1 failed\n$/);
    expect(code).toBe(1);
  });

  it('takes globs and writes a JUnit report with a testsuite per workflow', async () => {
    const c = captureIO({ cwd: suite });
    const code = await main(['test', '**/*.arazzo.yaml', '--mock', '-r', 'junit', '--no-color'], c.io);
    expect(code).toBe(1);
    const xml = c.stdout().slice(c.stdout().indexOf('<?xml'));
    const doc = new DOMParser().parseFromString(xml, 'text/xml');
    const suites = Array.from(doc.getElementsByTagName('testsuite')).map((s) => s.getAttribute('name'));
    expect(suites).toEqual([
      'nested/failing.arazzo.yaml › expectsTeapot',
      'nested/failing.arazzo.yaml › fine',
      'passing.arazzo.yaml › addAndGet',
    ]);
    expect(doc.getElementsByTagName('failure')).toHaveLength(1);
  });

  it('only passing files exit 0; --reporter json lists the runs', async () => {
    const c = captureIO({ cwd: suite });
    const code = await main(['test', 'passing.arazzo.yaml', '--mock', '-r', 'json'], c.io);
    expect(code).toBe(0);
    const json = JSON.parse(c.stdout().slice(c.stdout().indexOf('{')));
    expect(json).toMatchObject({
      passed: 1,
      failed: 0,
      runs: [{ workflowId: 'addAndGet', status: 'passed' }],
    });
    expect(json.runs[0].result.outputs).toEqual({ id: 7 });
  });

  it('a usage error for a path that does not exist', async () => {
    const c = captureIO({ cwd: suite });
    expect(await main(['test', 'nope/'], c.io)).toBe(2);
    expect(c.stderr()).toMatch(/no such file or folder: nope/);
  });
});

describe('arazzo run --mock', () => {
  it('a scenario drives the Composio poll loop through INITIATED to ACTIVE, offline', async () => {
    const c = captureIO();
    const code = await main(
      ['run', composio, '--mock', '--scenario', scenario, ...composioInputs, '-r', 'json'],
      c.io,
    );
    const result = JSON.parse(c.stdout());
    expect(code).toBe(0);
    expect(result.status).toBe('succeeded');
    expect(result.outputs.status).toBe('ACTIVE');
    expect(
      result.steps
        .filter((s: { stepId: string }) => s.stepId === 'pollConnection')
        .map((s: { outcome: string }) => s.outcome),
    ).toEqual(['failed', 'failed', 'succeeded']);
    expect(c.stdout()).not.toContain('sk_mock_123456');
  });

  it('rejects a scenario without --mock and a malformed scenario file', async () => {
    const a = captureIO();
    expect(await main(['run', composio, '--scenario', scenario], a.io)).toBe(2);
    expect(a.stderr()).toMatch(/--scenario needs --mock/);
    const b = captureIO();
    expect(await main(['run', composio, '--mock', '--scenario', composio], b.io)).toBe(2);
    expect(b.stderr()).toMatch(/--scenario/);
  });
});

describe('arazzo run --contract', () => {
  it.each<[string, { status: number; body: unknown; code: number; check: RegExp }]>([
    ['a wrong status', { status: 202, body: { id: 1, name: 'a' }, code: 1, check: /status/ }],
    ['a missing required field', { status: 201, body: { id: 1 }, code: 1, check: /name/ }],
    ['a wrong type', { status: 201, body: { id: 'one', name: 'a' }, code: 1, check: /\/id.*integer/ }],
    ['a valid response', { status: 201, body: { id: 1, name: 'a' }, code: 0, check: /^$/ }],
  ])('catches %s', async (_name, { status, body, code, check }) => {
    server = await startScriptedServer([
      { route: 'POST /pets', status, body },
      { route: 'GET /pets/1', status: 200, body: { id: 1, name: 'a' } },
    ]);
    const c = captureIO({ cwd: suite });
    const exit = await main(
      [
        'run',
        'passing.arazzo.yaml',
        '--input',
        'name=a',
        '--server',
        `pets=${server.url}`,
        '--contract',
        '-r',
        'json',
      ],
      c.io,
    );
    const result = JSON.parse(c.stdout());
    const failed = (result.steps[0].checks as Array<{ passed: boolean; message: string }>).filter(
      (x) => !x.passed,
    );
    expect(failed.map((f) => f.message).join('\n')).toMatch(check);
    if (code === 0) expect(failed).toEqual([]);
    expect(exit).toBe(code === 0 || status === 202 ? code : 1);
  });
});

describe('--output checks', () => {
  it('refuses an unwritable --output before running anything', async () => {
    const c = captureIO({ cwd: suite });
    const code = await main(
      [
        'run',
        'passing.arazzo.yaml',
        '--mock',
        '--input',
        'name=a',
        '-r',
        'junit',
        '-o',
        '/nonexistent-dir/x.xml',
      ],
      c.io,
    );
    expect(code).toBe(2);
    expect(c.stderr()).toMatch(/--output: cannot write \/nonexistent-dir\/x\.xml/);
    expect(c.stdout()).not.toMatch(/addPet/);
  });
});

describe('--auth with a scheme no source declares', () => {
  it('warns on stderr, naming the declared schemes, and still runs', async () => {
    const c = captureIO();
    const code = await main(
      [
        'run',
        composio,
        '--mock',
        '--scenario',
        scenario,
        '--auth',
        'NoSuchScheme=abcd1234',
        ...composioInputs,
        '-r',
        'json',
      ],
      c.io,
    );
    expect(code).toBe(0);
    expect(c.stderr()).toMatch(
      /warning: --auth NoSuchScheme: no source declares a security scheme of that name \(declared: ApiKeyAuth, CookieAuth, OrgApiKeyAuth\)/,
    );
    expect(c.stderr() + c.stdout()).not.toContain('abcd1234');
  });
});

describe('mock runs that poll', () => {
  it('a poll loop the mock cannot finish ends with a hint to script it', async () => {
    const c = captureIO();
    const code = await main(['run', composio, '--mock', ...composioInputs, '-r', 'json'], c.io);
    expect(code).toBe(1);
    expect(c.stderr()).toMatch(/hint: step "pollConnection" ran 21 times against the mock.*--scenario/);
    expect(() => JSON.parse(c.stdout())).not.toThrow();
  });
});
