/** Turns an evaluated step (parameters, payload, credentials) into a PreparedRequest per the OpenAPI operation. */

import { BoundedCache } from '../cache.js';
import { RequestBuildError } from '../errors.js';
import { encodeRfc3986 } from '../secrets/index.js';
import type { OperationParameter, ResolvedOperation } from '../sources/types.js';
import { type AuthContribution, applySecurity } from './auth.js';
import {
  encodeRequestBody,
  findMediaType,
  inferContentType,
  isJsonMediaType,
  mediaTypeEssence,
  pickRequestContentType,
} from './body.js';
import { checkHeaderName, checkHeaderValue, serializeParameter } from './parameters.js';
import { joinUrl } from './server.js';
import type { BuildRequestInput, ParameterInput, ParameterLocation, PreparedRequest } from './types.js';

function key(location: ParameterLocation, name: string): string {
  // Header names compare case-insensitively; the others exactly.
  return `${location}:${location === 'header' ? name.toLowerCase() : name}`;
}

function describe(op: ResolvedOperation): string {
  return op.operationId !== undefined ? `operation "${op.operationId}"` : `operation ${op.method} ${op.path}`;
}

/** Header map keeping one value per case-insensitive name; the last set wins and keeps its spelling. */
class Headers1 {
  private readonly byLower = new Map<string, { name: string; value: string }>();
  set(name: string, value: string): void {
    this.byLower.set(name.toLowerCase(), {
      name: checkHeaderName(name),
      value: checkHeaderValue(name, value),
    });
  }
  has(name: string): boolean {
    return this.byLower.has(name.toLowerCase());
  }
  get(name: string): string | undefined {
    return this.byLower.get(name.toLowerCase())?.value;
  }
  toRecord(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const { name, value } of this.byLower.values()) out[name] = value;
    return out;
  }
}

/** A path template split once into literal text and `{name}` slots. */
interface PathTemplate {
  parts: Array<string | { name: string }>;
  names: Set<string>;
}

/** Documents have a few thousand paths at most. */
const templates = new BoundedCache<string, PathTemplate>(4096);

function pathTemplate(path: string): PathTemplate {
  let template = templates.get(path);
  if (template === undefined) {
    const parts: PathTemplate['parts'] = [];
    const names = new Set<string>();
    let last = 0;
    for (const m of path.matchAll(/\{([^{}]+)\}/g)) {
      if (m.index > last) parts.push(path.slice(last, m.index));
      const name = m[1]!;
      parts.push({ name });
      names.add(name);
      last = m.index + m[0].length;
    }
    if (last < path.length) parts.push(path.slice(last));
    template = templates.set(path, { parts, names });
  }
  return template;
}

const declaredByOperation = new WeakMap<ResolvedOperation, Map<string, OperationParameter>>();

/** An operation's parameters by location and name, built once per operation. */
function declaredParameters(op: ResolvedOperation): Map<string, OperationParameter> {
  let declared = declaredByOperation.get(op);
  if (declared === undefined) {
    declared = new Map();
    for (const p of op.parameters) declared.set(key(p.in, p.name), p);
    declaredByOperation.set(op, declared);
  }
  return declared;
}

/** What the step's parameters and credentials contribute, by location, before the URL is built. */
class RequestParts {
  /** Serialized path parameter values by name. */
  readonly pathValues = new Map<string, string>();
  readonly pathParams: Record<string, unknown> = {};
  readonly queryParams: Record<string, unknown> = {};
  readonly queryPairs: string[] = [];
  readonly cookiePairs: string[] = [];
  readonly headers = new Headers1();
}

/**
 * Build the request for an operation from evaluated step values. Parameters are serialized by their OpenAPI
 * declaration (undeclared ones with the default style of their location); credentials are applied for the
 * first satisfiable security requirement unless a step parameter with the same name and location is given;
 * the body is encoded for the step's content type, else the operation's (JSON preferred).
 * Throws RequestBuildError (missing path parameter, unencodable body, bad header...).
 *
 * @example buildRequest({ operation, baseUrl: 'https://api.example.com', parameters: [{ name: 'id', in: 'path', value: 7 }] })
 */
export function buildRequest(input: BuildRequestInput): PreparedRequest {
  const op = input.operation;
  const parts = new RequestParts();
  addParameters(parts, op, input.parameters);
  const security = applySecurity(op, input.auth);
  addCredentials(parts, security.params, input.parameters);
  const url = requestUrl(input.baseUrl, requestPath(op, parts.pathValues), parts.queryPairs);
  const headers = parts.headers;
  if (parts.cookiePairs.length > 0 && !headers.has('cookie'))
    headers.set('Cookie', parts.cookiePairs.join('; '));
  const request: PreparedRequest = {
    method: op.method.toUpperCase(),
    url,
    headers: {},
    pathParams: parts.pathParams,
    queryParams: parts.queryParams,
    secrets: [...new Set(security.secrets)],
  };
  if (input.body !== undefined && input.body.value !== undefined) {
    addBody(request, headers, op, input.body.value, input.body.contentType);
  }
  request.headers = headers.toRecord();
  return request;
}

/** The step's parameters, serialized by their declaration in the operation (undefined values skipped). */
function addParameters(
  parts: RequestParts,
  op: ResolvedOperation,
  parameters: readonly ParameterInput[],
): void {
  const declared = declaredParameters(op);
  for (const param of parameters) {
    if (param.value === undefined) continue;
    const serialized = serializeParameter(
      declared.get(key(param.in, param.name)),
      param.in,
      param.name,
      param.value,
    );
    switch (serialized.kind) {
      case 'path':
        parts.pathValues.set(param.name, serialized.value);
        parts.pathParams[param.name] = param.value;
        break;
      case 'query':
        parts.queryPairs.push(...serialized.pairs);
        parts.queryParams[param.name] = param.value;
        break;
      case 'header':
        parts.headers.set(param.name, serialized.value);
        break;
      case 'cookie':
        parts.cookiePairs.push(...serialized.pairs);
        break;
    }
  }
}

/** The security requirement's credentials, except where the step gives a parameter of the same name and place. */
function addCredentials(
  parts: RequestParts,
  credentials: AuthContribution['params'],
  parameters: readonly ParameterInput[],
): void {
  for (const p of credentials) {
    if (isGiven(parameters, p.in, p.name)) continue;
    if (p.in === 'header') parts.headers.set(p.name, p.value);
    else if (p.in === 'query') parts.queryPairs.push(`${encodeRfc3986(p.name)}=${encodeRfc3986(p.value)}`);
    else parts.cookiePairs.push(`${p.name}=${encodeRfc3986(p.value)}`);
  }
}

/** Whether the step gives a value for the parameter (header names compare case-insensitively). */
function isGiven(parameters: readonly ParameterInput[], location: ParameterLocation, name: string): boolean {
  const header = location === 'header';
  const wanted = header ? name.toLowerCase() : name;
  for (const param of parameters) {
    if (param.value === undefined || param.in !== location) continue;
    if ((header ? param.name.toLowerCase() : param.name) === wanted) return true;
  }
  return false;
}

/** The operation's path template filled with the serialized values; every slot and required parameter needs one. */
function requestPath(op: ResolvedOperation, pathValues: ReadonlyMap<string, string>): string {
  for (const p of op.parameters) {
    if (p.in === 'path' && p.required && !pathValues.has(p.name)) {
      throw new RequestBuildError(
        `${describe(op)}: required path parameter "${p.name}" has no value`,
        `${op.pointer}/parameters`,
      );
    }
  }
  const template = pathTemplate(op.path);
  let path = '';
  for (const part of template.parts) {
    if (typeof part === 'string') {
      path += part;
      continue;
    }
    const value = pathValues.get(part.name);
    if (value === undefined) {
      throw new RequestBuildError(
        `${describe(op)}: path parameter "${part.name}" in "${op.path}" has no value`,
        op.pointer,
      );
    }
    path += value;
  }
  for (const name of pathValues.keys()) {
    if (!template.names.has(name)) {
      throw new RequestBuildError(
        `${describe(op)}: path parameter "${name}" does not appear in "${op.path}"`,
      );
    }
  }
  return path;
}

function requestUrl(baseUrl: string, path: string, queryPairs: readonly string[]): string {
  const url = joinUrl(baseUrl, path);
  return queryPairs.length > 0 ? `${url}${url.includes('?') ? '&' : '?'}${queryPairs.join('&')}` : url;
}

/**
 * The payload encoded for the step's content type (its `contentType`, else a step Content-Type header),
 * else the operation's, else one inferred from the value.
 */
function addBody(
  request: PreparedRequest,
  headers: Headers1,
  op: ResolvedOperation,
  value: unknown,
  givenType: string | undefined,
): void {
  const stepHeaderType = headers.get('content-type');
  const contentType =
    givenType ??
    stepHeaderType ??
    pickRequestContentType(op.requestBody?.content, value) ??
    inferContentType(value);
  const encoding = findMediaType(op.requestBody?.content, contentType)?.encoding;
  const encoded = encodeRequestBody(contentType, value, encoding);
  // A step Content-Type header wins, except that a multipart boundary we generated must reach the server.
  if (
    stepHeaderType === undefined ||
    mediaTypeEssence(stepHeaderType) === mediaTypeEssence(encoded.contentType)
  ) {
    headers.set(
      'Content-Type',
      stepHeaderType !== undefined && !encoded.contentType.includes('boundary=')
        ? stepHeaderType
        : encoded.contentType,
    );
  }
  request.contentType = headers.get('content-type') ?? encoded.contentType;
  request.bodyValue = value;
  if (encoded.body instanceof Blob) request.bodyBlob = encoded.body;
  else request.body = encoded.body;
  if (
    typeof encoded.body === 'string' &&
    (typeof value === 'string' || isJsonMediaType(encoded.contentType))
  ) {
    request.bodyIsValueText = true;
  }
}
