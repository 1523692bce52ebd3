/** `arazzo test`: run every workflow of every file; one line each, a summary, and CI reports. */
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import type { ArazzoDocument, JsonObject, WorkflowObject } from '../../document/model.js';
import type { RunResult } from '../../engine/types.js';
import { isArazzoError } from '../../errors.js';
import type { LoadedDocument } from '../../sources/types.js';
import { lastString, oneOf, type Parsed, parseCommandArgs, UsageError } from '../args.js';
import type { CommandContext } from '../context.js';
import { loadEngine, loadSources } from '../deps.js';
import {
  displayPath,
  formatDiagnostic,
  formatDuration,
  plural,
  stringifyJson,
  toJsonSafe,
} from '../format.js';
import { buildSuites, renderSuites, type Suite } from '../reporters/junit.js';
import { TEST_USAGE } from '../usage.js';
import { buildInputs, parseRunArgs, RUN_OPTIONS, readInputsFile, runOptionsFactory } from './run.js';

const TEST_OPTIONS = RUN_OPTIONS;
const TEST_REPORTERS = ['pretty', 'json', 'junit', 'html'] as const;

/** One workflow's outcome in a test run. */
export interface TestCaseResult {
  file: string;
  workflowId: string;
  status: 'passed' | 'failed';
  /** Set when the document could not be loaded (then workflowId is ''). */
  invalid?: string;
  result?: RunResult;
  document?: ArazzoDocument;
}

const ARAZZO_FILE = /\.(ya?ml|json)$/i;

/** Expand files, folders (recursively: Arazzo-looking YAML/JSON) and simple globs (`*`, `**`, `?`). */
export async function expandPaths(patterns: readonly string[], cwd: string): Promise<string[]> {
  const out = new Set<string>();
  for (const pattern of patterns) {
    if (!/[*?]/.test(pattern)) {
      const abs = resolve(cwd, pattern);
      const info = await stat(abs).catch(() => undefined);
      if (info === undefined) throw new UsageError(`no such file or folder: ${pattern}`, 'test');
      if (info.isDirectory()) {
        for (const f of await walk(abs)) if (await looksLikeArazzo(f)) out.add(f);
      } else {
        out.add(abs);
      }
      continue;
    }
    const parts = pattern.split(/[\\/]/);
    const firstGlob = parts.findIndex((p) => /[*?]/.test(p));
    const base = resolve(cwd, parts.slice(0, firstGlob).join('/') || '.');
    const regex = globToRegExp(parts.slice(firstGlob).join('/'));
    const matched = (await walk(base)).filter((f) => regex.test(relative(base, f).split(sep).join('/')));
    if (matched.length === 0) throw new UsageError(`no file matches ${pattern}`, 'test');
    for (const f of matched) out.add(f);
  }
  return [...out].sort();
}

function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i]!;
    if (ch === '*' && glob[i + 1] === '*') {
      re += glob[i + 2] === '/' ? '(?:.*/)?' : '.*';
      i += glob[i + 2] === '/' ? 2 : 1;
    } else if (ch === '*') re += '[^/]*';
    else if (ch === '?') re += '[^/]';
    else re += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const e of entries) {
    if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
    const full = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await walk(full)));
    else if (ARAZZO_FILE.test(e.name) && !e.name.endsWith('.inputs.json')) out.push(full);
  }
  return out;
}

async function looksLikeArazzo(file: string): Promise<boolean> {
  const head = (await readFile(file, 'utf8').catch(() => '')).slice(0, 4096);
  return /(^|\n)\s*["']?arazzo["']?\s*:/.test(head);
}

/**
 * Inputs for one workflow from the sidecar `<file>.inputs.json`. Decision (README): the sidecar is either
 * the inputs object for every workflow of the file, or `{ "workflows": { "<workflowId>": {...} } }`.
 */
async function sidecarInputs(file: string, workflowId: string): Promise<Record<string, unknown>> {
  const path = file.replace(/\.(ya?ml|json)$/i, '') + '.inputs.json';
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return {};
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${path}: not JSON (${(error as Error).message})`, 'test');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
  const obj = value as Record<string, unknown>;
  const per = obj.workflows;
  if (typeof per === 'object' && per !== null && !Array.isArray(per)) {
    const mine = (per as Record<string, unknown>)[workflowId];
    return typeof mine === 'object' && mine !== null ? (mine as Record<string, unknown>) : {};
  }
  return obj;
}

async function synthesize(
  document: ArazzoDocument,
  workflow: WorkflowObject,
  given: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const mock = (await import('../../mock/index.js')) as Record<string, unknown>;
  const fn = mock.synthesizeInputs as
    | ((schema: JsonObject | undefined, document?: ArazzoDocument) => Record<string, unknown>)
    | undefined;
  if (typeof fn !== 'function') return given;
  const generated = fn(workflow.inputs, document);
  return { ...generated, ...given };
}

export async function testCommand(argv: readonly string[], ctx: CommandContext): Promise<number> {
  const { values, positionals }: Parsed = parseCommandArgs(argv, TEST_OPTIONS, 'test');
  if (values.help === true) {
    ctx.out.write(TEST_USAGE);
    return 0;
  }
  if (positionals.length === 0)
    throw new UsageError('missing <files...>: Arazzo files, folders or globs', 'test');
  const reporter = oneOf(lastString(values.reporter), TEST_REPORTERS, '--reporter') ?? 'pretty';
  // Reuse run's parsing for every shared flag (one positional stands in for the file).
  const withoutReporter = argv.filter(
    (a, i) => !(a === '--reporter' || a === '-r' || argv[i - 1] === '--reporter' || argv[i - 1] === '-r'),
  );
  const args = parseRunArgs(
    [positionals[0]!, ...withoutReporter.filter((a) => !positionals.includes(a))],
    ctx.io.env,
  );
  if (args === 'help') return 0;
  for (const value of Object.values(args.auth)) ctx.masker.add(value);
  const files = await expandPaths(positionals, ctx.cwd);
  const fileInputs = args.inputsFile !== undefined ? await readInputsFile(args.inputsFile, ctx) : {};
  const makeOptions = await runOptionsFactory(args, ctx);
  const [{ loadArazzo }, { runWorkflow }] = await Promise.all([loadSources(), loadEngine()]);
  const colors = ctx.colors(args.noColor);
  const cases: TestCaseResult[] = [];
  const started = performance.now();

  for (const file of files) {
    const shown = displayPath(file, ctx.cwd);
    let loaded: LoadedDocument;
    try {
      loaded = await loadArazzo(file, { sources: args.sources, strict: args.strict, cwd: ctx.cwd });
    } catch (error) {
      if (!isArazzoError(error)) throw error;
      const diags =
        'diagnostics' in error ? (error.diagnostics as Parameters<typeof formatDiagnostic>[0][]) : [];
      const first = diags.find((d) => d.severity === 'error');
      const why = first ? formatDiagnostic(first, ctx.cwd) : error.message;
      cases.push({ file: shown, workflowId: '', status: 'failed', invalid: why });
      ctx.out.write(`${colors.red('✗')} ${shown} ${colors.dim('invalid document')}: ${why}\n`);
      continue;
    }
    const workflows = loaded.document.workflows.filter(
      (w) => args.workflowId === undefined || w.workflowId === args.workflowId,
    );
    for (const workflow of workflows) {
      let inputs = buildInputs(
        loaded.document,
        workflow,
        { ...(await sidecarInputs(file, workflow.workflowId)), ...fileInputs },
        args.inputs,
        args.envInputs,
        (s) => ctx.masker.add(s),
      );
      if (args.mock) inputs = await synthesize(loaded.document, workflow, inputs);
      const result = await runWorkflow(loaded, inputs, {
        ...makeOptions(),
        workflowId: workflow.workflowId,
        strict: args.strict,
        secrets: [...ctx.masker.secrets],
        ...(ctx.io.signal ? { signal: ctx.io.signal } : {}),
      });
      const passed = result.status === 'succeeded';
      cases.push({
        file: shown,
        workflowId: workflow.workflowId,
        status: passed ? 'passed' : 'failed',
        result,
        document: loaded.document,
      });
      const attempts = plural(result.steps.length, 'step');
      if (passed) {
        ctx.out.write(
          `${colors.green('✓')} ${shown} › ${workflow.workflowId} ${colors.dim(`${attempts}, ${formatDuration(result.durationMs)}`)}\n`,
        );
      } else {
        const why = result.error ? `${result.error.code}: ${result.error.message}` : 'failed';
        ctx.out.write(
          `${colors.red('✗')} ${shown} › ${workflow.workflowId} ${colors.dim(`${attempts}, ${formatDuration(result.durationMs)}`)}\n    ${why}\n`,
        );
      }
      if (ctx.io.signal?.aborted) break;
    }
  }

  const passedCount = cases.filter((c) => c.status === 'passed').length;
  const failedCount = cases.length - passedCount;
  ctx.out.write(`\n${passedCount} passed, ${failedCount} failed\n`);
  const elapsed = performance.now() - started;

  if (reporter !== 'pretty') {
    const text = await renderReport(reporter, cases, elapsed);
    if (args.output !== undefined) {
      const path = resolve(ctx.cwd, args.output);
      try {
        await writeFile(path, ctx.masker.mask(text), 'utf8');
      } catch (error) {
        throw new UsageError(
          `--output: cannot write ${args.output} (${(error as { code?: string }).code ?? String(error)})`,
          'test',
        );
      }
    } else {
      ctx.out.write(text);
    }
  }
  return failedCount > 0 ? 1 : 0;
}

async function renderReport(
  reporter: 'json' | 'junit' | 'html',
  cases: TestCaseResult[],
  elapsedMs: number,
): Promise<string> {
  if (reporter === 'json') {
    const passed = cases.filter((c) => c.status === 'passed').length;
    const runs = cases.map((c) => ({
      file: c.file,
      workflowId: c.workflowId,
      status: c.status,
      ...(c.invalid !== undefined ? { invalid: c.invalid } : {}),
      ...(c.result !== undefined ? { result: c.result } : {}),
    }));
    return `${stringifyJson(toJsonSafe({ passed, failed: cases.length - passed, runs }))}\n`;
  }
  if (reporter === 'junit') {
    const suites: Suite[] = [];
    for (const c of cases) {
      if (c.result === undefined) {
        suites.push({
          name: c.file,
          timeMs: 0,
          cases: [
            {
              name: 'validate',
              timeMs: 0,
              failure: { type: 'DOCUMENT_INVALID', message: c.invalid ?? 'invalid', body: c.invalid ?? '' },
            },
          ],
        });
        continue;
      }
      for (const s of buildSuites(c.result, c.document)) suites.push({ ...s, name: `${c.file} › ${s.name}` });
    }
    return renderSuites(suites, elapsedMs);
  }
  const htmlModule = '../reporters/html.js';
  const html = (await import(htmlModule).catch(() => undefined)) as
    | {
        renderHtmlReport?: (
          runs: Array<{ file: string; document: ArazzoDocument; result: RunResult }>,
        ) => string;
      }
    | undefined;
  if (html?.renderHtmlReport === undefined)
    throw new UsageError('--reporter html is not available in this build', 'test');
  return html.renderHtmlReport(
    cases.flatMap((c) =>
      c.result !== undefined && c.document !== undefined
        ? [{ file: c.file, document: c.document, result: c.result }]
        : [],
    ),
  );
}
