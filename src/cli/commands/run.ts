/** `arazzo run`: load, type the inputs, run one workflow, report. */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { ArazzoDocument, WorkflowObject } from '../../document/model.js';
import type { RunOptions } from '../../engine/options.js';
import type { AuthValues, RunResult } from '../../engine/types.js';
import type { ProxyOption, TlsOptions } from '../../net/index.js';
import { isSecretSchema } from '../../secrets/index.js';
import type { LoadedDocument } from '../../sources/types.js';
import {
  collectPairs,
  inputProperties,
  lastString,
  oneOf,
  type Parsed,
  parseAuthFlags,
  parseCommandArgs,
  parseIntegerFlag,
  readEnvRef,
  stringList,
  typeInputValue,
  UsageError,
  withEnvFiles,
  withoutOAuthClients,
} from '../args.js';
import { addCredential, type CommandContext } from '../context.js';
import { loadEngine } from '../deps.js';
import { BufferWriter, readAll, type Writable } from '../io.js';
import { startRedirectListeners } from '../redirect.js';
import { appendGithubSummary, createGithubReporter } from '../reporters/github.js';
import { createJsonReporter } from '../reporters/json.js';
import { createJunitReporter } from '../reporters/junit.js';
import { maskReporter } from '../reporters/masked.js';
import { createPrettyReporter } from '../reporters/pretty.js';
import { REPORTERS, type Reporter, type ReporterName } from '../reporters/types.js';
import { RUN_USAGE } from '../usage.js';
import { answerFromReplay, loadReplay, startHarRecording } from './har.js';
import { assertDeclaredInputs, assertScenarioFits } from './misconfig.js';
import { checkWritable, writeOutputFile } from './output.js';
import { loadOrReport, reportFailure } from './preamble.js';

export const RUN_OPTIONS = {
  workflow: { type: 'string', short: 'w' },
  input: { type: 'string', short: 'i', multiple: true },
  inputs: { type: 'string' },
  source: { type: 'string', multiple: true },
  server: { type: 'string', multiple: true },
  auth: { type: 'string', multiple: true },
  strict: { type: 'boolean' },
  'max-steps': { type: 'string' },
  timeout: { type: 'string' },
  'request-timeout': { type: 'string' },
  'max-retry-delay': { type: 'string' },
  mock: { type: 'boolean' },
  scenario: { type: 'string' },
  seed: { type: 'string' },
  contract: { type: 'boolean' },
  'contract-severity': { type: 'string' },
  har: { type: 'string' },
  replay: { type: 'string' },
  reporter: { type: 'string', short: 'r', multiple: true },
  output: { type: 'string', short: 'o' },
  verbose: { type: 'boolean' },
  'no-color': { type: 'boolean' },
  open: { type: 'boolean' },
  'env-file': { type: 'string', multiple: true },
  cert: { type: 'string' },
  key: { type: 'string' },
  'key-passphrase': { type: 'string' },
  ca: { type: 'string', multiple: true },
  proxy: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Some of the `arazzo run` flags, for a command that takes them too (`arazzo enqueue`, `arazzo mcp`). */
export function pickRunOptions<K extends keyof typeof RUN_OPTIONS>(
  ...keys: K[]
): Pick<typeof RUN_OPTIONS, K> {
  const picked = {} as Pick<typeof RUN_OPTIONS, K>;
  for (const key of keys) picked[key] = RUN_OPTIONS[key];
  return picked;
}

/** The run limits the flags set (--max-steps, --timeout, --request-timeout, --max-retry-delay). */
export interface RunLimits {
  maxSteps?: number;
  timeoutMs?: number;
  requestTimeoutMs?: number;
  maxRetryDelayMs?: number;
}

/** Read the limit flags, in this order (the first bad one is the error); a flag not given is left out. */
export function parseLimitFlags(values: Parsed['values']): RunLimits {
  const limits: RunLimits = {};
  const maxSteps = parseIntegerFlag(lastString(values['max-steps']), '--max-steps', 1);
  const timeoutMs = parseIntegerFlag(lastString(values.timeout), '--timeout', 1);
  const requestTimeoutMs = parseIntegerFlag(lastString(values['request-timeout']), '--request-timeout', 1);
  const maxRetryDelayMs = parseIntegerFlag(lastString(values['max-retry-delay']), '--max-retry-delay', 0);
  if (maxSteps !== undefined) limits.maxSteps = maxSteps;
  if (timeoutMs !== undefined) limits.timeoutMs = timeoutMs;
  if (requestTimeoutMs !== undefined) limits.requestTimeoutMs = requestTimeoutMs;
  if (maxRetryDelayMs !== undefined) limits.maxRetryDelayMs = maxRetryDelayMs;
  return limits;
}

/**
 * `--input name=value` (repeatable; `env:NAME` reads the environment): the raw values by name, typed
 * later by the schema, and the names whose value came from the environment (always secrets).
 */
export function readInputFlags(
  values: Parsed['values'],
  env: Record<string, string | undefined>,
): { inputs: Record<string, string>; envInputs: Set<string> } {
  const inputs: Record<string, string> = {};
  const envInputs = new Set<string>();
  for (const [name, raw] of Object.entries(collectPairs(stringList(values.input), '--input'))) {
    const fromEnv = readEnvRef(raw, env, `--input ${name}`);
    inputs[name] = fromEnv ?? raw;
    if (fromEnv !== undefined) envInputs.add(name);
  }
  return { inputs, envInputs };
}

/** Everything `arazzo run` understood from its arguments, before any file is read. */
export interface RunArgs {
  file: string;
  workflowId?: string;
  /** Raw `--input` values by name (env: references already read), typed later by the schema. */
  inputs: Record<string, string>;
  /** Names whose value came from the environment: always treated as secrets. */
  envInputs: Set<string>;
  inputsFile?: string;
  sources: Record<string, string>;
  servers: Record<string, string>;
  auth: AuthValues;
  /** The secret values among `auth` (tokens, client secrets, passwords), masked before anything runs. */
  authSecrets: string[];
  strict: boolean;
  maxSteps?: number;
  timeoutMs?: number;
  requestTimeoutMs?: number;
  maxRetryDelayMs?: number;
  /** Answer every operation from its OpenAPI description instead of the network. */
  mock: boolean;
  scenario?: string;
  seed?: number;
  /** Check responses against the OpenAPI operation; the severity of failed checks. */
  contract?: 'error' | 'warning';
  /** The report: the last --reporter other than github (default pretty). */
  reporter: ReporterName;
  /** `--reporter github` was given too: GitHub Actions annotations and job summary besides the report. */
  github?: true;
  output?: string;
  /** Record every exchange to this HAR 1.2 file. */
  har?: string;
  /** Answer every request from this recorded HAR log instead of the network. */
  replay?: string;
  verbose: boolean;
  noColor: boolean;
  /** Open the authorization URL of an authorizationCode credential in a browser. */
  open?: boolean;
  /** --cert/--key/--key-passphrase/--ca, read: TLS material for every source. */
  tls?: TlsOptions;
  /** --proxy, else the environment's HTTP_PROXY / HTTPS_PROXY / NO_PROXY. */
  proxy?: ProxyOption;
}

/**
 * The RunOptions the flags ask for, as a factory: mock mode needs a fresh transport (scenario position)
 * for every run. Decision (README "Testing your Arazzo specs"): in mock mode retry waits are skipped
 * (maxRetryDelayMs 0) unless --max-retry-delay says otherwise.
 */
export async function runOptionsFactory(
  args: Pick<
    RunArgs,
    | 'servers'
    | 'auth'
    | 'maxSteps'
    | 'timeoutMs'
    | 'requestTimeoutMs'
    | 'maxRetryDelayMs'
    | 'mock'
    | 'scenario'
    | 'seed'
    | 'contract'
    | 'tls'
    | 'proxy'
  >,
  ctx: CommandContext,
): Promise<RunOptionsFactory> {
  let transport: (() => NonNullable<RunOptions['transport']>) | undefined;
  let messageMock: (() => NonNullable<RunOptions['messageMock']>) | undefined;
  let scenario: import('../../mock/types.js').Scenario | undefined;
  if (args.mock) {
    const mock = await import('../../mock/index.js');
    if (args.scenario !== undefined) scenario = await readScenarioFlag(mock, args.scenario, ctx);
    const seed = args.seed;
    messageMock = () => mock.createMessageMock(scenario !== undefined ? { scenario } : {});
    transport = () =>
      mock.createMockTransport({
        ...(scenario !== undefined ? { scenario } : {}),
        ...(seed !== undefined ? { seed } : {}),
      });
  }
  const factory = (): RunOptions => {
    const o: RunOptions = { servers: args.servers };
    if (Object.keys(args.auth).length > 0) o.auth = args.auth satisfies AuthValues;
    if (args.maxSteps !== undefined) o.maxSteps = args.maxSteps;
    if (args.timeoutMs !== undefined) o.timeoutMs = args.timeoutMs;
    if (args.requestTimeoutMs !== undefined) o.requestTimeoutMs = args.requestTimeoutMs;
    if (args.maxRetryDelayMs !== undefined) o.maxRetryDelayMs = args.maxRetryDelayMs;
    if (transport !== undefined) {
      o.transport = transport();
      o.maxRetryDelayMs ??= 0;
    }
    if (messageMock !== undefined) o.messageMock = messageMock();
    if (args.contract !== undefined) o.contract = { severity: args.contract };
    if (!args.mock && args.tls !== undefined) o.tls = { '*': args.tls };
    if (!args.mock && args.proxy !== undefined) o.proxy = args.proxy;
    return o;
  };
  // Kept so the caller can check its keys against the document once that is loaded.
  return scenario !== undefined ? Object.assign(factory, { scenario }) : factory;
}

/** The --scenario file, read and checked (a usage error names what is wrong in it). */
async function readScenarioFlag(
  mock: typeof import('../../mock/index.js'),
  file: string,
  ctx: CommandContext,
): Promise<import('../../mock/types.js').Scenario> {
  let text: string;
  try {
    text = await readFile(resolve(ctx.cwd, file), 'utf8');
  } catch (error) {
    const why = (error as { code?: string }).code ?? String(error);
    throw new UsageError(`--scenario: cannot read ${file} (${why})`);
  }
  try {
    return mock.loadScenario(text);
  } catch (error) {
    if (mock.isScenarioError(error)) {
      const issues = error.issues.map((i) => `${i.pointer || '/'}: ${i.message}`).join('; ');
      throw new UsageError(`--scenario ${file}: ${issues}`);
    }
    throw error;
  }
}

/** A fresh RunOptions per run, plus the parsed --scenario (if any). */
export type RunOptionsFactory = (() => RunOptions) & { scenario?: import('../../mock/types.js').Scenario };

/** Security scheme names the document's OpenAPI (3.x components, Swagger 2 definitions) and AsyncAPI sources declare. */
function declaredSchemes(loaded: LoadedDocument): Set<string> {
  const names = new Set<string>();
  for (const source of loaded.sources.values()) {
    if (source.kind === 'asyncapi') for (const name of Object.keys(source.securitySchemes)) names.add(name);
    if (source.kind !== 'openapi') continue;
    const raw = source.raw as {
      components?: { securitySchemes?: Record<string, unknown> };
      securityDefinitions?: Record<string, unknown>;
    };
    for (const name of Object.keys(raw?.components?.securitySchemes ?? {})) names.add(name);
    for (const name of Object.keys(raw?.securityDefinitions ?? {})) names.add(name);
  }
  return names;
}

/** `--auth nope=x` would otherwise be ignored without a word (`--server nope=...` is an error). */
function warnUnknownAuth(ctx: CommandContext, loaded: LoadedDocument, auth: RunOptions['auth']): void {
  if (auth === undefined) return;
  const known = declaredSchemes(loaded);
  for (const name of Object.keys(auth)) {
    if (known.has(name)) continue;
    const list = [...known].join(', ') || '(none)';
    ctx.err.write(
      `arazzo: warning: --auth ${name}: no source declares a security scheme of that name (declared: ${list})\n`,
    );
  }
}

/** The TLS flags with their files read; undefined when none is given. */
function readTlsFlags(
  values: Parsed['values'],
  env: Record<string, string | undefined>,
  cwd: string,
): TlsOptions | undefined {
  const file = (flag: string, path: string): Buffer => {
    try {
      return readFileSync(resolve(cwd, path));
    } catch (error) {
      throw new UsageError(
        `--${flag} ${path}: cannot read it (${(error as { code?: string }).code ?? error})`,
      );
    }
  };
  const tls: TlsOptions = {};
  const cert = lastString(values.cert);
  const key = lastString(values.key);
  const passphrase = lastString(values['key-passphrase']);
  const ca = stringList(values.ca);
  if (cert !== undefined) tls.cert = file('cert', cert);
  if (key !== undefined) tls.key = file('key', key);
  if (passphrase !== undefined)
    tls.passphrase = readEnvRef(passphrase, env, '--key-passphrase') ?? passphrase;
  if (ca.length > 0) tls.ca = ca.map((path) => file('ca', path));
  return Object.keys(tls).length === 0 ? undefined : tls;
}

/** HTTP_PROXY / HTTPS_PROXY / NO_PROXY (either case), as the proxy option; undefined when none is set. */
function proxyFromEnv(env: Record<string, string | undefined>): ProxyOption | undefined {
  const pick = (name: string): string | undefined => env[name] || env[name.toLowerCase()] || undefined;
  const httpProxy = pick('HTTP_PROXY');
  const httpsProxy = pick('HTTPS_PROXY');
  const noProxy = pick('NO_PROXY');
  if (httpProxy === undefined && httpsProxy === undefined) return undefined;
  return {
    ...(httpProxy !== undefined ? { httpProxy } : {}),
    ...(httpsProxy !== undefined ? { httpsProxy } : {}),
    ...(noProxy !== undefined ? { noProxy } : {}),
  };
}

/** Parse `arazzo run` arguments. Returns 'help' for --help. Throws UsageError. */
export function parseRunArgs(
  argv: readonly string[],
  processEnv: Record<string, string | undefined>,
  cwd: string = process.cwd(),
): RunArgs | 'help' {
  const { values, positionals }: Parsed = parseCommandArgs(argv, RUN_OPTIONS, 'run');
  if (values.help === true) return 'help';
  const env = withEnvFiles(stringList(values['env-file']), processEnv, cwd);
  if (positionals.length === 0) throw new UsageError('missing <file>: the Arazzo document to run', 'run');
  if (positionals.length > 1) throw new UsageError(`unexpected argument "${positionals[1]}"`, 'run');

  const { inputs, envInputs } = readInputFlags(values, env);
  const { auth, secrets: authSecrets } = parseAuthFlags(stringList(values.auth), env);
  const servers = collectPairs(stringList(values.server), '--server');
  for (const [name, url] of Object.entries(servers)) {
    if (!URL.canParse(url)) throw new UsageError(`--server ${name}: "${url}" is not an absolute URL`, 'run');
  }

  const args: RunArgs = {
    file: positionals[0]!,
    inputs,
    envInputs,
    sources: collectPairs(stringList(values.source), '--source'),
    servers,
    auth,
    authSecrets,
    strict: values.strict === true,
    mock: values.mock === true,
    ...parseReporterFlags(values),
    verbose: values.verbose === true,
    noColor: values['no-color'] === true,
  };
  const set = <K extends keyof RunArgs>(key: K, value: RunArgs[K] | undefined) => {
    if (value !== undefined) args[key] = value;
  };
  set('workflowId', lastString(values.workflow));
  if (values.open === true) args.open = true;
  const tls = readTlsFlags(values, env, cwd);
  if (tls !== undefined) {
    args.tls = tls;
    if (tls.passphrase !== undefined) args.authSecrets.push(tls.passphrase);
  }
  const proxy = lastString(values.proxy) ?? proxyFromEnv(env);
  if (proxy !== undefined) args.proxy = proxy;
  set('inputsFile', lastString(values.inputs));
  set('output', lastString(values.output));
  set('har', lastString(values.har));
  set('replay', lastString(values.replay));
  Object.assign(args, parseLimitFlags(values));
  set('scenario', lastString(values.scenario));
  set('seed', parseIntegerFlag(lastString(values.seed), '--seed', 0));
  const severity = oneOf(
    lastString(values['contract-severity']),
    ['error', 'warning'] as const,
    '--contract-severity',
  );
  if (values.contract === true || severity !== undefined) args.contract = severity ?? 'error';
  if (args.scenario !== undefined && !args.mock) throw new UsageError('--scenario needs --mock', 'run');
  if (args.replay !== undefined && args.mock)
    throw new UsageError('--replay answers from a recording; it cannot be combined with --mock', 'run');
  return args;
}

const RUN_REPORTERS = [...REPORTERS, 'github'] as const;

/**
 * `--reporter` (repeatable): the report is the last name other than github, as when the flag took one
 * name; github adds its annotations to that report (README "Semantics": `-r junit -o junit.xml -r github`).
 */
function parseReporterFlags(values: Parsed['values']): { reporter: ReporterName; github?: true } {
  const names = stringList(values.reporter).map((name) => oneOf(name, RUN_REPORTERS, '--reporter'));
  const reports = names.filter((name): name is ReporterName => name !== undefined && name !== 'github');
  const reporter = reports.at(-1) ?? 'pretty';
  return names.includes('github') ? { reporter, github: true } : { reporter };
}

/** Read `--inputs file.json` or `--inputs -` (stdin): a JSON object. */
export async function readInputsFile(spec: string, ctx: CommandContext): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = spec === '-' ? await readAll(ctx.io.stdin) : await readFile(resolve(ctx.cwd, spec), 'utf8');
  } catch (error) {
    const why = (error as { code?: string }).code ?? (error instanceof Error ? error.message : String(error));
    throw new UsageError(`--inputs: cannot read ${spec} (${why})`, 'run');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(
      `--inputs: ${spec === '-' ? 'stdin' : spec} is not JSON (${(error as Error).message})`,
      'run',
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UsageError(`--inputs: ${spec === '-' ? 'stdin' : spec} must hold a JSON object`, 'run');
  }
  return value as Record<string, unknown>;
}

/** Merge file inputs and typed `--input` values (the flag wins); register secrets with the masker. */
export function buildInputs(
  document: ArazzoDocument,
  workflow: WorkflowObject,
  fileInputs: Record<string, unknown>,
  flagInputs: Record<string, string>,
  envInputs: ReadonlySet<string>,
  addSecret: (value: string) => void,
): Record<string, unknown> {
  const props = new Map(inputProperties(document, workflow).map((p) => [p.name, p]));
  const inputs: Record<string, unknown> = { ...fileInputs };
  for (const [name, raw] of Object.entries(flagInputs)) {
    inputs[name] = typeInputValue(raw, props.get(name)?.schema);
  }
  for (const [name, value] of Object.entries(inputs)) {
    const secret = envInputs.has(name) || isSecretSchema(props.get(name)?.schema);
    if (secret && (typeof value === 'string' || typeof value === 'number')) addSecret(String(value));
  }
  return inputs;
}

export function pickWorkflow(document: ArazzoDocument, workflowId: string | undefined): WorkflowObject {
  const ids = document.workflows.map((w) => w.workflowId);
  if (workflowId === undefined) {
    const first = document.workflows[0];
    if (!first) throw new UsageError('the document has no workflows');
    return first;
  }
  const found = document.workflows.find((w) => w.workflowId === workflowId);
  if (!found)
    throw new UsageError(`--workflow: no workflow "${workflowId}" (the document has: ${ids.join(', ')})`);
  return found;
}

export interface ReporterSetup {
  reporters: Reporter[];
  /** Writes the --output file, if any. */
  flush(): Promise<void>;
}

/**
 * The chosen reporter (to stdout or --output) plus, with --output, pretty progress on stdout, plus with
 * `github` the GitHub Actions annotations on stdout and the job summary. The HTML reporter (and the graph
 * renderer it draws with) is loaded only when chosen.
 */
export async function createReporters(
  ctx: CommandContext,
  options: {
    reporter: ReporterName;
    github?: boolean;
    output?: string;
    verbose: boolean;
    noColor: boolean;
    note?: string;
  },
): Promise<ReporterSetup> {
  const fileBuffer = options.output !== undefined ? new BufferWriter() : undefined;
  const pretty = (out: Writable, toFile: boolean) =>
    createPrettyReporter({
      out,
      errOut: toFile ? out : ctx.err,
      colors: ctx.colors(options.noColor || toFile),
      live: ctx.io.isTTY && !toFile,
      verbose: options.verbose,
      cwd: ctx.cwd,
      ...(options.note !== undefined ? { note: options.note } : {}),
    });
  const target = fileBuffer ?? ctx.out;
  const main =
    options.reporter === 'json'
      ? createJsonReporter(target)
      : options.reporter === 'junit'
        ? createJunitReporter(target, ctx.cwd)
        : options.reporter === 'html'
          ? (await import('../reporters/html.js')).createHtmlReporter(target, ctx.cwd)
          : pretty(target, fileBuffer !== undefined);
  const reporters = [maskReporter(main, ctx.masker)];
  if (fileBuffer) reporters.push(maskReporter(pretty(ctx.out, false), ctx.masker));
  // Last, so the annotations follow the pretty summary on stdout.
  const github = options.github === true ? createGithubReporter(ctx.out, ctx.cwd) : undefined;
  if (github !== undefined) reporters.push(maskReporter(github, ctx.masker));
  return {
    reporters,
    async flush() {
      if (fileBuffer && options.output !== undefined)
        await writeOutputFile(ctx, options.output, fileBuffer.text, '--output', 'run');
      if (github !== undefined) await appendGithubSummary(github.cases, ctx);
    },
  };
}

function each(reporters: Reporter[], f: (r: Reporter) => void): void {
  for (const r of reporters) f(r);
}

export interface ExecuteRunOptions {
  file: string;
  /** How the file is shown in reports (defaults to `file`). */
  displayFile?: string;
  workflowId?: string;
  fileInputs: Record<string, unknown>;
  flagInputs: Record<string, string>;
  envInputs: ReadonlySet<string>;
  sources: Record<string, string>;
  runOptions: RunOptions;
  reporters: Reporter[];
  strict: boolean;
  /** Mock mode: security schemes without an --auth value get a dummy credential. */
  mock?: boolean;
  /** The parsed --scenario, checked against the document's operations and steps once loaded. */
  scenario?: { value: import('../../mock/types.js').Scenario; label: string };
}

/** Load, pick the workflow, type the inputs, run, report. Returns the exit code. */
export async function executeRun(ctx: CommandContext, o: ExecuteRunOptions): Promise<number> {
  const { reporters } = o;
  const [{ runWorkflow }, loaded] = await Promise.all([
    loadEngine(),
    loadOrReport(
      ctx,
      o.file,
      { sources: o.sources, strict: o.strict },
      { reporters: () => reporters, shown: o.displayFile ?? o.file, workflowId: o.workflowId ?? '' },
    ),
  ]);
  if (typeof loaded === 'number') return loaded;
  const workflow = pickWorkflow(loaded.document, o.workflowId);
  assertDeclaredInputs(loaded.document, [workflow], Object.keys(o.flagInputs), 'run');
  if (o.scenario !== undefined) await assertScenarioFits(o.scenario.value, loaded, o.scenario.label, 'run');
  const inputs = buildInputs(loaded.document, workflow, o.fileInputs, o.flagInputs, o.envInputs, (s) =>
    ctx.masker.add(s),
  );
  for (const r of reporters) {
    r.start({
      file: o.displayFile ?? o.file,
      workflowId: workflow.workflowId,
      document: loaded.document,
      diagnostics: loaded.diagnostics,
      locate: (pointer) => loaded.locate(pointer),
      ...(o.mock ? { mock: true } : {}),
    });
  }
  let result: RunResult;
  try {
    warnUnknownAuth(ctx, loaded, o.runOptions.auth);
    const auth = o.mock
      ? {
          ...(await import('../../mock/index.js')).dummyAuth(loaded.sources.values()),
          ...withoutOAuthClients(o.runOptions.auth),
        }
      : o.runOptions.auth;
    result = await runWorkflow(loaded, inputs, {
      ...o.runOptions,
      ...(auth !== undefined ? { auth } : {}),
      workflowId: workflow.workflowId,
      strict: o.strict,
      masker: ctx.masker,
      onEvent: (event) => each(reporters, (r) => r.onEvent(event)),
      ...(ctx.io.signal ? { signal: ctx.io.signal } : {}),
    });
  } catch (error) {
    return reportFailure(reporters, error);
  }
  each(reporters, (r) => r.finish(result));
  if (o.mock && o.scenario === undefined) {
    const hint = mockLoopHint(result);
    if (hint !== undefined) ctx.err.write(`${hint}\n`);
  }
  return result.status === 'succeeded' ? 0 : 1;
}

/**
 * A failed mock run that retried or looped: the mock answers the same thing every time, so a poll for a
 * status change can never end. Say how to script it instead of leaving a bare budget or retry failure.
 */
export function mockLoopHint(result: RunResult): string | undefined {
  if (result.status === 'succeeded') return undefined;
  const stepId = result.error?.stepId;
  const repeats = result.steps.filter((s) => s.stepId === stepId).length;
  if (stepId === undefined || (repeats < 2 && result.error?.code !== 'STEP_BUDGET_EXHAUSTED'))
    return undefined;
  return `hint: step "${stepId}" ran ${repeats} times against the mock, which answers the same every time; script the answers it waits for with --scenario (README "Scenarios")`;
}

export async function runCommand(argv: readonly string[], ctx: CommandContext): Promise<number> {
  const args = parseRunArgs(argv, ctx.io.env, ctx.cwd);
  if (args === 'help') {
    ctx.out.write(RUN_USAGE);
    return 0;
  }
  for (const value of args.authSecrets) addCredential(ctx.masker, value);
  for (const [name, value] of Object.entries(args.inputs)) {
    if (args.envInputs.has(name)) ctx.masker.add(value);
  }
  const fileInputs = args.inputsFile !== undefined ? await readInputsFile(args.inputsFile, ctx) : {};

  const makeOptions = await runOptionsFactory(args, ctx);
  const runOptions = makeOptions();
  if (args.replay !== undefined) answerFromReplay(runOptions, (await loadReplay(args.replay, ctx, 'run'))());
  const redirects = await startRedirectListeners(runOptions.auth, ctx, args.open === true);
  if (redirects.auth !== undefined) runOptions.auth = redirects.auth;

  if (args.output !== undefined) await checkWritable(args.output, ctx, 'run');
  if (args.har !== undefined) await checkWritable(args.har, ctx, 'run');
  const setup = await createReporters(ctx, args);
  const har = args.har !== undefined ? await startHarRecording(args.har, ctx, 'run') : undefined;
  if (har !== undefined) setup.reporters.push(har.reporter);
  const code = await executeRun(ctx, {
    file: args.file,
    ...(args.workflowId !== undefined ? { workflowId: args.workflowId } : {}),
    fileInputs,
    flagInputs: args.inputs,
    envInputs: args.envInputs,
    sources: args.sources,
    runOptions,
    reporters: setup.reporters,
    strict: args.strict,
    mock: args.mock,
    ...(makeOptions.scenario !== undefined && args.scenario !== undefined
      ? { scenario: { value: makeOptions.scenario, label: `--scenario ${args.scenario}` } }
      : {}),
  }).finally(() => redirects.close());
  await setup.flush();
  await har?.write();
  return code;
}
