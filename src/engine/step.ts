// Arazzo 1.0.1 "Step Object": one attempt of an operation step — build the request, send it, judge it.

import { BoundedCache } from '../cache.js';
import { evaluateCriteria, replaceXPath } from '../criteria/index.js';
import type { CriterionRecord } from '../criteria/types.js';
import type { CriterionObject, OutputValue, StepObject } from '../document/model.js';
import {
  isArazzoError,
  isAuthError,
  isRequestBuildError,
  isTransportError,
  RequestBuildError,
  TransportError,
} from '../errors.js';
import { embedText, isUnresolved, type ResolveValueOptions, resolveValue } from '../expression/index.js';
import type { ExpressionScope } from '../expression/types.js';
import {
  applyReplacements,
  buildRequest,
  parseRetryAfter,
  resolveServerUrl,
  sendRequest,
} from '../http/index.js';
import type { OAuthTokens, ResolvedAuth } from '../http/oauth.js';
import type { HttpResponse, PreparedRequest } from '../http/types.js';
import { setOwn } from '../own.js';
import { isDeclaredSecretHeader } from '../secrets/index.js';
import { resolveStepTarget } from '../sources/index.js';
import type { ResolvedOperation } from '../sources/types.js';
import {
  type Attempt,
  type AttemptResult,
  attemptScope,
  beginAttempt,
  failAttempt,
  finishAttempt,
  type StepContext,
} from './attempt.js';
import { emitCriteria, emitRequest, emitResponse, emitStepStart, emitWarning } from './events.js';
import type { TransportContext } from './options.js';
import { stepParameters } from './parameters.js';
import type { AuthValues, RecordedRequest, RecordedResponse } from './types.js';
import { isV11, jsonPathTargets, objectEvaluator, stepTimeoutMs, targetType } from './v11.js';
import { applyRespectSecurity } from './x-security.js';

export type { AttemptResult, StepContext } from './attempt.js';

/** Evaluate a document value (parameter value, payload) against a scope. */
export function resolveStepValue(
  value: unknown,
  scope: ExpressionScope,
  warnings?: string[],
  label?: string,
  objects?: ResolveValueOptions['evaluateObject'],
): { resolved: true; value: unknown } | { resolved: false; reason: string } {
  const out = resolveValue(value, scope, {
    omitUnresolved: true,
    ...(objects !== undefined ? { evaluateObject: objects } : {}),
    onUnresolved: (path, u) => {
      // The whole value unresolved is reported once, by the caller.
      if (path === '') return;
      // An input the caller did not give is optional (required ones were checked before the run): leaving
      // its field out is the documented behaviour, not something to warn about on every run.
      if (u.reason.startsWith('$inputs.')) return;
      warnings?.push(`${label ?? 'value'}${path ? ` ${path}` : ''}: ${u.reason}; left out`);
    },
  });
  if (isUnresolved(out)) return { resolved: false, reason: out.reason };
  return { resolved: true, value: out };
}

/**
 * Evaluate an outputs map. An expression that finds nothing gives undefined and a warning rather than
 * failing the step (README "Semantics": real-world responses often lack optional members).
 */
export function evaluateOutputs(
  outputs: Readonly<Record<string, OutputValue>> | undefined,
  scope: ExpressionScope,
  objects?: ResolveValueOptions['evaluateObject'],
): { outputs: Record<string, unknown>; warnings: string[] } {
  const result: Record<string, unknown> = {};
  const warnings: string[] = [];
  if (outputs === undefined) return { outputs: result, warnings };
  for (const name in outputs) {
    if (!Object.hasOwn(outputs, name)) continue;
    const expression = outputs[name]!;
    let value: unknown;
    try {
      value = resolveValue(
        expression,
        scope,
        objects === undefined ? { omitUnresolved: true } : { omitUnresolved: true, evaluateObject: objects },
      );
    } catch (error) {
      warnings.push(`"${name}": ${error instanceof Error ? error.message : String(error)}`);
      continue;
    }
    if (isUnresolved(value)) {
      warnings.push(`"${name}": ${value.reason}`);
      continue;
    }
    setOwn(result, name, value);
  }
  return { outputs: result, warnings };
}

/** The request body's JSON text when the body was serialized as JSON (the masker scans it at once). */
function jsonTextOf(request: PreparedRequest): string | undefined {
  return request.bodyIsValueText === true && typeof request.body === 'string' ? request.body : undefined;
}

const STATUS_CRITERION = /\$statusCode\s*==\s*(\d{3})\b/;

const expectedByStep = new WeakMap<StepObject, number[] | undefined>();

function expectedStatuses(step: StepObject): number[] | undefined {
  if (expectedByStep.has(step)) return expectedByStep.get(step);
  const out: number[] = [];
  for (const c of step.successCriteria ?? []) {
    if (c.type !== undefined && c.type !== 'simple') continue;
    const m = STATUS_CRITERION.exec(c.condition);
    if (m?.[1] !== undefined) out.push(Number(m[1]));
  }
  const expected = out.length > 0 ? out : undefined;
  expectedByStep.set(step, expected);
  return expected;
}

function operationLabel(op: ResolvedOperation): string {
  return op.operationId ?? `${op.method} ${op.path}`;
}

/** Where an offline transport's requests to a source with no server host are addressed (RFC 2606 name). */
const OFFLINE_ORIGIN = 'http://mock.invalid';

const serverUrls = new WeakMap<
  ResolvedOperation,
  { plain: BoundedCache<string, string>; withVariables: BoundedCache<string, string> }
>();

/** The base URL of an operation, resolved once per operation, override and server variables. */
function serverUrlFor(
  op: ResolvedOperation,
  override: string | undefined,
  variables: Record<string, string> | undefined,
  offline: boolean,
): string {
  let cached = serverUrls.get(op);
  if (cached === undefined) {
    cached = { plain: new BoundedCache(16), withVariables: new BoundedCache(16) };
    serverUrls.set(op, cached);
  }
  // Without server variables the override string itself is the key (its hash is computed once); with
  // them, the variables' JSON is part of it.
  const byKey = variables === undefined ? cached.plain : cached.withVariables;
  const plainKey = offline ? `\u0001${override ?? ''}` : (override ?? '');
  const key = variables === undefined ? plainKey : `${plainKey}\u0000${JSON.stringify(variables)}`;
  let url = byKey.get(key);
  if (url === undefined) {
    url = resolveServerUrl(op, {
      ...(override !== undefined ? { override } : {}),
      ...(variables !== undefined ? { variables } : {}),
      ...(offline ? { hostless: OFFLINE_ORIGIN } : {}),
    });
    byKey.set(key, url);
  }
  return url;
}

/** The attempt's request, built and recorded, ready to send. */
interface ReadyAttempt {
  op: ResolvedOperation;
  request: PreparedRequest;
}

/**
 * Run one attempt of an operation step. Never throws for HTTP or request problems: they fail the step.
 * The async part is only the send; building the request and judging the response are synchronous
 * functions, so a suspended attempt holds little.
 */
export async function runOperationAttempt(sc: StepContext): Promise<AttemptResult> {
  const { step, ctx } = sc;
  const a = beginAttempt(sc);
  const target = resolveOperation(a);
  if ('outcome' in target) return target;
  let op = target;
  let auth = ctx.auth;
  const respect = applyRespectSecurity(sc.workflow, step, op, sc.scope, ctx.masker);
  if (typeof respect === 'string')
    return failAttempt(a, 'REQUEST_BUILD', `step "${step.stepId}": ${respect}`);
  if (respect !== undefined) op = respect.operation;
  let oauth: ResolvedAuth | undefined;
  if (ctx.tokens !== undefined) {
    const got = await obtainTokens(a, ctx.tokens, op);
    if (got !== undefined && 'outcome' in got) return got;
    oauth = got;
    if (oauth !== undefined) auth = oauth.auth;
  }
  if (respect !== undefined) auth = { ...auth, ...respect.auth };
  const first = prepareAttempt(a, op, auth);
  if ('outcome' in first) return first;
  let ready: ReadyAttempt = first;
  let response: HttpResponse;
  try {
    response = await sendAttempt(sc, ready);
    if (response.statusCode === 401 && oauth !== undefined && ctx.tokens !== undefined) {
      // The token may have been revoked or expired early: one fresh token, one more try.
      const fresh = await obtainTokens(a, ctx.tokens, op, oauth.schemes);
      if (fresh !== undefined && 'outcome' in fresh) return fresh;
      if (fresh !== undefined) {
        a.warnings.push(
          `status 401 with a token of ${oauth.schemes.map((n) => `"${n}"`).join(', ')}; sent once more with a fresh token`,
        );
        const again = prepareAttempt(
          a,
          op,
          respect === undefined ? fresh.auth : { ...fresh.auth, ...respect.auth },
        );
        if ('outcome' in again) return again;
        ready = again;
        response = await sendAttempt(sc, ready);
      }
    }
  } catch (error) {
    return transportFailure(a, error, attemptScope(sc.scope, ready.request, undefined));
  }
  return judgeAttempt(a, ready, response);
}

/** Tokens for the operation's OAuth schemes, or the attempt failed with AUTH_FAILED before any request. */
async function obtainTokens(
  a: Attempt,
  tokens: OAuthTokens,
  op: ResolvedOperation,
  fresh?: readonly string[],
): Promise<ResolvedAuth | AttemptResult | undefined> {
  try {
    return await tokens.authFor(op, fresh);
  } catch (error) {
    if (isAuthError(error)) return failAttempt(a, error.code, `step "${a.sc.step.stepId}": ${error.message}`);
    throw error;
  }
}

/** The step's operation (announced by a step-start event), or the attempt failed. */
function resolveOperation(a: Attempt): ResolvedOperation | AttemptResult {
  const { sc } = a;
  const { step, pointer } = sc;
  const target = resolveStepTarget(sc.loaded, step, pointer);
  if (!('kind' in target) || target.kind !== 'operation') {
    const message = 'message' in target ? target.message : `step "${step.stepId}" (${pointer}): no operation`;
    emitStepStart(sc, undefined);
    return failAttempt(a, 'OPERATION_NOT_FOUND', message);
  }
  const op = target.operation;
  if (sc.ctx.listening) emitStepStart(sc, operationLabel(op));
  return op;
}

/** Build the request (recorded masked), or fail the attempt. */
function prepareAttempt(
  a: Attempt,
  op: ResolvedOperation,
  auth: AuthValues | undefined,
): ReadyAttempt | AttemptResult {
  let request: PreparedRequest;
  try {
    request = buildStepRequest(a, op, auth);
  } catch (error) {
    if (isRequestBuildError(error) || isArazzoError(error))
      return failAttempt(a, 'REQUEST_BUILD', `step "${a.sc.step.stepId}": ${error.message}`);
    throw error;
  }
  for (const secret of request.secrets) a.sc.ctx.masker.add(secret);
  recordRequest(a, request);
  // The request-only scope ($url, $request...) is built if the send fails: nothing extra lives across it.
  return { op, request };
}

/** The step's parameters and body evaluated and the request built from them; throws what cannot be built. */
function buildStepRequest(a: Attempt, op: ResolvedOperation, auth: AuthValues | undefined): PreparedRequest {
  const { sc } = a;
  const objects = objectEvaluator(sc.loaded.document, sc.scope);
  const parameters: RequestParameter[] = [];
  const querystring = evaluateParameters(a, objects, parameters);
  const body = requestBody(a, objects);
  const request = buildRequest({
    operation: op,
    baseUrl: serverUrlFor(op, sc.ctx.servers?.[op.sourceName], sc.ctx.serverVariables, sc.ctx.offline),
    parameters,
    ...(body !== undefined ? { body } : {}),
    ...(auth !== undefined ? { auth } : {}),
  });
  if (querystring !== undefined) withQueryString(request, querystring.name, querystring.value);
  return request;
}

type RequestParameter = { name: string; in: 'path' | 'query' | 'header' | 'cookie'; value: unknown };

/**
 * The step's parameters (workflow-level ones included) evaluated into `parameters`; a 1.1.0 `in: querystring`
 * one is returned. What cannot be sent on an HTTP step, or did not resolve, is a warning.
 */
function evaluateParameters(
  a: Attempt,
  objects: ResolveValueOptions['evaluateObject'],
  parameters: RequestParameter[],
): { name: string; value: unknown } | undefined {
  const { sc, warnings } = a;
  let querystring: { name: string; value: unknown } | undefined;
  for (const p of stepParameters(sc.workflow.parameters, sc.step, sc.loaded.document.components)) {
    if (p.in === undefined) continue;
    if (p.in === 'channel' || (p.in === 'querystring' && objects === undefined)) {
      warnings.push(`parameter "${p.name}" (${p.in}): this location is not sent on HTTP steps`);
      continue;
    }
    const value = resolveStepValue(p.value, sc.scope, warnings, `parameter "${p.name}"`, objects);
    if (p.in === 'querystring') {
      if (value.resolved) querystring = { name: p.name, value: value.value };
      else warnings.push(`parameter "${p.name}" (querystring): ${value.reason}; not sent`);
      continue;
    }
    if (!value.resolved) {
      warnings.push(`parameter "${p.name}" (${p.in}): ${value.reason}; not sent`);
      continue;
    }
    if (p.in === 'header' && isDeclaredSecretHeader(p.name)) sc.ctx.masker.add(value.value);
    parameters.push({ name: p.name, in: p.in, value: value.value });
  }
  return querystring;
}

/** The step's `requestBody`: its payload evaluated and its replacements applied; undefined sends no body. */
function requestBody(
  a: Attempt,
  objects: ResolveValueOptions['evaluateObject'],
): { contentType?: string; value: unknown } | undefined {
  const { sc, warnings } = a;
  const rb = sc.step.requestBody;
  if (rb === undefined) return undefined;
  let payload: unknown;
  if (rb.payload !== undefined) {
    const v = resolveStepValue(rb.payload, sc.scope, warnings, 'requestBody.payload', objects);
    payload = v.resolved ? v.value : undefined;
    if (!v.resolved) warnings.push(`requestBody.payload: ${v.reason}; no body sent`);
  }
  if (rb.replacements !== undefined && rb.replacements.length > 0)
    payload = replacePayload(a, rb, payload, objects);
  if (payload === undefined) return undefined;
  const body: { contentType?: string; value: unknown } = { value: payload };
  if (rb.contentType !== undefined) body.contentType = rb.contentType;
  return body;
}

type RequestBodyObject = NonNullable<StepObject['requestBody']>;

/** The payload with the request body's `replacements` applied, in order. */
function replacePayload(
  a: Attempt,
  rb: RequestBodyObject,
  payload: unknown,
  objects: ResolveValueOptions['evaluateObject'],
): unknown {
  const { sc, warnings } = a;
  const replacements: Array<{ target: string; value: unknown }> = [];
  for (const r of rb.replacements ?? []) {
    const v = resolveStepValue(r.value, sc.scope, warnings, `replacement "${r.target}"`, objects);
    if (!v.resolved) {
      warnings.push(`replacement "${r.target}": ${v.reason}; skipped`);
      continue;
    }
    if (objects === undefined) {
      replacements.push({ target: r.target, value: v.value });
      continue;
    }
    // A JSONPath or XPath target reads the payload as the earlier replacements left it.
    const current = applyReplacements(payload, replacements.splice(0));
    payload = current;
    const type = targetType(r.targetSelectorType, rb.contentType);
    if (type.kind === 'xpath' && typeof current === 'string') {
      try {
        payload = replaceXPath(current, r.target, v.value, type.version);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        warnings.push(`replacement "${r.target}": ${message}; skipped`);
      }
      continue;
    }
    for (const target of replacementTargets(r, rb.contentType, current, warnings))
      replacements.push({ target, value: v.value });
  }
  return applyReplacements(payload, replacements, { xpath: replaceXPath });
}

/** The request as recorded and announced: masked, headers copied. */
function recordRequest(a: Attempt, request: PreparedRequest): void {
  const { masker } = a.sc.ctx;
  const masked: RecordedRequest = {
    method: request.method,
    url: masker.url(request.url),
    headers: masker.headers(request.headers) as Record<string, string>,
  };
  if (request.bodyValue !== undefined) masked.body = masker.value(request.bodyValue, jsonTextOf(request));
  a.record.request = masked;
  emitRequest(a.sc, masked);
}

/**
 * 1.1.0 "Payload Replacement Object": the JSON Pointer targets a replacement writes. A JSONPath target
 * writes every node it selects (none: skipped with a warning); JSON Pointer and XPath targets pass as they are
 * (XPath ones are applied to XML payloads by the http layer).
 */
function replacementTargets(
  r: { target: string; targetSelectorType?: string | { type: string; version?: string } },
  contentType: string | undefined,
  payload: unknown,
  warnings: string[],
): string[] {
  const type = targetType(r.targetSelectorType, contentType);
  if (type.kind !== 'jsonpath') return [r.target];
  let pointers: string[];
  try {
    pointers = jsonPathTargets(type.version, r.target, payload);
  } catch (error) {
    warnings.push(
      `replacement "${r.target}": ${error instanceof Error ? error.message : String(error)}; skipped`,
    );
    return [];
  }
  if (pointers.length === 0)
    warnings.push(`replacement "${r.target}": the JSONPath selects nothing; skipped`);
  return pointers;
}

/**
 * 1.1.0 `in: querystring`: the parameter's value is the whole query string. A string is sent as written
 * (characters a query may not hold are percent-encoded, so JSON text travels as it is); an object is
 * serialized as application/x-www-form-urlencoded. It never combines with query parameters.
 */
function withQueryString(request: PreparedRequest, name: string, value: unknown): void {
  if (Object.keys(request.queryParams).length > 0) {
    throw new RequestBuildError(
      `parameter "${name}" (querystring) cannot be combined with query parameters (${Object.keys(request.queryParams).join(', ')})`,
    );
  }
  let text: string;
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const form = new URLSearchParams();
    for (const [k, v] of Object.entries(value)) form.append(k, embedText(v));
    text = form.toString();
  } else text = encodeURI(embedText(value)).replaceAll('#', '%23');
  const hash = request.url.indexOf('#');
  const base = hash < 0 ? request.url : request.url.slice(0, hash);
  const q = base.indexOf('?');
  request.url = `${q < 0 ? base : base.slice(0, q)}${text === '' ? '' : `?${text}`}`;
  request.queryParams[name] = value;
}

/** Send the request through the injected transport or undici, bounded by the step's 1.1.0 `timeout`. */
function sendAttempt(sc: StepContext, ready: ReadyAttempt): Promise<HttpResponse> {
  const timeout = stepTimeoutMs(sc.loaded.document, sc.step);
  if (timeout === undefined) return sendOnce(sc, ready, sc.ctx.signal);
  // The request is aborted at the step's deadline (through the signal), and the attempt fails at that
  // deadline even if an injected transport ignores its signal.
  const timer = AbortSignal.timeout(timeout);
  const signal = AbortSignal.any([sc.ctx.signal, timer]);
  const expiredError = (): TransportError =>
    new TransportError(
      'STEP_TIMEOUT',
      `step "${sc.step.stepId}": no response within its timeout of ${timeout} ms`,
      { method: ready.request.method, url: ready.request.url },
    );
  const sent = sendOnce(sc, ready, signal).catch((error: unknown) => {
    throw timer.aborted ? expiredError() : error;
  });
  const expired = new Promise<never>((_, reject) => {
    if (timer.aborted) reject(expiredError());
    else timer.addEventListener('abort', () => reject(expiredError()), { once: true });
  });
  expired.catch(() => {});
  return Promise.race([sent, expired]);
}

/** One send on `signal`: the run's own, or (with a step timeout) one that also aborts at the step's deadline. */
function sendOnce(sc: StepContext, ready: ReadyAttempt, signal: AbortSignal): Promise<HttpResponse> {
  const { ctx, step } = sc;
  const { op, request } = ready;
  const transport = ctx.transport;
  if (transport === undefined) {
    const send = ctx.sendBySource?.get(op.sourceName) ?? ctx.send;
    return sendRequest(request, signal === ctx.signal ? send : { ...send, signal });
  }
  // Built field by field (no spread): this runs for every step of a mock or injected-transport run.
  const tctx: TransportContext = {
    workflowId: sc.frame.workflowId,
    stepId: step.stepId,
    attempt: sc.frame.attempt,
    operation: op,
    signal,
  };
  const source = sc.loaded.sources.get(op.sourceName);
  if (source?.kind === 'openapi') tctx.source = source;
  const expected = expectedStatuses(step);
  if (expected !== undefined) tctx.expectedStatus = expected;
  return transport(request, tctx);
}

function transportFailure(a: Attempt, error: unknown, requestScope: ExpressionScope): AttemptResult {
  if (isTransportError(error)) return failAttempt(a, error.reason, error.message, requestScope);
  if (isArazzoError(error)) return failAttempt(a, error.code, error.message, requestScope);
  if (a.sc.ctx.signal.aborted) return failAttempt(a, 'ABORTED', 'the request was aborted', requestScope);
  return failAttempt(a, 'TRANSPORT', error instanceof Error ? error.message : String(error), requestScope);
}

/** 1.1.0 "Evaluation Errors": a criterion that could not be evaluated is a warning (record and event). */
function reportCriterionError(a: Attempt, message: string): void {
  const masked = a.sc.ctx.masker.text(message);
  a.warnings.push(masked);
  emitWarning(a.sc, 'CRITERION_ERROR', masked);
}

/** Record the response, judge it by the success criteria (and contract), evaluate outputs. */
function judgeAttempt(a: Attempt, ready: ReadyAttempt, response: HttpResponse): AttemptResult {
  const { sc, record } = a;
  recordResponse(a, response);
  if (response.bodyParseError !== undefined) {
    a.warnings.push(
      `response body is not valid ${response.contentType ?? 'JSON'} (${response.bodyParseError}); kept as text`,
    );
  }
  const scope = attemptScope(sc.scope, ready.request, response);
  const passed = meetsContract(a, ready.op, response, meetsCriteria(a, scope, response));
  emitCriteria(sc, record.criteria);
  recordOutputs(a, scope);
  record.outcome = passed ? 'succeeded' : 'failed';
  const result = finishAttempt(a, scope);
  const retryAfterMs = retryAfterOf(response);
  if (retryAfterMs !== undefined) result.retryAfterMs = retryAfterMs;
  return result;
}

/** The response as recorded and announced: masked, headers copied. */
function recordResponse(a: Attempt, response: HttpResponse): void {
  const { ctx } = a.sc;
  const masked: RecordedResponse = {
    statusCode: response.statusCode,
    headers: ctx.masker.headers(response.headers),
  };
  // The JSON text is trusted only from the built-in transport: an injected one may change the body and
  // keep a stale text.
  if (response.body !== undefined)
    masked.body = ctx.masker.value(response.body, ctx.transport === undefined ? response.text : undefined);
  a.record.response = masked;
  emitResponse(a.sc, masked, response.durationMs);
}

/**
 * The attempt's successCriteria evaluated over `scope` (operation and message steps); in a 1.1 document a
 * criterion that cannot be evaluated is also reported.
 */
export function evaluateSuccessCriteria(
  a: Attempt,
  criteria: CriterionObject[],
  scope: ExpressionScope,
): { passed: boolean; records: CriterionRecord[] } {
  const { sc } = a;
  if (!isV11(sc.loaded.document)) return evaluateCriteria(criteria, scope, { compat: sc.ctx.compat });
  const errors: string[] = [];
  const evaluated = evaluateCriteria(criteria, scope, {
    compat: sc.ctx.compat,
    onError: (m) => errors.push(m),
  });
  for (const message of errors) reportCriterionError(a, message);
  return evaluated;
}

/** Whether the success criteria hold (records in `record.criteria`); with none, whether the status is 2xx. */
function meetsCriteria(a: Attempt, scope: ExpressionScope, response: HttpResponse): boolean {
  const { sc, record, warnings } = a;
  const { ctx, step } = sc;
  if (step.successCriteria === undefined || step.successCriteria.length === 0) {
    // Spec: success criteria decide; with none, any 2xx is success (README "Semantics").
    const passed = response.statusCode >= 200 && response.statusCode < 300;
    if (!passed)
      record.error = {
        code: 'HTTP_STATUS',
        message: `status ${response.statusCode} is not 2xx and the step has no successCriteria`,
      };
    return passed;
  }
  const evaluated = evaluateSuccessCriteria(a, step.successCriteria, scope);
  record.criteria = evaluated.records.map((c) => {
    if (c.warnings === undefined)
      return c.reason === undefined ? c : { ...c, reason: ctx.masker.text(c.reason) };
    // Compat forms the response revealed are step warnings, shown by every reporter (masked below).
    const { warnings: found, ...rest } = c;
    warnings.push(...found.map((w) => `successCriteria: ${w}`));
    return rest.reason === undefined ? rest : { ...rest, reason: ctx.masker.text(rest.reason) };
  });
  return evaluated.passed;
}

/** With the `contract` option, the response checked against its operation (`record.checks`). */
function meetsContract(a: Attempt, op: ResolvedOperation, response: HttpResponse, passed: boolean): boolean {
  const { sc, record } = a;
  const { ctx } = sc;
  if (ctx.contract === undefined) return passed;
  const source = sc.loaded.sources.get(op.sourceName);
  const checks = ctx.contract(op, response, source?.kind === 'openapi' ? source : undefined);
  record.checks = checks.map((c) => ({ ...c, message: ctx.masker.text(c.message) }));
  const broken = record.checks.filter((c) => !c.passed && c.severity === 'error');
  if (broken.length === 0 || !passed) return passed;
  // Decision (README "Contract checks"): an error-severity contract failure fails the step.
  record.error = { code: 'CONTRACT', message: broken.map((c) => c.message).join('; ') };
  return false;
}

/**
 * Decision (README "Semantics"): outputs are evaluated for every attempt that got a response, so failure
 * handlers can read them; a later attempt replaces them.
 */
function recordOutputs(a: Attempt, scope: ExpressionScope): void {
  const { sc, record } = a;
  const outputs = evaluateOutputs(sc.step.outputs, scope, objectEvaluator(sc.loaded.document, scope));
  sc.frame.steps[sc.step.stepId] = { outputs: outputs.outputs };
  record.outputs = outputs.outputs;
  a.warnings.push(...outputs.warnings.map((w) => `output ${w}`));
}

/** The delay an HTTP Retry-After header asks for, in ms. */
function retryAfterOf(response: HttpResponse): number | undefined {
  const header = response.headers['retry-after'];
  if (header === undefined) return undefined;
  return parseRetryAfter(Array.isArray(header) ? header[0] : header, Date.now());
}
