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

export function createPrettyReporter(options: PrettyOptions): Reporter {
  const { out, colors: c, live, verbose, cwd } = options;
  const bodyLimit = options.bodyLimit ?? 2000;
  const timers = options.timers ?? { setInterval, clearInterval };
  let info: RunInfo | undefined;
  let depth = 0;
  let stepCount = 0;
  // A warning a poll loop raises on every attempt is printed once; the repeats are counted and told at the end.
  const warningsSeen = new Map<string, { stepId: string; text: string; count: number }>();
  let lastAction: ActionRecord | undefined;
  let countdown: { timer: ReturnType<typeof setInterval>; finalLine: string } | undefined;

  const pad = (extra: number) => '  '.repeat(depth + extra);
  const line = (text: string) => out.write(`${text}\n`);
  const errOut = options.errOut ?? out;
  const errLine = (text: string) => errOut.write(`${text}\n`);

  const endCountdown = () => {
    if (!countdown) return;
    timers.clearInterval(countdown.timer);
    out.write(`\r\u001b[2K${countdown.finalLine}\n`);
    countdown = undefined;
  };

  const headers = (h: Record<string, string | string[]>, indent: string) => {
    for (const [k, v] of Object.entries(h)) {
      for (const one of Array.isArray(v) ? v : [v]) line(`${indent}${c.dim(`${k}:`)} ${one}`);
    }
  };
  const body = (value: unknown, indent: string) => {
    if (value === undefined) return;
    for (const l of blockValue(value, bodyLimit).split('\n')) line(`${indent}${l}`);
  };

  const criterion = (cr: CriterionRecord, indent: string) => {
    const mark = cr.passed ? c.green('✓') : c.red('✗');
    const ctx = cr.context ? c.dim(` [${cr.type ?? 'simple'} on ${cr.context}]`) : '';
    const why = cr.reason ? c.dim(` — ${cr.reason}`) : '';
    line(`${indent}${mark} ${cr.condition}${ctx}${why}`);
  };

  const request = (r: RecordedRequest) => {
    // In mock mode nothing is sent: say so next to the URL the request would have gone to.
    line(`${pad(2)}${c.bold(r.method)} ${r.url}${info?.mock ? c.dim(' (mock: not sent)') : ''}`);
    if (verbose) {
      headers(r.headers, pad(3));
      body(r.body, pad(3));
    }
  };

  const response = (r: RecordedResponse, durationMs: number) => {
    const text = STATUS_TEXT[r.statusCode] ?? '';
    const status = `${r.statusCode}${text ? ` ${text}` : ''}`;
    const coloured =
      r.statusCode >= 400 ? c.red(status) : r.statusCode >= 300 ? c.yellow(status) : c.green(status);
    line(`${pad(2)}← ${coloured} ${c.dim(formatDuration(durationMs))}`);
    if (verbose) {
      headers(r.headers, pad(3));
      body(r.body, pad(3));
    }
  };

  /** An AsyncAPI step's message: → sent / ← received, with its channel and broker. */
  const message = (m: RecordedMessage) => {
    const arrow = m.direction === 'sent' ? '→' : '←';
    const mock = info?.mock && m.direction === 'sent' ? c.dim(' (mock: not sent)') : '';
    line(`${pad(2)}${arrow} ${c.bold(m.direction)} ${m.channel} ${c.dim(m.server)}${mock}`);
    if (verbose) {
      headers(m.headers, pad(3));
      body(m.payload, pad(3));
    }
  };

  const stepEnd = (r: StepRecord) => {
    stepCount++;
    const attempt = r.attempt > 1 ? c.dim(` attempt ${r.attempt}`) : '';
    if (r.outcome === 'succeeded') {
      line(`${pad(1)}${c.green('✓')} ${r.stepId}${attempt} ${c.dim(formatDuration(r.durationMs))}`);
    } else {
      const why = r.error ? `: ${r.error.code} ${r.error.message}` : '';
      line(
        `${pad(1)}${c.red('✗')} ${r.stepId}${attempt} failed${why} ${c.dim(formatDuration(r.durationMs))}`,
      );
      const excerpt = verbose ? undefined : responseExcerpt(r);
      if (excerpt !== undefined) line(`${pad(2)}${c.dim(excerpt)}`);
    }
    for (const w of r.warnings ?? []) {
      const key = `${r.workflowId}\u0000${r.stepId}\u0000${w}`;
      const seen = warningsSeen.get(key);
      if (seen !== undefined && !verbose) {
        seen.count++;
        continue;
      }
      warningsSeen.set(key, { stepId: r.stepId, text: w, count: 1 });
      line(`${pad(2)}${c.yellow('warning')} ${w}`);
    }
    for (const check of r.checks ?? []) {
      if (check.passed && !verbose) continue;
      const mark = check.passed ? c.green('✓') : check.severity === 'error' ? c.red('✗') : c.yellow('!');
      line(`${pad(2)}${mark} contract ${check.check}: ${check.message}`);
    }
    if (verbose && r.outputs && Object.keys(r.outputs).length > 0) {
      for (const [k, v] of Object.entries(r.outputs)) {
        line(`${pad(2)}${c.dim('output')} ${k} = ${truncate(inlineValue(v), 200)}`);
      }
    }
  };

  const action = (a: ActionRecord) => {
    lastAction = a;
    if (a.type === 'next' && !verbose) return;
    const name = a.name ? c.dim(` (${a.name})`) : '';
    switch (a.type) {
      case 'goto':
        line(`${pad(2)}→ goto ${a.target ?? '?'}${name}`);
        break;
      case 'retry':
        line(`${pad(2)}→ retry${a.delayMs ? ` in ${formatWait(a.delayMs)}` : ' now'}${name}`);
        break;
      case 'end':
        line(`${pad(2)}→ end${name}`);
        break;
      default:
        line(`${pad(2)}→ next${name}`);
    }
  };

  const retryWait = (e: Extract<RunEvent, { type: 'retry-wait' }>) => {
    const limit = findRetryLimit(info?.document, e.workflowId, e.stepId, lastAction?.name);
    // The event carries the attempt about to start; retry n is attempt n + 1.
    const which = `retry ${Math.max(1, e.attempt - 1)}${limit !== undefined ? `/${limit}` : ''}`;
    const text = (ms: number) => `${pad(2)}${c.yellow('waiting')} ${formatWait(ms)} before ${which}`;
    if (e.delayMs <= 0) return; // no wait (mock mode, retryAfter 0): the action line already says retry
    if (!live || e.delayMs < 1000) {
      line(text(e.delayMs));
      return;
    }
    let remaining = e.delayMs;
    out.write(text(remaining));
    const timer = timers.setInterval(() => {
      remaining = Math.max(0, remaining - 1000);
      out.write(`\r\u001b[2K${text(remaining)}`);
    }, 1000);
    (timer as { unref?: () => void }).unref?.();
    countdown = { timer, finalLine: `${pad(2)}${c.dim(`waited ${formatWait(e.delayMs)} before ${which}`)}` };
  };

  return {
    start(i) {
      info = i;
      const warnings = i.diagnostics.filter((d) => d.severity !== 'error');
      for (const d of warnings) {
        const sev = d.severity === 'warning' ? c.yellow('warning') : c.dim(d.severity);
        // Same field order as `arazzo validate`: file:line:col severity code message.
        line(`${diagnosticLocation(d, cwd)} ${sev} ${d.code} ${d.message}`);
      }
      if (warnings.length > 0) line('');
      if (options.note) line(c.dim(options.note));
    },

    onEvent(e) {
      endCountdown();
      switch (e.type) {
        case 'workflow-start':
          depth = e.depth;
          line(`${pad(0)}${c.bold(c.cyan('▶'))} ${c.bold(e.workflowId)}`);
          break;
        case 'step-start': {
          const op = e.operation ? c.dim(` ${e.operation}`) : '';
          const attempt = e.attempt > 1 ? c.dim(` (attempt ${e.attempt})`) : '';
          line(`${pad(1)}${c.cyan('●')} ${e.stepId}${op}${attempt}`);
          break;
        }
        case 'request':
          request(e.request);
          break;
        case 'response':
          response(e.response, e.durationMs);
          break;
        case 'message':
          message(e.message);
          break;
        case 'criteria':
          for (const cr of e.criteria) if (verbose || !cr.passed) criterion(cr, pad(2));
          break;
        case 'step-end':
          stepEnd(e.record);
          break;
        case 'action':
          action(e.action);
          break;
        case 'retry-wait':
          retryWait(e);
          break;
        case 'workflow-end':
          if (e.depth > 0) {
            const mark = e.status === 'succeeded' ? c.green('✓') : c.red('✗');
            line(`${pad(0)}${mark} ${e.workflowId} ${e.status}`);
          }
          depth = Math.max(0, e.depth - 1);
          break;
      }
    },

    finish(result: RunResult) {
      endCountdown();
      const outputs = Object.entries(result.outputs);
      if (outputs.length > 0) {
        line('');
        line(c.bold('Outputs'));
        const width = Math.max(...outputs.map(([k]) => k.length));
        for (const [k, v] of outputs) {
          const value = v === undefined ? c.dim('(not set)') : truncate(inlineValue(v), 200);
          line(`  ${k.padEnd(width)}  ${value}`);
        }
      }
      for (const w of warningsSeen.values())
        if (w.count > 1)
          line(`${pad(1)}${c.yellow('warning')} ${w.text} ${c.dim(`(step ${w.stepId}, ${w.count} times)`)}`);
      line('');
      const attempts = stepCount || result.steps.length;
      const distinct = new Set(result.steps.map((r) => `${r.workflowId}/${r.stepId}`)).size;
      const steps =
        attempts === distinct
          ? plural(distinct, 'step')
          : `${plural(distinct, 'step')}, ${plural(attempts, 'attempt')}`;
      const took = `${steps} in ${formatDuration(result.durationMs)}`;
      if (result.status === 'succeeded') {
        line(`${c.green('✓')} ${c.bold(result.workflowId)} succeeded ${c.dim(`(${took})`)}`);
      } else {
        const e = result.error;
        const where = e?.stepId ? ` at step ${e.stepId}` : '';
        const why = e ? `: ${e.code} ${e.message}` : '';
        line(`${c.red('✗')} ${c.bold(result.workflowId)} failed${where}${why} ${c.dim(`(${took})`)}`);
      }
    },

    invalid(diagnostics: readonly Diagnostic[], message: string, unreadable?: boolean) {
      endCountdown();
      for (const d of diagnostics) {
        const sev = d.severity === 'error' ? c.red('error') : c.yellow(d.severity);
        errLine(`${diagnosticLocation(d, cwd)} ${sev} ${d.code} ${d.message}`);
      }
      // An unreadable file is fully told by its one diagnostic.
      if (unreadable && diagnostics.length > 0) return;
      const { errors, warnings } = countSeverities(diagnostics);
      const subject = info?.file ?? message;
      errLine(
        `${c.red('✗')} ${subject} is invalid (${plural(errors, 'error')}, ${plural(warnings, 'warning')})`,
      );
    },

    error(code: string, message: string) {
      endCountdown();
      errLine(`${c.red('error')} ${code}: ${message}`);
    },
  };
}
