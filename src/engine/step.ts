// Arazzo 1.0.1 "Step Object": one attempt of an operation step — build the request, send it, judge it.

import { BoundedCache } from '../cache.js';
import { evaluateCriteria } from '../criteria/index.js';
import type { OutputValue, StepObject, WorkflowObject } from '../document/model.js';
import { isArazzoError, isRequestBuildError, isTransportError } from '../errors.js';
import { isUnresolved, resolveValue } from '../expression/index.js';
import type { ExpressionScope } from '../expression/types.js';
import {
  applyReplacements,
  buildRequest,
  parseRetryAfter,
  resolveServerUrl,
  sendRequest,
} from '../http/index.js';
import type { HttpResponse, PreparedRequest } from '../http/types.js';
import { setOwn } from '../own.js';
import { resolveStepTarget } from '../sources/index.js';
import type { LoadedDocument, ResolvedOperation } from '../sources/types.js';
import type { RunContext } from './context.js';
import { isSecretHeaderName } from './mask.js';
import type { TransportContext } from './options.js';
import { stepParameters } from './parameters.js';
import type { Frame } from './state.js';
import type { CriterionRecord, StepRecord } from './types.js';

export interface StepContext {
  ctx: RunContext;
  loaded: LoadedDocument;
  workflow: WorkflowObject;
  step: StepObject;
  pointer: string;
  frame: Frame;
  scope: ExpressionScope;
}

export interface AttemptResult {
  outcome: 'succeeded' | 'failed';
  record: StepRecord;
  /** The scope after the attempt (with $statusCode, $response...), for action criteria. */
  scope: ExpressionScope;
  /** Delay an HTTP Retry-After header asked for, in ms. */
  retryAfterMs?: number;
}

/** Evaluate a document value (parameter value, payload) against a scope. */
export function resolveStepValue(
  value: unknown,
  scope: ExpressionScope,
  warnings?: string[],
  label?: string,
): { resolved: true; value: unknown } | { resolved: false; reason: string } {
  const out = resolveValue(value, scope, {
    omitUnresolved: true,
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
): { outputs: Record<string, unknown>; warnings: string[] } {
  const result: Record<string, unknown> = {};
  const warnings: string[] = [];
  if (outputs === undefined) return { outputs: result, warnings };
  for (const name in outputs) {
    if (!Object.hasOwn(outputs, name)) continue;
    const expression = outputs[name]!;
    let value: unknown;
    try {
      value = resolveValue(expression, scope, { omitUnresolved: true });
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

/**
 * The scope of an attempt: the frame's scope plus the request sent and, once it came, the response. Built
 * field by field so every step's scope has one shape (spreading a scope was the costliest line of a step).
 * Absent parts are undefined, which the evaluator treats as missing.
 */
function attemptScope(
  base: ExpressionScope,
  request: PreparedRequest,
  response: HttpResponse | undefined,
): ExpressionScope {
  return {
    inputs: base.inputs,
    outputs: base.outputs,
    steps: base.steps,
    workflows: base.workflows,
    sourceDescriptions: base.sourceDescriptions,
    components: base.components,
    url: request.url,
    method: request.method,
    request: {
      headers: request.headers,
      query: request.queryParams,
      path: request.pathParams,
      body: request.bodyValue,
    },
    statusCode: response?.statusCode,
    response: response === undefined ? undefined : { headers: response.headers, body: response.body },
  } as ExpressionScope;
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

const serverUrls = new WeakMap<
  ResolvedOperation,
  { plain: BoundedCache<string, string>; withVariables: BoundedCache<string, string> }
>();

/** The base URL of an operation, resolved once per operation, override and server variables. */
function serverUrlFor(
  op: ResolvedOperation,
  override: string | undefined,
  variables: Record<string, string> | undefined,
): string {
  let cached = serverUrls.get(op);
  if (cached === undefined) {
    cached = { plain: new BoundedCache(16), withVariables: new BoundedCache(16) };
    serverUrls.set(op, cached);
  }
  // Without server variables the override string itself is the key (its hash is computed once); with
  // them, the variables' JSON is part of it.
  const byKey = variables === undefined ? cached.plain : cached.withVariables;
  const key =
    variables === undefined ? (override ?? '') : `${override ?? ''}\u0000${JSON.stringify(variables)}`;
  let url = byKey.get(key);
  if (url === undefined) {
    url = resolveServerUrl(op, {
      ...(override !== undefined ? { override } : {}),
      ...(variables !== undefined ? { variables } : {}),
    });
    byKey.set(key, url);
  }
  return url;
}

/** Which attempt of which step: the fields every step event begins with. */
function attemptOf(sc: StepContext): { workflowId: string; stepId: string; attempt: number } {
  return { workflowId: sc.frame.workflowId, stepId: sc.step.stepId, attempt: sc.frame.attempt };
}

/** One attempt in progress: what the failure and success paths both finish. */
interface Attempt {
  sc: StepContext;
  started: number;
  warnings: string[];
  record: StepRecord;
}

/** The attempt's request, built and recorded, ready to send. */
interface ReadyAttempt {
  op: ResolvedOperation;
  request: PreparedRequest;
}

function failAttempt(
  a: Attempt,
  code: string,
  message: string,
  scope: ExpressionScope = a.sc.scope,
): AttemptResult {
  const { record, warnings } = a;
  const masker = a.sc.ctx.masker;
  record.error = { code, message: masker.text(message) };
  record.durationMs = performance.now() - a.started;
  if (warnings.length > 0) record.warnings = warnings.map((w) => masker.text(w));
  return { outcome: 'failed', record, scope };
}

/**
 * Run one attempt of an operation step. Never throws for HTTP or request problems: they fail the step.
 * The async part is only the send; building the request and judging the response are synchronous
 * functions, so a suspended attempt holds little.
 */
export async function runOperationAttempt(sc: StepContext): Promise<AttemptResult> {
  const { frame, step } = sc;
  const a: Attempt = {
    sc,
    started: performance.now(),
    warnings: [],
    record: {
      workflowId: frame.workflowId,
      stepId: step.stepId,
      attempt: frame.attempt,
      outcome: 'failed',
      criteria: [],
      durationMs: 0,
    },
  };
  const ready = prepareAttempt(a);
  if ('outcome' in ready) return ready;
  let response: HttpResponse;
  try {
    response = await sendAttempt(sc, ready);
  } catch (error) {
    return transportFailure(a, error, attemptScope(sc.scope, ready.request, undefined));
  }
  return judgeAttempt(a, ready, response);
}

/** Resolve the operation and build the request (recorded masked), or fail the attempt. */
function prepareAttempt(a: Attempt): ReadyAttempt | AttemptResult {
  const { sc, warnings, record } = a;
  const { ctx, step, workflow, pointer } = sc;
  const fail = (code: string, message: string): AttemptResult => failAttempt(a, code, message);
  const target = resolveStepTarget(sc.loaded, step, pointer);
  if (!('kind' in target) || target.kind !== 'operation') {
    const message = 'message' in target ? target.message : `step "${step.stepId}" (${pointer}): no operation`;
    if (ctx.listening)
      ctx.emit(() => ({
        type: 'step-start',
        ...attemptOf(sc),
      }));
    return fail('OPERATION_NOT_FOUND', message);
  }
  const op = target.operation;
  if (ctx.listening)
    ctx.emit(() => ({
      type: 'step-start',
      ...attemptOf(sc),
      operation: operationLabel(op),
    }));

  let request: PreparedRequest;
  try {
    const parameters: Array<{ name: string; in: 'path' | 'query' | 'header' | 'cookie'; value: unknown }> =
      [];
    for (const p of stepParameters(workflow.parameters, step, sc.loaded.document.components)) {
      if (p.in === undefined) continue;
      if (p.in === 'querystring' || p.in === 'channel') {
        warnings.push(`parameter "${p.name}" (${p.in}): this location is not sent on HTTP steps yet`);
        continue;
      }
      const value = resolveStepValue(p.value, sc.scope, warnings, `parameter "${p.name}"`);
      if (!value.resolved) {
        warnings.push(`parameter "${p.name}" (${p.in}): ${value.reason}; not sent`);
        continue;
      }
      if (p.in === 'header' && isSecretHeaderName(p.name)) ctx.masker.add(value.value);
      parameters.push({ name: p.name, in: p.in, value: value.value });
    }
    let body: { contentType?: string; value: unknown } | undefined;
    if (step.requestBody !== undefined) {
      const rb = step.requestBody;
      let payload: unknown;
      if (rb.payload !== undefined) {
        const v = resolveStepValue(rb.payload, sc.scope, warnings, 'requestBody.payload');
        payload = v.resolved ? v.value : undefined;
        if (!v.resolved) warnings.push(`requestBody.payload: ${v.reason}; no body sent`);
      }
      if (rb.replacements !== undefined && rb.replacements.length > 0) {
        const replacements: Array<{ target: string; value: unknown }> = [];
        for (const r of rb.replacements) {
          const v = resolveStepValue(r.value, sc.scope, warnings, `replacement "${r.target}"`);
          if (v.resolved) replacements.push({ target: r.target, value: v.value });
          else warnings.push(`replacement "${r.target}": ${v.reason}; skipped`);
        }
        payload = applyReplacements(payload, replacements);
      }
      if (payload !== undefined) {
        body = { value: payload };
        if (rb.contentType !== undefined) body.contentType = rb.contentType;
      }
    }
    const baseUrl = serverUrlFor(op, ctx.options.servers?.[op.sourceName], ctx.options.serverVariables);
    request = buildRequest({
      operation: op,
      baseUrl,
      parameters,
      ...(body !== undefined ? { body } : {}),
      ...(ctx.options.auth !== undefined ? { auth: ctx.options.auth } : {}),
    });
  } catch (error) {
    if (isRequestBuildError(error) || isArazzoError(error))
      return fail('REQUEST_BUILD', `step "${step.stepId}": ${error.message}`);
    throw error;
  }
  for (const secret of request.secrets) ctx.masker.add(secret);

  const masked = {
    method: request.method,
    url: ctx.masker.text(request.url),
    headers: ctx.masker.headers(request.headers) as Record<string, string>,
    ...(request.bodyValue !== undefined
      ? { body: ctx.masker.value(request.bodyValue, jsonTextOf(request)) }
      : {}),
  };
  record.request = masked;
  if (ctx.listening)
    ctx.emit(() => ({
      type: 'request',
      ...attemptOf(sc),
      request: masked,
    }));

  // The request-only scope ($url, $request...) is built if the send fails: nothing extra lives across it.
  return { op, request };
}

/** Send the request through the injected transport or undici. */
function sendAttempt(sc: StepContext, ready: ReadyAttempt): Promise<HttpResponse> {
  const { ctx, step } = sc;
  const { op, request } = ready;
  if (ctx.options.transport === undefined) return sendRequest(request, ctx.send);
  // Built field by field (no spread): this runs for every step of a mock or injected-transport run.
  const tctx: TransportContext = {
    workflowId: sc.frame.workflowId,
    stepId: step.stepId,
    attempt: sc.frame.attempt,
    operation: op,
    signal: ctx.signal,
  };
  const source = sc.loaded.sources.get(op.sourceName);
  if (source?.kind === 'openapi') tctx.source = source;
  const expected = expectedStatuses(step);
  if (expected !== undefined) tctx.expectedStatus = expected;
  return ctx.options.transport(request, tctx);
}

function transportFailure(a: Attempt, error: unknown, requestScope: ExpressionScope): AttemptResult {
  if (isTransportError(error)) return failAttempt(a, error.reason, error.message, requestScope);
  if (isArazzoError(error)) return failAttempt(a, error.code, error.message, requestScope);
  if (a.sc.ctx.signal.aborted) return failAttempt(a, 'ABORTED', 'the request was aborted', requestScope);
  return failAttempt(a, 'TRANSPORT', error instanceof Error ? error.message : String(error), requestScope);
}

/** Record the response, judge it by the success criteria (and contract), evaluate outputs. */
function judgeAttempt(a: Attempt, ready: ReadyAttempt, response: HttpResponse): AttemptResult {
  const { sc, warnings, record, started } = a;
  const { ctx, frame, step } = sc;
  const { op, request } = ready;
  const maskedResponse = {
    statusCode: response.statusCode,
    headers: ctx.masker.headers(response.headers),
    // The JSON text is trusted only from the built-in transport: an injected one may change the body and
    // keep a stale text.
    ...(response.body !== undefined
      ? {
          body: ctx.masker.value(
            response.body,
            ctx.options.transport === undefined ? response.text : undefined,
          ),
        }
      : {}),
  };
  record.response = maskedResponse;
  if (ctx.listening)
    ctx.emit(() => ({
      type: 'response',
      ...attemptOf(sc),
      response: maskedResponse,
      durationMs: response.durationMs,
    }));

  if (response.bodyParseError !== undefined) {
    warnings.push(
      `response body is not valid ${response.contentType ?? 'JSON'} (${response.bodyParseError}); kept as text`,
    );
  }
  const scope = attemptScope(sc.scope, request, response);

  let passed: boolean;
  let criteria: CriterionRecord[] = [];
  if (step.successCriteria === undefined || step.successCriteria.length === 0) {
    // Spec: success criteria decide; with none, any 2xx is success (README "Semantics").
    passed = response.statusCode >= 200 && response.statusCode < 300;
    if (!passed)
      record.error = {
        code: 'HTTP_STATUS',
        message: `status ${response.statusCode} is not 2xx and the step has no successCriteria`,
      };
  } else {
    const evaluated = evaluateCriteria(step.successCriteria, scope, { compat: ctx.compat });
    passed = evaluated.passed;
    criteria = evaluated.records.map((c) =>
      c.reason === undefined ? c : { ...c, reason: ctx.masker.text(c.reason) },
    );
  }
  if (ctx.contract !== undefined) {
    const source = sc.loaded.sources.get(op.sourceName);
    const checks = ctx.contract(op, response, source?.kind === 'openapi' ? source : undefined);
    record.checks = checks.map((c) => ({ ...c, message: ctx.masker.text(c.message) }));
    const broken = record.checks.filter((c) => !c.passed && c.severity === 'error');
    if (broken.length > 0 && passed) {
      // Decision (README "Contract checks"): an error-severity contract failure fails the step.
      passed = false;
      record.error = { code: 'CONTRACT', message: broken.map((c) => c.message).join('; ') };
    }
  }
  record.criteria = criteria;
  if (ctx.listening)
    ctx.emit(() => ({
      type: 'criteria',
      ...attemptOf(sc),
      criteria,
    }));

  // Decision (README "Semantics"): outputs are evaluated for every attempt that got a response, so failure
  // handlers can read them; a later attempt replaces them.
  const outputs = evaluateOutputs(step.outputs, scope);
  frame.steps[step.stepId] = { outputs: outputs.outputs };
  record.outputs = ctx.masker.value(outputs.outputs) as Record<string, unknown>;
  warnings.push(...outputs.warnings.map((w) => `output ${w}`));

  record.outcome = passed ? 'succeeded' : 'failed';
  record.durationMs = performance.now() - started;
  if (warnings.length > 0) record.warnings = warnings.map((w) => ctx.masker.text(w));
  const retryHeader = response.headers['retry-after'];
  const retryAfterMs =
    retryHeader === undefined
      ? undefined
      : parseRetryAfter(Array.isArray(retryHeader) ? retryHeader[0] : retryHeader, Date.now());
  const result: AttemptResult = { outcome: record.outcome, record, scope };
  if (retryAfterMs !== undefined) result.retryAfterMs = retryAfterMs;
  return result;
}
