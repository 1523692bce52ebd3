/** Pretty reporter: live progress from RunEvents, then the outputs table and a summary line. */
import type { Diagnostic } from '../../document/diagnostic.js';
import type { ArazzoDocument, FailureActionObject, StepObject } from '../../document/model.js';
import { isReusable } from '../../document/model.js';
import type {
  ActionRecord,
  CriterionRecord,
  RecordedMessage,
  RecordedRequest,
  RecordedResponse,
  RunEvent,
  RunResult,
  StepRecord,
} from '../../engine/types.js';
import type { Colors } from '../color.js';
import { responseExcerpt } from '../excerpt.js';
import {
  blockValue,
  countSeverities,
  diagnosticLocation,
  formatDuration,
  formatWait,
  inlineValue,
  plural,
  truncate,
} from '../format.js';
import type { Writable } from '../io.js';
import type { Reporter, RunInfo } from './types.js';

export interface PrettyOptions {
  out: Writable;
  /** Where invalid-document diagnostics and errors go. Default: `out`. */
  errOut?: Writable;
  colors: Colors;
  /** Interactive terminal: the retry countdown updates in place. */
  live: boolean;
  verbose: boolean;
  cwd: string;
  /** Verbose bodies are cut at this many characters. Default 2000. */
  bodyLimit?: number;
  /** A note printed under the header (e.g. the demo explaining its waits). */
  note?: string;
  timers?: { setInterval: typeof setInterval; clearInterval: typeof clearInterval };
}

const STATUS_TEXT: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  202: 'Accepted',
  204: 'No Content',
  301: 'Moved Permanently',
  302: 'Found',
  304: 'Not Modified',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** The retryLimit of the retry action a step took, looked up in the (compat-normalized) document. */
export function findRetryLimit(
  document: ArazzoDocument | undefined,
  workflowId: string,
  stepId: string,
  actionName: string | undefined,
): number | undefined {
  const workflow = document?.workflows.find((w) => w.workflowId === workflowId);
  const step = workflow?.steps.find((s) => s.stepId === stepId);
  if (!document || !workflow || !step) return undefined;
  const resolve = (a: unknown): FailureActionObject | undefined => {
    if (isReusable(a)) {
      const m = /^\$components\.failureActions\.(.+)$/.exec(a.reference);
      return m ? document.components?.failureActions?.[m[1]!] : undefined;
    }
    return a as FailureActionObject;
  };
  const candidates = [...(step.onFailure ?? []), ...(workflow.failureActions ?? [])]
    .map(resolve)
    .filter((a): a is FailureActionObject => a?.type === 'retry');
  const action = candidates.find((a) => actionName !== undefined && a.name === actionName) ?? candidates[0];
  if (action) return action.retryLimit ?? 1;
  // Arazzo 1.0.0-era documents put retryLimit on the step itself.
  const legacy = (step as StepObject & { retryLimit?: unknown }).retryLimit;
  return typeof legacy === 'number' ? legacy : undefined;
}

/** The pretty reporter's settings and what it remembers between events. */
interface PrettyState {
  out: Writable;
  errOut: Writable;
  c: Colors;
  live: boolean;
  verbose: boolean;
  cwd: string;
  bodyLimit: number;
  note: string | undefined;
  timers: NonNullable<PrettyOptions['timers']>;
  info: RunInfo | undefined;
  /** Nesting of the workflow being reported (child workflows are indented). */
  depth: number;
  stepCount: number;
  // A warning a poll loop raises on every attempt is printed once; the repeats are counted and told at the end.
  warningsSeen: Map<string, { stepId: string; text: string; count: number }>;
  lastAction: ActionRecord | undefined;
  countdown: { timer: ReturnType<typeof setInterval>; finalLine: string } | undefined;
}

export function createPrettyReporter(options: PrettyOptions): Reporter {
  const s: PrettyState = {
    out: options.out,
    errOut: options.errOut ?? options.out,
    c: options.colors,
    live: options.live,
    verbose: options.verbose,
    cwd: options.cwd,
    bodyLimit: options.bodyLimit ?? 2000,
    note: options.note,
    timers: options.timers ?? { setInterval, clearInterval },
    info: undefined,
    depth: 0,
    stepCount: 0,
    warningsSeen: new Map(),
    lastAction: undefined,
    countdown: undefined,
  };
  return {
    start: (info) => writeStart(s, info),
    onEvent: (e) => writeEvent(s, e),
    finish: (result) => writeFinish(s, result),
    invalid: (diagnostics, message, unreadable) => writeInvalid(s, diagnostics, message, unreadable),
    error: (code, message) => writeError(s, code, message),
  };
}

const pad = (s: PrettyState, extra: number): string => '  '.repeat(s.depth + extra);
const line = (s: PrettyState, text: string): void => void s.out.write(`${text}\n`);
const errLine = (s: PrettyState, text: string): void => void s.errOut.write(`${text}\n`);

function endCountdown(s: PrettyState): void {
  if (!s.countdown) return;
  s.timers.clearInterval(s.countdown.timer);
  s.out.write(`\r\u001b[2K${s.countdown.finalLine}\n`);
  s.countdown = undefined;
}

/** The load's warnings (as `arazzo validate` prints them) and the note, before the run. */
function writeStart(s: PrettyState, i: RunInfo): void {
  const { c } = s;
  s.info = i;
  const warnings = i.diagnostics.filter((d) => d.severity !== 'error');
  for (const d of warnings) {
    const sev = d.severity === 'warning' ? c.yellow('warning') : c.dim(d.severity);
    // Same field order as `arazzo validate`: file:line:col severity code message.
    line(s, `${diagnosticLocation(d, s.cwd)} ${sev} ${d.code} ${d.message}`);
  }
  if (warnings.length > 0) line(s, '');
  if (s.note) line(s, c.dim(s.note));
}

/** Live progress: one line (or block) per event, indented by workflow depth. */
function writeEvent(s: PrettyState, e: RunEvent): void {
  const { c } = s;
  endCountdown(s);
  switch (e.type) {
    case 'workflow-start':
      s.depth = e.depth;
      line(s, `${pad(s, 0)}${c.bold(c.cyan('▶'))} ${c.bold(e.workflowId)}`);
      break;
    case 'step-start': {
      const op = e.operation ? c.dim(` ${e.operation}`) : '';
      const attempt = e.attempt > 1 ? c.dim(` (attempt ${e.attempt})`) : '';
      line(s, `${pad(s, 1)}${c.cyan('●')} ${e.stepId}${op}${attempt}`);
      break;
    }
    case 'request':
      writeRequest(s, e.request);
      break;
    case 'response':
      writeResponse(s, e.response, e.durationMs);
      break;
    case 'message':
      writeMessage(s, e.message);
      break;
    case 'criteria':
      for (const cr of e.criteria) if (s.verbose || !cr.passed) writeCriterion(s, cr, pad(s, 2));
      break;
    case 'step-end':
      writeStepEnd(s, e.record);
      break;
    case 'action':
      writeAction(s, e.action);
      break;
    case 'retry-wait':
      writeRetryWait(s, e);
      break;
    case 'workflow-end':
      if (e.depth > 0) {
        const mark = e.status === 'succeeded' ? c.green('✓') : c.red('✗');
        line(s, `${pad(s, 0)}${mark} ${e.workflowId} ${e.status}`);
      }
      s.depth = Math.max(0, e.depth - 1);
      break;
  }
}

function writeHeaders(s: PrettyState, h: Record<string, string | string[]>, indent: string): void {
  for (const [k, v] of Object.entries(h)) {
    for (const one of Array.isArray(v) ? v : [v]) line(s, `${indent}${s.c.dim(`${k}:`)} ${one}`);
  }
}

function writeBody(s: PrettyState, value: unknown, indent: string): void {
  if (value === undefined) return;
  for (const l of blockValue(value, s.bodyLimit).split('\n')) line(s, `${indent}${l}`);
}

function writeCriterion(s: PrettyState, cr: CriterionRecord, indent: string): void {
  const { c } = s;
  const mark = cr.passed ? c.green('✓') : c.red('✗');
  const ctx = cr.context ? c.dim(` [${cr.type ?? 'simple'} on ${cr.context}]`) : '';
  const why = cr.reason ? c.dim(` — ${cr.reason}`) : '';
  line(s, `${indent}${mark} ${cr.condition}${ctx}${why}`);
}

function writeRequest(s: PrettyState, r: RecordedRequest): void {
  const { c } = s;
  // In mock mode nothing is sent: say so next to the URL the request would have gone to.
  line(s, `${pad(s, 2)}${c.bold(r.method)} ${r.url}${s.info?.mock ? c.dim(' (mock: not sent)') : ''}`);
  if (s.verbose) {
    writeHeaders(s, r.headers, pad(s, 3));
    writeBody(s, r.body, pad(s, 3));
  }
}

function writeResponse(s: PrettyState, r: RecordedResponse, durationMs: number): void {
  const { c } = s;
  const text = STATUS_TEXT[r.statusCode] ?? '';
  const status = `${r.statusCode}${text ? ` ${text}` : ''}`;
  const coloured =
    r.statusCode >= 400 ? c.red(status) : r.statusCode >= 300 ? c.yellow(status) : c.green(status);
  line(s, `${pad(s, 2)}← ${coloured} ${c.dim(formatDuration(durationMs))}`);
  if (s.verbose) {
    writeHeaders(s, r.headers, pad(s, 3));
    writeBody(s, r.body, pad(s, 3));
  }
}

/** An AsyncAPI step's message: → sent / ← received, with its channel and broker. */
function writeMessage(s: PrettyState, m: RecordedMessage): void {
  const { c } = s;
  const arrow = m.direction === 'sent' ? '→' : '←';
  const mock = s.info?.mock && m.direction === 'sent' ? c.dim(' (mock: not sent)') : '';
  line(s, `${pad(s, 2)}${arrow} ${c.bold(m.direction)} ${m.channel} ${c.dim(m.server)}${mock}`);
  if (s.verbose) {
    writeHeaders(s, m.headers, pad(s, 3));
    writeBody(s, m.payload, pad(s, 3));
  }
}

/** ✓/✗ with the step's time, then its warnings, contract checks and (verbose) outputs. */
function writeStepEnd(s: PrettyState, r: StepRecord): void {
  const { c } = s;
  s.stepCount++;
  const attempt = r.attempt > 1 ? c.dim(` attempt ${r.attempt}`) : '';
  if (r.outcome === 'succeeded') {
    line(s, `${pad(s, 1)}${c.green('✓')} ${r.stepId}${attempt} ${c.dim(formatDuration(r.durationMs))}`);
  } else {
    const why = r.error ? `: ${r.error.code} ${r.error.message}` : '';
    line(
      s,
      `${pad(s, 1)}${c.red('✗')} ${r.stepId}${attempt} failed${why} ${c.dim(formatDuration(r.durationMs))}`,
    );
    const excerpt = s.verbose ? undefined : responseExcerpt(r);
    if (excerpt !== undefined) line(s, `${pad(s, 2)}${c.dim(excerpt)}`);
  }
  writeStepWarnings(s, r);
  for (const check of r.checks ?? []) {
    if (check.passed && !s.verbose) continue;
    const mark = check.passed ? c.green('✓') : check.severity === 'error' ? c.red('✗') : c.yellow('!');
    line(s, `${pad(s, 2)}${mark} contract ${check.check}: ${check.message}`);
  }
  if (s.verbose && r.outputs && Object.keys(r.outputs).length > 0) {
    for (const [k, v] of Object.entries(r.outputs)) {
      line(s, `${pad(s, 2)}${c.dim('output')} ${k} = ${truncate(inlineValue(v), 200)}`);
    }
  }
}

/** A step's warnings, each printed the first time only (unless verbose); repeats are counted. */
function writeStepWarnings(s: PrettyState, r: StepRecord): void {
  for (const w of r.warnings ?? []) {
    const key = `${r.workflowId}\u0000${r.stepId}\u0000${w}`;
    const seen = s.warningsSeen.get(key);
    if (seen !== undefined && !s.verbose) {
      seen.count++;
      continue;
    }
    s.warningsSeen.set(key, { stepId: r.stepId, text: w, count: 1 });
    line(s, `${pad(s, 2)}${s.c.yellow('warning')} ${w}`);
  }
}

function writeAction(s: PrettyState, a: ActionRecord): void {
  s.lastAction = a;
  if (a.type === 'next' && !s.verbose) return;
  const name = a.name ? s.c.dim(` (${a.name})`) : '';
  switch (a.type) {
    case 'goto':
      line(s, `${pad(s, 2)}→ goto ${a.target ?? '?'}${name}`);
      break;
    case 'retry':
      line(s, `${pad(s, 2)}→ retry${a.delayMs ? ` in ${formatWait(a.delayMs)}` : ' now'}${name}`);
      break;
    case 'end':
      line(s, `${pad(s, 2)}→ end${name}`);
      break;
    default:
      line(s, `${pad(s, 2)}→ next${name}`);
  }
}

/** The wait before a retry; on a live terminal a countdown that the next event replaces with its final line. */
function writeRetryWait(s: PrettyState, e: Extract<RunEvent, { type: 'retry-wait' }>): void {
  const { c } = s;
  const limit = findRetryLimit(s.info?.document, e.workflowId, e.stepId, s.lastAction?.name);
  // The event carries the attempt about to start; retry n is attempt n + 1.
  const which = `retry ${Math.max(1, e.attempt - 1)}${limit !== undefined ? `/${limit}` : ''}`;
  const text = (ms: number) => `${pad(s, 2)}${c.yellow('waiting')} ${formatWait(ms)} before ${which}`;
  if (e.delayMs <= 0) return; // no wait (mock mode, retryAfter 0): the action line already says retry
  if (!s.live || e.delayMs < 1000) {
    line(s, text(e.delayMs));
    return;
  }
  let remaining = e.delayMs;
  s.out.write(text(remaining));
  const timer = s.timers.setInterval(() => {
    remaining = Math.max(0, remaining - 1000);
    s.out.write(`\r\u001b[2K${text(remaining)}`);
  }, 1000);
  (timer as { unref?: () => void }).unref?.();
  s.countdown = {
    timer,
    finalLine: `${pad(s, 2)}${c.dim(`waited ${formatWait(e.delayMs)} before ${which}`)}`,
  };
}

/** The outputs table, the repeated warnings counted, and the summary line. */
function writeFinish(s: PrettyState, result: RunResult): void {
  const { c } = s;
  endCountdown(s);
  writeOutputs(s, result.outputs);
  for (const w of s.warningsSeen.values())
    if (w.count > 1)
      line(
        s,
        `${pad(s, 1)}${c.yellow('warning')} ${w.text} ${c.dim(`(step ${w.stepId}, ${w.count} times)`)}`,
      );
  line(s, '');
  const attempts = s.stepCount || result.steps.length;
  const distinct = new Set(result.steps.map((r) => `${r.workflowId}/${r.stepId}`)).size;
  const steps =
    attempts === distinct
      ? plural(distinct, 'step')
      : `${plural(distinct, 'step')}, ${plural(attempts, 'attempt')}`;
  const took = `${steps} in ${formatDuration(result.durationMs)}`;
  if (result.status === 'succeeded') {
    line(s, `${c.green('✓')} ${c.bold(result.workflowId)} succeeded ${c.dim(`(${took})`)}`);
  } else {
    const e = result.error;
    const where = e?.stepId ? ` at step ${e.stepId}` : '';
    const why = e ? `: ${e.code} ${e.message}` : '';
    line(s, `${c.red('✗')} ${c.bold(result.workflowId)} failed${where}${why} ${c.dim(`(${took})`)}`);
  }
}

function writeOutputs(s: PrettyState, outputs: RunResult['outputs']): void {
  const entries = Object.entries(outputs);
  if (entries.length === 0) return;
  line(s, '');
  line(s, s.c.bold('Outputs'));
  const width = Math.max(...entries.map(([k]) => k.length));
  for (const [k, v] of entries) {
    const value = v === undefined ? s.c.dim('(not set)') : truncate(inlineValue(v), 200);
    line(s, `  ${k.padEnd(width)}  ${value}`);
  }
}

function writeInvalid(
  s: PrettyState,
  diagnostics: readonly Diagnostic[],
  message: string,
  unreadable: boolean | undefined,
): void {
  const { c } = s;
  endCountdown(s);
  for (const d of diagnostics) {
    const sev = d.severity === 'error' ? c.red('error') : c.yellow(d.severity);
    errLine(s, `${diagnosticLocation(d, s.cwd)} ${sev} ${d.code} ${d.message}`);
  }
  // An unreadable file is fully told by its one diagnostic.
  if (unreadable && diagnostics.length > 0) return;
  const { errors, warnings } = countSeverities(diagnostics);
  const subject = s.info?.file ?? message;
  errLine(
    s,
    `${c.red('✗')} ${subject} is invalid (${plural(errors, 'error')}, ${plural(warnings, 'warning')})`,
  );
}

function writeError(s: PrettyState, code: string, message: string): void {
  endCountdown(s);
  errLine(s, `${s.c.red('error')} ${code}: ${message}`);
}
