/**
 * JUnit XML reporter: a testsuite per workflow run, a testcase per step of that workflow (attempts
 * collapsed); the steps of a child workflow are reported inside the testcase of the step that ran it.
 */

import type { Diagnostic } from '../../document/diagnostic.js';
import type { ArazzoDocument } from '../../document/model.js';
import type { RunResult, StepRecord } from '../../engine/types.js';
import { responseExcerpt } from '../excerpt.js';
import { formatDiagnostic, inlineValue } from '../format.js';
import { escapeXml, type Writable } from '../io.js';
import { createFinalReporter } from './final.js';
import type { Reporter } from './types.js';

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
  /** The child workflow steps this step ran, one line each (JUnit `system-out`). */
  output?: string;
}

export interface Suite {
  name: string;
  cases: Case[];
  timeMs: number;
  /** This run's own properties (status, file, outputs). */
  properties?: Record<string, string>;
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

/**
 * Records of other workflows (children run by a workflowId step, or a workflow a goto moved to) belong
 * to the step of the run's own workflow that led to them: the step recorded after them (a workflowId
 * step finishes after its child) or, for those at the end, the last one before them (a goto).
 */
function attachChildren(result: RunResult): { own: StepRecord[]; children: Map<StepRecord, StepRecord[]> } {
  const own: StepRecord[] = [];
  const children = new Map<StepRecord, StepRecord[]>();
  let pending: StepRecord[] = [];
  for (const r of result.steps) {
    if (r.workflowId !== result.workflowId) {
      pending.push(r);
      continue;
    }
    own.push(r);
    if (pending.length > 0) children.set(r, pending);
    pending = [];
  }
  const last = own[own.length - 1];
  if (pending.length > 0 && last !== undefined)
    children.set(last, [...(children.get(last) ?? []), ...pending]);
  return { own, children };
}

function childLines(records: readonly StepRecord[]): string {
  return records.map((r) => `${r.workflowId} › ${r.stepId} attempt ${r.attempt}: ${r.outcome}`).join('\n');
}

/** Build the run's suite: grouping, collapsing attempts, deciding which step is where the run failed. */
export function buildSuites(result: RunResult, document?: ArazzoDocument): Suite[] {
  const { own, children } = attachChildren(result);
  const steps = new Map<string, StepRecord[]>();
  for (const r of own) {
    const list = steps.get(r.stepId);
    if (list) list.push(r);
    else steps.set(r.stepId, [r]);
  }
  const workflowId = result.workflowId;
  const lastRecord = own[own.length - 1];
  const cases: Case[] = [];
  let anyFailure = false;
  for (const [stepId, records] of steps) {
    const last = records[records.length - 1]!;
    const timeMs = records.reduce((sum, r) => sum + r.durationMs, 0);
    const nested = records.flatMap((r) => children.get(r) ?? []);
    const errorIn = result.error?.workflowId ?? workflowId;
    const named = result.error?.stepId === stepId && errorIn === workflowId;
    const failedInChild =
      errorIn !== workflowId &&
      nested.some((r) => r.workflowId === errorIn && r.stepId === result.error?.stepId);
    const failed =
      result.status === 'failed' &&
      (named || failedInChild || (last.outcome === 'failed' && lastRecord === last));
    const c: Case = { name: stepId, timeMs };
    if (nested.length > 0) c.output = childLines(nested);
    if (failed) {
      const failing = failedInChild
        ? nested.filter((r) => r.workflowId === errorIn && r.stepId === result.error?.stepId)
        : records;
      c.failure = failureOf(failing, result);
      if (failedInChild)
        c.failure.body = `in workflow ${errorIn}, step ${result.error?.stepId}\n${c.failure.body}`;
      anyFailure = true;
    }
    cases.push(c);
  }
  const declared = document?.workflows.find((w) => w.workflowId === workflowId)?.steps ?? [];
  for (const s of declared) {
    if (!steps.has(s.stepId)) cases.push({ name: s.stepId, timeMs: 0, skipped: 'not reached' });
  }
  if (result.status === 'failed' && !anyFailure) {
    // The run failed outside any of its steps (invalid inputs, timeout before a step, a dependency).
    const e = result.error;
    cases.unshift({
      name: 'workflow',
      timeMs: 0,
      failure: {
        type: e?.code ?? 'FAILED',
        message: e?.message ?? 'workflow failed',
        body: e ? `${e.code} ${e.message}` : 'workflow failed',
      },
    });
  }
  return [{ name: workflowId, cases, timeMs: result.durationMs, properties: runProperties(result) }];
}

/** The properties of one run's suite: its status and outputs, never another run's. */
export function runProperties(result: RunResult, file?: string): Record<string, string> {
  const props: Record<string, string> = { status: result.status };
  if (file !== undefined) props.file = file;
  for (const [k, v] of Object.entries(result.outputs)) props[`output.${k}`] = inlineValue(v);
  return props;
}

export function renderSuites(suites: Suite[], totalMs: number): string {
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
    const props = Object.entries(s.properties ?? {});
    if (props.length > 0) {
      out.push('    <properties>');
      for (const [k, v] of props) out.push(`      <property name="${xmlText(k)}" value="${xmlText(v)}"/>`);
      out.push('    </properties>');
    }
    for (const c of s.cases) {
      const open = `    <testcase classname="${xmlText(s.name)}" name="${xmlText(c.name)}" time="${seconds(c.timeMs)}"`;
      const inner: string[] = [];
      if (c.failure) {
        inner.push(
          `      <failure type="${xmlText(c.failure.type)}" message="${xmlText(c.failure.message)}">${xmlText(c.failure.body)}</failure>`,
        );
      } else if (c.skipped) {
        inner.push(`      <skipped message="${xmlText(c.skipped)}"/>`);
      }
      if (c.output !== undefined) inner.push(`      <system-out>${xmlText(c.output)}</system-out>`);
      if (inner.length === 0) out.push(`${open}/>`);
      else out.push(`${open}>`, ...inner, '    </testcase>');
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return `${out.join('\n')}\n`;
}

export function renderJunit(result: RunResult, document?: ArazzoDocument, file?: string): string {
  const suites = buildSuites(result, document).map((s) => ({
    ...s,
    properties: runProperties(result, file),
  }));
  return renderSuites(suites, result.durationMs);
}

export function createJunitReporter(out: Writable, cwd: string): Reporter {
  return createFinalReporter(out, {
    finish: (result, info) => renderJunit(result, info?.document, info?.file),
    invalid(diagnostics: readonly Diagnostic[], message: string, info) {
      const errors = diagnostics.filter((d) => d.severity === 'error');
      const body = errors.map((d) => formatDiagnostic(d, cwd)).join('\n') || message;
      const suite: Suite = {
        name: info?.file ?? 'document',
        timeMs: 0,
        cases: [{ name: 'validate', timeMs: 0, failure: { type: 'DOCUMENT_INVALID', message, body } }],
      };
      return renderSuites([suite], 0);
    },
    error(code: string, message: string, info) {
      const suite: Suite = {
        name: info?.workflowId ?? info?.file ?? 'run',
        timeMs: 0,
        cases: [
          { name: 'workflow', timeMs: 0, failure: { type: code, message, body: `${code} ${message}` } },
        ],
      };
      return renderSuites([suite], 0);
    },
  });
}
