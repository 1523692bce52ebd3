import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { ArazzoDocument, StepObject } from '../../src/document/model.js';
import { OptionsError } from '../../src/errors.js';
import {
  buildWorkflowGraph,
  escapeSvg,
  type GraphHighlight,
  highlightSets,
  pathFromRun,
  type RunPath,
  renderSvg,
  toDot,
  toMermaid,
  toSvg,
} from '../../src/graph/index.js';

const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));
const COMPOSIO = here('../../specs/composio/arazzo/composio-connect-account-via-auth-config-workflow.yml');
const loadYaml = (path: string): ArazzoDocument => parse(readFileSync(path, 'utf8')) as ArazzoDocument;

/** Golden files; run with UPDATE_GOLDEN=1 to rewrite them after an intended change (then review the diff). */
function expectGolden(actual: string, path: string): void {
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(path, actual);
  expect(existsSync(path), `${path} is missing: run with UPDATE_GOLDEN=1`).toBe(true);
  expect(actual).toBe(readFileSync(path, 'utf8'));
}

/** The compat rewrite's result: step-level retryAfter/retryLimit as a trailing onFailure retry action. */
function normalized(doc: ArazzoDocument): ArazzoDocument {
  const copy = structuredClone(doc);
  for (const wf of copy.workflows) {
    for (const step of wf.steps) {
      const raw = step as StepObject & { retryAfter?: number; retryLimit?: number };
      if (raw.retryAfter === undefined && raw.retryLimit === undefined) continue;
      const action = {
        name: 'retry',
        type: 'retry' as const,
        retryAfter: raw.retryAfter,
        retryLimit: raw.retryLimit,
      };
      delete raw.retryAfter;
      delete raw.retryLimit;
      step.onFailure = [...(step.onFailure ?? []), action as never];
    }
  }
  return copy;
}

describe('golden graphs', () => {
  it.each([
    ['composio', { given: COMPOSIO, workflowId: undefined }],
    ['every-edge', { given: here('fixtures/every-edge/arazzo.yaml'), workflowId: 'every-edge' }],
  ])('%s', (name, { given, workflowId }) => {
    const doc = loadYaml(given);
    const mermaid = toMermaid(doc, workflowId);
    const dot = toDot(doc, workflowId);
    expectGolden(mermaid, here(`fixtures/${name}/expected.mmd`));
    expectGolden(dot, here(`fixtures/${name}/expected.dot`));
    // Deterministic, and the raw compat form draws exactly like the normalized document.
    expect(toMermaid(doc, workflowId)).toBe(mermaid);
    expect(toMermaid(normalized(doc), workflowId)).toBe(mermaid);
    expect(toDot(normalized(doc), workflowId)).toBe(dot);
  });

  it('composio: highlight of the polling path', () => {
    const doc = loadYaml(COMPOSIO);
    const highlight = {
      steps: [
        'createAuthConfig',
        'createConnectedAccount',
        'pollConnection',
        'pollConnection',
        'confirmActive',
      ],
    };
    expectGolden(toMermaid(doc, undefined, { highlight }), here('fixtures/composio/highlight.mmd'));
    expectGolden(toDot(doc, undefined, { highlight }), here('fixtures/composio/highlight.dot'));
  });
});

describe('graph structure', () => {
  const doc = loadYaml(here('fixtures/every-edge/arazzo.yaml'));
  const graph = buildWorkflowGraph(doc, 'every-edge');
  const edgesFrom = (stepId: string) =>
    graph.edges.filter((e) => e.from === `step:${stepId}`).map((e) => [e.kind, e.to, e.label ?? '']);

  it.each([
    [
      'login: conditional goto, otherwise-next, conditional end, inherited retry, default failure',
      {
        given: 'login',
        want: [
          ['success', 'step:adopt', 'skipToAdopt if $response.body#/vip == true'],
          ['success', 'end', 'wfDone if $statusCode == 204'],
          ['next', 'step:findPets', 'otherwise'],
          ['failure', 'failed', 'giveUp if $statusCode == 401'],
          ['retry', 'step:login', 'wfRetry: retry ≤2 every 0.5s if $statusCode == 503'],
          ['failure', 'failed', 'failure'],
        ],
      },
    ],
    [
      'findPets: regex retry, unconditional goto covers the default failure',
      {
        given: 'findPets',
        want: [
          ['success', 'end', 'wfDone if $statusCode == 204'],
          ['next', 'step:adopt', 'otherwise'],
          ['retry', 'step:findPets', 'retryFind: retry ≤3 every 1s if $statusCode ~ /^5/'],
          ['failure', 'step:adopt', 'fallback'],
          ['retry', 'step:findPets', 'wfRetry: retry ≤2 every 0.5s if $statusCode == 503'],
        ],
      },
    ],
    [
      'adopt: component end, retry via a step, goto workflow, compat retry',
      {
        given: 'adopt',
        want: [
          ['success', 'end', 'finish'],
          ['success', 'end', 'wfDone if $statusCode == 204'],
          ['retry', 'step:login', 'refresh: run, then retry ≤1'],
          ['failure', 'workflow:$sourceDescriptions.shared.recover', 'recover if $.error.code == "E_LOCKED"'],
          ['retry', 'step:adopt', 'retry: retry ≤5 every 2s'],
          ['retry', 'step:adopt', 'wfRetry: retry ≤2 every 0.5s if $statusCode == 503'],
          ['failure', 'failed', 'failure'],
        ],
      },
    ],
    [
      'notify: goto a missing step, step action overrides the workflow action of the same name',
      {
        given: 'notify',
        want: [
          ['success', 'missing:ghost', 'toGhost if $outputs.ghost != null'],
          ['success', 'step:cleanup', 'wfDone'],
          ['retry', 'step:notify', 'wfRetry: retry ≤2 every 0.5s if $statusCode == 503'],
          ['failure', 'failed', 'failure'],
        ],
      },
    ],
    [
      'cleanup: last step falls through to End',
      {
        given: 'cleanup',
        want: [
          ['success', 'end', 'wfDone if $statusCode == 204'],
          ['next', 'end', 'otherwise'],
          ['retry', 'step:cleanup', 'wfRetry: retry ≤2 every 0.5s if $statusCode == 503'],
          ['failure', 'failed', 'failure'],
        ],
      },
    ],
  ])('%s', (_name, { given, want }) => {
    expect(edgesFrom(given)).toEqual(want);
  });

  it('puts dependsOn workflows before Start and labels step targets', () => {
    expect(graph.edges.slice(0, 3)).toEqual([
      { from: 'dependency:notify-owner', to: 'start', kind: 'dependsOn' },
      { from: 'dependency:$sourceDescriptions.shared.seed', to: 'start', kind: 'dependsOn' },
      { from: 'start', to: 'step:login', kind: 'start' },
    ]);
    expect(graph.nodes.map((n) => [n.key, n.kind, n.lines.join(' | ')])).toEqual([
      ['dependency:notify-owner', 'dependency', 'dependsOn: notify-owner'],
      ['dependency:$sourceDescriptions.shared.seed', 'dependency', 'dependsOn: shared.seed'],
      ['start', 'start', 'Start'],
      ['step:login', 'step', 'login | petStore.loginUser'],
      ['step:findPets', 'step', 'findPets | GET /pet/findByStatus'],
      ['step:adopt', 'step', 'adopt | adoptPet'],
      ['step:notify', 'step', 'notify | workflow: notify-owner'],
      ['step:cleanup', 'step', 'cleanup | deleteSession'],
      ['workflow:$sourceDescriptions.shared.recover', 'workflow', 'workflow: shared.recover'],
      ['missing:ghost', 'missing', 'missing step: ghost'],
      ['end', 'end', 'End'],
      ['failed', 'failed', 'Failed'],
    ]);
  });

  it('an empty workflow goes straight from Start to End and has no Failed node', () => {
    const empty = { ...doc, workflows: [{ workflowId: 'empty', steps: [] }] } as ArazzoDocument;
    expect(toMermaid(empty)).toBe(
      [
        'flowchart TD',
        '  %% workflow empty',
        '  n_start(["Start"])',
        '  n_end(["End"])',
        '  n_start --> n_end',
        '  classDef endOk fill:#dcfce7,stroke:#15803d,color:#14532d',
        '  class n_end endOk',
        '',
      ].join('\n'),
    );
  });

  it.each([
    ['unknown workflow', 'nope', /workflow "nope" is not in the document \(have: every-edge, notify-owner\)/],
  ])('%s throws OptionsError', (_name, workflowId, message) => {
    expect(() => toMermaid(doc, workflowId)).toThrow(OptionsError);
    expect(() => toDot(doc, workflowId)).toThrow(message);
  });

  it('sanitised ids never collide', () => {
    const twins = {
      ...doc,
      workflows: [
        {
          workflowId: 'twins',
          steps: [
            { stepId: 'a-b', operationId: 'x' },
            { stepId: 'a_b', operationId: 'y' },
            { stepId: 'a.b', operationId: 'z' },
            { stepId: 'end', operationId: 'w' },
          ],
        },
      ],
    } as ArazzoDocument;
    const ids = toMermaid(twins)
      .split('\n')
      .filter((l) => /^ {2}\w+\[/.test(l))
      .map((l) => l.trim().split('[')[0]);
    expect(ids).toEqual(['s_a_b', 's_a_b_2', 's_a_b_3', 's_end']);
  });
});

describe('highlight', () => {
  const doc = loadYaml(COMPOSIO);

  it('derives edges from the visited steps (a retry is a self-edge)', () => {
    const text = toMermaid(doc, undefined, {
      highlight: {
        steps: ['createAuthConfig', 'createConnectedAccount', 'pollConnection', 'pollConnection'],
      },
    });
    expect(text).toContain(
      '  class n_start,s_createAuthConfig,s_createConnectedAccount,s_pollConnection highlight\n',
    );
    const linkStyle = text.split('\n').find((l) => l.startsWith('  linkStyle'));
    const edgeLines = text.split('\n').filter((l) => l.includes('-->') || l.includes('-.->'));
    const lit = (linkStyle ?? '').split(' ')[3]!.split(',').map(Number);
    expect(lit.map((i) => edgeLines[i]!.trim())).toEqual([
      'n_start --> s_createAuthConfig',
      's_createAuthConfig --> s_createConnectedAccount',
      's_createConnectedAccount -->|"needsActivation if $.status != #34;ACTIVE#34;"| s_pollConnection',
      's_createConnectedAccount -->|"otherwise"| s_pollConnection',
      's_pollConnection -.->|"retry: retry ≤20 every 3s"| s_pollConnection',
    ]);
  });

  it('explicit edges may end at $end or $failed; DOT colours them', () => {
    const dot = toDot(doc, undefined, {
      highlight: { steps: ['confirmActive'], edges: [['confirmActive', '$end']] },
    });
    expect(dot).toContain('  "s_confirmActive" -> "n_end" [color="#2563eb", penwidth="3"];\n');
    expect(dot).toContain(
      '  "n_end" [label="End", shape="oval", fillcolor="#dcfce7", color="#15803d", penwidth="3", style="filled"];',
    );
    expect(dot).toMatch(
      /"s_confirmActive" \[label="confirmActive\\ngetConnectedAccountsByNanoid", penwidth="3", color="#2563eb", fillcolor="#dbeafe", style="rounded,filled"\];/,
    );
    expect(toDot(doc)).not.toContain('#2563eb');
  });
});

describe('escaping hostile labels', () => {
  const hostile = [
    'say "hi"',
    'a --> b',
    'x]; click s_a call alert(1); %%',
    'line1\nline2',
    '<script>alert(1)</script>',
    '#quot; {{}} | `code` \\N',
  ];
  const docWith = (value: string): ArazzoDocument =>
    ({
      arazzo: '1.0.1',
      info: { title: 't', version: '1' },
      sourceDescriptions: [],
      workflows: [
        {
          workflowId: value,
          dependsOn: [value],
          steps: [
            {
              stepId: value,
              operationId: value,
              onSuccess: [{ name: value, type: 'goto', workflowId: value, criteria: [{ condition: value }] }],
              onFailure: [{ name: value, type: 'goto', stepId: `${value}!` }],
            },
          ],
        },
      ],
    }) as ArazzoDocument;

  // Every Mermaid statement we emit has one of these forms; labels may not contain raw " # < > [ ] { } | ` % \ or newlines.
  const SAFE = '[^"#<>\\[\\]{}|`%\\\\\\n]*(?:#\\d+;[^"#<>\\[\\]{}|`%\\\\\\n]*)*';
  const LABEL = `"${SAFE}(?:<br/>${SAFE})*"`;
  const MERMAID_LINE = new RegExp(
    [
      '^flowchart TD$',
      `^  %% workflow ${SAFE}$`,
      `^  [a-z]_\\w+(?:\\(\\[${LABEL}\\]\\)|\\[/${LABEL}/\\]|\\{\\{${LABEL}\\}\\}|\\[\\[${LABEL}\\]\\]|\\[${LABEL}\\])$`,
      `^  [a-z]_\\w+ (?:-->|-\\.->)(?:\\|${LABEL}\\|)? [a-z]_\\w+$`,
      '^  classDef \\w+ [^\\n]+$',
      '^  class [\\w,]+ \\w+$',
      '^$',
    ].join('|'),
  );
  // DOT: quoted strings hold no bare quote and no newline; backslashes only as \\ or \" or our \n.
  const DOT_STRING = '"(?:[^"\\\\\\n]|\\\\\\\\|\\\\"|\\\\n)*"';
  const DOT_LINE = new RegExp(
    [
      `^digraph ${DOT_STRING} \\{$`,
      '^  rankdir=TB;$',
      '^  (?:node|edge) \\[[^\\n]*\\];$',
      `^  ${DOT_STRING}(?: -> ${DOT_STRING})?(?: \\[\\w+=${DOT_STRING}(?:, \\w+=${DOT_STRING})*\\])?;$`,
      '^\\}$',
      '^$',
    ].join('|'),
  );

  it.each(hostile.map((h) => [JSON.stringify(h), h]))('%s stays inside its Mermaid label', (_name, value) => {
    const text = toMermaid(docWith(value));
    for (const line of text.split('\n')) expect(line).toMatch(MERMAID_LINE);
    expect(text).not.toContain('<script>');
    // dependency, start, step, workflow target, missing step, end (no Failed: an unconditional goto covers it).
    expect(text.split('\n').filter((l) => /^ {2}[a-z]_\w+[[({]/.test(l))).toHaveLength(6);
    expect(text.split('\n').filter((l) => / (?:-->|-\.->)/.test(l))).toHaveLength(5);
  });

  it.each(hostile.map((h) => [JSON.stringify(h), h]))('%s stays inside its DOT string', (_name, value) => {
    const text = toDot(docWith(value));
    for (const line of text.split('\n')) expect(line).toMatch(DOT_LINE);
    expect(text.split('\n').filter((l) => l.includes(' -> '))).toHaveLength(5);
  });

  it.each([
    ['quote', 'say "hi"', 'say #34;hi#34;', 'say \\"hi\\"'],
    ['arrow', 'a --> b', 'a --#62; b', 'a --> b'],
    ['bracket', 'x]', 'x#93;', 'x]'],
    ['newline', 'line1\nline2', 'line1 line2', 'line1 line2'],
    ['script', '<script>', '#60;script#62;', '<script>'],
    ['hash', '#quot;', '#35;quot;', '#quot;'],
    ['backslash', 'a\\N', 'a#92;N', 'a\\\\N'],
  ])('%s: the step label shows the text literally', (_name, value, mermaid, dot) => {
    const doc = docWith(value);
    expect(toMermaid(doc)).toContain(`(["Start"])\n  s_`);
    expect(toMermaid(doc).split('\n')[4]).toMatch(new RegExp(`^  s_\\w+\\["${escapeRe(mermaid)}<br/>`));
    expect(toDot(doc).split('\n')[6]).toMatch(new RegExp(`^  "s_\\w+" \\[label="${escapeRe(dot)}\\\\n`));
  });
});

function escapeRe(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

type Rec = RunPath['steps'][number];
const rec = (stepId: string, action: Rec['action'], outcome: Rec['outcome'] = 'succeeded'): Rec =>
  action === undefined
    ? { workflowId: 'connect-account-via-auth-config', stepId, outcome }
    : { workflowId: 'connect-account-via-auth-config', stepId, outcome, action };

/** The Mermaid edge lines that linkStyle emphasises. */
function litMermaidEdges(text: string): string[] {
  const lines = text.split('\n');
  const edgeLines = lines.filter((l) => l.includes('-->') || l.includes('-.->'));
  const style = lines.find((l) => l.startsWith('  linkStyle'));
  if (style === undefined) return [];
  return style
    .split(' ')[3]!
    .split(',')
    .map((i) => edgeLines[Number(i)]!.trim());
}

describe('highlight by run', () => {
  const doc = loadYaml(COMPOSIO);
  const polling: RunPath = {
    workflowId: 'connect-account-via-auth-config',
    steps: [
      rec('createAuthConfig', { type: 'next' }),
      rec('createConnectedAccount', { type: 'goto', name: 'needsActivation', target: 'pollConnection' }),
      rec('pollConnection', { type: 'retry', name: 'retry', delayMs: 3000 }, 'failed'),
      rec('pollConnection', { type: 'retry', name: 'retry', delayMs: 3000 }, 'failed'),
      rec('pollConnection', { type: 'next' }),
      rec('confirmActive', { type: 'next' }),
      { workflowId: 'other', stepId: 'elsewhere', outcome: 'succeeded', action: { type: 'next' } },
    ],
  };

  it('pathFromRun turns each record into the edge of its action', () => {
    expect(pathFromRun(polling)).toEqual({
      steps: [
        'createAuthConfig',
        'createConnectedAccount',
        'pollConnection',
        'pollConnection',
        'pollConnection',
        'confirmActive',
      ],
      edges: [
        { from: '$start', to: 'createAuthConfig', kind: 'start' },
        { from: 'createAuthConfig', kind: 'next' },
        { from: 'createConnectedAccount', to: 'pollConnection', action: 'needsActivation' },
        { from: 'pollConnection', kind: 'retry', action: 'retry' },
        { from: 'pollConnection', kind: 'retry', action: 'retry' },
        { from: 'pollConnection', kind: 'next' },
        { from: 'confirmActive', kind: 'next' },
      ],
    });
    expect(pathFromRun(polling, 'other').steps).toEqual(['elsewhere']);
  });

  it.each([
    [
      'polling: the goto taken, not the "otherwise" edge between the same steps',
      {
        given: polling,
        want: [
          'n_start --> s_createAuthConfig',
          's_createAuthConfig --> s_createConnectedAccount',
          's_createConnectedAccount -->|"needsActivation if $.status != #34;ACTIVE#34;"| s_pollConnection',
          's_pollConnection --> s_confirmActive',
          's_pollConnection -.->|"retry: retry ≤20 every 3s"| s_pollConnection',
          's_confirmActive --> n_end',
        ],
      },
    ],
    [
      'already active: the skip to confirmActive',
      {
        given: {
          workflowId: 'connect-account-via-auth-config',
          steps: [
            rec('createAuthConfig', { type: 'next' }),
            rec('createConnectedAccount', { type: 'goto', name: 'alreadyActive', target: 'confirmActive' }),
            rec('confirmActive', { type: 'next' }),
          ],
        },
        want: [
          'n_start --> s_createAuthConfig',
          's_createAuthConfig --> s_createConnectedAccount',
          's_createConnectedAccount -->|"alreadyActive if $.status == #34;ACTIVE#34;"| s_confirmActive',
          's_confirmActive --> n_end',
        ],
      },
    ],
    [
      'retries used up: the default failure edge',
      {
        given: {
          workflowId: 'connect-account-via-auth-config',
          steps: [
            rec('createAuthConfig', { type: 'next' }),
            rec('createConnectedAccount', {
              type: 'goto',
              name: 'needsActivation',
              target: 'pollConnection',
            }),
            rec('pollConnection', { type: 'retry', name: 'retry', delayMs: 0 }, 'failed'),
            rec('pollConnection', { type: 'end' }, 'failed'),
          ],
        },
        want: [
          'n_start --> s_createAuthConfig',
          's_createAuthConfig --> s_createConnectedAccount',
          's_createConnectedAccount -->|"needsActivation if $.status != #34;ACTIVE#34;"| s_pollConnection',
          's_pollConnection -.->|"retry: retry ≤20 every 3s"| s_pollConnection',
          's_pollConnection -.->|"failure"| n_failed',
        ],
      },
    ],
    [
      'first step failed without any action edge: only the start edge',
      {
        given: {
          workflowId: 'connect-account-via-auth-config',
          steps: [rec('createAuthConfig', undefined, 'failed')],
        },
        want: ['n_start --> s_createAuthConfig'],
      },
    ],
  ])('%s', (_name, { given, want }) => {
    expect(litMermaidEdges(toMermaid(doc, undefined, { highlight: pathFromRun(given) }))).toEqual(want);
  });

  it('golden: the polling run', () => {
    const highlight = pathFromRun(polling);
    expectGolden(toMermaid(doc, undefined, { highlight }), here('fixtures/composio/run-highlight.mmd'));
    expectGolden(
      renderSvg(buildWorkflowGraph(doc), { highlight, badges: { pollConnection: '×3' } }),
      here('fixtures/composio/run-highlight.svg'),
    );
  });

  it.each([
    [
      'wfRetry only, not the compat retry on the same self-edge',
      { type: 'retry', name: 'wfRetry' },
      'failed',
      [['retry', 'step:adopt', 'wfRetry: retry ≤2 every 0.5s if $statusCode == 503']],
    ],
    [
      'a retry detour runs another step first',
      { type: 'retry', name: 'refresh' },
      'failed',
      [['retry', 'step:login', 'refresh: run, then retry ≤1']],
    ],
    [
      'goto a workflow',
      { type: 'goto', name: 'recover', target: 'workflow:$sourceDescriptions.shared.recover' },
      'failed',
      [['failure', 'workflow:$sourceDescriptions.shared.recover', 'recover if $.error.code == "E_LOCKED"']],
    ],
    ['a named end on success', { type: 'end', name: 'finish' }, 'succeeded', [['success', 'end', 'finish']]],
    ['the default failure', { type: 'end' }, 'failed', [['failure', 'failed', 'failure']]],
  ] as const)('every-edge, adopt: %s', (_name, action, outcome, want) => {
    const doc2 = loadYaml(here('fixtures/every-edge/arazzo.yaml'));
    const graph = buildWorkflowGraph(doc2, 'every-edge');
    const highlight = pathFromRun({
      workflowId: 'every-edge',
      steps: [{ workflowId: 'every-edge', stepId: 'adopt', outcome, action: { ...action } }],
    });
    const lit = highlightSets(graph, highlight);
    const fromAdopt = [...lit.edges]
      .map((i) => graph.edges[i]!)
      .filter((e) => e.from === 'step:adopt')
      .map((e) => [e.kind, e.to, e.label ?? '']);
    expect(fromAdopt).toEqual(want);
  });

  it('explicit edge objects narrow by action and by kind; null means no action', () => {
    const graph = buildWorkflowGraph(doc);
    const lit = (edges: GraphHighlight['edges']) =>
      [...highlightSets(graph, { steps: [], ...(edges ? { edges } : {}) }).edges].map(
        (i) => graph.edges[i]!.label ?? '-',
      );
    expect(lit([['createConnectedAccount', 'pollConnection']])).toEqual([
      'needsActivation if $.status != "ACTIVE"',
      'otherwise',
    ]);
    expect(lit([{ from: 'createConnectedAccount', to: 'pollConnection', action: null }])).toEqual([
      'otherwise',
    ]);
    expect(lit([{ from: 'createConnectedAccount', kind: 'failure' }])).toEqual(['failure']);
    expect(lit([{ from: 'pollConnection', action: 'nope' }])).toEqual([]);
  });
});

describe('svg', () => {
  const doc = loadYaml(COMPOSIO);

  it('is deterministic, draws every node and edge once, and prefixes its marker ids', () => {
    const svg = toSvg(doc, undefined, { idPrefix: 'run 2' });
    expect(toSvg(doc, undefined, { idPrefix: 'run 2' })).toBe(svg);
    expect(svg.match(/<g data-node=/g)).toHaveLength(buildWorkflowGraph(doc).nodes.length);
    expect(svg.match(/<path d="[^"]+" fill="none"/g)).toHaveLength(buildWorkflowGraph(doc).edges.length);
    const ids = [...svg.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]);
    expect(ids.length).toBeGreaterThan(0);
    expect(ids.every((id) => id?.startsWith('run_2-arrow-'))).toBe(true);
    for (const ref of svg.matchAll(/url\(#([^)]+)\)/g)) expect(ids).toContain(ref[1]);
    expect(svg).not.toContain('class="lit"');
    expect(svg).toMatch(
      /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="\d+" height="\d+" viewBox="0 0 \d+ \d+"/,
    );
  });

  it('lights exactly the highlighted edges and nodes', () => {
    const highlight = pathFromRun({
      workflowId: 'connect-account-via-auth-config',
      steps: [
        rec('createAuthConfig', { type: 'next' }),
        rec('createConnectedAccount', { type: 'goto', name: 'alreadyActive', target: 'confirmActive' }),
        rec('confirmActive', { type: 'next' }),
      ],
    });
    const svg = toSvg(doc, undefined, { highlight });
    const graph = buildWorkflowGraph(doc);
    const litEdges = [...svg.matchAll(/data-edge="(\d+)" class="lit"/g)].map((m) => Number(m[1]));
    expect(litEdges.sort((a, b) => a - b)).toEqual(
      [...highlightSets(graph, highlight).edges].sort((a, b) => a - b),
    );
    expect(
      [...svg.matchAll(/<g data-node="(\w+)"(?: data-step="(\w+)")? class="lit">/g)].map((m) => m[2] ?? m[1]),
    ).toEqual(['start', 'createAuthConfig', 'createConnectedAccount', 'confirmActive', 'end']);
  });

  it.each([
    'say "hi"',
    '<script>alert(1)</script>',
    `"'><img src=x onerror=alert(1)>`,
    'a & b \u0001 \uFFFF',
  ])('%s stays text', (value) => {
    const hostileDoc = {
      arazzo: '1.0.1',
      info: { title: 't', version: '1' },
      sourceDescriptions: [],
      workflows: [
        {
          workflowId: value,
          steps: [
            { stepId: value, operationId: value, onSuccess: [{ name: value, type: 'goto', stepId: value }] },
          ],
        },
      ],
    } as unknown as ArazzoDocument;
    const svg = toSvg(hostileDoc);
    expect(svg).not.toMatch(/<script|<img/);
    expect(svg.includes('\u0001') || svg.includes('\uFFFF')).toBe(false);
    const opening = [...svg.matchAll(/<[a-zA-Z]/g)].length;
    const tags = [...svg.matchAll(/<([a-zA-Z][\w-]*)((?:\s+[\w:-]+="[^"<>]*")*)\s*\/?>/g)];
    expect(tags).toHaveLength(opening);
    expect(svg).toContain(`>${escapeSvg(value)}</text>`);
  });
});

describe('docs', () => {
  it('docs/composio-graph.md shows the current `arazzo graph` output', () => {
    const text = readFileSync(here('../../docs/composio-graph.md'), 'utf8');
    const block = /```mermaid\n([\s\S]*?)```/.exec(text)?.[1];
    expect(block).toBe(toMermaid(loadYaml(COMPOSIO)));
  });
});
