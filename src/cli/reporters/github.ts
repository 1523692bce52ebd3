/** `--reporter github`: GitHub Actions workflow commands at the failing step's line, and a Markdown job summary. */
import type { ArazzoDocument } from '../../document/model.js';
import type { RunResult } from '../../engine/types.js';
import { formatDuration } from '../format.js';

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
    const title = c.workflowId === '' ? 'invalid Arazzo document' : `${c.workflowId} failed`;
    props.push(`title=${escapeProperty(title)}`);
    out += `::error ${props.join(',')}::${escapeData(why(c))}\n`;
  }
  return out;
}

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

/** The job summary: counts, then a table of every workflow run. */
export function renderGithubSummary(cases: readonly GithubCase[]): string {
  const passed = cases.filter((c) => c.status === 'passed').length;
  const failed = cases.length - passed;
  const rows = cases.map((c) => {
    const where = c.line !== undefined && c.line > 0 ? `${c.file}:${c.line}` : c.file;
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
