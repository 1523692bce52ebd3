/**
 * HTML reporter (issue #11): one self-contained page per report. No script, no external request (a CSP
 * meta forbids both, so even a missed escape could not run or fetch anything); CSS inline; the workflow
 * graph drawn as inline SVG with the run's path highlighted. Every value that came from a document or a
 * run goes through `esc()`. The RunResult is masked by the engine; the CLI masks the file once more.
 */

import type { Diagnostic } from '../../document/diagnostic.js';
import type { ArazzoDocument } from '../../document/model.js';
import type {
  ActionRecord,
  CriterionRecord,
  RecordedMessage,
  RecordedRequest,
  RecordedResponse,
  RunResult,
  StepRecord,
} from '../../engine/types.js';
import { buildWorkflowGraph } from '../../graph/build.js';
import { toMermaid } from '../../graph/mermaid.js';
import { pathFromRun } from '../../graph/run.js';
import { renderSvg } from '../../graph/svg.js';
import { responseExcerpt } from '../excerpt.js';
import {
  blockValue,
  formatDiagnostic,
  formatDuration,
  inlineValue,
  plural,
  stringifyJson,
} from '../format.js';
import type { Writable } from '../io.js';
import { createFinalReporter } from './final.js';
import type { Reporter } from './types.js';

export interface HtmlRun {
  /** The Arazzo file as the user named it. */
  file: string;
  /** The loaded document (draws the graph); without it the page has no graph. */
  document?: ArazzoDocument;
  result: RunResult;
  /**
   * Heading of this run's section.
   * @default the workflowId
   * @example 'scenario: expired connection'
   */
  title?: string;
}

export interface HtmlReportOptions {
  /**
   * The page title and main heading.
   * @default 'Arazzo run report'
   * @example 'arazzo test: specs/composio'
   */
  title?: string;
  /**
   * Request and response bodies longer than this many characters are cut, with a note.
   * @default 20000
   * @example 4000
   */
  bodyLimit?: number;
  /**
   * Shown in the header when given; omitted by default so the same run renders the same page.
   * @default undefined
   * @example new Date()
   */
  generatedAt?: Date;
}

const DEFAULT_BODY_LIMIT = 20_000;

/** Text for HTML content and quoted attribute values. */
export function esc(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

const CSS = `
:root{color-scheme:light;--fg:#0f172a;--muted:#475569;--line:#e2e8f0;--bg:#f8fafc;--card:#fff;--ok:#15803d;--okbg:#dcfce7;--bad:#b91c1c;--badbg:#fee2e2;--warn:#c2410c;--warnbg:#ffedd5;--lit:#2563eb;--mono:ui-monospace,SFMono-Regular,Menlo,Consolas,'DejaVu Sans Mono',monospace}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,'Helvetica Neue',Arial,sans-serif;-webkit-text-size-adjust:100%}
main{max-width:1120px;margin:0 auto;padding:16px}
h1{font-size:1.5rem;margin:.25rem 0 .75rem}
h2{font-size:1.3rem;margin:0 0 .75rem;display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;overflow-wrap:anywhere}
h3{font-size:1.05rem;margin:1.5rem 0 .5rem}
h4{font-size:1rem;margin:0;display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;overflow-wrap:anywhere}
a{color:#1d4ed8}
.meta{color:var(--muted);font-size:.85rem;margin:0 0 1rem}
.card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:16px;margin:0 0 20px}
.badge{display:inline-block;border-radius:999px;padding:1px 10px;font-size:.8rem;font-weight:600;border:1px solid transparent;white-space:nowrap}
.ok{color:var(--ok);background:var(--okbg);border-color:#86efac}
.bad{color:var(--bad);background:var(--badbg);border-color:#fca5a5}
.warn{color:var(--warn);background:var(--warnbg);border-color:#fdba74}
.neutral{color:var(--muted);background:#f1f5f9;border-color:var(--line)}
dl.summary{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;margin:0}
dl.summary dt{color:var(--muted)}
dl.summary dd{margin:0;overflow-wrap:anywhere}
table{border-collapse:collapse;width:100%;font-size:.9rem}
table.outputs th,table.headers th{width:1%;white-space:nowrap}
ul.diags{margin:.25rem 0;padding-left:1.2em;font-size:.85rem}
dl.summary details>summary{font-weight:400;padding:0}
th,td{text-align:left;vertical-align:top;padding:6px 8px;border-top:1px solid var(--line);overflow-wrap:anywhere}
th{color:var(--muted);font-weight:600}
.scroll{overflow-x:auto;-webkit-overflow-scrolling:touch;max-width:100%}
.graph{border:1px solid var(--line);border-radius:8px;background:#fff;padding:4px}
.graph svg{display:block;margin:0 auto}
.legend{display:flex;flex-wrap:wrap;gap:4px 16px;font-size:.8rem;color:var(--muted);margin:.5rem 0}
.legend span::before{content:'';display:inline-block;width:22px;height:0;border-top:3px solid var(--lit);vertical-align:middle;margin-right:6px}
.legend .l-fail::before{border-top:2px dashed var(--bad)}
.legend .l-retry::before{border-top:2px dashed var(--warn)}
.legend .l-plain::before{border-top:2px solid var(--muted)}
pre,code{font-family:var(--mono);font-size:.82rem}
pre{margin:.25rem 0;padding:10px;background:#0f172a;color:#e2e8f0;border-radius:6px;overflow-x:auto;max-height:480px;white-space:pre}
code{overflow-wrap:anywhere}
details>summary{cursor:pointer;font-weight:600;padding:4px 0}
details{margin:.25rem 0}
ol.timeline{list-style:none;margin:0;padding:0}
ol.timeline li{display:flex;flex-wrap:wrap;gap:4px 10px;align-items:baseline;padding:8px 0;border-top:1px solid var(--line)}
ol.timeline li:first-child{border-top:0}
ol.timeline .n{color:var(--muted);font-variant-numeric:tabular-nums;min-width:2.2em}
ol.timeline .req{flex:1 1 260px;min-width:0}
ol.timeline .dur{color:var(--muted);font-variant-numeric:tabular-nums;margin-left:auto}
ol.timeline .act{flex-basis:100%;padding-left:3.2em;color:var(--muted);font-size:.85rem}
ol.timeline li.wait{color:var(--warn);font-size:.85rem;padding:4px 0 4px 3.2em;border-top:1px dashed #fdba74}
.bar{display:inline-block;height:6px;border-radius:3px;background:#93c5fd;vertical-align:middle;min-width:2px;max-width:120px}
.step{border-top:1px solid var(--line);padding-top:12px;margin-top:12px}
.attempt{border-left:3px solid var(--line);padding-left:10px;margin:8px 0}
.attempt.failed{border-left-color:#fca5a5}
.attempt.succeeded{border-left-color:#86efac}
ul.criteria{list-style:none;padding:0;margin:.25rem 0}
ul.criteria li{padding:2px 0;overflow-wrap:anywhere}
ul.criteria .mark{display:inline-block;width:1.4em;font-weight:700}
ul.criteria .pass .mark{color:var(--ok)}
ul.criteria .fail .mark{color:var(--bad)}
.reason{color:var(--muted);font-size:.85rem}
.note{color:var(--muted);font-size:.85rem}
.err{color:var(--bad)}
.kv{display:grid;grid-template-columns:minmax(0,1fr);gap:8px}
@media (min-width:900px){.kv.two{grid-template-columns:minmax(0,1fr) minmax(0,1fr)}}
@media (max-width:600px){main{padding:10px}.card{padding:12px}body{font-size:14px}ol.timeline .act,ol.timeline li.wait{padding-left:0}}
`;

function page(title: string, heading: string, body: string, generatedAt?: Date): string {
  const when =
    generatedAt === undefined ? '' : `<p class="meta">Generated ${esc(generatedAt.toISOString())}</p>`;
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${esc(CSP)}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="referrer" content="no-referrer">',
    `<title>${esc(title)}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    '<body>',
    '<main>',
    `<h1>${esc(heading)}</h1>`,
    when,
    body,
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

function statusBadge(status: string): string {
  const cls = status === 'succeeded' || status === 'passed' ? 'ok' : status === 'failed' ? 'bad' : 'neutral';
  return `<span class="badge ${cls}" data-status="${esc(status)}">${esc(status)}</span>`;
}

function httpBadge(code: number): string {
  const cls = code >= 200 && code < 300 ? 'ok' : code >= 400 ? 'bad' : 'warn';
  return `<span class="badge ${cls}">${esc(String(code))}</span>`;
}

/** A value in a table cell: strings inline, everything else pretty JSON. */
function valueHtml(value: unknown, limit: number): string {
  if (typeof value === 'string') return `<code>${esc(value)}</code>`;
  if (value === null || typeof value === 'number' || typeof value === 'boolean')
    return `<code>${esc(inlineValue(value))}</code>`;
  return `<pre>${esc(blockValue(value, limit))}</pre>`;
}

function bodyHtml(body: unknown, limit: number): string {
  if (body === undefined) return '<p class="note">no body</p>';
  if (typeof body === 'string') {
    let text = body;
    try {
      const parsed: unknown = JSON.parse(body);
      if (typeof parsed === 'object' && parsed !== null) text = stringifyJson(parsed);
    } catch {
      // not JSON: shown as it is
    }
    return `<pre>${esc(blockValue(text, limit))}</pre>`;
  }
  return `<pre>${esc(blockValue(body, limit))}</pre>`;
}

function headersHtml(headers: Record<string, string | string[]>): string {
  const rows = Object.entries(headers);
  if (rows.length === 0) return '<p class="note">no headers</p>';
  const body = rows
    .map(
      ([k, v]) =>
        `<tr><th>${esc(k)}</th><td><code>${esc(Array.isArray(v) ? v.join(', ') : v)}</code></td></tr>`,
    )
    .join('');
  return `<div class="scroll"><table class="headers">${body}</table></div>`;
}

function requestHtml(req: RecordedRequest, limit: number): string {
  return [
    '<div class="http">',
    '<h5 class="note">Request</h5>',
    `<p><code>${esc(req.method.toUpperCase())} ${esc(req.url)}</code></p>`,
    headersHtml(req.headers),
    req.body === undefined ? '' : bodyHtml(req.body, limit),
    '</div>',
  ].join('');
}

function responseHtml(res: RecordedResponse, limit: number): string {
  return [
    '<div class="http">',
    `<h5 class="note">Response ${httpBadge(res.statusCode)}</h5>`,
    headersHtml(res.headers),
    bodyHtml(res.body, limit),
    '</div>',
  ].join('');
}

/** An AsyncAPI step's message (1.1): direction, channel, broker, headers, payload. */
function messageHtml(m: RecordedMessage, limit: number): string {
  return [
    '<div class="http">',
    `<h5 class="note">Message ${esc(m.direction)}</h5>`,
    `<p><code>${esc(m.channel)}</code> <span class="note">${esc(m.server)}</span></p>`,
    headersHtml(m.headers),
    m.payload === undefined ? '' : bodyHtml(m.payload, limit),
    '</div>',
  ].join('');
}

function criteriaHtml(criteria: readonly CriterionRecord[]): string {
  if (criteria.length === 0) return '<p class="note">no success criteria</p>';
  const items = criteria.map((c) => {
    const type =
      c.type !== undefined && c.type !== 'simple' ? ` <span class="note">[${esc(c.type)}]</span>` : '';
    const context = c.context !== undefined ? ` <span class="note">on ${esc(c.context)}</span>` : '';
    const reason = c.reason !== undefined ? ` <span class="reason">— ${esc(c.reason)}</span>` : '';
    return `<li class="${c.passed ? 'pass' : 'fail'}"><span class="mark">${c.passed ? '✓' : '✗'}</span><code>${esc(c.condition)}</code>${type}${context}${reason}</li>`;
  });
  return `<ul class="criteria">${items.join('')}</ul>`;
}

function actionText(record: StepRecord): string {
  const a: ActionRecord | undefined = record.action;
  if (a === undefined) return '';
  const named = a.name !== undefined ? ` (action "${a.name}")` : '';
  switch (a.type) {
    case 'next':
      return a.target !== undefined ? `back to ${a.target}` : 'next step';
    case 'goto':
      return `goto ${a.target ?? '?'}${named}`;
    case 'retry':
      return `retry${a.delayMs !== undefined && a.delayMs > 0 ? ` after ${formatDuration(a.delayMs)}` : ''}${named}`;
    case 'end':
      if (record.outcome === 'succeeded') return `end${named}`;
      return a.name !== undefined ? `end, failed${named}` : 'workflow failed';
  }
}

function stepLabel(record: StepRecord, result: RunResult): string {
  return record.workflowId === result.workflowId ? record.stepId : `${record.workflowId} › ${record.stepId}`;
}

function summaryHtml(run: HtmlRun): string {
  const { result } = run;
  const attempts = result.steps.length;
  const distinct = new Set(result.steps.map((r) => `${r.workflowId}\u0000${r.stepId}`)).size;
  const waits = result.steps.filter((r) => r.action?.type === 'retry');
  const waited = waits.reduce((sum, r) => sum + (r.action?.delayMs ?? 0), 0);
  const rows: Array<[string, string]> = [
    ['File', `<code>${esc(run.file)}</code>`],
    ['Workflow', `<code>${esc(result.workflowId)}</code>`],
    ['Status', statusBadge(result.status)],
    ['Duration', esc(formatDuration(result.durationMs))],
    ['Steps', esc(`${plural(distinct, 'step')}, ${plural(attempts, 'attempt')}`)],
  ];
  if (waits.length > 0) {
    const retries = waits.length === 1 ? '1 retry' : `${waits.length} retries`;
    rows.push(['Retry waits', esc(`${retries}, ${formatDuration(waited)} waited`)]);
  }
  if (result.error !== undefined) {
    const where = result.error.stepId !== undefined ? ` at step ${result.error.stepId}` : '';
    rows.push([
      'Error',
      `<span class="err"><code>${esc(result.error.code)}</code>${esc(where)}: ${esc(result.error.message)}</span>`,
    ]);
  }
  if (result.diagnostics.length > 0) {
    const items = result.diagnostics.map(
      (d) => `<li><span class="note">${esc(d.severity)} ${esc(d.code)}</span> ${esc(d.message)}</li>`,
    );
    rows.push([
      'Diagnostics',
      `<details><summary>${esc(plural(result.diagnostics.length, 'diagnostic'))}</summary><ul class="diags">${items.join('')}</ul></details>`,
    ]);
  }
  return `<dl class="summary">${rows.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${v}</dd>`).join('')}</dl>`;
}

function outputsHtml(outputs: Record<string, unknown>, limit: number): string {
  const entries = Object.entries(outputs);
  if (entries.length === 0) return '<p class="note">no outputs</p>';
  const rows = entries.map(
    ([k, v]) => `<tr><th><code>${esc(k)}</code></th><td>${valueHtml(v, limit)}</td></tr>`,
  );
  return `<div class="scroll"><table class="outputs" data-outputs="">${rows.join('')}</table></div>`;
}

/** The step of `workflowId` where a failed run stopped: its last record, when that attempt failed. */
function failedSteps(result: RunResult, workflowId: string): string[] {
  if (result.status !== 'failed') return [];
  const records = result.steps.filter((r) => r.workflowId === workflowId);
  const last = records[records.length - 1];
  const named = result.error?.stepId;
  const out = new Set<string>();
  if (last !== undefined && last.outcome === 'failed') out.add(last.stepId);
  if (named !== undefined && (result.error?.workflowId ?? result.workflowId) === workflowId) out.add(named);
  return [...out];
}

function graphHtml(run: HtmlRun, workflowId: string, idPrefix: string): string {
  if (run.document === undefined) return '<p class="note">no graph: the document is not available</p>';
  let svg: string;
  let mermaid: string;
  try {
    const graph = buildWorkflowGraph(run.document, workflowId);
    const highlight = pathFromRun(run.result, workflowId);
    const counts = new Map<string, number>();
    for (const r of run.result.steps)
      if (r.workflowId === workflowId) counts.set(r.stepId, (counts.get(r.stepId) ?? 0) + 1);
    const badges: Record<string, string> = {};
    for (const [stepId, count] of counts) if (count > 1) badges[stepId] = `×${count}`;
    svg = renderSvg(graph, {
      highlight,
      idPrefix,
      badges,
      failed: failedSteps(run.result, workflowId),
      title: `workflow ${workflowId}, path taken highlighted`,
    });
    mermaid = toMermaid(run.document, workflowId, { highlight });
  } catch (error) {
    return `<p class="note">no graph: ${esc(error instanceof Error ? error.message : String(error))}</p>`;
  }
  return [
    `<div class="scroll graph">${svg}</div>`,
    '<div class="legend"><span>path taken</span><span class="l-plain">success / next</span><span class="l-fail">failure (a red step: where the run failed)</span><span class="l-retry">retry</span></div>',
    `<details><summary>Mermaid source</summary><pre>${esc(mermaid)}</pre></details>`,
  ].join('\n');
}

function timelineHtml(result: RunResult, prefix: string): string {
  if (result.steps.length === 0) return '<p class="note">no step ran</p>';
  const longest = Math.max(1, ...result.steps.map((r) => r.durationMs));
  const items: string[] = [];
  result.steps.forEach((r, i) => {
    const request =
      r.request !== undefined
        ? `<code>${esc(r.request.method.toUpperCase())} ${esc(r.request.url)}</code>`
        : r.messages?.[0] !== undefined
          ? `<code>${esc(r.messages[0].direction)} ${esc(r.messages[0].channel)}</code>`
          : r.error !== undefined
            ? `<span class="err">${esc(r.error.code)}</span>`
            : '<span class="note">no request</span>';
    const status = r.response !== undefined ? httpBadge(r.response.statusCode) : '';
    const width = Math.max(2, Math.round((r.durationMs / longest) * 120));
    const action = actionText(r);
    items.push(
      [
        `<li class="attempt-row ${esc(r.outcome)}" data-step="${esc(r.stepId)}">`,
        `<span class="n">${i + 1}.</span>`,
        `<a href="#${prefix}-a${i}"><strong>${esc(stepLabel(r, result))}</strong></a>`,
        r.attempt > 1 ? `<span class="note">attempt ${r.attempt}</span>` : '',
        statusBadge(r.outcome),
        `<span class="req">${request}</span>`,
        status,
        `<span class="dur"><span class="bar" style="width:${width}px"></span> ${esc(formatDuration(r.durationMs))}</span>`,
        action === '' ? '' : `<span class="act">→ ${esc(action)}</span>`,
        '</li>',
      ].join(''),
    );
    const delay = r.action?.type === 'retry' ? (r.action.delayMs ?? 0) : 0;
    if (delay > 0)
      items.push(`<li class="wait">waited ${esc(formatDuration(delay))} before the next attempt</li>`);
  });
  return `<ol class="timeline">${items.join('\n')}</ol>`;
}

function attemptHtml(r: StepRecord, index: number, prefix: string, open: boolean, limit: number): string {
  const parts: string[] = [];
  parts.push(`<h5 class="note">Success criteria</h5>${criteriaHtml(r.criteria)}`);
  if (r.error !== undefined)
    parts.push(`<p class="err"><code>${esc(r.error.code)}</code> ${esc(r.error.message)}</p>`);
  const excerpt = responseExcerpt(r);
  if (excerpt !== undefined) parts.push(`<p class="err excerpt">${esc(excerpt)}</p>`);
  for (const w of r.warnings ?? []) parts.push(`<p class="note">warning: ${esc(w)}</p>`);
  const http = [
    r.request !== undefined ? requestHtml(r.request, limit) : '',
    r.response !== undefined ? responseHtml(r.response, limit) : '',
    ...(r.messages ?? []).map((m) => messageHtml(m, limit)),
  ].filter((s) => s !== '');
  if (http.length > 0) parts.push(`<div class="kv two">${http.join('')}</div>`);
  if (r.outputs !== undefined && Object.keys(r.outputs).length > 0)
    parts.push(`<h5 class="note">Step outputs</h5>${outputsHtml(r.outputs, limit)}`);
  const action = actionText(r);
  const status = r.response !== undefined ? ` · ${r.response.statusCode}` : '';
  return [
    `<details class="attempt ${esc(r.outcome)}" id="${prefix}-a${index}"${open ? ' open' : ''}>`,
    `<summary>Attempt ${r.attempt}${esc(status)} · ${esc(formatDuration(r.durationMs))} · ${esc(r.outcome)}${action === '' ? '' : ` · ${esc(action)}`}</summary>`,
    parts.join('\n'),
    '</details>',
  ].join('\n');
}

function stepsHtml(result: RunResult, prefix: string, limit: number): string {
  const order: string[] = [];
  const byStep = new Map<string, Array<{ r: StepRecord; i: number }>>();
  result.steps.forEach((r, i) => {
    const key = `${r.workflowId}\u0000${r.stepId}`;
    let list = byStep.get(key);
    if (list === undefined) {
      list = [];
      byStep.set(key, list);
      order.push(key);
    }
    list.push({ r, i });
  });
  const sections = order.map((key) => {
    const list = byStep.get(key) ?? [];
    const last = list[list.length - 1]!.r;
    const attempts =
      list.length > 1 ? ` <span class="note">${esc(plural(list.length, 'attempt'))}</span>` : '';
    const body = list
      .map(({ r, i }, k) => attemptHtml(r, i, prefix, k === list.length - 1 || r.outcome === 'failed', limit))
      .join('\n');
    return `<section class="step" data-step="${esc(last.stepId)}"><h4>${esc(stepLabel(last, result))} ${statusBadge(last.outcome)}${attempts}</h4>\n${body}</section>`;
  });
  return sections.join('\n');
}

function runHtml(run: HtmlRun, index: number, limit: number): string {
  const prefix = `r${index + 1}`;
  const { result } = run;
  const others = [...new Set(result.steps.map((r) => r.workflowId))].filter(
    (id) => id !== result.workflowId && run.document?.workflows.some((w) => w.workflowId === id) === true,
  );
  const subGraphs = others
    .map(
      (id, k) =>
        `<details><summary>Graph of workflow ${esc(id)}</summary>${graphHtml(run, id, `${prefix}w${k + 1}`)}</details>`,
    )
    .join('\n');
  return [
    `<section class="card run" id="${prefix}" data-workflow="${esc(result.workflowId)}" data-status="${esc(result.status)}">`,
    `<h2>${esc(run.title ?? result.workflowId)} ${statusBadge(result.status)}</h2>`,
    summaryHtml(run),
    '<h3>Outputs</h3>',
    outputsHtml(result.outputs, limit),
    '<h3>Path taken</h3>',
    graphHtml(run, result.workflowId, prefix),
    subGraphs,
    '<h3>Timeline</h3>',
    timelineHtml(result, prefix),
    '<h3>Steps</h3>',
    stepsHtml(result, prefix, limit),
    '</section>',
  ].join('\n');
}

function indexHtml(runs: readonly HtmlRun[]): string {
  const passed = runs.filter((r) => r.result.status === 'succeeded').length;
  const rows = runs.map(
    (run, i) =>
      `<tr><td><a href="#r${i + 1}">${i + 1}</a></td><td><code>${esc(run.file)}</code></td><td>${esc(run.title ?? run.result.workflowId)}</td><td>${statusBadge(run.result.status)}</td><td>${esc(formatDuration(run.result.durationMs))}</td></tr>`,
  );
  return [
    '<section class="card">',
    `<p>${esc(`${plural(runs.length, 'run')}: ${passed} succeeded, ${runs.length - passed} failed`)}</p>`,
    '<div class="scroll"><table><tr><th>#</th><th>File</th><th>Workflow</th><th>Status</th><th>Duration</th></tr>',
    rows.join(''),
    '</table></div>',
    '</section>',
  ].join('\n');
}

/**
 * The HTML report of one or more runs as one self-contained page (inline CSS and SVG, no script, no
 * external fetch). With several runs the page opens with an index.
 * @example
 * writeFileSync('run.html', renderHtmlReport([{ file: 'flow.arazzo.yaml', document, result }]))
 */
export function renderHtmlReport(runs: readonly HtmlRun[], options: HtmlReportOptions = {}): string {
  const limit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
  const title =
    options.title ??
    (runs.length === 1 && runs[0] !== undefined
      ? `Arazzo run: ${runs[0].result.workflowId} ${runs[0].result.status}`
      : 'Arazzo run report');
  const body = [runs.length > 1 ? indexHtml(runs) : '', ...runs.map((run, i) => runHtml(run, i, limit))];
  if (runs.length === 0) body.push('<p class="note">no runs</p>');
  return page(title, options.title ?? 'Arazzo run report', body.join('\n'), options.generatedAt);
}

/** A page for a run that could not start: the document's diagnostics or one error line. */
export function renderHtmlProblem(
  title: string,
  message: string,
  lines: readonly string[] = [],
  generatedAt?: Date,
): string {
  const list = lines.length === 0 ? '' : `<div class="scroll"><pre>${esc(lines.join('\n'))}</pre></div>`;
  return page(
    title,
    title,
    `<section class="card"><p class="err">${esc(message)}</p>${list}</section>`,
    generatedAt,
  );
}

/** The `--reporter html` reporter: the page is written once, when the run finishes. */
export function createHtmlReporter(out: Writable, cwd: string, options: HtmlReportOptions = {}): Reporter {
  return createFinalReporter(out, {
    finish(result, info) {
      const run: HtmlRun = { file: info?.file ?? '', result };
      if (info?.document !== undefined) run.document = info.document;
      return renderHtmlReport([run], options);
    },
    invalid(diagnostics: readonly Diagnostic[], message: string, info) {
      const lines = diagnostics.map((d) => formatDiagnostic(d, cwd));
      return renderHtmlProblem(
        `Arazzo: ${info?.file ?? 'document'} is not valid`,
        message,
        lines,
        options.generatedAt,
      );
    },
    error: (code: string, message: string, info) =>
      renderHtmlProblem(
        `Arazzo run: ${info?.workflowId || info?.file || 'error'}`,
        `${code}: ${message}`,
        [],
        options.generatedAt,
      ),
  });
}
