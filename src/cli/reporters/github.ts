/** `--reporter github`: GitHub Actions workflow commands at the failing step's line, and a Markdown job summary. */
import { appendFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Diagnostic } from '../../document/diagnostic.js';
import type { ArazzoDocument } from '../../document/model.js';
import type { RunResult } from '../../engine/types.js';
import type { CommandContext } from '../context.js';
import { displayPath, formatDiagnostic, formatDuration } from '../format.js';
import type { Writable } from '../io.js';
import type { Reporter, RunInfo } from './types.js';

/** One workflow's outcome as the GitHub reporter needs it. */
export interface GithubCase {
  /** The document's path as shown (relative to the working directory, which is the checkout in CI). */
  file: string;
  workflowId: string;
  status: 'passed' | 'failed';
  invalid?: string;
  result?: RunResult;
  /** 1-based line of the failing step (else of the workflow) in `file`; 0 when unknown. */
  line?: number;
  /** 1-based column at `line` (`arazzo run` knows it); left out of the annotation when absent or 0. */
  column?: number;
}

/**
 * JSON Pointer of what failed: the failing step of this document's workflow, else the workflow.
 * A failing step of a child workflow in another document points at the parent's workflow.
 */
export function failurePointer(document: ArazzoDocument, result: RunResult): string | undefined {
  const wfIndex = document.workflows.findIndex(
    (w) => w.workflowId === (result.error?.workflowId ?? result.workflowId),
  );
  const index =
    wfIndex >= 0 ? wfIndex : document.workflows.findIndex((w) => w.workflowId === result.workflowId);
  if (index < 0) return undefined;
  const stepId = result.error?.stepId;
  const steps = document.workflows[index]?.steps ?? [];
  const stepIndex = stepId === undefined ? -1 : steps.findIndex((s) => s.stepId === stepId);
  return stepIndex >= 0 ? `/workflows/${index}/steps/${stepIndex}` : `/workflows/${index}`;
}

// Workflow command escaping (actions/toolkit's command.ts): data escapes %, CR, LF; properties also : and ,.
const escapeData = (s: string): string => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (s: string): string => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

function why(c: GithubCase): string {
  if (c.invalid !== undefined) return c.invalid;
  const e = c.result?.error;
  return e !== undefined ? `${e.code}: ${e.message}` : 'failed';
}

/** `::error file=...,line=...,title=...::message` for every failure, one line each. */
export function renderGithubAnnotations(cases: readonly GithubCase[]): string {
  let out = '';
  for (const c of cases) {
    if (c.status === 'passed') continue;
    const props = [`file=${escapeProperty(c.file)}`];
    if (c.line !== undefined && c.line > 0) props.push(`line=${c.line}`);
    if (c.line !== undefined && c.line > 0 && c.column !== undefined && c.column > 0)
      props.push(`col=${c.column}`);
    const title = c.workflowId === '' ? 'invalid Arazzo document' : `${c.workflowId} failed`;
    props.push(`title=${escapeProperty(title)}`);
    out += `::error ${props.join(',')}::${escapeData(why(c))}\n`;
  }
  return out;
}

const position = (c: GithubCase): string =>
  c.column !== undefined && c.column > 0 ? `${c.line}:${c.column}` : `${c.line}`;

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

/** The job summary: counts, then a table of every workflow run. */
export function renderGithubSummary(cases: readonly GithubCase[]): string {
  const passed = cases.filter((c) => c.status === 'passed').length;
  const failed = cases.length - passed;
  const rows = cases.map((c) => {
    const where = c.line !== undefined && c.line > 0 ? `${c.file}:${position(c)}` : c.file;
    const steps = c.result !== undefined ? String(c.result.steps.length) : '';
    const time = c.result !== undefined ? formatDuration(c.result.durationMs) : '';
    const detail = c.status === 'passed' ? '' : why(c);
    return `| ${c.status === 'passed' ? '✅' : '❌'} | ${cell(where)} | ${cell(c.workflowId || '(document)')} | ${steps} | ${time} | ${cell(detail)} |`;
  });
  return [
    `### Arazzo: ${passed} passed, ${failed} failed`,
    '',
    '| | Document | Workflow | Steps | Time | Failure |',
    '|---|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}

/** Append the job summary to $GITHUB_STEP_SUMMARY when the job has one (a failure to append is a warning). */
export async function appendGithubSummary(cases: readonly GithubCase[], ctx: CommandContext): Promise<void> {
  const summary = ctx.io.env.GITHUB_STEP_SUMMARY;
  if (summary === undefined || summary === '') return;
  try {
    await appendFile(summary, ctx.masker.text(renderGithubSummary(cases)), 'utf8');
  } catch (error) {
    const why = (error as { code?: string }).code ?? String(error);
    ctx.err.write(`arazzo: warning: cannot append the job summary to GITHUB_STEP_SUMMARY (${why})\n`);
  }
}

/** The GitHub reporter of one run, and the case it made of it (for the job summary). */
export interface GithubReporter extends Reporter {
  readonly cases: readonly GithubCase[];
}

/**
 * `arazzo run --reporter github`: when the run ends, one `::error` at the failing step's line and column
 * of the Arazzo file (`RunInfo.locate`), or at the first error of a document that did not load. It is
 * wrapped by `maskReporter` like every reporter, so it only ever sees masked values.
 */
export function createGithubReporter(out: Writable, cwd: string): GithubReporter {
  let info: RunInfo | undefined;
  const cases: GithubCase[] = [];
  const shown = () => (info === undefined ? '' : displayPath(resolve(cwd, info.file), cwd));
  const tell = (c: GithubCase) => {
    cases.push(c);
    out.write(renderGithubAnnotations([c]));
  };
  return {
    cases,
    start(i) {
      info = i;
    },
    onEvent() {},
    finish(result) {
      tell(runCase(shown(), result, info));
    },
    invalid(diagnostics, message) {
      tell(invalidCase(shown(), diagnostics, message, cwd));
    },
    error(code, message) {
      tell({
        file: shown(),
        workflowId: info?.workflowId ?? '',
        status: 'failed',
        invalid: `${code}: ${message}`,
      });
    },
  };
}

/** A finished run as a case, failed ones placed at the failing step (else the workflow). */
function runCase(file: string, result: RunResult, info: RunInfo | undefined): GithubCase {
  const c: GithubCase = {
    file,
    workflowId: result.workflowId,
    status: result.status === 'succeeded' ? 'passed' : 'failed',
    result,
  };
  if (c.status === 'passed' || info?.document === undefined || info.locate === undefined) return c;
  const pointer = failurePointer(info.document, result);
  if (pointer === undefined) return c;
  const { line, column } = info.locate(pointer);
  return { ...c, line, column };
}

/** A document that did not load, at its first error (which may be in a source description). */
function invalidCase(
  file: string,
  diagnostics: readonly Diagnostic[],
  message: string,
  cwd: string,
): GithubCase {
  const first = diagnostics.find((d) => d.severity === 'error');
  if (first === undefined) return { file, workflowId: '', status: 'failed', invalid: message };
  const where = first.file !== '' ? displayPath(first.file, cwd) : file;
  return {
    file: where,
    workflowId: '',
    status: 'failed',
    invalid: formatDiagnostic(first, cwd),
    ...(first.line > 0 ? { line: first.line, column: first.column } : {}),
  };
}
