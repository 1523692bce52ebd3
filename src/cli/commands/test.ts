/** `arazzo test`: run every workflow of every file; one line each, a summary, and CI reports. */
import { appendFile, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { resolveInputsRef } from '../../document/inputs-ref.js';
import type { ArazzoDocument, WorkflowObject } from '../../document/model.js';
import type { RunResult } from '../../engine/types.js';
import { isArazzoError } from '../../errors.js';
import type { LoadedDocument } from '../../sources/types.js';
import {
  inputProperties,
  lastString,
  oneOf,
  type Parsed,
  parseCommandArgs,
  UsageError,
  withoutOAuthClients,
} from '../args.js';
import { addCredential, type CommandContext } from '../context.js';
import { loadEngine, loadSources } from '../deps.js';
import { responseExcerpt } from '../excerpt.js';
import {
  displayPath,
  formatDiagnostic,
  formatDuration,
  plural,
  stringifyJson,
  toJsonSafe,
} from '../format.js';
import { failurePointer, renderGithubAnnotations, renderGithubSummary } from '../reporters/github.js';
import { buildSuites, renderSuites, runProperties, type Suite } from '../reporters/junit.js';
import { TEST_USAGE } from '../usage.js';
import { loadReplay, startHarRecording } from './har.js';
import {
  assertDeclaredInputs,
  assertInputsDeclaredSomewhere,
  assertScenarioFits,
  isCompanionFile,
  scenarioCandidates,
  sidecarCandidates,
} from './misconfig.js';
import {
  buildInputs,
  checkWritable,
  mockLoopHint,
  parseRunArgs,
  RUN_OPTIONS,
  readInputsFile,
  runOptionsFactory,
} from './run.js';

const TEST_OPTIONS = {
  ...RUN_OPTIONS,
  'sources-map': { type: 'string' },
  'scenario-dir': { type: 'string' },
  replay: { type: 'string' },
} as const;
const TEST_REPORTERS = ['pretty', 'json', 'junit', 'html', 'github'] as const;

/** One workflow's outcome in a test run. */
export interface TestCaseResult {
  file: string;
  workflowId: string;
  status: 'passed' | 'failed';
  /** Set when the document could not be loaded (then workflowId is ''). */
  invalid?: string;
  result?: RunResult;
  document?: ArazzoDocument;
  /** 1-based line of the failing step (else workflow) in the document, for CI annotations. */
  line?: number;
}

const ARAZZO_FILE = /\.(ya?ml|json)$/i;

/**
 * Expand files, folders (recursively: Arazzo-looking YAML/JSON) and simple globs (`*`, `**`, `?`).
 * Neither a folder nor a glob picks up sidecar inputs, files under `exclude` (the scenario folder) or,
 * for a glob, files without an `arazzo:` key: the README glob of `*.arazzo.yaml` files under specs also
 * matches a scenario named after its document. A file named on its own is always taken.
 */
export async function expandPaths(
  patterns: readonly string[],
  cwd: string,
  exclude?: string,
): Promise<string[]> {
  const out = new Set<string>();
  const excluded = exclude !== undefined ? resolve(cwd, exclude) + sep : undefined;
  const companion = (f: string) => isCompanionFile(f) || (excluded !== undefined && f.startsWith(excluded));
  for (const pattern of patterns) {
    if (!/[*?]/.test(pattern)) {
      const abs = resolve(cwd, pattern);
      const info = await stat(abs).catch(() => undefined);
      if (info === undefined) throw new UsageError(`no such file or folder: ${pattern}`, 'test');
      if (info.isDirectory()) {
        for (const f of await walk(abs)) if (!companion(f) && (await looksLikeArazzo(f))) out.add(f);
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
    let kept = 0;
    for (const f of matched)
      if (!companion(f) && (await looksLikeArazzo(f))) {
        out.add(f);
        kept++;
      }
    if (kept === 0)
      throw new UsageError(
        `no Arazzo document among the ${plural(matched.length, 'file')} ${pattern} matches`,
        'test',
      );
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
    else if (ARAZZO_FILE.test(e.name)) out.push(full);
  }
  return out;
}

async function looksLikeArazzo(file: string): Promise<boolean> {
  const head = (await readFile(file, 'utf8').catch(() => '')).slice(0, 4096);
  return /(^|\n)\s*["']?arazzo["']?\s*:/.test(head);
}

/** The sidecar inputs of one document: the first file of `sidecarCandidates` that exists. */
interface Sidecar {
  /** Every file looked for, in order (named when the inputs turn out invalid). */
  looked: string[];
  found?: string;
  value: Record<string, unknown>;
}

async function readSidecar(file: string): Promise<Sidecar> {
  const looked = sidecarCandidates(file);
  for (const path of looked) {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch {
      continue;
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new UsageError(`${path}: not JSON (${(error as Error).message})`, 'test');
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      throw new UsageError(`${path}: must hold a JSON object`, 'test');
    return { looked, found: path, value: value as Record<string, unknown> };
  }
  return { looked, value: {} };
}

/**
 * Inputs for one workflow from the sidecar. Decision (README): the sidecar is either the inputs object
 * for every workflow of the file, or `{ "workflows": { "<workflowId>": {...} } }`.
 */
function sidecarInputs(sidecar: Sidecar, workflowId: string): Record<string, unknown> {
  const obj = sidecar.value;
  const per = obj.workflows;
  if (typeof per === 'object' && per !== null && !Array.isArray(per)) {
    const mine = Object.hasOwn(per, workflowId) ? (per as Record<string, unknown>)[workflowId] : undefined;
    return typeof mine === 'object' && mine !== null ? (mine as Record<string, unknown>) : {};
  }
  return obj;
}

function sidecarNote(sidecar: Sidecar, cwd: string): string {
  const looked = sidecar.looked.map((f) => displayPath(f, cwd)).join(', ');
  return sidecar.found !== undefined
    ? `inputs sidecar: ${displayPath(sidecar.found, cwd)} (looked for ${looked})`
    : `inputs sidecar: none found (looked for ${looked})`;
}

async function synthesize(
  document: ArazzoDocument,
  workflow: WorkflowObject,
  given: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const { synthesizeInputs } = await import('../../mock/index.js');
  const generated = synthesizeInputs(workflow.inputs, {
    resolveRef: (ref) => resolveInputsRef(ref, document),
  });
  return { ...generated, ...given };
}

/**
 * `--sources-map map.json`: `{ "<path of an Arazzo file, relative to some root>": { "<source>": "<path>" } }`.
 * A key matches an Arazzo file whose path ends with it; the source paths resolve against the same root
 * (the file's path minus the key). Lets a folder of documents whose source URLs are wrong run as one command.
 */
async function readSourcesMap(file: string, cwd: string): Promise<Map<string, Record<string, string>>> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(resolve(cwd, file), 'utf8'));
  } catch (error) {
    throw new UsageError(`--sources-map: cannot read ${file} as JSON (${(error as Error).message})`, 'test');
  }
  const out = new Map<string, Record<string, string>>();
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UsageError(`--sources-map: ${file} must hold an object`, 'test');
  }
  for (const [key, map] of Object.entries(value)) {
    if (typeof map !== 'object' || map === null) continue;
    out.set(key.split(/[\\/]/).join('/'), map as Record<string, string>);
  }
  return out;
}

function mappedSources(map: Map<string, Record<string, string>>, file: string): Record<string, string> {
  const normalized = file.split(sep).join('/');
  for (const [key, sources] of map) {
    if (!normalized.endsWith(`/${key}`)) continue;
    const root = normalized.slice(0, normalized.length - key.length);
    const out: Record<string, string> = {};
    for (const [name, path] of Object.entries(sources)) out[name] = resolve(root, path);
    return out;
  }
  return {};
}

/** `--scenario-dir dir`: with --mock, the first of `scenarioCandidates` that exists scripts that file's runs. */
async function scenarioFor(dir: string | undefined, file: string, cwd: string): Promise<string | undefined> {
  if (dir === undefined) return undefined;
  for (const candidate of scenarioCandidates(resolve(cwd, dir), file)) {
    if (
      await stat(candidate)
        .then((s) => s.isFile())
        .catch(() => false)
    )
      return candidate;
  }
  return undefined;
}

/** Scenario files of `--scenario-dir` (top level, YAML/JSON). */
async function scenarioFiles(dir: string, cwd: string): Promise<string[]> {
  const abs = resolve(cwd, dir);
  const entries = await readdir(abs, { withFileTypes: true }).catch(() => undefined);
  if (entries === undefined) throw new UsageError(`--scenario-dir: no such folder: ${dir}`, 'test');
  return entries
    .filter((e) => e.isFile() && ARAZZO_FILE.test(e.name))
    .map((e) => join(abs, e.name))
    .sort();
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
  const own = new Set(['--reporter', '-r', '--sources-map', '--scenario-dir', '--replay']);
  const withoutReporter = argv.filter((a, i) => !(own.has(a) || own.has(argv[i - 1] ?? '')));
  const args = parseRunArgs(
    [positionals[0]!, ...withoutReporter.filter((a) => !positionals.includes(a))],
    ctx.io.env,
    ctx.cwd,
  );
  if (args === 'help') return 0;
  for (const value of args.authSecrets) addCredential(ctx.masker, value);
  if (args.output !== undefined) await checkWritable(args.output, ctx, 'test');
  const scenarioDirArg = lastString(values['scenario-dir']);
  const files = await expandPaths(positionals, ctx.cwd, scenarioDirArg);
  const fileInputs = args.inputsFile !== undefined ? await readInputsFile(args.inputsFile, ctx) : {};
  const makeOptions = await runOptionsFactory(args, ctx);
  const sourcesMapFile = lastString(values['sources-map']);
  const sourcesMap = sourcesMapFile !== undefined ? await readSourcesMap(sourcesMapFile, ctx.cwd) : new Map();
  const scenarioDir = scenarioDirArg;
  if (scenarioDir !== undefined && !args.mock) throw new UsageError('--scenario-dir needs --mock', 'test');
  const unusedScenarios = new Set(scenarioDir !== undefined ? await scenarioFiles(scenarioDir, ctx.cwd) : []);
  const replayFile = lastString(values.replay);
  if (replayFile !== undefined && args.mock)
    throw new UsageError('--replay answers from a recording; it cannot be combined with --mock', 'test');
  const replay = replayFile !== undefined ? await loadReplay(replayFile, ctx, 'test') : undefined;
  if (args.har !== undefined) await checkWritable(args.har, ctx, 'test');
  const har = args.har !== undefined ? await startHarRecording(args.har, ctx, 'test') : undefined;
  const mockModule = args.mock ? await import('../../mock/index.js') : undefined;
  const [{ loadArazzo }, { runWorkflow }] = await Promise.all([loadSources(), loadEngine()]);
  const colors = ctx.colors(args.noColor);
  const cases: TestCaseResult[] = [];
  const declaredInputs = new Set<string>();
  const started = performance.now();

  for (const file of files) {
    const shown = displayPath(file, ctx.cwd);
    let loaded: LoadedDocument;
    try {
      loaded = await loadArazzo(file, {
        sources: { ...mappedSources(sourcesMap, file), ...args.sources },
        strict: args.strict,
        cwd: ctx.cwd,
      });
    } catch (error) {
      if (!isArazzoError(error)) throw error;
      const diags =
        'diagnostics' in error ? (error.diagnostics as Parameters<typeof formatDiagnostic>[0][]) : [];
      const first = diags.find((d) => d.severity === 'error');
      const why = first ? formatDiagnostic(first, ctx.cwd) : error.message;
      const line = first?.line;
      cases.push({
        file: shown,
        workflowId: '',
        status: 'failed',
        invalid: why,
        ...(line !== undefined ? { line } : {}),
      });
      ctx.out.write(`${colors.red('✗')} ${shown} ${colors.dim('invalid document')}: ${why}\n`);
      continue;
    }
    const fileScenario = await scenarioFor(scenarioDir, file, ctx.cwd);
    const fileOptions =
      fileScenario !== undefined
        ? await runOptionsFactory({ ...args, scenario: fileScenario }, ctx)
        : makeOptions;
    if (fileScenario !== undefined) {
      unusedScenarios.delete(fileScenario);
      ctx.out.write(`${colors.dim(`  ${shown}: scenario ${displayPath(fileScenario, ctx.cwd)}`)}\n`);
    }
    const scenarioLabel =
      fileScenario !== undefined
        ? `scenario ${displayPath(fileScenario, ctx.cwd)}`
        : `--scenario ${args.scenario}`;
    if (fileOptions.scenario !== undefined)
      await assertScenarioFits(fileOptions.scenario, loaded, scenarioLabel, 'test');
    // In mock mode every security scheme gets a dummy credential unless --auth gives one.
    const auth =
      mockModule !== undefined
        ? { ...mockModule.dummyAuth(loaded.sources.values()), ...withoutOAuthClients(args.auth) }
        : undefined;
    const workflows = loaded.document.workflows.filter(
      (w) => args.workflowId === undefined || w.workflowId === args.workflowId,
    );
    // One --input serves every document: with several, only a name no document declares is an error.
    if (files.length === 1)
      assertDeclaredInputs(loaded.document, workflows, Object.keys(args.inputs), 'test');
    for (const w of workflows)
      for (const p of inputProperties(loaded.document, w)) declaredInputs.add(p.name);
    const sidecar = await readSidecar(file);
    for (const workflow of workflows) {
      let inputs = buildInputs(
        loaded.document,
        workflow,
        { ...sidecarInputs(sidecar, workflow.workflowId), ...fileInputs },
        args.inputs,
        args.envInputs,
        (s) => ctx.masker.add(s),
      );
      if (args.mock) inputs = await synthesize(loaded.document, workflow, inputs);
      const options = fileOptions();
      if (replay !== undefined) {
        options.transport = replay();
        // Decision (README): a replay skips retry waits like mock mode, unless --max-retry-delay is given.
        options.maxRetryDelayMs ??= 0;
      }
      const result = await runWorkflow(loaded, inputs, {
        ...options,
        ...(auth !== undefined ? { auth } : {}),
        ...(har !== undefined ? { onEvent: har.onEvent } : {}),
        workflowId: workflow.workflowId,
        strict: args.strict,
        masker: ctx.masker,
        ...(ctx.io.signal ? { signal: ctx.io.signal } : {}),
      });
      const passed = result.status === 'succeeded';
      const pointer = passed ? undefined : failurePointer(loaded.document, result);
      cases.push({
        file: shown,
        workflowId: workflow.workflowId,
        status: passed ? 'passed' : 'failed',
        result,
        document: loaded.document,
        ...(pointer !== undefined ? { line: loaded.locate(pointer).line } : {}),
      });
      const tolerated = loaded.diagnostics.filter((d) => d.severity === 'warning').length;
      // Counted as `arazzo run` counts: distinct steps, and attempts when a retry or loop repeated one.
      const distinct = new Set(result.steps.map((r) => `${r.workflowId}/${r.stepId}`)).size;
      const counted =
        distinct === result.steps.length
          ? plural(distinct, 'step')
          : `${plural(distinct, 'step')}, ${plural(result.steps.length, 'attempt')}`;
      const attempts = `${counted}${tolerated > 0 ? `, ${plural(tolerated, 'compat warning')}` : ''}`;
      if (passed) {
        ctx.out.write(
          `${colors.green('✓')} ${shown} › ${workflow.workflowId} ${colors.dim(`${attempts}, ${formatDuration(result.durationMs)}`)}\n`,
        );
      } else {
        const why = result.error ? `${result.error.code}: ${result.error.message}` : 'failed';
        ctx.out.write(
          `${colors.red('✗')} ${shown} › ${workflow.workflowId} ${colors.dim(`${attempts}, ${formatDuration(result.durationMs)}`)}\n    ${why}\n`,
        );
        const failedStep = result.steps.findLast(
          (r) => r.outcome !== 'succeeded' && r.response !== undefined,
        );
        const excerpt = failedStep !== undefined ? responseExcerpt(failedStep) : undefined;
        if (excerpt !== undefined) ctx.out.write(`    ${colors.dim(ctx.masker.text(excerpt))}\n`);
        if (result.error?.code === 'INPUTS_INVALID') ctx.out.write(`    ${sidecarNote(sidecar, ctx.cwd)}\n`);
        const hint = args.mock && fileOptions.scenario === undefined ? mockLoopHint(result) : undefined;
        if (hint !== undefined) ctx.out.write(`    ${colors.dim(hint)}\n`);
      }
      if (ctx.io.signal?.aborted) break;
    }
  }

  for (const unused of unusedScenarios)
    ctx.out.write(
      `${colors.yellow('!')} scenario ${displayPath(unused, ctx.cwd)} matched no document (a scenario is named like its document: shop.yaml or shop.arazzo.yaml for shop.arazzo.yaml)\n`,
    );
  await har?.write();
  assertInputsDeclaredSomewhere(Object.keys(args.inputs), declaredInputs, cases.length > 0);
  const passedCount = cases.filter((c) => c.status === 'passed').length;
  const failedCount = cases.length - passedCount;
  ctx.out.write(`\n${passedCount} passed, ${failedCount} failed\n`);
  const elapsed = performance.now() - started;

  if (reporter === 'github') {
    ctx.out.write(ctx.masker.text(renderGithubAnnotations(cases)));
    const summary = ctx.io.env.GITHUB_STEP_SUMMARY;
    if (summary !== undefined && summary !== '') {
      try {
        await appendFile(summary, ctx.masker.text(renderGithubSummary(cases)), 'utf8');
      } catch (error) {
        const why = (error as { code?: string }).code ?? String(error);
        ctx.err.write(`arazzo: warning: cannot append the job summary to GITHUB_STEP_SUMMARY (${why})\n`);
      }
    }
  } else if (reporter !== 'pretty') {
    // Masked as a structure before it is serialized (README "Security").
    const text = await renderReport(reporter, ctx.masker.value(cases) as TestCaseResult[], elapsed);
    if (args.output !== undefined) {
      const path = resolve(ctx.cwd, args.output);
      try {
        await writeFile(path, text, 'utf8');
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
      for (const s of buildSuites(c.result, c.document))
        suites.push({ ...s, name: `${c.file} › ${s.name}`, properties: runProperties(c.result, c.file) });
    }
    return renderSuites(suites, elapsedMs);
  }
  const html = await import('../reporters/html.js');
  return html.renderHtmlReport(
    cases.flatMap((c) =>
      c.result !== undefined && c.document !== undefined
        ? [{ file: c.file, document: c.document, result: c.result }]
        : [],
    ),
  );
}
