// Arazzo 1.0.1 "Workflow Object" inputs and the run's options: everything a run needs before its first step.
import { setTimeout as delay } from 'node:timers/promises';
import type { Dispatcher } from 'undici';
import type { MessageMock } from '../async/types.js';
import type { ContractChecker } from '../contract/types.js';
import type { WorkflowObject } from '../document/model.js';
import { OptionsError } from '../errors.js';
import { declareCredentials } from '../http/auth.js';
import { OAuthTokens } from '../http/oauth.js';
import type { SendOptions, Transport } from '../http/types.js';
import { createDispatcher, type TlsOptions, wantsProxy } from '../net/index.js';
import { Masker } from '../secrets/index.js';
import { loadArazzo } from '../sources/index.js';
import type { LoadedDocument, LoadOptions } from '../sources/types.js';
import { credentialInputs } from './credential-inputs.js';
import { checkInputs, secretInputNames } from './inputs.js';
import type { RunOptions } from './options.js';
import type { RunState } from './state.js';
import type { AuthValues, RunError, RunEvent, RunResult } from './types.js';

const DEFAULT_MAX_STEPS = 1000;
const DEFAULT_MAX_RETRY_DELAY_MS = 120_000;
const DEFAULT_MESSAGE_TIMEOUT_MS = 30_000;

/**
 * What the steps see of a run: the document, injected I/O, and everything derived from the options once,
 * by `prepareRun` (ky's NormalizedOptions): a step never reads the raw options.
 */
export interface RunContext {
  root: LoadedDocument;
  masker: Masker;
  signal: AbortSignal;
  maxSteps: number;
  maxRetryDelayMs: number;
  compat: boolean;
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Options for the built-in transport, derived once per run (`signal` only if the run can be cancelled). */
  send: SendOptions;
  /** performance.now() by which the run must end (`timeoutMs`). */
  deadline: number | undefined;
  /** The run's wall-clock limit in ms (the `timeoutMs` option), for the TIMEOUT message. */
  timeoutMs: number | undefined;
  /** The caller's own signal (the `signal` option): aborted means cancelled, where `signal` may be a timeout. */
  cancelSignal: AbortSignal | undefined;
  /** Whether anyone listens to events (`onEvent`): callers skip building events, and closures, if not. */
  listening: boolean;
  /** Sends an event to `onEvent`; a function is called only when someone listens (masking costs). */
  emit: (event: RunEvent | (() => RunEvent)) => void;
  /** Base URL overrides by source name (the `servers` option). */
  servers: Record<string, string> | undefined;
  /** Values of server variables by name (the `serverVariables` option). */
  serverVariables: Record<string, string> | undefined;
  /** Credentials by security scheme name (the `auth` option). */
  auth: AuthValues | undefined;
  /** The injected transport (the `transport` option: mock mode, tests); absent, requests go through `send`. */
  transport: Transport | undefined;
  /** The injected transport answers without a network: sources with no server host get a placeholder origin. */
  offline: boolean;
  /** Answers receive steps without a broker (the `messageMock` option): no subscription, no publish. */
  messageMock: MessageMock | undefined;
  /** How long a receive step without its own `timeout` waits (the `messageTimeoutMs` option, default 30 s). */
  messageTimeoutMs: number;
  /**
   * Checks responses against their OpenAPI operation (the `contract` option); when set, AsyncAPI steps
   * also check the message they send or receive against the message's schemas (`contract.message`).
   */
  contract?: ContractChecker;
  /** Per-source transport options, for sources with their own TLS material (the `tls` option). */
  sendBySource?: Map<string, SendOptions>;
  /** Closes the connections the run opened for itself (tls, proxy). */
  close?: () => Promise<void>;
  /** Obtains the tokens of OAuth credentials (`auth: { scheme: { clientId, ... } }`); absent when none. */
  tokens?: OAuthTokens;
  /** AsyncAPI steps (1.1): the run's broker connections and the step runner, only for documents with an asyncapi source. */
  messaging?: {
    session: import('./messaging.js').MessagingSession;
    step: typeof import('./message-step.js');
  };
  /** Called at every step boundary with the live state (durable runs persist it). */
  checkpoint?: (state: RunState) => Promise<void>;
  /** Retry waits of at least this many ms suspend the run instead of sleeping (durable runs re-queue it). */
  suspendRetryOverMs?: number;
}

const NEVER_ABORTED: AbortSignal = new AbortController().signal;

/** Thrown inside the loop when the whole run must stop (budget, timeout, cancel). Never escapes runWorkflow. */
export class RunStop {
  constructor(readonly error: RunError) {}
}

function isLoadedDocument(value: unknown): value is LoadedDocument {
  return (
    typeof value === 'object' &&
    value !== null &&
    'document' in value &&
    'sources' in value &&
    (value as { sources: unknown }).sources instanceof Map
  );
}

async function defaultSleep(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0) return;
  await delay(ms, undefined, { signal });
}

/** A run that could not start (unknown workflow, invalid inputs) or everything a started run needs. */
export type Prepared =
  | { kind: 'result'; result: RunResult }
  | {
      kind: 'ready';
      loaded: LoadedDocument;
      ctx: RunContext;
      workflow: WorkflowObject;
      inputs: Record<string, unknown>;
    };

/** Reject unusable numeric options before anything runs (OptionsError, never a raw RangeError later). */
function checkOptions(options: RunOptions): void {
  const numeric: Array<[keyof RunOptions, number]> = [
    ['timeoutMs', 1],
    ['requestTimeoutMs', 1],
    ['maxResponseBytes', 0],
    ['maxSteps', 1],
    ['maxRetryDelayMs', 0],
    ['maxDocumentBytes', 1],
  ];
  for (const [name, min] of numeric) {
    const value = options[name];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
      throw new OptionsError(`${name}: must be a number >= ${min}, got ${JSON.stringify(value)}`);
    }
  }
  if (options.maxSteps !== undefined && !Number.isInteger(options.maxSteps)) {
    throw new OptionsError(`maxSteps: must be a whole number, got ${options.maxSteps}`);
  }
  const contract = options.contract as unknown;
  if (
    contract !== undefined &&
    typeof contract !== 'boolean' &&
    (typeof contract !== 'object' || contract === null)
  ) {
    throw new OptionsError(
      `contract: must be true, false or an options object, got ${JSON.stringify(contract)}`,
    );
  }
  for (const name of ['servers', 'sources', 'auth', 'serverVariables'] as const) {
    const value = options[name] as unknown;
    if (value !== undefined && (typeof value !== 'object' || value === null || Array.isArray(value))) {
      throw new OptionsError(`${name}: must be an object keyed by name`);
    }
  }
}

/** Load the document (unless given loaded), check options and inputs, and build the run context. */
export async function prepareRun(
  spec: string | URL | LoadedDocument,
  inputs: Record<string, unknown>,
  options: RunOptions & { skipInputCheck?: boolean },
  started: number = performance.now(),
): Promise<Prepared> {
  checkOptions(options);
  const loaded = isLoadedDocument(spec) ? spec : await loadArazzo(spec, loadOptions(options));
  checkServerNames(loaded, options.servers);
  const document = loaded.document;
  const workflowId = options.workflowId ?? document.workflows[0]?.workflowId ?? '';
  const workflow = document.workflows.find((w) => w.workflowId === workflowId);
  const masker = runMasker(options);
  if (workflow === undefined) {
    const known = document.workflows.map((w) => `"${w.workflowId}"`).join(', ');
    return failedRun(loaded, workflowId, started, {
      code: 'WORKFLOW_NOT_FOUND',
      message: `workflow "${workflowId}" is not in the document; it has ${known}`,
    });
  }
  const checked = checkRunInputs(loaded, workflow, inputs, masker, options.skipInputCheck === true);
  if (!checked.ok) {
    return failedRun(loaded, workflowId, started, {
      code: 'INPUTS_INVALID',
      workflowId,
      message: masker.text(`workflow "${workflowId}": ${checked.problems.join('; ')}`),
    });
  }
  const ctx = runContext(loaded, options, masker, started);
  await connectionOptions(ctx, options);
  if (OAuthTokens.wanted(options.auth)) ctx.tokens = oauthTokens(ctx, options);
  if (hasAsyncApiSource(loaded)) ctx.messaging = await openMessaging(ctx, options);
  if (options.contract !== undefined && options.contract !== false) {
    const { createContractChecker } = await import('../contract/index.js');
    ctx.contract = createContractChecker(options.contract === true ? {} : options.contract);
  }
  return { kind: 'ready', loaded, ctx, workflow, inputs: checked.value };
}

/** What loadArazzo takes of the run's options. */
function loadOptions(options: RunOptions): LoadOptions {
  return {
    ...(options.sources !== undefined ? { sources: options.sources } : {}),
    ...(options.loader !== undefined ? { loader: options.loader } : {}),
    ...(options.signal !== undefined ? { signal: options.signal } : {}),
    ...(options.allowRemote !== undefined ? { allowRemote: options.allowRemote } : {}),
    ...(options.rootDir !== undefined ? { rootDir: options.rootDir } : {}),
    ...(options.maxDocumentBytes !== undefined ? { maxDocumentBytes: options.maxDocumentBytes } : {}),
    strict: options.strict ?? false,
  };
}

/** A `servers` override must name a source of the document. */
function checkServerNames(loaded: LoadedDocument, servers: Record<string, string> | undefined): void {
  for (const name of Object.keys(servers ?? {})) {
    if (!loaded.sources.has(name) && !loaded.document.sourceDescriptions.some((s) => s.name === name)) {
      const known = loaded.document.sourceDescriptions.map((s) => `"${s.name}"`).join(', ');
      throw new OptionsError(
        `servers: unknown source "${name}"; the document's sources are ${known || '(none)'}`,
      );
    }
  }
}

/** The run's masker, told the `secrets` and `auth` values. */
function runMasker(options: RunOptions): Masker {
  const masker = options.masker ?? new Masker();
  for (const s of options.secrets ?? []) masker.add(s);
  declareCredentials(masker, options.auth);
  return masker;
}

/** The result of a run that could not start. */
function failedRun(loaded: LoadedDocument, workflowId: string, started: number, error: RunError): Prepared {
  return {
    kind: 'result',
    result: {
      workflowId,
      status: 'failed',
      outputs: {},
      steps: [],
      error,
      diagnostics: loaded.diagnostics,
      durationMs: performance.now() - started,
    },
  };
}

/** The workflow's inputs checked against their schema (defaults applied), secret ones told the masker. */
function checkRunInputs(
  loaded: LoadedDocument,
  workflow: WorkflowObject,
  inputs: Record<string, unknown>,
  masker: Masker,
  skipCheck: boolean,
): ReturnType<typeof checkInputs> {
  const document = loaded.document;
  // Declared secret by the schema, or sent through a security scheme of the operations it feeds.
  const secretInputs = secretInputNames(workflow.inputs, document);
  for (const [name, schemes] of credentialInputs(loaded, workflow))
    if (schemes.length > 0) secretInputs.push(name);
  for (const name of secretInputs) masker.add(inputs[name]);
  const checked = skipCheck
    ? { ok: true, value: inputs, problems: [] }
    : checkInputs(workflow.inputs, document, inputs);
  if (!checked.ok) return checked;
  // A secret input that took its schema default is as secret as one that was given.
  for (const name of secretInputs) masker.add(checked.value[name]);
  return checked;
}

/** The run's signal: the caller's and the `timeoutMs` one, or one that never aborts when there is neither. */
function runSignal(options: RunOptions): AbortSignal {
  const signals: AbortSignal[] = [];
  if (options.signal !== undefined) signals.push(options.signal);
  if (options.timeoutMs !== undefined) signals.push(AbortSignal.timeout(options.timeoutMs));
  // A run nobody can cancel shares one signal that never aborts: no AbortController per run, and the
  // transport registers no abort listener per request.
  return signals.length === 0 ? NEVER_ABORTED : signals.length === 1 ? signals[0]! : AbortSignal.any(signals);
}

/** Options for the built-in transport. A run nobody can cancel gives it no signal (no abort listener per request). */
function sendOptions(signal: AbortSignal, options: RunOptions): SendOptions {
  return {
    ...(signal !== NEVER_ABORTED ? { signal } : {}),
    ...(options.dispatcher !== undefined ? { dispatcher: options.dispatcher } : {}),
    ...(options.requestTimeoutMs !== undefined ? { timeoutMs: options.requestTimeoutMs } : {}),
    ...(options.maxResponseBytes !== undefined ? { maxBodyBytes: options.maxResponseBytes } : {}),
    ...(options.allowCrossOriginRedirects !== undefined
      ? { allowCrossOriginRedirects: options.allowCrossOriginRedirects }
      : {}),
  };
}

/** Everything the steps read, derived from the options once. */
function runContext(
  loaded: LoadedDocument,
  options: RunOptions,
  masker: Masker,
  started: number,
): RunContext {
  const signal = runSignal(options);
  return {
    root: loaded,
    masker,
    signal,
    send: sendOptions(signal, options),
    maxSteps: options.maxSteps ?? DEFAULT_MAX_STEPS,
    maxRetryDelayMs: options.maxRetryDelayMs ?? DEFAULT_MAX_RETRY_DELAY_MS,
    compat: !(options.strict ?? false),
    deadline: options.timeoutMs !== undefined ? started + options.timeoutMs : undefined,
    timeoutMs: options.timeoutMs,
    cancelSignal: options.signal,
    sleep: options.sleep ?? defaultSleep,
    listening: options.onEvent !== undefined,
    emit: emitterFor(options.onEvent),
    servers: options.servers,
    serverVariables: options.serverVariables,
    auth: options.auth,
    transport: options.transport,
    offline: options.transport?.offline === true,
    messageMock: options.messageMock,
    messageTimeoutMs: options.messageTimeoutMs ?? DEFAULT_MESSAGE_TIMEOUT_MS,
  };
}

function emitterFor(onEvent: RunOptions['onEvent']): RunContext['emit'] {
  return (event) => {
    if (onEvent === undefined) return;
    try {
      onEvent(typeof event === 'function' ? event() : event);
    } catch {
      // A progress listener must not be able to break the run.
    }
  };
}

/** The OAuth token client of a run whose `auth` has OAuth credentials. */
function oauthTokens(ctx: RunContext, options: RunOptions): OAuthTokens {
  return new OAuthTokens(options.auth ?? {}, {
    // The run's one secret set: tokens, codes and verifiers are masked like every other credential.
    declareSecret: (value) => ctx.masker.add(value),
    ...(options.now !== undefined ? { now: options.now } : {}),
    ...(ctx.send.dispatcher !== undefined ? { dispatcher: ctx.send.dispatcher } : {}),
    ...(ctx.signal !== NEVER_ABORTED ? { signal: ctx.signal } : {}),
    ...(options.requestTimeoutMs !== undefined ? { timeoutMs: options.requestTimeoutMs } : {}),
  });
}

/** The broker session and step runner. Only runs with an AsyncAPI source load the messaging code (client libraries load on first connect). */
async function openMessaging(
  ctx: RunContext,
  options: RunOptions,
): Promise<NonNullable<RunContext['messaging']>> {
  const [{ MessagingSession }, step] = await Promise.all([
    import('./messaging.js'),
    import('./message-step.js'),
  ]);
  const session = new MessagingSession({
    signal: ctx.signal,
    servers: ctx.servers,
    serverVariables: ctx.serverVariables,
    auth: ctx.auth,
    messageTransports: options.messageTransports,
  });
  return { session, step };
}

/**
 * Dispatchers for the `tls` and `proxy` options: one for the run (proxy, `'*'` TLS) and one per source
 * with its own TLS material. Opened per run, closed by `ctx.close`.
 */
async function connectionOptions(ctx: RunContext, options: RunOptions): Promise<void> {
  const tls = options.tls ?? {};
  if (Object.keys(tls).length === 0 && !wantsProxy(options.proxy)) return;
  if (options.dispatcher !== undefined) {
    throw new OptionsError('tls, proxy: give them, or a dispatcher configured with them, not both');
  }
  const opened: Dispatcher[] = [];
  const open = async (material: TlsOptions | undefined): Promise<Dispatcher> => {
    const dispatcher = await createDispatcher(material, options.proxy);
    opened.push(dispatcher);
    return dispatcher;
  };
  ctx.send.dispatcher = await open(tls['*']);
  for (const [source, material] of Object.entries(tls)) {
    if (source === '*') continue;
    if (!ctx.root.document.sourceDescriptions.some((s) => s.name === source)) {
      const known = ctx.root.document.sourceDescriptions.map((s) => `"${s.name}"`).join(', ');
      throw new OptionsError(
        `tls: unknown source "${source}"; the document's sources are ${known || '(none)'}`,
      );
    }
    ctx.sendBySource ??= new Map();
    ctx.sendBySource.set(source, { ...ctx.send, dispatcher: await open(material) });
  }
  ctx.close = async () => {
    await Promise.all(opened.map((d) => d.close().catch(() => undefined)));
  };
}

function hasAsyncApiSource(loaded: LoadedDocument, seen = new Set<LoadedDocument>()): boolean {
  if (seen.has(loaded)) return false;
  seen.add(loaded);
  for (const s of loaded.sources.values()) {
    if (s.kind === 'asyncapi') return true;
    if (s.kind === 'arazzo' && hasAsyncApiSource(s.loaded, seen)) return true;
  }
  return false;
}

/** The RunResult of a state whose root workflow has finished (or was stopped). */
export function finishRun(state: RunState, ctx: RunContext, started: number): RunResult {
  const result = state.result ?? {
    status: 'failed' as const,
    outputs: {},
    error: internal('the run ended without a result'),
  };
  const out: RunResult = {
    workflowId: state.rootWorkflowId,
    status: result.status,
    outputs: result.outputs,
    steps: state.records,
    diagnostics: ctx.root.diagnostics,
    durationMs: performance.now() - started,
  };
  if (result.error !== undefined)
    out.error = { ...result.error, message: ctx.masker.text(result.error.message) };
  return out;
}

export function internal(message: string): RunError {
  return { code: 'INTERNAL', message };
}
