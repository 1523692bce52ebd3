import { DOMParser } from '@xmldom/xmldom';
import { describe, expect, it } from 'vitest';
import { colorEnabled, createColors } from '../../src/cli/color.js';
import { addCredential, maskedWriter } from '../../src/cli/context.js';
import { BufferWriter } from '../../src/cli/io.js';
import { createJsonReporter } from '../../src/cli/reporters/json.js';
import { buildSuites, renderJunit, xmlText } from '../../src/cli/reporters/junit.js';
import { createPrettyReporter, findRetryLimit } from '../../src/cli/reporters/pretty.js';
import type { ArazzoDocument } from '../../src/document/model.js';
import type { RunEvent } from '../../src/engine/types.js';
import { Masker } from '../../src/secrets/index.js';
import { result, step } from './helpers.js';

function parseXml(text: string) {
  const errors: string[] = [];
  const doc = new DOMParser({
    onError: (level: string, msg: string) => {
      if (level !== 'warning') errors.push(msg);
    },
  }).parseFromString(text, 'text/xml');
  return { doc, errors };
}

const doc = {
  arazzo: '1.0.1',
  info: { title: 't', version: '1' },
  sourceDescriptions: [],
  workflows: [
    {
      workflowId: 'wf',
      steps: [
        { stepId: 'create', operationId: 'a' },
        {
          stepId: 'poll',
          operationId: 'b',
          onFailure: [{ name: 'again', type: 'retry', retryAfter: 3, retryLimit: 20 }],
        },
        { stepId: 'confirm', operationId: 'c' },
      ],
    },
  ],
} as unknown as ArazzoDocument;

const failedRun = result({
  status: 'failed',
  error: { code: 'STEP_FAILED', message: 'step "poll" failed', stepId: 'poll', workflowId: 'wf' },
  steps: [
    step({ stepId: 'create', durationMs: 12 }),
    step({
      stepId: 'poll',
      attempt: 1,
      outcome: 'failed',
      durationMs: 5,
      criteria: [{ condition: '$statusCode == 200', passed: false, reason: 'left side is 500 <&> "x"' }],
    }),
    step({
      stepId: 'poll',
      attempt: 2,
      outcome: 'failed',
      durationMs: 7,
      request: { method: 'GET', url: 'http://127.0.0.1:1/a?b=1&c=2', headers: {} },
      response: { statusCode: 500, headers: {} },
      criteria: [{ condition: '$statusCode == 200', passed: false, reason: "left side is 500 <&> 'y'" }],
    }),
  ],
});

describe('junit reporter', () => {
  it('is well-formed XML with a testcase per step, attempts collapsed, unreached steps skipped', () => {
    const xml = renderJunit(failedRun, doc, 'wf.yml');
    const { doc: dom, errors } = parseXml(xml);
    expect(errors).toEqual([]);
    const cases = Array.from(dom.getElementsByTagName('testcase')).map((c) => ({
      name: c.getAttribute('name'),
      time: c.getAttribute('time'),
      failure: c.getElementsByTagName('failure')[0]?.getAttribute('message') ?? null,
      skipped: c.getElementsByTagName('skipped').length === 1,
    }));
    expect(cases).toEqual([
      { name: 'create', time: '0.012', failure: null, skipped: false },
      {
        name: 'poll',
        time: '0.012',
        failure: "$statusCode == 200: left side is 500 <&> 'y'",
        skipped: false,
      },
      { name: 'confirm', time: '0.000', failure: null, skipped: true },
    ]);
    const suite = dom.getElementsByTagName('testsuite')[0]!;
    expect(suite.getAttribute('tests')).toBe('3');
    expect(suite.getAttribute('failures')).toBe('1');
    expect(suite.getAttribute('skipped')).toBe('1');
    expect(suite.getAttribute('time')).toBe('0.100');
    const body = dom.getElementsByTagName('failure')[0]!.textContent ?? '';
    expect(body).toContain('attempts: 2');
    expect(body).toContain('GET http://127.0.0.1:1/a?b=1&c=2 -> 500');
  });

  it('a failed attempt followed by success is not a failure', () => {
    const run = result({
      steps: [step({ stepId: 'poll', outcome: 'failed' }), step({ stepId: 'poll', attempt: 2 })],
    });
    const suites = buildSuites(run);
    expect(suites[0]!.cases).toEqual([{ name: 'poll', timeMs: 20 }]);
  });

  it('a handled failure (workflow went on) is not a failure even if the run failed later', () => {
    const run = result({
      status: 'failed',
      error: { code: 'STEP_FAILED', message: 'x', stepId: 'b', workflowId: 'wf' },
      steps: [step({ stepId: 'a', outcome: 'failed' }), step({ stepId: 'b', outcome: 'failed' })],
    });
    const names = buildSuites(run)[0]!.cases.map((c) => [c.name, c.failure !== undefined]);
    expect(names).toEqual([
      ['a', false],
      ['b', true],
    ]);
  });

  it('a run that failed before any step gets a workflow testcase', () => {
    const run = result({
      status: 'failed',
      error: { code: 'INPUTS_INVALID', message: 'apiKey is required' },
    });
    const { doc: dom, errors } = parseXml(renderJunit(run));
    expect(errors).toEqual([]);
    const failure = dom.getElementsByTagName('failure')[0]!;
    expect(failure.getAttribute('type')).toBe('INPUTS_INVALID');
    expect(failure.getAttribute('message')).toBe('apiKey is required');
  });

  it('a child workflow is reported inside the testcase of the step that ran it, not as a suite', () => {
    const run = result({
      steps: [
        step({ workflowId: 'child', stepId: 'inner' }),
        step({ stepId: 'call' }),
        step({ stepId: 'after' }),
      ],
    });
    const suites = buildSuites(run);
    expect(suites.map((s) => [s.name, s.cases.map((c) => [c.name, c.output ?? null])])).toEqual([
      [
        'wf',
        [
          ['call', 'child › inner attempt 1: succeeded'],
          ['after', null],
        ],
      ],
    ]);
  });

  it('a failure inside a child workflow fails the parent step, naming where', () => {
    const run = result({
      status: 'failed',
      error: { code: 'STEP_FAILED', message: 'inner failed', stepId: 'inner', workflowId: 'child' },
      steps: [
        step({ stepId: 'first' }),
        step({ workflowId: 'child', stepId: 'inner', outcome: 'failed' }),
        step({ stepId: 'call', outcome: 'failed' }),
      ],
    });
    const cases = buildSuites(run)[0]!.cases;
    expect(cases.map((c) => [c.name, c.failure !== undefined])).toEqual([
      ['first', false],
      ['call', true],
    ]);
    expect(cases[1]!.failure!.body).toMatch(/^in workflow child, step inner\n/);
  });

  it('each suite carries its own run properties (status, file, outputs)', () => {
    const run = result({
      outputs: { id: 'x1' },
      steps: [step({ workflowId: 'child', stepId: 'inner' }), step({ stepId: 'call' })],
    });
    const { doc: dom } = parseXml(renderJunit(run, undefined, 'wf.yml'));
    const suites = Array.from(dom.getElementsByTagName('testsuite'));
    expect(suites).toHaveLength(1);
    const props = Array.from(suites[0]!.getElementsByTagName('property')).map((p) => [
      p.getAttribute('name'),
      p.getAttribute('value'),
    ]);
    expect(props).toEqual([
      ['status', 'succeeded'],
      ['file', 'wf.yml'],
      ['output.id', 'x1'],
    ]);
    expect(dom.getElementsByTagName('system-out')[0]?.textContent).toBe('child › inner attempt 1: succeeded');
  });

  it.each([
    ['markup', '<a href="x">&\'', '&lt;a href=&quot;x&quot;&gt;&amp;&apos;'],
    ['control characters', 'a\u0001b\u001bc', 'a\uFFFDb\uFFFDc'],
    ['lone surrogate', 'x\uD800y', 'x\uFFFDy'],
    ['emoji kept', 'ok 🎉', 'ok 🎉'],
    ['tab and newline kept', 'a\tb\nc', 'a\tb\nc'],
  ])('xmlText: %s', (_name, given, want) => {
    expect(xmlText(given)).toBe(want);
  });
});

describe('json reporter', () => {
  it('prints the RunResult; bytes become base64 descriptors', () => {
    const out = new BufferWriter();
    const r = createJsonReporter(out);
    r.finish(
      result({
        steps: [
          step({
            stepId: 's',
            response: { statusCode: 200, headers: {}, body: new Uint8Array([1, 2, 255]) },
          }),
        ],
        outputs: { n: 1 },
      }),
    );
    const parsed = JSON.parse(out.text);
    expect(parsed.status).toBe('succeeded');
    expect(parsed.outputs).toEqual({ n: 1 });
    expect(parsed.steps[0].response.body).toEqual({ encoding: 'base64', byteLength: 3, data: 'AQL/' });
  });

  it('an invalid document prints status invalid with its diagnostics', () => {
    const out = new BufferWriter();
    const d = {
      code: 'schema',
      severity: 'error',
      message: 'm',
      pointer: '/x',
      file: 'f',
      line: 3,
      column: 4,
    } as const;
    createJsonReporter(out).invalid([d], 'invalid');
    expect(JSON.parse(out.text)).toEqual({ status: 'invalid', message: 'invalid', diagnostics: [d] });
  });
});

function runPretty(events: RunEvent[], options: { verbose?: boolean; live?: boolean } = {}) {
  const out = new BufferWriter();
  const ticks: Array<() => void> = [];
  const r = createPrettyReporter({
    out,
    colors: createColors(false),
    live: options.live ?? false,
    verbose: options.verbose ?? false,
    cwd: '/',
    timers: {
      setInterval: ((fn: () => void) => {
        ticks.push(fn);
        return 1;
      }) as unknown as typeof setInterval,
      clearInterval: (() => {}) as typeof clearInterval,
    },
  });
  r.start({
    file: 'wf.yml',
    workflowId: 'wf',
    document: doc,
    diagnostics: [
      {
        code: 'compat-step-retry-fields',
        severity: 'warning',
        message: 'step "poll": retryAfter on a step',
        pointer: '/workflows/0/steps/1',
        file: '/w/wf.yml',
        line: 12,
        column: 5,
      },
    ],
  });
  for (const e of events) r.onEvent(e);
  return { out, r, ticks };
}

const pollEvents: RunEvent[] = [
  { type: 'workflow-start', workflowId: 'wf', inputs: {}, depth: 0 },
  { type: 'step-start', workflowId: 'wf', stepId: 'poll', attempt: 1, operation: 'getAccount' },
  {
    type: 'request',
    workflowId: 'wf',
    stepId: 'poll',
    attempt: 1,
    request: { method: 'GET', url: 'http://127.0.0.1:1/api/v3/x', headers: { 'x-api-key': '***' } },
  },
  {
    type: 'response',
    workflowId: 'wf',
    stepId: 'poll',
    attempt: 1,
    durationMs: 4,
    response: {
      statusCode: 200,
      headers: { 'content-type': 'application/json' },
      body: { status: 'INITIATED' },
    },
  },
  {
    type: 'criteria',
    workflowId: 'wf',
    stepId: 'poll',
    attempt: 1,
    criteria: [
      { condition: '$statusCode == 200', passed: true },
      { condition: '$response.body#/status == "ACTIVE"', passed: false, reason: 'left side is "INITIATED"' },
    ],
  },
  {
    type: 'step-end',
    record: step({ stepId: 'poll', outcome: 'failed', durationMs: 4 }),
  },
  {
    type: 'action',
    workflowId: 'wf',
    stepId: 'poll',
    action: { type: 'retry', name: 'again', delayMs: 3000 },
  },
  { type: 'retry-wait', workflowId: 'wf', stepId: 'poll', attempt: 2, delayMs: 3000, reason: 'criteria' },
];

describe('pretty reporter', () => {
  it('prints warnings first, then steps, the failed criterion and one wait line off a TTY', () => {
    const { out } = runPretty(pollEvents);
    expect(out.text.split('\n')).toEqual([
      'w/wf.yml:12:5 warning compat-step-retry-fields step "poll": retryAfter on a step',
      '',
      '▶ wf',
      '  ● poll getAccount',
      '    GET http://127.0.0.1:1/api/v3/x',
      '    ← 200 OK 4 ms',
      '    ✗ $response.body#/status == "ACTIVE" — left side is "INITIATED"',
      '  ✗ poll failed 4 ms',
      '    → retry in 3s (again)',
      '    waiting 3s before retry 1/20',
      '',
    ]);
  });

  it('on a TTY the countdown updates in place and is finalized by the next event', () => {
    const { out, ticks } = runPretty(pollEvents, { live: true });
    expect(ticks).toHaveLength(1);
    ticks[0]!();
    ticks[0]!();
    out.text = out.text.slice(out.text.indexOf('→ retry'));
    expect(out.text).toContain('waiting 3s before retry 1/20\r\u001b[2K    waiting 2s before retry 1/20');
    expect(out.text).toContain('\r\u001b[2K    waiting 1s before retry 1/20');
  });

  it('verbose shows headers, bodies and passing criteria', () => {
    const { out } = runPretty(pollEvents, { verbose: true });
    expect(out.text).toContain('      x-api-key: ***');
    expect(out.text).toContain('      content-type: application/json');
    expect(out.text).toContain('      {\n        "status": "INITIATED"\n      }');
    expect(out.text).toContain('    ✓ $statusCode == 200');
  });

  it('ends with the outputs table and a summary line', () => {
    const { out, r } = runPretty([]);
    r.finish(result({ outputs: { id: 'ca_1', nested: { a: 1 }, missing: undefined }, durationMs: 1500 }));
    expect(out.text.split('\n').slice(-7)).toEqual([
      'Outputs',
      '  id       ca_1',
      '  nested   {"a":1}',
      '  missing  (not set)',
      '',
      '✓ wf succeeded (0 steps in 1.50 s)',
      '',
    ]);
  });

  it('a failed run names the step and the reason', () => {
    const { out, r } = runPretty([]);
    r.finish(failedRun);
    expect(out.text).toContain(
      '✗ wf failed at step poll: STEP_FAILED step "poll" failed (2 steps, 3 attempts in 100 ms)',
    );
  });

  it('colour codes only when enabled', () => {
    const c = createColors(true);
    expect(c.red('x')).toBe('\u001b[31mx\u001b[39m');
    expect(createColors(false).red('x')).toBe('x');
  });
});

describe('findRetryLimit', () => {
  it.each<[string, { stepId: string; name: string | undefined; want: number | undefined }]>([
    ['by action name', { stepId: 'poll', name: 'again', want: 20 }],
    ['first retry action when unnamed', { stepId: 'poll', name: undefined, want: 20 }],
    ['no retry action', { stepId: 'create', name: undefined, want: undefined }],
  ])('%s', (_name, { stepId, name, want }) => {
    expect(findRetryLimit(doc, 'wf', stepId, name)).toBe(want);
  });
});

describe('secret masking writer (stderr)', () => {
  it.each<[string, { secrets: string[]; text: string; want: string }]>([
    ['raw', { secrets: ['sk_live_123'], text: 'key sk_live_123!', want: 'key ***!' }],
    ['JSON-escaped', { secrets: ['a"b\\cdef'], text: '{"k":"a\\"b\\\\cdef"}', want: '{"k":"***"}' }],
    ['XML-escaped', { secrets: ['a<b>&cd'], text: '<x v="a&lt;b&gt;&amp;cd"/>', want: '<x v="***"/>' }],
    ['URL-encoded', { secrets: ['p@ss word'], text: '?k=p%40ss%20word', want: '?k=***' }],
    [
      'basic auth base64 and the password alone',
      {
        secrets: ['user:hunter22'],
        text: `Basic ${Buffer.from('user:hunter22').toString('base64')} hunter22`,
        want: 'Basic *** ***',
      },
    ],
    ['short values are not masked', { secrets: ['abc'], text: 'abc', want: 'abc' }],
  ])('%s', (_name, { secrets, text, want }) => {
    const m = new Masker();
    for (const s of secrets) addCredential(m, s);
    const out = new BufferWriter();
    maskedWriter(m, out).write(text);
    expect(out.text).toBe(want);
  });
});

describe('colorEnabled', () => {
  it.each<[string, { tty: boolean; env: Record<string, string>; flag: boolean; want: boolean }]>([
    ['TTY', { tty: true, env: {}, flag: false, want: true }],
    ['not a TTY', { tty: false, env: {}, flag: false, want: false }],
    ['NO_COLOR', { tty: true, env: { NO_COLOR: '1' }, flag: false, want: false }],
    ['empty NO_COLOR is ignored', { tty: true, env: { NO_COLOR: '' }, flag: false, want: true }],
    ['--no-color', { tty: true, env: {}, flag: true, want: false }],
    ['FORCE_COLOR off a TTY', { tty: false, env: { FORCE_COLOR: '1' }, flag: false, want: true }],
    [
      'NO_COLOR beats FORCE_COLOR',
      { tty: false, env: { FORCE_COLOR: '1', NO_COLOR: '1' }, flag: false, want: false },
    ],
    ['dumb terminal', { tty: true, env: { TERM: 'dumb' }, flag: false, want: false }],
  ])('%s', (_name, { tty, env, flag, want }) => {
    expect(colorEnabled(tty, env, flag)).toBe(want);
  });
});
