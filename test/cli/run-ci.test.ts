import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { startComposioSimulator } from '../../src/simulator/index.js';
import { captureIO } from './helpers.js';

/** `arazzo run --reporter github` and `arazzo run --replay`: what `arazzo test` had, on a single run. */

const suite = fileURLToPath(new URL('./fixtures/suite/', import.meta.url));
const runCi = fileURLToPath(new URL('./fixtures/run-ci/', import.meta.url));
const invalid = fileURLToPath(new URL('./fixtures/invalid-document/', import.meta.url));
const COMPOSIO = fileURLToPath(
  new URL(
    '../../specs/composio/arazzo/composio-connect-account-via-auth-config-workflow.yml',
    import.meta.url,
  ),
);
const SECRET = 'tok_live_run_ci_5150';

let dir: string | undefined;
afterEach(() => {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});
const scratch = () => {
  dir = mkdtempSync(join(tmpdir(), 'arazzo-run-ci-'));
  return dir;
};
const annotations = (stdout: string) => stdout.split('\n').filter((l) => l.startsWith('::'));

interface GithubCase {
  cwd: string;
  argv: string[];
  env?: Record<string, string>;
  code: number;
  /** Every workflow command line on stdout, as patterns. */
  annotations: RegExp[];
  /** Patterns the job summary must hold (undefined: no summary expected). */
  summary?: RegExp[];
  /** The run's report file (--output), and what it must hold. */
  output?: [string, RegExp];
  /** Also on stdout (the pretty progress the annotations come with). */
  stdout?: RegExp;
}

describe('arazzo run --reporter github', () => {
  const cases: Array<[string, GithubCase]> = [
    [
      'a failing step: ::error at the step line:column of the Arazzo file, after the pretty report',
      {
        cwd: suite,
        argv: ['run', 'nested/failing.arazzo.yaml', '--mock', '-r', 'github'],
        code: 1,
        // Line 7, column 9 of nested/failing.arazzo.yaml: `stepId: get` of workflow expectsTeapot.
        annotations: [
          /^::error file=nested\/failing\.arazzo\.yaml,line=7,col=9,title=expectsTeapot failed::STEP_FAILED: .*418/,
        ],
        summary: [
          /^### Arazzo: 0 passed, 1 failed\n/,
          /\| ❌ \| nested\/failing\.arazzo\.yaml:7:9 \| expectsTeapot \| 1 \| .+ \| STEP_FAILED: /,
        ],
        stdout: /expectsTeapot[\s\S]*get[\s\S]*::error /,
      },
    ],
    [
      'a passing run: no annotation, a ✅ row in the job summary',
      {
        cwd: suite,
        argv: ['run', 'passing.arazzo.yaml', '--mock', '-r', 'github', '--input', 'name=Rex'],
        code: 0,
        annotations: [],
        summary: [/^### Arazzo: 1 passed, 0 failed\n/, /\| ✅ \| passing\.arazzo\.yaml \| addAndGet \| 2 \|/],
        stdout: /addAndGet/,
      },
    ],
    [
      'with the JUnit report to --output (either order of -r): both',
      {
        cwd: suite,
        argv: ['run', 'nested/failing.arazzo.yaml', '--mock', '-r', 'github', '-r', 'junit', '-o', 'OUT'],
        code: 1,
        annotations: [
          /^::error file=nested\/failing\.arazzo\.yaml,line=7,col=9,title=expectsTeapot failed::/,
        ],
        output: ['OUT', /<testsuite [^>]*name="expectsTeapot"[\s\S]*<failure /],
      },
    ],
    [
      'a document that does not load: ::error at its first error',
      {
        cwd: invalid,
        argv: ['run', 'workflow.yml', '-r', 'github'],
        code: 2,
        annotations: [
          /^::error file=workflow\.yml,line=\d+,col=\d+,title=invalid Arazzo document::workflow\.yml:\d+:\d+ error /,
        ],
        summary: [/^### Arazzo: 0 passed, 1 failed\n/, /\| ❌ \| workflow\.yml:\d+:\d+ \| \(document\) \|/],
      },
    ],
    [
      'a secret in the failure: masked in the annotation and the summary',
      {
        cwd: runCi,
        argv: ['run', 'lookup.arazzo.yaml', '--replay', 'empty.har', '-i', 'token=env:KEY', '-r', 'github'],
        env: { KEY: SECRET },
        code: 1,
        annotations: [
          /^::error file=lookup\.arazzo\.yaml,line=8,col=9,title=lookupKey failed::STEP_FAILED: step "fetch" failed: replay: no recorded exchange for GET \/keys\/\*\*\*; the log has no entries$/,
        ],
        summary: [
          /\| ❌ \| lookup\.arazzo\.yaml:8:9 \| lookupKey \| 1 \| .+ \| STEP_FAILED: .*GET \/keys\/\*\*\*; /,
        ],
      },
    ],
  ];

  it.each(cases)('%s', async (_name, c) => {
    const tmp = scratch();
    const summaryFile = join(tmp, 'summary.md');
    writeFileSync(summaryFile, '');
    const argv = c.argv.map((a) => (a === 'OUT' ? join(tmp, 'report.xml') : a));
    const io = captureIO({ cwd: c.cwd, env: { ...c.env, GITHUB_STEP_SUMMARY: summaryFile } });
    const code = await main([...argv, '--no-color'], io.io);
    expect(code, io.stderr()).toBe(c.code);
    const lines = annotations(io.stdout());
    expect(lines).toHaveLength(c.annotations.length);
    for (const [i, want] of c.annotations.entries()) expect(lines[i]).toMatch(want);
    if (c.stdout !== undefined) expect(io.stdout()).toMatch(c.stdout);
    const summary = readFileSync(summaryFile, 'utf8');
    for (const want of c.summary ?? []) expect(summary).toMatch(want);
    if (c.output !== undefined) expect(readFileSync(join(tmp, 'report.xml'), 'utf8')).toMatch(c.output[1]);
    for (const text of [io.stdout(), io.stderr(), summary]) expect(text).not.toContain(SECRET);
  });

  it('leaves GITHUB_STEP_SUMMARY alone when the job has none', async () => {
    const io = captureIO({ cwd: suite });
    expect(await main(['run', 'nested/failing.arazzo.yaml', '--mock', '-r', 'github'], io.io)).toBe(1);
    expect(annotations(io.stdout())).toHaveLength(1);
    expect(io.stderr()).not.toContain('GITHUB_STEP_SUMMARY');
  });
});

const composioInputs = [
  '--input',
  'apiKey=sim_run_replay_key',
  '--input',
  'toolkitSlug=gmail',
  '--input',
  'authType=use_composio_managed_auth',
  '--input',
  'userId=u1',
];

interface Report {
  status: string;
  outputs: Record<string, unknown>;
  steps: Array<{ stepId: string; outcome: string; response?: { statusCode?: number; body?: unknown } }>;
}

/** What a replay must reproduce: status, outputs, and every attempt's step, outcome and response. */
const observable = (r: Report) => ({
  status: r.status,
  outputs: r.outputs,
  steps: r.steps.map((s) => [s.stepId, s.outcome, s.response?.statusCode, s.response?.body]),
});

describe('arazzo run --replay', () => {
  it('records a run against the simulator with --har, then replays it with the simulator stopped: same result', async () => {
    const harFile = join(scratch(), 'run.har');
    const sim = await startComposioSimulator({ apiKey: 'sim_run_replay_key', pollsUntilActive: 2 });
    const live = captureIO();
    let liveCode: number;
    try {
      liveCode = await main(
        [
          'run',
          COMPOSIO,
          '--server',
          `composioApi=${sim.url}`,
          ...composioInputs,
          '--max-retry-delay',
          '0',
          '--har',
          harFile,
          '-r',
          'json',
        ],
        live.io,
      );
    } finally {
      await sim.close();
    }
    expect(liveCode, live.stderr()).toBe(0);
    const recorded = JSON.parse(live.stdout()) as Report;
    // The live run polled at least once before ACTIVE: the replay has a loop to reproduce.
    expect(recorded.steps.length).toBeGreaterThan(new Set(recorded.steps.map((s) => s.stepId)).size);

    const replay = captureIO();
    const code = await main(
      ['run', COMPOSIO, '--replay', harFile, ...composioInputs, '-r', 'json'],
      replay.io,
    );
    expect(code, replay.stderr()).toBe(0);
    expect(observable(JSON.parse(replay.stdout()) as Report)).toEqual(observable(recorded));
  });

  it.each([
    [
      'a request the log does not hold fails the step, naming it',
      ['run', 'lookup.arazzo.yaml', '--replay', 'empty.har', '-i', 'token=abc'],
      1,
      /step "fetch" failed: replay: no recorded exchange for GET \/keys\/abc; the log has no entries/,
    ],
    [
      '--replay with --mock',
      ['run', 'lookup.arazzo.yaml', '--replay', 'empty.har', '--mock'],
      2,
      /--replay answers from a recording; it cannot be combined with --mock/,
    ],
    [
      'a file that is not a HAR log',
      ['run', 'lookup.arazzo.yaml', '--replay', 'keys.openapi.yaml'],
      2,
      /--replay: cannot read keys\.openapi\.yaml as JSON/,
    ],
    [
      'a missing file',
      ['run', 'lookup.arazzo.yaml', '--replay', 'nope.har'],
      2,
      /--replay: cannot read nope\.har as JSON \(ENOENT\)/,
    ],
  ])('%s', async (_name, argv, want, message) => {
    const io = captureIO({ cwd: runCi });
    expect(await main([...argv, '--no-color'], io.io)).toBe(want);
    expect(`${io.stdout()}${io.stderr()}`).toMatch(message);
  });
});

describe('arazzo run --help', () => {
  it.each([
    ['--replay', /--replay <file\.har>\s+answer requests from a log recorded with --har/],
    ['github', /-r, --reporter <name>.*\n.*github/],
  ])('tells %s', async (_name, want) => {
    const io = captureIO();
    expect(await main(['run', '--help'], io.io)).toBe(0);
    expect(io.stdout()).toMatch(want);
  });
});
