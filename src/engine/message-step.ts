// Arazzo 1.1.0 "Step Object" for AsyncAPI operations (action send / receive, correlationId, timeout) and
// "Defining Success for Asynchronous Steps": one attempt of a message step.
import { displayServer } from '../async/broker.js';
import type { IncomingMessage, MessageMock } from '../async/types.js';
import type { ExchangedMessage } from '../contract/types.js';
import type { StepObject, WorkflowObject } from '../document/model.js';
import { isArazzoError, isMessagingError, MessagingError } from '../errors.js';
import type { ExpressionScope } from '../expression/types.js';
import { applyReplacements } from '../http/index.js';
import { parsePointer, readPointer } from '../pointer.js';
import { isDeclaredSecretHeader } from '../secrets/index.js';
import { resolveStepTarget } from '../sources/index.js';
import type { AsyncApiMessage, LoadedDocument, MessageTarget } from '../sources/types.js';
import {
  type Attempt,
  type AttemptResult,
  attemptScope,
  beginAttempt,
  failAttempt,
  finishAttempt,
  type StepContext,
} from './attempt.js';
import type { RunContext } from './context.js';
import { emitCriteria, emitMessage, emitStepStart } from './events.js';
import type { BrokerChoice, Delivered, Mailbox, MessagingSession } from './messaging.js';
import { stepParameters } from './parameters.js';
import { evaluateOutputs, evaluateSuccessCriteria, resolveStepValue } from './step.js';
import type { RecordedMessage } from './types.js';

/** Thrown inside an attempt to fail it with a code; never escapes this module. */
class StepFailure {
  constructor(
    readonly code: string,
    readonly message: string,
  ) {}
}

interface Resolved {
  address: string;
  headers: Record<string, string>;
}

/** The channel address with its `{parameters}` filled from `in: channel` (or `path`) parameters. */
function channelAddress(
  target: MessageTarget,
  values: Map<string, unknown>,
  stepId: string,
): string | StepFailure {
  const template = target.channel.address;
  if (template === null)
    return new StepFailure(
      'CHANNEL_ADDRESS_UNKNOWN',
      `step "${stepId}": channel "${target.channel.key}" has no address (null: known only at run time)`,
    );
  let missing: string | undefined;
  const address = template.replace(/\{([^}]+)\}/g, (_whole: string, name: string) => {
    const v = values.get(name) ?? target.channel.parameters[name]?.default;
    if (v === undefined) {
      missing ??= name;
      return '';
    }
    return String(v);
  });
  if (missing !== undefined)
    return new StepFailure(
      'CHANNEL_PARAMETER_MISSING',
      `step "${stepId}": channel "${template}" needs parameter "${missing}" (a step parameter with in: channel)`,
    );
  return address;
}

/** Evaluate the step's parameters: channel ones fill the address, header ones become message headers. */
function resolveParameters(
  ctx: RunContext,
  workflow: WorkflowObject,
  step: StepObject,
  loaded: LoadedDocument,
  scope: ExpressionScope,
  target: MessageTarget,
  warnings: string[] | undefined,
): Resolved | StepFailure {
  const channelValues = new Map<string, unknown>();
  const headers: Record<string, string> = {};
  for (const p of stepParameters(workflow.parameters, step, loaded.document.components)) {
    if (p.in === undefined) continue;
    const v = resolveStepValue(p.value, scope, warnings, `parameter "${p.name}"`);
    if (!v.resolved) {
      warnings?.push(`parameter "${p.name}" (${p.in}): ${v.reason}; not sent`);
      continue;
    }
    if (p.in === 'channel' || p.in === 'path') channelValues.set(p.name, v.value);
    else if (p.in === 'header') {
      const text = typeof v.value === 'string' ? v.value : JSON.stringify(v.value);
      if (isDeclaredSecretHeader(p.name)) ctx.masker.add(text);
      headers[p.name] = text;
    } else warnings?.push(`parameter "${p.name}": in: ${p.in} has no meaning for a message; not sent`);
  }
  const address = channelAddress(target, channelValues, step.stepId);
  if (address instanceof StepFailure) return address;
  return { address, headers };
}

function label(target: MessageTarget): string {
  return `${target.source.name}.${target.operation?.operationId ?? target.channel.key} (${target.action})`;
}

/**
 * Subscribe, before anything is sent, the channels of receive steps whose address is already known: a
 * reply that comes at once then waits in its mailbox. Called when a workflow starts and by send steps.
 */
export function subscribeEarly(
  ctx: RunContext,
  session: MessagingSession,
  loaded: LoadedDocument,
  workflow: WorkflowObject,
  wfIndex: number,
  scope: ExpressionScope,
  from: number,
): Mailbox[] {
  const boxes: Mailbox[] = [];
  if (ctx.messageMock !== undefined) return boxes;
  for (let i = from; i < workflow.steps.length; i++) {
    const step = workflow.steps[i]!;
    if (step.action !== 'receive') continue;
    const target = resolveStepTarget(loaded, step, `/workflows/${wfIndex}/steps/${i}`);
    if (!('kind' in target) || target.kind !== 'message') continue;
    const resolved = resolveParameters(ctx, workflow, step, loaded, scope, target, undefined);
    if (resolved instanceof StepFailure) continue;
    try {
      boxes.push(session.mailbox(session.brokerFor(target.source, target.channel), resolved.address));
    } catch {
      // No usable server: the receive step reports it when it runs.
    }
  }
  return boxes;
}

/** The message as data: JSON when it says so or says nothing and parses; text otherwise. */
function decode(
  m: IncomingMessage,
  declared: string | undefined,
): { payload: unknown; contentType?: string; error?: string } {
  const text = Buffer.from(m.body).toString('utf8');
  const ct = (m.contentType === 'text/plain' ? undefined : m.contentType) ?? declared;
  const out: { payload: unknown; contentType?: string; error?: string } = { payload: text };
  if (ct !== undefined) out.contentType = ct;
  if (ct === undefined || /json/i.test(ct)) {
    try {
      out.payload = text === '' ? undefined : (JSON.parse(text) as unknown);
    } catch (error) {
      if (ct !== undefined || /^\s*[{["]/.test(text))
        out.error = `payload is not valid JSON (${error instanceof Error ? error.message : String(error)})`;
    }
  }
  return out;
}

/** Reads an AsyncAPI correlation location (`$message.header#/x`, `$message.payload#/a/b`) from a message. */
export function readCorrelation(
  location: string,
  headers: Record<string, string>,
  payload: unknown,
): unknown {
  const m = /^\$message\.(header|payload)(?:#(.*))?$/.exec(location.trim());
  if (m === null) return undefined;
  const tokens = parsePointer(m[2] ?? '');
  if (tokens === undefined) return undefined;
  if (m[1] === 'payload') return readPointer(payload, tokens);
  const first = tokens[0];
  if (first === undefined) return headers;
  const key = Object.keys(headers).find((k) => k.toLowerCase() === first.toLowerCase());
  if (key === undefined) return undefined;
  return readPointer(headers[key], tokens.slice(1));
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === undefined || a === null) return false;
  if (typeof a === 'object' || typeof b === 'object') return JSON.stringify(a) === JSON.stringify(b);
  return String(a) === String(b);
}

function encodePayload(payload: unknown, contentType: string): Uint8Array {
  if (payload instanceof Uint8Array) return payload;
  if (typeof payload === 'string' && !/json/i.test(contentType)) return Buffer.from(payload, 'utf8');
  return Buffer.from(payload === undefined ? '' : JSON.stringify(payload), 'utf8');
}

/** One attempt of an AsyncAPI step. Never throws for broker or message problems: they fail the step. */
export async function runMessageAttempt(
  sc: StepContext,
  target: MessageTarget,
  session: MessagingSession,
  wfIndex: number,
): Promise<AttemptResult> {
  const a = beginAttempt(sc);
  if (sc.ctx.listening) emitStepStart(sc, label(target));
  try {
    const channel = openChannel(a, target, session);
    if (channel instanceof StepFailure) return failAttempt(a, channel.code, channel.message);
    const out =
      target.action === 'send' ? await sendMessage(a, channel, wfIndex) : await receiveMessage(a, channel);
    a.record.messages = [out.recorded];
    emitMessage(sc, out.recorded);
    return judge(a, target, out);
  } catch (error) {
    return failedBy(a, error);
  }
}

/** Where the step's message goes or comes from: the channel address on its broker, with the step's headers. */
interface Channel extends Resolved {
  target: MessageTarget;
  session: MessagingSession;
  broker: BrokerChoice;
}

/** The step's channel resolved from its parameters, on the broker of its source (whose credentials are secret). */
function openChannel(a: Attempt, target: MessageTarget, session: MessagingSession): Channel | StepFailure {
  const { sc } = a;
  const resolved = resolveParameters(sc.ctx, sc.workflow, sc.step, sc.loaded, sc.scope, target, a.warnings);
  if (resolved instanceof StepFailure) return resolved;
  const broker = session.brokerFor(target.source, target.channel);
  for (const v of Object.values(broker.credentials ?? {})) if (typeof v === 'string') sc.ctx.masker.add(v);
  return { address: resolved.address, headers: resolved.headers, target, session, broker };
}

/** A step failure, broker or document error ends the attempt as failed; anything else is a bug. */
function failedBy(a: Attempt, error: unknown): AttemptResult {
  if (error instanceof StepFailure) return failAttempt(a, error.code, error.message);
  if (isMessagingError(error)) return failAttempt(a, error.reason, error.message);
  if (isArazzoError(error)) return failAttempt(a, error.code, error.message);
  if (a.sc.ctx.signal.aborted) return failAttempt(a, 'ABORTED', 'the run was cancelled');
  throw error;
}

interface Exchanged {
  recorded: RecordedMessage;
  headers: Record<string, string>;
  payload: unknown;
  /** The AsyncAPI message the operation declares (the first), if any. */
  message: AsyncApiMessage | undefined;
  decodeError?: string;
}

function recordOf(
  ctx: RunContext,
  direction: 'sent' | 'received',
  address: string,
  broker: BrokerChoice,
  headers: Record<string, string>,
  payload: unknown,
  contentType: string | undefined,
): RecordedMessage {
  const r: RecordedMessage = {
    direction,
    channel: ctx.masker.text(address),
    server: ctx.masker.text(displayServer(broker.target.url)),
    headers: ctx.masker.headers(headers) as Record<string, string>,
  };
  if (payload !== undefined) r.payload = ctx.masker.value(payload);
  if (contentType !== undefined) r.contentType = contentType;
  return r;
}

async function sendMessage(a: Attempt, channel: Channel, wfIndex: number): Promise<Exchanged> {
  const { sc } = a;
  const { ctx } = sc;
  const payload = messagePayload(a);
  const message = channel.target.messages[0];
  const contentType = sc.step.requestBody?.contentType ?? message?.contentType ?? 'application/json';
  checkSent(a, message, channel.headers, payload);
  // The replies this send may cause must find their mailbox already listening.
  const early = subscribeEarly(
    ctx,
    channel.session,
    sc.loaded,
    sc.workflow,
    wfIndex,
    sc.scope,
    sc.frame.stepIndex + 1,
  );
  await Promise.all(early.map((b) => b.ready.catch(() => undefined)));
  if (ctx.messageMock === undefined) await publish(sc, channel, payload, contentType);
  return {
    recorded: recordOf(ctx, 'sent', channel.address, channel.broker, channel.headers, payload, contentType),
    headers: channel.headers,
    payload,
    message,
  };
}

/**
 * With the `contract` option, the message about to be sent checked against its AsyncAPI message
 * (`record.checks`). Decision (README "Semantics"): a failed check of severity error fails the step with
 * `CONTRACT` before anything is published (or subscribed), so a spec under test never puts a message that
 * breaks its own contract on the broker; severity warning records and sends.
 */
function checkSent(
  a: Attempt,
  message: AsyncApiMessage | undefined,
  headers: Record<string, string>,
  payload: unknown,
): void {
  const broken = recordChecks(a, message, { direction: 'sent', headers, payload });
  if (broken !== undefined)
    throw new StepFailure('CONTRACT', `step "${a.sc.step.stepId}": not sent: ${broken}`);
}

/**
 * The message checked by the run's contract checker, checks masked into `record.checks`; the failed
 * error-severity checks' messages, joined, or undefined when none failed (or there is no checker).
 */
function recordChecks(
  a: Attempt,
  message: AsyncApiMessage | undefined,
  exchanged: ExchangedMessage,
): string | undefined {
  const { ctx } = a.sc;
  if (ctx.contract === undefined) return undefined;
  const checks = ctx.contract.message(message, exchanged);
  if (checks.length === 0) return undefined;
  a.record.checks = checks.map((c) => ({ ...c, message: ctx.masker.text(c.message) }));
  const broken = a.record.checks.filter((c) => !c.passed && c.severity === 'error');
  return broken.length === 0 ? undefined : broken.map((c) => c.message).join('; ');
}

/** The step's `requestBody` payload, evaluated, with its replacements applied. */
function messagePayload(a: Attempt): unknown {
  const { sc, warnings } = a;
  const { step } = sc;
  let payload: unknown;
  const rb = step.requestBody;
  if (rb?.payload !== undefined) {
    const v = resolveStepValue(rb.payload, sc.scope, warnings, 'requestBody.payload');
    if (!v.resolved)
      throw new StepFailure('REQUEST_BUILD', `step "${step.stepId}": requestBody.payload: ${v.reason}`);
    payload = v.value;
  }
  if (rb?.replacements !== undefined && rb.replacements.length > 0) {
    const replacements: Array<{ target: string; value: unknown }> = [];
    for (const r of rb.replacements) {
      const v = resolveStepValue(r.value, sc.scope, warnings, `replacement "${r.target}"`);
      if (v.resolved) replacements.push({ target: r.target, value: v.value });
      else warnings.push(`replacement "${r.target}": ${v.reason}; skipped`);
    }
    payload = applyReplacements(payload, replacements);
  }
  return payload;
}

async function publish(
  sc: StepContext,
  channel: Channel,
  payload: unknown,
  contentType: string,
): Promise<void> {
  const { ctx, step } = sc;
  const operation = channel.target.operation?.amqp;
  const connection = await withTimeout(channel.session.connection(channel.broker, operation), step, ctx);
  await withTimeout(
    connection.publish(
      {
        channel: channel.address,
        headers: channel.headers,
        body: encodePayload(payload, contentType),
        contentType,
      },
      ctx.signal,
    ),
    step,
    ctx,
  );
}

/** Settles with `p`, or fails with MESSAGE_TIMEOUT once the step's `timeout` has passed. */
function withTimeout<T>(p: Promise<T>, step: StepObject, ctx: RunContext): Promise<T> {
  if (step.timeout === undefined) return p;
  return waitFor(
    p,
    step.timeout,
    ctx,
    () =>
      new StepFailure(
        'MESSAGE_TIMEOUT',
        `step "${step.stepId}": not done within its timeout of ${step.timeout} ms`,
      ),
  );
}

function waitFor<T>(p: Promise<T>, ms: number, ctx: RunContext, onTimeout: () => StepFailure): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(onTimeout());
    }, ms);
    const abort = (): void => {
      cleanup();
      reject(new MessagingError('ABORTED', 'the run was cancelled', ''));
    };
    const cleanup = (): void => {
      clearTimeout(timer);
      ctx.signal.removeEventListener('abort', abort);
    };
    if (ctx.signal.aborted) return abort();
    ctx.signal.addEventListener('abort', abort, { once: true });
    p.then(
      (v) => {
        cleanup();
        resolve(v);
      },
      (e: unknown) => {
        cleanup();
        reject(e);
      },
    );
  });
}

/** Wait for the step's message (the one with its correlation id, if it has one), or take the mocked one. */
async function receiveMessage(a: Attempt, channel: Channel): Promise<Exchanged> {
  const { sc } = a;
  const { ctx } = sc;
  const timeoutMs = sc.step.timeout ?? ctx.messageTimeoutMs;
  const correlation = expectedCorrelation(sc, channel.target);
  const declared = channel.target.messages[0];
  const got =
    ctx.messageMock !== undefined
      ? mockDelivery(sc, ctx.messageMock, channel, correlation, timeoutMs)
      : await delivery(sc, channel, correlation, declared, timeoutMs);
  got.taken = true;
  const decoded = decode(got.message, declared?.contentType);
  if (decoded.error !== undefined) a.warnings.push(`received ${decoded.error}`);
  const { headers } = got.message;
  const out: Exchanged = {
    recorded: recordOf(
      ctx,
      'received',
      got.message.channel,
      channel.broker,
      headers,
      decoded.payload,
      decoded.contentType,
    ),
    headers,
    payload: decoded.payload,
    message: declared,
  };
  if (decoded.error !== undefined) out.decodeError = decoded.error;
  return out;
}

type Correlation = { location: string; value: unknown };

/** The first message on the channel (kept or to come) that the step takes, within its timeout. */
function delivery(
  sc: StepContext,
  channel: Channel,
  correlation: Correlation | undefined,
  declared: AsyncApiMessage | undefined,
  timeoutMs: number,
): Promise<Delivered> {
  const box = channel.session.mailbox(channel.broker, channel.address);
  let stopWaiting: (() => void) | undefined;
  const matches = (d: Delivered): boolean => {
    if (d.taken) return false;
    if (correlation === undefined) return true;
    const decoded = decode(d.message, declared?.contentType);
    return sameValue(
      readCorrelation(correlation.location, d.message.headers, decoded.payload),
      correlation.value,
    );
  };
  return waitFor(
    box.first(matches, (stop) => {
      stopWaiting = stop;
    }),
    timeoutMs,
    sc.ctx,
    () => {
      stopWaiting?.();
      return new StepFailure(
        'MESSAGE_TIMEOUT',
        `step "${sc.step.stepId}": no ${correlation === undefined ? '' : `message with correlation id ${JSON.stringify(correlation.value)} `}${correlation === undefined ? 'message ' : ''}on "${channel.address}" within ${timeoutMs} ms`,
      );
    },
  );
}

/** The correlation value the step waits for and where the AsyncAPI message keeps it. */
function expectedCorrelation(sc: StepContext, target: MessageTarget): Correlation | undefined {
  const { step } = sc;
  if (step.correlationId === undefined) return undefined;
  const v = resolveStepValue(step.correlationId, sc.scope, undefined, 'correlationId');
  if (!v.resolved)
    throw new StepFailure('CORRELATION_ID_UNRESOLVED', `step "${step.stepId}": correlationId: ${v.reason}`);
  const location = target.messages.find((m) => m.correlationId !== undefined)?.correlationId?.location;
  if (location === undefined)
    throw new StepFailure(
      'CORRELATION_ID_UNDECLARED',
      `step "${step.stepId}": correlationId is given but no message of ${label(target)} declares a correlationId location in the AsyncAPI document`,
    );
  return { location, value: v.value };
}

/** Mock mode: the scripted or example message, correlated, delivered at once. */
function mockDelivery(
  sc: StepContext,
  mock: MessageMock,
  channel: Channel,
  correlation: Correlation | undefined,
  timeoutMs: number,
): Delivered {
  const { target, address } = channel;
  const request: Parameters<typeof mock>[0] = {
    workflowId: sc.frame.workflowId,
    stepId: sc.step.stepId,
    channel: address,
    messages: target.messages,
  };
  if (target.operation !== undefined) request.operationId = target.operation.operationId;
  if (correlation !== undefined)
    request.correlation = { location: correlation.location, value: String(correlation.value) };
  const answer = mock(request);
  if (answer === undefined)
    throw new StepFailure(
      'MESSAGE_TIMEOUT',
      `step "${sc.step.stepId}": no mocked message on "${address}" (would wait ${timeoutMs} ms)`,
    );
  const headers = answer.headers ?? {};
  return {
    taken: false,
    message: {
      channel: address,
      headers,
      body: Buffer.from(answer.payload === undefined ? '' : JSON.stringify(answer.payload), 'utf8'),
      contentType: 'application/json',
    },
  };
}

/**
 * Whether the step's successCriteria hold over `$message` (records in `record.criteria`; none: true). In a
 * 1.1 document a criterion that cannot be evaluated is also a warning (1.1.0 "Evaluation Errors").
 */
function meetsCriteria(a: Attempt, scope: ExpressionScope): boolean {
  const { sc, record } = a;
  const { ctx, step } = sc;
  if (step.successCriteria === undefined || step.successCriteria.length === 0) return true;
  const evaluated = evaluateSuccessCriteria(a, step.successCriteria, scope);
  record.criteria = evaluated.records.map((c) =>
    c.reason === undefined ? c : { ...c, reason: ctx.masker.text(c.reason) },
  );
  return evaluated.passed;
}

/** successCriteria over `$message`, the contract check of a received message, outputs. */
function judge(a: Attempt, target: MessageTarget, out: Exchanged): AttemptResult {
  const { sc, record } = a;
  const { ctx, step, frame } = sc;
  const scope = attemptScope(sc.scope, undefined, undefined, { headers: out.headers, payload: out.payload });
  if (out.decodeError !== undefined && target.action === 'receive')
    return failAttempt(
      a,
      'MESSAGE_NOT_JSON',
      `step "${step.stepId}": the received ${out.decodeError}`,
      scope,
    );
  const passed = meetsCriteria(a, scope);
  emitCriteria(sc, record.criteria);
  const outputs = evaluateOutputs(step.outputs as Record<string, string> | undefined, scope);
  frame.steps[step.stepId] = { outputs: outputs.outputs };
  record.outputs = ctx.masker.value(outputs.outputs) as Record<string, unknown>;
  a.warnings.push(...outputs.warnings.map((w) => `output ${w}`));
  // The `contract` option: a received message is checked against its message's schemas.
  if (target.action === 'receive') {
    const broken = recordChecks(a, out.message, {
      direction: 'received',
      headers: out.headers,
      payload: out.payload,
    });
    // Decision (README "Contract checks"): an error-severity contract failure fails the step.
    if (broken !== undefined && passed)
      return failAttempt(a, 'CONTRACT', `step "${step.stepId}": ${broken}`, scope);
  }
  record.outcome = passed ? 'succeeded' : 'failed';
  return finishAttempt(a, scope);
}
