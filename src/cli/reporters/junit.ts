/** JUnit XML reporter: a testsuite per workflow, a testcase per step (attempts collapsed). */

import type { Diagnostic } from '../../document/diagnostic.js';
import type { ArazzoDocument } from '../../document/model.js';
import type { RunResult, StepRecord } from '../../engine/types.js';
import { responseExcerpt } from '../excerpt.js';
import { formatDiagnostic, inlineValue } from '../format.js';
import { escapeXml, type Writable } from '../io.js';
import type { Reporter, RunInfo } from './types.js';

/** Replace what XML 1.0 forbids even escaped: C0 controls but tab/CR/LF, U+FFFE/U+FFFF, lone surrogates. */
function stripInvalidXml(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        out += text[i]! + text[i + 1]!;
        i++;
      } else out += '\uFFFD';
      continue;
    }
    const bad =
      (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) ||
      (code >= 0xdc00 && code <= 0xdfff) ||
      code === 0xfffe ||
      code === 0xffff;
    out += bad ? '\uFFFD' : text[i]!;
  }
  return out;
}

export function xmlText(text: string): string {
  return escapeXml(stripInvalidXml(text));
}

function seconds(ms: number): string {
  return (Math.max(0, ms) / 1000).toFixed(3);
}

export interface Case {
  name: string;
  timeMs: number;
  failure?: { type: string; message: string; body: string };
  skipped?: string;
}

export interface Suite {
  name: string;
  cases: Case[];
  timeMs: number;
}

function failureOf(records: StepRecord[], result: RunResult): NonNullable<Case['failure']> {
  const last = records[records.length - 1]!;
  const lines: string[] = [`attempts: ${records.length}`];
  if (last.request) {
    const status = last.response ? ` -> ${last.response.statusCode}` : '';
    lines.push(`${last.request.method} ${last.request.url}${status}`);
  }
  for (const m of last.messages ?? []) lines.push(`message ${m.direction} on ${m.channel} (${m.server})`);
  const excerpt = responseExcerpt(last);
  if (excerpt !== undefined) lines.push(excerpt);
  const failed = last.criteria.filter((c) => !c.passed);
  for (const c of failed) lines.push(`criterion failed: ${c.condition}${c.reason ? ` (${c.reason})` : ''}`);
  if (last.error) lines.push(`error: ${last.error.code} ${last.error.message}`);
  for (const check of last.checks ?? []) {
    if (!check.passed) lines.push(`contract ${check.severity} ${check.check}: ${check.message}`);
  }
  const runError = result.error;
  if (runError) lines.push(`run: ${runError.code} ${runError.message}`);
  const first = failed[0];
  const message = first
    ? `${first.condition}${first.reason ? `: ${first.reason}` : ''}`
    : (last.error?.message ?? runError?.message ?? 'step failed');
  return { type: last.error?.code ?? runError?.code ?? 'STEP_FAILED', message, body: lines.join('\n') };
}

/** Build the suites: grouping, collapsing attempts, deciding which step is where the run failed. */
export function buildSuites(result: RunResult, document?: ArazzoDocument): Suite[] {
  const byWorkflow = new Map<string, Map<string, StepRecord[]>>();
  byWorkflow.set(result.workflowId, new Map());
  for (const r of result.steps) {
    let steps = byWorkflow.get(r.workflowId);
    if (!steps) {
      steps = new Map();
      byWorkflow.set(r.workflowId, steps);
    }
    const list = steps.get(r.stepId);
    if (list) list.push(r);
    else steps.set(r.stepId, [r]);
  }
  const lastRecordOf = new Map<string, StepRecord>();
  for (const r of result.steps) lastRecordOf.set(r.workflowId, r);

  const suites: Suite[] = [];
  let anyFailure = false;
  for (const [workflowId, steps] of byWorkflow) {
    const cases: Case[] = [];
    for (const [stepId, records] of steps) {
      const last = records[records.length - 1]!;
      const timeMs = records.reduce((sum, r) => sum + r.durationMs, 0);
      const named =
        result.error?.stepId === stepId && (result.error.workflowId ?? result.workflowId) === workflowId;
      const stoppedHere = lastRecordOf.get(workflowId) === last;
      const failed = result.status === 'failed' && last.outcome === 'failed' && (named || stoppedHere);
      const c: Case = { name: stepId, timeMs };
      if (failed) {
        c.failure = failureOf(records, result);
        anyFailure = true;
      }
      cases.push(c);
    }
    const declared = document?.workflows.find((w) => w.workflowId === workflowId)?.steps ?? [];
    for (const s of declared) {
      if (!steps.has(s.stepId)) cases.push({ name: s.stepId, timeMs: 0, skipped: 'not reached' });
    }
    const timeMs =
      workflowId === result.workflowId ? result.durationMs : cases.reduce((sum, c) => sum + c.timeMs, 0);
    suites.push({ name: workflowId, cases, timeMs });
  }
  if (result.status === 'failed' && !anyFailure) {
    // The run failed outside any step (invalid inputs, timeout before a step, a dependency).
    const e = result.error;
    suites[0]!.cases.unshift({
      name: 'workflow',
      timeMs: 0,
      failure: {
        type: e?.code ?? 'FAILED',
        message: e?.message ?? 'workflow failed',
        body: e ? `${e.code} ${e.message}` : 'workflow failed',
      },
    });
  }
  return suites;
}

export function renderSuites(
  suites: Suite[],
  totalMs: number,
  properties: Record<string, string> = {},
): string {
  const count = (s: Suite, f: (c: Case) => boolean) => s.cases.filter(f).length;
  const tests = suites.reduce((n, s) => n + s.cases.length, 0);
  const failures = suites.reduce((n, s) => n + count(s, (c) => c.failure !== undefined), 0);
  const skipped = suites.reduce((n, s) => n + count(s, (c) => c.skipped !== undefined), 0);
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  out.push(
    `<testsuites name="arazzo" tests="${tests}" failures="${failures}" errors="0" skipped="${skipped}" time="${seconds(totalMs)}">`,
  );
  for (const s of suites) {
    out.push(
      `  <testsuite name="${xmlText(s.name)}" tests="${s.cases.length}" failures="${count(s, (c) => c.failure !== undefined)}" errors="0" skipped="${count(s, (c) => c.skipped !== undefined)}" time="${seconds(s.timeMs)}">`,
    );
    const props = Object.entries(properties);
    if (props.length > 0) {
      out.push('    <properties>');
      for (const [k, v] of props) out.push(`      <property name="${xmlText(k)}" value="${xmlText(v)}"/>`);
      out.push('    </properties>');
    }
    for (const c of s.cases) {
      const open = `    <testcase classname="${xmlText(s.name)}" name="${xmlText(c.name)}" time="${seconds(c.timeMs)}"`;
      if (c.failure) {
        out.push(`${open}>`);
        out.push(
          `      <failure type="${xmlText(c.failure.type)}" message="${xmlText(c.failure.message)}">${xmlText(c.failure.body)}</failure>`,
        );
        out.push('    </testcase>');
      } else if (c.skipped) {
        out.push(`${open}>`, `      <skipped message="${xmlText(c.skipped)}"/>`, '    </testcase>');
      } else {
        out.push(`${open}/>`);
      }
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return `${out.join('\n')}\n`;
}

export function renderJunit(result: RunResult, document?: ArazzoDocument, file?: string): string {
  const props: Record<string, string> = { status: result.status };
  if (file !== undefined) props.file = file;
  if (Object.keys(result.outputs).length > 0) {
    for (const [k, v] of Object.entries(result.outputs)) props[`output.${k}`] = inlineValue(v);
  }
  return renderSuites(buildSuites(result, document), result.durationMs, props);
}

export function createJunitReporter(out: Writable, cwd: string): Reporter {
  let info: RunInfo | undefined;
  return {
    start(i) {
      info = i;
    },
    onEvent() {},
    finish(result) {
      out.write(renderJunit(result, info?.document, info?.file));
    },
    invalid(diagnostics: readonly Diagnostic[], message: string) {
      const errors = diagnostics.filter((d) => d.severity === 'error');
      const body = errors.map((d) => formatDiagnostic(d, cwd)).join('\n') || message;
      const suite: Suite = {
        name: info?.file ?? 'document',
        timeMs: 0,
        cases: [{ name: 'validate', timeMs: 0, failure: { type: 'DOCUMENT_INVALID', message, body } }],
      };
      out.write(renderSuites([suite], 0));
    },
    error(code: string, message: string) {
      const suite: Suite = {
        name: info?.workflowId ?? info?.file ?? 'run',
        timeMs: 0,
        cases: [
          { name: 'workflow', timeMs: 0, failure: { type: code, message, body: `${code} ${message}` } },
        ],
      };
      out.write(renderSuites([suite], 0));
    },
  };
}
