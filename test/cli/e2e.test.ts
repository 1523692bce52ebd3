/** The built CLI (dist/cli/bin.js) spawned against the Composio simulator on loopback. */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DOMParser } from '@xmldom/xmldom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startComposioSimulator } from '../../src/simulator/index.js';
import type { ComposioSimulator } from '../../src/simulator/types.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'dist/cli/bin.js');
const SPEC = 'specs/composio/arazzo/composio-connect-account-via-auth-config-workflow.yml';
const INVALID = 'test/cli/fixtures/invalid-document/workflow.yml';
const API_KEY = 'sk_e2e_SECRET_9f8e7d6c';
const ORG_KEY = 'sk_org_SECRET_1a2b3c4d';

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Build unless dist is newer than every source file. tsc emits even when some other module has type errors. */
function ensureBuilt(): void {
  if (existsSync(BIN) && statSync(BIN).mtimeMs >= newestMtime(join(ROOT, 'src'))) return;
  try {
    execFileSync(
      process.execPath,
      [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
      {
        cwd: ROOT,
        stdio: 'pipe',
      },
    );
  } catch {
    // Type errors elsewhere still leave the emitted JavaScript; the check below decides.
  }
  if (!existsSync(BIN)) throw new Error('build did not produce dist/cli/bin.js');
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

const transcripts: Run[] = [];

function cli(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env }, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        const run = { code, stdout, stderr };
        transcripts.push(run);
        resolve(run);
      },
    );
  });
}

let sim: ComposioSimulator;
const inputs = (without?: string) =>
  [
    ['apiKey', `env:COMPOSIO_API_KEY`],
    ['toolkitSlug', 'gmail'],
    ['authType', 'use_composio_managed_auth'],
    ['userId', 'user_123'],
  ]
    .filter(([name]) => name !== without)
    .flatMap(([name, value]) => ['--input', `${name}=${value}`]);
const env = { COMPOSIO_API_KEY: API_KEY };
const runArgs = (...extra: string[]) => [
  'run',
  SPEC,
  '--server',
  `composioApi=${sim.url}`,
  '--max-retry-delay',
  '0',
  ...extra,
];

beforeAll(async () => {
  ensureBuilt();
  sim = await startComposioSimulator({ apiKey: API_KEY, pollsUntilActive: 1 });
}, 180_000);

afterAll(async () => {
  await sim?.close();
});

function wellFormed(xml: string): { errors: string[]; dom: ReturnType<DOMParser['parseFromString']> } {
  const errors: string[] = [];
  const dom = new DOMParser({
    onError: (level: string, msg: string) => {
      if (level !== 'warning') errors.push(msg);
    },
  }).parseFromString(xml, 'text/xml');
  return { errors, dom };
}

describe('built CLI against the simulator', () => {
  it('run: success, pretty output with request lines, outputs and summary', async () => {
    sim.reset();
    const r = await cli(runArgs(...inputs()), env);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/POST http:\/\/127\.0\.0\.1:\d+\/api\/v3\/auth_configs/);
    expect(r.stdout).toMatch(/→ retry/); // a zero wait prints the action, not a 'waiting 0ms' line
    expect(r.stdout).not.toContain('waiting 0ms');
    expect(r.stdout).toMatch(/status\s+ACTIVE/);
    expect(r.stdout).toMatch(/✓ connect-account-via-auth-config succeeded/);
    expect(r.stdout).toMatch(/^specs\/composio\/arazzo\/\S+\.yml:\d+:\d+ warning compat-step-retry-fields /m);
  });

  it('run: the account goes FAILED -> exit 1 naming the step', async () => {
    sim.reset();
    sim.setOptions({ outcome: 'FAILED' });
    const r = await cli(runArgs(...inputs(), '--max-steps', '40'), env);
    sim.reset();
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/✗ connect-account-via-auth-config failed at step pollConnection/);
    expect(r.stdout).toContain('left side $response.body#/status is "FAILED"');
  });

  it('run: a missing required input -> exit 1 naming it', async () => {
    const r = await cli(runArgs(...inputs('userId')), env);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/INPUTS_INVALID.*userId/);
  });

  it('run: an invalid document -> exit 2 with file:line:col', async () => {
    const r = await cli(['run', INVALID]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^test\/cli\/fixtures\/invalid-document\/workflow\.yml:\d+:\d+ error \S+ /m);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('run: an unreadable file -> exit 2, one line', async () => {
    const r = await cli(['run', 'no/such/file.yml']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('run --reporter json: the RunResult parses; an invalid document is status invalid', async () => {
    sim.reset();
    const ok = await cli(runArgs(...inputs(), '--reporter', 'json'), env);
    expect(ok.code).toBe(0);
    const result = JSON.parse(ok.stdout);
    expect(result.status).toBe('succeeded');
    expect(result.steps.map((s: { stepId: string }) => s.stepId)).toEqual([
      'createAuthConfig',
      'createConnectedAccount',
      'pollConnection',
      'pollConnection',
      'confirmActive',
    ]);
    expect(result.outputs.status).toBe('ACTIVE');

    const bad = await cli(['run', INVALID, '--reporter', 'json']);
    expect(bad.code).toBe(2);
    const invalid = JSON.parse(bad.stdout);
    expect(invalid.status).toBe('invalid');
    expect(
      invalid.diagnostics.some(
        (d: { severity: string; line: number }) => d.severity === 'error' && d.line > 0,
      ),
    ).toBe(true);
  });

  it('run --reporter junit --output file: well-formed XML in the file, pretty progress on stdout', async () => {
    sim.reset();
    const dir = mkdtempSync(join(tmpdir(), 'arazzo-cli-'));
    const file = join(dir, 'report.xml');
    const r = await cli(runArgs(...inputs(), '--reporter', 'junit', '--output', file), env);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/✓ connect-account-via-auth-config succeeded/);
    const xml = readFileSync(file, 'utf8');
    transcripts.push({ code: 0, stdout: xml, stderr: '' });
    const { errors, dom } = wellFormed(xml);
    expect(errors).toEqual([]);
    const names = Array.from(dom.getElementsByTagName('testcase')).map((t) => t.getAttribute('name'));
    expect(names).toEqual(['createAuthConfig', 'createConnectedAccount', 'pollConnection', 'confirmActive']);
    expect(dom.getElementsByTagName('failure')).toHaveLength(0);
  });

  it('run --reporter junit on stdout after a failure: well-formed with one failure', async () => {
    sim.reset();
    sim.setOptions({ outcome: 'EXPIRED' });
    const r = await cli(runArgs(...inputs(), '--reporter', 'junit'), env);
    sim.reset();
    expect(r.code).toBe(1);
    const { errors, dom } = wellFormed(r.stdout);
    expect(errors).toEqual([]);
    const failures = dom.getElementsByTagName('failure');
    expect(failures).toHaveLength(1);
    const testcase = failures[0]!.parentNode as unknown as { getAttribute(name: string): string | null };
    expect(testcase.getAttribute('name')).toBe('pollConnection');
  });

  it('run --verbose: headers and bodies shown, the key masked', async () => {
    sim.reset();
    // The key given literally (not env:), echoed into a body field, plus an --auth credential.
    const r = await cli(
      runArgs(
        ...inputs(),
        '--input',
        `apiKey=${API_KEY}`,
        '--input',
        `authConfigName=${API_KEY}`,
        '--auth',
        `OrgApiKeyAuth=${ORG_KEY}`,
        '--verbose',
      ),
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/x-api-key: \*\*\*/);
    expect(r.stdout).toContain('"slug": "gmail"');
  });

  it('validate: the bundled spec is valid with warnings; the broken one exits 2 with line:col', async () => {
    const ok = await cli(['validate', SPEC]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/:\d+:\d+ warning compat-step-retry-fields /);
    expect(ok.stdout).toMatch(/✓ \S+ is valid \(0 errors, \d+ warnings\)/);
    const bad = await cli(['validate', INVALID]);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toMatch(/^test\/cli\/fixtures\/invalid-document\/workflow\.yml:16:\d+ error /m);
    expect(bad.stdout).toMatch(/✗ \S+ is invalid \(\d+ errors?, \d+ warnings?\)/);
    const json = await cli(['validate', INVALID, '--reporter', 'json']);
    expect(JSON.parse(json.stdout).status).toBe('invalid');
  });

  it('list and graph', async () => {
    const list = await cli(['list', SPEC]);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/apiKey\s+string\s+required/);
    expect(list.stdout).toMatch(/authConfigName\s+string\s+Optional/);
    expect(list.stdout).toContain(
      'steps: createAuthConfig → createConnectedAccount → pollConnection → confirmActive',
    );
    const graph = await cli(['graph', SPEC]);
    expect(graph.code).toBe(0);
    expect(graph.stdout).toMatch(/^flowchart/m);
    const dot = await cli(['graph', SPEC, '--format', 'dot']);
    expect(dot.stdout).toMatch(/^digraph/m);
  });

  it('demo --fast finishes with exit 0', async () => {
    const r = await cli(['demo', '--fast']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/✓ connect-account-via-auth-config succeeded/);
  });

  it('the API key never appears in any output', () => {
    expect(transcripts.length).toBeGreaterThan(10);
    for (const t of transcripts) {
      expect(t.stdout).not.toContain(API_KEY);
      expect(t.stderr).not.toContain(API_KEY);
      expect(t.stdout + t.stderr).not.toContain(ORG_KEY);
    }
  });
});
