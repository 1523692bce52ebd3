import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BufferWriter } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { createHtmlReporter, esc, renderHtmlReport } from '../../src/cli/reporters/html.js';
import type { ArazzoDocument } from '../../src/document/model.js';
import type { RunResult, StepRecord } from '../../src/engine/types.js';
import { startComposioSimulator } from '../../src/simulator/index.js';
import { captureIO } from '../cli/helpers.js';

const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));
const COMPOSIO = here('../../specs/composio/arazzo/composio-connect-account-via-auth-config-workflow.yml');

const SCRIPT = '<script>alert(1)</script>';
const IMG = `"'><img src=x onerror=alert(1)>`;

/** Every tag the report may contain; anything else means text escaped into markup. */
const ALLOWED_TAGS = new Set(
  (
    'html head meta title style body main h1 h2 h3 h4 h5 p a span strong code pre div section dl dt dd ' +
    'table tr th td ol ul li details summary svg defs marker path g rect text'
  ).split(' '),
);

function tagsOf(html: string): Set<string> {
  return new Set([...html.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9-]*)/g)].map((m) => m[1]!.toLowerCase()));
}

function record(partial: Partial<StepRecord> & Pick<StepRecord, 'stepId'>): StepRecord {
  return { workflowId: 'wf', attempt: 1, outcome: 'succeeded', criteria: [], durationMs: 12, ...partial };
}

const plainDoc = {
  arazzo: '1.0.1',
  info: { title: 't', version: '1' },
  sourceDescriptions: [{ name: 'api', url: 'api.yaml', type: 'openapi' }],
  workflows: [
    {
      workflowId: 'wf',
      steps: [
        { stepId: 'login', operationId: 'login' },
        {
          stepId: 'poll',
          operationId: 'getThing',
          onFailure: [{ name: 'again', type: 'retry', retryAfter: 2, retryLimit: 3 }],
        },
      ],
    },
  ],
} as unknown as ArazzoDocument;

const plainResult: RunResult = {
  workflowId: 'wf',
  status: 'succeeded',
  outputs: { id: 'abc-1', nested: { ok: true, n: [1, 2] } },
  diagnostics: [],
  durationMs: 2345,
  steps: [
    record({
      stepId: 'login',
      request: {
        method: 'post',
        url: 'http://127.0.0.1:1/login',
        headers: { 'x-api-key': '***' },
        body: { user: 'u' },
      },
      response: { statusCode: 201, headers: { 'content-type': 'application/json' }, body: { token: '***' } },
      criteria: [{ condition: '$statusCode == 201', passed: true }],
      action: { type: 'next' },
    }),
    record({
      stepId: 'poll',
      outcome: 'failed',
      request: { method: 'GET', url: 'http://127.0.0.1:1/thing', headers: {} },
      response: { statusCode: 503, headers: {}, body: 'busy' },
      criteria: [{ condition: '$statusCode == 200', passed: false, reason: 'left side $statusCode is 503' }],
      action: { type: 'retry', name: 'again', delayMs: 2000 },
    }),
    record({
      stepId: 'poll',
      attempt: 2,
      request: { method: 'GET', url: 'http://127.0.0.1:1/thing', headers: {} },
      response: { statusCode: 200, headers: {}, body: { state: 'done' } },
      criteria: [{ condition: '$statusCode == 200', passed: true }],
      action: { type: 'next' },
    }),
  ],
};

describe('structure', () => {
  const html = renderHtmlReport([{ file: 'flow.arazzo.yaml', document: plainDoc, result: plainResult }]);

  it.each([
    ['doctype and language', /^<!doctype html>\n<html lang="en">/],
    ['viewport meta for phones', /<meta name="viewport" content="width=device-width, initial-scale=1">/],
    [
      'CSP forbidding scripts and fetches',
      /<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; style-src &#39;unsafe-inline&#39;;/,
    ],
    ['title', /<title>Arazzo run: wf succeeded<\/title>/],
    ['status badge', /<h2>wf <span class="badge ok" data-status="succeeded">succeeded<\/span><\/h2>/],
    ['duration', /<dt>Duration<\/dt><dd>2\.35 s<\/dd>/],
    ['attempt count', /<dd>2 steps, 3 attempts<\/dd>/],
    ['retry waits', /<dt>Retry waits<\/dt><dd>1 retry, 2 s waited<\/dd>/],
    ['string output', /<tr><th><code>id<\/code><\/th><td><code>abc-1<\/code><\/td><\/tr>/],
    ['object output as pretty JSON', /<th><code>nested<\/code><\/th><td><pre>\{\n {2}&quot;ok&quot;: true,/],
    ['inline SVG graph', /<div class="scroll graph"><svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/],
    ['Mermaid source for copy-paste', /<details><summary>Mermaid source<\/summary><pre>flowchart TD\n/],
    [
      'failed criterion with its reason',
      /<li class="fail"><span class="mark">✗<\/span><code>\$statusCode == 200<\/code> <span class="reason">— left side \$statusCode is 503<\/span><\/li>/,
    ],
    ['request line', /<p><code>POST http:\/\/127\.0\.0\.1:1\/login<\/code><\/p>/],
    ['masked header kept masked', /<tr><th>x-api-key<\/th><td><code>\*\*\*<\/code><\/td><\/tr>/],
    ['pretty JSON body', /<pre>\{\n {2}&quot;state&quot;: &quot;done&quot;\n\}<\/pre>/],
  ])('%s', (_name, pattern) => {
    expect(html).toMatch(pattern);
  });

  it('the timeline lists every attempt, the action taken and the retry wait', () => {
    const timeline = html.slice(html.indexOf('<ol class="timeline">'), html.indexOf('</ol>'));
    const rows = [...timeline.matchAll(/<li class="([^"]+)"/g)].map((m) => m[1]);
    expect(rows).toEqual(['attempt-row succeeded', 'attempt-row failed', 'wait', 'attempt-row succeeded']);
    expect(timeline).toContain('→ retry after 2 s (action &quot;again&quot;)');
    expect(timeline).toContain('<li class="wait">waited 2 s before the next attempt</li>');
    expect(timeline).toContain('<span class="badge bad">503</span>');
  });

  it('the graph highlights the path the run took, retry loop included', () => {
    const lit = [...html.matchAll(/<g data-node="(\w+)"(?: data-step="(\w+)")? class="lit">/g)].map(
      (m) => m[2] ?? m[1],
    );
    expect(lit).toEqual(['start', 'login', 'poll', 'end']);
    expect(html).toMatch(/<text [^>]*>×2<\/text>/);
    expect(html).toMatch(/class="lit"><title>again: retry ≤3 every 2s<\/title><\/path>/);
    expect(html).toContain('linkStyle');
  });

  it.each<[string, { status: RunResult['status']; outcome: StepRecord['outcome']; red: string[] }]>([
    [
      'a failed run: the step where it stopped is red',
      { status: 'failed', outcome: 'failed', red: ['poll'] },
    ],
    ['a succeeded run: no red step', { status: 'succeeded', outcome: 'succeeded', red: [] }],
  ])('the graph: %s', (_name, { status, outcome, red }) => {
    const result: RunResult = {
      ...plainResult,
      status,
      steps: [record({ stepId: 'login' }), record({ stepId: 'poll', outcome })],
      ...(status === 'failed'
        ? { error: { code: 'STEP_FAILED', message: 'poll failed', stepId: 'poll', workflowId: 'wf' } }
        : {}),
    };
    const page = renderHtmlReport([{ file: 'flow.arazzo.yaml', document: plainDoc, result }]);
    const redSteps = [
      ...page.matchAll(
        /<g data-node="\w+" data-step="(\w+)"[^>]*><title>[^<]*<\/title><rect [^>]*fill="#fee2e2" stroke="#b91c1c"/g,
      ),
    ].map((m) => m[1]);
    expect(redSteps).toEqual(red);
  });

  it('is self-contained: no script, no external resource', () => {
    expect(tagsOf(html).has('script')).toBe(false);
    expect(html).not.toMatch(/\s(?:src|href)="(?!#)/);
    expect(html).not.toMatch(/<link|@import|@font-face/);
    expect([...html.matchAll(/url\(([^)]*)\)/g)].map((m) => m[1]).every((u) => u?.startsWith('#'))).toBe(
      true,
    );
    expect([...tagsOf(html)].filter((t) => !ALLOWED_TAGS.has(t))).toEqual([]);
  });

  it('cuts very large bodies', () => {
    const big = 'x'.repeat(50_000);
    const result: RunResult = {
      ...plainResult,
      steps: [record({ stepId: 'login', response: { statusCode: 200, headers: {}, body: big } })],
    };
    const page = renderHtmlReport([{ file: 'f', document: plainDoc, result }], { bodyLimit: 1000 });
    expect(page).toContain(`${'x'.repeat(1000)}… (49000 more characters)</pre>`);
    expect(page.length).toBeLessThan(40_000);
  });
});

describe('several runs on one page', () => {
  const failed: RunResult = {
    ...plainResult,
    status: 'failed',
    error: { code: 'STEP_FAILED', message: 'step "poll" failed', stepId: 'poll' },
  };
  const html = renderHtmlReport(
    [
      { file: 'a.yaml', document: plainDoc, result: plainResult },
      { file: 'b.yaml', document: plainDoc, result: failed },
    ],
    { title: 'arazzo test' },
  );

  it('opens with an index and keeps ids unique', () => {
    expect(html).toContain('<p>2 runs: 1 succeeded, 1 failed</p>');
    expect(html).toMatch(/<td><a href="#r2">2<\/a><\/td><td><code>b\.yaml<\/code><\/td>/);
    expect(html).toContain('<h1>arazzo test</h1>');
    const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
    expect(ids.length).toBeGreaterThan(8);
    expect(new Set(ids).size).toBe(ids.length);
    for (const ref of html.matchAll(/(?:href="#|url\(#)([^")]+)/g)) expect(ids).toContain(ref[1]);
    expect(html).toMatch(
      /<dt>Error<\/dt><dd><span class="err"><code>STEP_FAILED<\/code> at step poll: step &quot;poll&quot; failed<\/span><\/dd>/,
    );
  });
});

describe('escaping hostile text', () => {
  const hostileDoc = {
    arazzo: '1.0.1',
    info: { title: SCRIPT, version: '1' },
    sourceDescriptions: [],
    workflows: [
      {
        workflowId: IMG,
        steps: [
          { stepId: SCRIPT, operationId: IMG, successCriteria: [{ condition: SCRIPT }] },
          { stepId: IMG, operationPath: `{$sourceDescriptions.x.url}#/paths/~1${SCRIPT}/get` },
        ],
      },
    ],
  } as unknown as ArazzoDocument;
  const hostileResult: RunResult = {
    workflowId: IMG,
    status: 'failed',
    outputs: { [SCRIPT]: IMG, [IMG]: { [SCRIPT]: [IMG] } },
    diagnostics: [
      { code: IMG, severity: 'warning', message: SCRIPT, pointer: '', file: IMG, line: 0, column: 0 },
    ],
    durationMs: 5,
    error: { code: 'STEP_FAILED', message: SCRIPT, stepId: IMG },
    steps: [
      record({
        workflowId: IMG,
        stepId: SCRIPT,
        request: {
          method: IMG,
          url: `http://127.0.0.1/${SCRIPT}`,
          headers: { [IMG]: SCRIPT },
          body: { [SCRIPT]: IMG },
        },
        response: { statusCode: 200, headers: { [SCRIPT]: [IMG, IMG] }, body: `${SCRIPT}${IMG}` },
        criteria: [{ condition: SCRIPT, passed: false, reason: IMG, context: SCRIPT, type: IMG }],
        action: { type: 'goto', name: SCRIPT, target: IMG },
        outputs: { [IMG]: SCRIPT },
        warnings: [SCRIPT],
      }),
      record({
        workflowId: IMG,
        stepId: IMG,
        outcome: 'failed',
        error: { code: IMG, message: SCRIPT },
        action: { type: 'end' },
      }),
    ],
  };
  const html = renderHtmlReport([{ file: IMG, document: hostileDoc, result: hostileResult, title: SCRIPT }], {
    title: IMG,
  });

  it('no hostile text becomes markup', () => {
    expect([...tagsOf(html)].filter((t) => !ALLOWED_TAGS.has(t))).toEqual([]);
    expect(html).not.toMatch(/<script|<img/i);
    expect(html).not.toContain(`"'>`);
    // Every opening tag is well formed with double-quoted values, and none has an event-handler attribute.
    const opening = [...html.matchAll(/<[a-zA-Z]/g)].length;
    const tags = [...html.matchAll(/<([a-zA-Z][\w-]*)((?:\s+[\w:-]+(?:="[^"<>]*")?)*)\s*\/?>/g)];
    expect(tags).toHaveLength(opening);
    const attributes = tags.flatMap((t) =>
      [...(t[2] ?? '').matchAll(/\s([\w:-]+)(?:="[^"]*")?/g)].map((m) => m[1]),
    );
    expect(attributes.filter((a) => a?.toLowerCase().startsWith('on'))).toEqual([]);
    expect(attributes.length).toBeGreaterThan(50);
  });

  it.each([
    ['step id', `<strong>${esc(SCRIPT)}</strong>`],
    ['step id in a data attribute', `data-step="${esc(IMG)}"`],
    [
      'output name and value',
      `<tr><th><code>${esc(SCRIPT)}</code></th><td><code>${esc(IMG)}</code></td></tr>`,
    ],
    ['response body', `<pre>${esc(SCRIPT + IMG)}</pre>`],
    [
      'request body key',
      `&quot;${esc(SCRIPT)}&quot;: &quot;${esc(IMG).replace(/&quot;/g, '\\&quot;')}&quot;`,
    ],
    ['criterion', `<code>${esc(SCRIPT)}</code> <span class="note">[${esc(IMG)}]</span>`],
    ['title', `<title>${esc(IMG)}</title>`],
    ['graph node', `>${esc(SCRIPT)}</text>`],
    ['error', `<code>STEP_FAILED</code> at step ${esc(IMG)}: ${esc(SCRIPT)}`],
  ])('%s is shown escaped', (_name, fragment) => {
    expect(html).toContain(fragment);
  });

  it('esc covers the five characters', () => {
    expect(esc(`<a href="x" title='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
  });
});

describe('reporter', () => {
  it.each([
    [
      'finish writes the page',
      (r: ReturnType<typeof createHtmlReporter>) => {
        r.start({ file: 'flow.yaml', workflowId: 'wf', document: plainDoc, diagnostics: [] });
        r.finish(plainResult);
      },
      /<title>Arazzo run: wf succeeded<\/title>[\s\S]*<svg/,
    ],
    [
      'invalid lists the diagnostics',
      (r: ReturnType<typeof createHtmlReporter>) => {
        r.start({ file: 'bad.yaml', workflowId: '', diagnostics: [] });
        r.invalid(
          [
            {
              code: 'SCHEMA',
              severity: 'error',
              message: `bad ${SCRIPT}`,
              pointer: '/x',
              file: '/w/bad.yaml',
              line: 3,
              column: 5,
            },
          ],
          'bad.yaml is not a valid Arazzo document',
        );
      },
      /<title>Arazzo: bad\.yaml is not valid<\/title>[\s\S]*<pre>\/w\/bad\.yaml:3:5 error SCHEMA bad &lt;script&gt;/,
    ],
    [
      'error shows one line',
      (r: ReturnType<typeof createHtmlReporter>) => {
        r.start({ file: 'flow.yaml', workflowId: 'wf', diagnostics: [] });
        r.error('OPTIONS_INVALID', 'no server');
      },
      /<p class="err">OPTIONS_INVALID: no server<\/p>/,
    ],
  ])('%s', (_name, drive, want) => {
    const out = new BufferWriter();
    drive(createHtmlReporter(out, '/elsewhere'));
    expect(out.text).toMatch(want);
    expect(out.text.match(/<!doctype html>/g)).toHaveLength(1);
  });

  it('arazzo run --reporter html --output writes the page, secrets masked', async () => {
    const key = 'sim_cli_html_key_99';
    const sim = await startComposioSimulator({ apiKey: key, pollsUntilActive: 1 });
    const dir = mkdtempSync(join(tmpdir(), 'arazzo-html-cli-'));
    try {
      const cap = captureIO();
      const file = join(dir, 'run.html');
      const code = await main(
        [
          'run',
          COMPOSIO,
          '--server',
          `composioApi=${sim.url}`,
          '--input',
          `apiKey=${key}`,
          '--input',
          'toolkitSlug=gmail',
          '--input',
          'authType=use_composio_managed_auth',
          '--input',
          'userId=u1',
          '--max-retry-delay',
          '0',
          '--reporter',
          'html',
          '--output',
          file,
        ],
        cap.io,
      );
      expect(cap.stderr()).toBe('');
      expect(code).toBe(0);
      const html = readFileSync(file, 'utf8');
      expect(html).toMatch(/<h2>connect-account-via-auth-config <span class="badge ok"/);
      expect(html).toMatch(/<th><code>status<\/code><\/th><td><code>ACTIVE<\/code><\/td>/);
      expect(html).not.toContain(key);
      expect(cap.stdout()).not.toContain('<!doctype html>');
    } finally {
      await sim.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
