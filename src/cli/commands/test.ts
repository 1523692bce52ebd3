/** `arazzo test`: run every workflow of every file; one line each, a summary, and CI reports. */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { resolveInputsRef } from '../../document/inputs-ref.js';
import type { ArazzoDocument, WorkflowObject } from '../../document/model.js';
import type { Transport } from '../../engine/options.js';
import type { AuthValues, RunResult } from '../../engine/types.js';
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
import type { Colors } from '../color.js';
import { addCredential, type CommandContext } from '../context.js';
import { type EngineModule, loadEngine, loadSources, type SourcesModule } from '../deps.js';
import { responseExcerpt } from '../excerpt.js';
import {
  displayPath,
  formatDiagnostic,
  formatDuration,
  plural,
  stringifyJson,
  toJsonSafe,
} from '../format.js';
import { appendGithubSummary, failurePointer, renderGithubAnnotations } from '../reporters/github.js';
import { buildSuites, renderSuites, runProperties, type Suite } from '../reporters/junit.js';
import { TEST_USAGE } from '../usage.js';
import { answerFromReplay, type HarRecording, loadReplay, startHarRecording } from './har.js';
import {
  assertDeclaredInputs,
  assertInputsDeclaredSomewhere,
  assertScenarioFits,
  isCompanionFile,
  scenarioCandidates,
  sidecarCandidates,
} from './misconfig.js';
import { checkWritable, writeOutputFile } from './output.js';
import {
  buildInputs,
  mockLoopHint,
  parseRunArgs,
  RUN_OPTIONS,
  type RunArgs,
  type RunOptionsFactory,
  readInputsFile,
  runOptionsFactory,
} from './run.js';

const TEST_OPTIONS = {
  ...RUN_OPTIONS,
  'sources-map': { type: 'string' },
  'scenario-dir': { type: 'string' },
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

/** What `arazzo test` understood from its arguments: run's flags, and its own. */
interface TestArgs {
  /** Files, folders and globs. */
  patterns: string[];
  reporter: (typeof TEST_REPORTERS)[number];
  run: RunArgs;
  sourcesMap: string | undefined;
  scenarioDir: string | undefined;
  replay: string | undefined;
}

/** What every run of one `arazzo test` shares, set up once, and the cases it has gathered so far. */
interface TestSession {
  run: RunArgs;
  files: string[];
  fileInputs: Record<string, unknown>;
  makeOptions: RunOptionsFactory;
  sourcesMap: Map<string, Record<string, string>>;
  scenarioDir: string | undefined;
  /** Scenario files no document has used yet (told at the end). */
  unusedScenarios: Set<string>;
  replay: (() => Transport) | undefined;
  har: HarRecording | undefined;
  mock: MockModule | undefined;
  sources: SourcesModule;
  engine: EngineModule;
  colors: Colors;
  cases: TestCaseResult[];
  /** Every input name some tested workflow declares (an --input none declares is an error). */
  declaredInputs: Set<string>;
}

type MockModule = typeof import('../../mock/index.js');

/** One loaded file's runs: its options, its credentials, the workflows to run and their sidecar inputs. */
interface FileRuns {
  file: string;
  shown: string;
  loaded: LoadedDocument;
  options: RunOptionsFactory;
  auth: AuthValues | undefined;
  workflows: WorkflowObject[];
  sidecar: Sidecar;
}

export async function testCommand(argv: readonly string[], ctx: CommandContext): Promise<number> {
  const args = parseTestArgs(argv, ctx);
  if (args === undefined) return 0;
  const session = await prepareTests(args, ctx);
  const started = performance.now();
  for (const file of session.files) {
    const shown = displayPath(file, ctx.cwd);
    const loaded = await loadTestDocument(session, file, shown, ctx);
    if (loaded === undefined) continue;
    const runs = await planFileRuns(session, file, shown, loaded, ctx);
    for (const workflow of runs.workflows) {
      const result = await runTestCase(session, runs, workflow, ctx);
      const passed = recordCase(session, runs, workflow, result);
      printCaseLine(session, runs, workflow, result, passed, ctx);
      if (ctx.io.signal?.aborted) break;
    }
  }
  const failedCount = await finishTests(session, ctx);
  const elapsed = performance.now() - started;
  await writeTestReport(args, session.cases, elapsed, ctx);
  return failedCount > 0 ? 1 : 0;
}

/** The arguments; undefined when --help printed the usage. */
function parseTestArgs(argv: readonly string[], ctx: CommandContext): TestArgs | undefined {
  const { values, positionals }: Parsed = parseCommandArgs(argv, TEST_OPTIONS, 'test');
  if (values.help === true) {
    ctx.out.write(TEST_USAGE);
    return undefined;
  }
  if (positionals.length === 0)
    throw new UsageError('missing <files...>: Arazzo files, folders or globs', 'test');
  const reporter = oneOf(lastString(values.reporter), TEST_REPORTERS, '--reporter') ?? 'pretty';
  // Reuse run's parsing for every shared flag (one positional stands in for the file).
  const own = new Set(['--reporter', '-r', '--sources-map', '--scenario-dir', '--replay']);
  const withoutReporter = argv.filter((a, i) => !(own.has(a) || own.has(argv[i - 1] ?? '')));
  const run = parseRunArgs(
    [positionals[0]!, ...withoutReporter.filter((a) => !positionals.includes(a))],
    ctx.io.env,
    ctx.cwd,
  );
  if (run === 'help') return undefined;
  return {
    patterns: positionals,
    reporter,
    run,
    sourcesMap: lastString(values['sources-map']),
    scenarioDir: lastString(values['scenario-dir']),
    replay: lastString(values.replay),
  };
}

/** Read and check everything the runs share, in the order the errors are told; load the modules. */
async function prepareTests(args: TestArgs, ctx: CommandContext): Promise<TestSession> {
  const { run, scenarioDir } = args;
  for (const value of run.authSecrets) addCredential(ctx.masker, value);
  if (run.output !== undefined) await checkWritable(run.output, ctx, 'test');
  const files = await expandPaths(args.patterns, ctx.cwd, scenarioDir);
  const fileInputs = run.inputsFile !== undefined ? await readInputsFile(run.inputsFile, ctx) : {};
  const makeOptions = await runOptionsFactory(run, ctx);
  const sourcesMap =
    args.sourcesMap !== undefined ? await readSourcesMap(args.sourcesMap, ctx.cwd) : new Map();
  if (scenarioDir !== undefined && !run.mock) throw new UsageError('--scenario-dir needs --mock', 'test');
  const unusedScenarios = new Set(scenarioDir !== undefined ? await scenarioFiles(scenarioDir, ctx.cwd) : []);
  if (args.replay !== undefined && run.mock)
    throw new UsageError('--replay answers from a recording; it cannot be combined with --mock', 'test');
  const replay = args.replay !== undefined ? await loadReplay(args.replay, ctx, 'test') : undefined;
  if (run.har !== undefined) await checkWritable(run.har, ctx, 'test');
  const har = run.har !== undefined ? await startHarRecording(run.har, ctx, 'test') : undefined;
  const mock = run.mock ? await import('../../mock/index.js') : undefined;
  const [sources, engine] = await Promise.all([loadSources(), loadEngine()]);
  return {
    run,
    files,
    fileInputs,
    makeOptions,
    sourcesMap,
    scenarioDir,
    unusedScenarios,
    replay,
    har,
    mock,
    sources,
    engine,
    colors: ctx.colors(run.noColor),
    cases: [],
    declaredInputs: new Set(),
  };
}

/** Load one file; a document that does not load is a failed case of its own (told, not thrown). */
async function loadTestDocument(
  s: TestSession,
  file: string,
  shown: string,
  ctx: CommandContext,
): Promise<LoadedDocument | undefined> {
  try {
    return await s.sources.loadArazzo(file, {
      sources: { ...mappedSources(s.sourcesMap, file), ...s.run.sources },
      strict: s.run.strict,
      cwd: ctx.cwd,
    });
  } catch (error) {
    if (!isArazzoError(error)) throw error;
    const diags =
      'diagnostics' in error ? (error.diagnostics as Parameters<typeof formatDiagnostic>[0][]) : [];
    const first = diags.find((d) => d.severity === 'error');
    const why = first ? formatDiagnostic(first, ctx.cwd) : error.message;
    const line = first?.line;
    s.cases.push({
      file: shown,
      workflowId: '',
      status: 'failed',
      invalid: why,
      ...(line !== undefined ? { line } : {}),
    });
    ctx.out.write(`${s.colors.red('✗')} ${shown} ${s.colors.dim('invalid document')}: ${why}\n`);
    return undefined;
  }
}

/** The runs of one loaded file: its scenario's options, its credentials, its workflows, its sidecar. */
async function planFileRuns(
  s: TestSession,
  file: string,
  shown: string,
  loaded: LoadedDocument,
  ctx: CommandContext,
): Promise<FileRuns> {
  const options = await fileRunOptions(s, file, shown, loaded, ctx);
  // In mock mode every security scheme gets a dummy credential unless --auth gives one.
  const auth =
    s.mock !== undefined
      ? { ...s.mock.dummyAuth(loaded.sources.values()), ...withoutOAuthClients(s.run.auth) }
      : undefined;
  const workflows = loaded.document.workflows.filter(
    (w) => s.run.workflowId === undefined || w.workflowId === s.run.workflowId,
  );
  // One --input serves every document: with several, only a name no document declares is an error.
  if (s.files.length === 1)
    assertDeclaredInputs(loaded.document, workflows, Object.keys(s.run.inputs), 'test');
  for (const w of workflows)
    for (const p of inputProperties(loaded.document, w)) s.declaredInputs.add(p.name);
  const sidecar = await readSidecar(file);
  return { file, shown, loaded, options, auth, workflows, sidecar };
}

/** The file's own scenario (--scenario-dir) or the command's options, checked against the document. */
async function fileRunOptions(
  s: TestSession,
  file: string,
  shown: string,
  loaded: LoadedDocument,
  ctx: CommandContext,
): Promise<RunOptionsFactory> {
  const fileScenario = await scenarioFor(s.scenarioDir, file, ctx.cwd);
  const fileOptions =
    fileScenario !== undefined
      ? await runOptionsFactory({ ...s.run, scenario: fileScenario }, ctx)
      : s.makeOptions;
  if (fileScenario !== undefined) {
    s.unusedScenarios.delete(fileScenario);
    ctx.out.write(`${s.colors.dim(`  ${shown}: scenario ${displayPath(fileScenario, ctx.cwd)}`)}\n`);
  }
  const scenarioLabel =
    fileScenario !== undefined
      ? `scenario ${displayPath(fileScenario, ctx.cwd)}`
      : `--scenario ${s.run.scenario}`;
  if (fileOptions.scenario !== undefined)
    await assertScenarioFits(fileOptions.scenario, loaded, scenarioLabel, 'test');
  return fileOptions;
}

/** Run one workflow with its inputs: the sidecar's, --inputs, --input (and synthesized in mock mode). */
async function runTestCase(
  s: TestSession,
  f: FileRuns,
  workflow: WorkflowObject,
  ctx: CommandContext,
): Promise<RunResult> {
  let inputs = buildInputs(
    f.loaded.document,
    workflow,
    { ...sidecarInputs(f.sidecar, workflow.workflowId), ...s.fileInputs },
    s.run.inputs,
    s.run.envInputs,
    (secret) => ctx.masker.add(secret),
  );
  if (s.run.mock) inputs = await synthesize(f.loaded.document, workflow, inputs);
  const options = f.options();
  if (s.replay !== undefined) answerFromReplay(options, s.replay());
  return s.engine.runWorkflow(f.loaded, inputs, {
    ...options,
    ...(f.auth !== undefined ? { auth: f.auth } : {}),
    ...(s.har !== undefined ? { onEvent: s.har.onEvent } : {}),
    workflowId: workflow.workflowId,
    strict: s.run.strict,
    masker: ctx.masker,
    ...(ctx.io.signal ? { signal: ctx.io.signal } : {}),
  });
}

/** Keep the run as a case, with the line of what failed for CI annotations. Returns whether it passed. */
function recordCase(s: TestSession, f: FileRuns, workflow: WorkflowObject, result: RunResult): boolean {
  const { loaded } = f;
  const passed = result.status === 'succeeded';
  const pointer = passed ? undefined : failurePointer(loaded.document, result);
  s.cases.push({
    file: f.shown,
    workflowId: workflow.workflowId,
    status: passed ? 'passed' : 'failed',
    result,
    document: loaded.document,
    ...(pointer !== undefined ? loaded.locate(pointer) : {}),
  });
  return passed;
}

/** The case's line (✓/✗, counts, time) and, for a failure, why, the response excerpt and hints. */
function printCaseLine(
  s: TestSession,
  f: FileRuns,
  workflow: WorkflowObject,
  result: RunResult,
  passed: boolean,
  ctx: CommandContext,
): void {
  const { colors } = s;
  const counts = `${caseCounts(f.loaded, result)}, ${formatDuration(result.durationMs)}`;
  if (passed) {
    ctx.out.write(`${colors.green('✓')} ${f.shown} › ${workflow.workflowId} ${colors.dim(counts)}\n`);
    return;
  }
  const why = result.error ? `${result.error.code}: ${result.error.message}` : 'failed';
  ctx.out.write(`${colors.red('✗')} ${f.shown} › ${workflow.workflowId} ${colors.dim(counts)}\n    ${why}\n`);
  const failedStep = result.steps.findLast((r) => r.outcome !== 'succeeded' && r.response !== undefined);
  const excerpt = failedStep !== undefined ? responseExcerpt(failedStep) : undefined;
  if (excerpt !== undefined) ctx.out.write(`    ${colors.dim(ctx.masker.text(excerpt))}\n`);
  if (result.error?.code === 'INPUTS_INVALID') ctx.out.write(`    ${sidecarNote(f.sidecar, ctx.cwd)}\n`);
  const hint = s.run.mock && f.options.scenario === undefined ? mockLoopHint(result) : undefined;
  if (hint !== undefined) ctx.out.write(`    ${colors.dim(hint)}\n`);
}

/** Steps (and attempts), and the compat warnings the document was loaded with. */
function caseCounts(loaded: LoadedDocument, result: RunResult): string {
  const tolerated = loaded.diagnostics.filter((d) => d.severity === 'warning').length;
  // Counted as `arazzo run` counts: distinct steps, and attempts when a retry or loop repeated one.
  const distinct = new Set(result.steps.map((r) => `${r.workflowId}/${r.stepId}`)).size;
  const counted =
    distinct === result.steps.length
      ? plural(distinct, 'step')
      : `${plural(distinct, 'step')}, ${plural(result.steps.length, 'attempt')}`;
  return `${counted}${tolerated > 0 ? `, ${plural(tolerated, 'compat warning')}` : ''}`;
}

/** Unused scenarios, the HAR log, the --input check, the summary line. Returns how many cases failed. */
async function finishTests(s: TestSession, ctx: CommandContext): Promise<number> {
  for (const unused of s.unusedScenarios)
    ctx.out.write(
      `${s.colors.yellow('!')} scenario ${displayPath(unused, ctx.cwd)} matched no document (a scenario is named like its document: shop.yaml or shop.arazzo.yaml for shop.arazzo.yaml)\n`,
    );
  await s.har?.write();
  assertInputsDeclaredSomewhere(Object.keys(s.run.inputs), s.declaredInputs, s.cases.length > 0);
  const passedCount = s.cases.filter((c) => c.status === 'passed').length;
  const failedCount = s.cases.length - passedCount;
  ctx.out.write(`\n${passedCount} passed, ${failedCount} failed\n`);
  return failedCount;
}

/** The --reporter's report after the summary: GitHub annotations, or JSON/JUnit/HTML to stdout or --output. */
async function writeTestReport(
  args: TestArgs,
  cases: TestCaseResult[],
  elapsedMs: number,
  ctx: CommandContext,
): Promise<void> {
  const { reporter } = args;
  if (reporter === 'github') return writeGithubReport(cases, ctx);
  if (reporter === 'pretty') return;
  // Masked as a structure before it is serialized (README "Security").
  const text = await renderReport(reporter, ctx.masker.value(cases) as TestCaseResult[], elapsedMs);
  if (args.run.output !== undefined) await writeOutputFile(ctx, args.run.output, text, '--output', 'test');
  else ctx.out.write(text);
}

/** Annotations on stdout, and the job summary appended to GITHUB_STEP_SUMMARY when the job has one. */
async function writeGithubReport(cases: TestCaseResult[], ctx: CommandContext): Promise<void> {
  ctx.out.write(ctx.masker.text(renderGithubAnnotations(cases)));
  await appendGithubSummary(cases, ctx);
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
