/** Turns an evaluated step (parameters, payload, credentials) into a PreparedRequest per the OpenAPI operation. */

import { BoundedCache } from '../cache.js';
import { RequestBuildError } from '../errors.js';
import { encodeRfc3986 } from '../secrets/index.js';
import type { OperationParameter, ResolvedOperation } from '../sources/types.js';
import { applySecurity } from './auth.js';
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
import type { BuildRequestInput, ParameterLocation, PreparedRequest } from './types.js';

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
  const declared = declaredParameters(op);

  const pathValues = new Map<string, string>();
  const pathParams: Record<string, unknown> = {};
  const queryParams: Record<string, unknown> = {};
  const queryPairs: string[] = [];
  const cookiePairs: string[] = [];
  const headers = new Headers1();
  const given = new Set<string>();

  for (const param of input.parameters) {
    if (param.value === undefined) continue;
    const k = key(param.in, param.name);
    given.add(k);
    const serialized = serializeParameter(declared.get(k), param.in, param.name, param.value);
    switch (serialized.kind) {
      case 'path':
        pathValues.set(param.name, serialized.value);
        pathParams[param.name] = param.value;
        break;
      case 'query':
        queryPairs.push(...serialized.pairs);
        queryParams[param.name] = param.value;
        break;
      case 'header':
        headers.set(param.name, serialized.value);
        break;
      case 'cookie':
        cookiePairs.push(...serialized.pairs);
        break;
    }
  }

  const security = applySecurity(op, input.auth);
  for (const p of security.params) {
    if (given.has(key(p.in, p.name))) continue;
    if (p.in === 'header') headers.set(p.name, p.value);
    else if (p.in === 'query') queryPairs.push(`${encodeRfc3986(p.name)}=${encodeRfc3986(p.value)}`);
    else cookiePairs.push(`${p.name}=${encodeRfc3986(p.value)}`);
  }

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

  let url = joinUrl(input.baseUrl, path);
  if (queryPairs.length > 0) url += `${url.includes('?') ? '&' : '?'}${queryPairs.join('&')}`;

  if (cookiePairs.length > 0 && !headers.has('cookie')) headers.set('Cookie', cookiePairs.join('; '));

  const request: PreparedRequest = {
    method: op.method.toUpperCase(),
    url,
    headers: {},
    pathParams,
    queryParams,
    secrets: [...new Set(security.secrets)],
  };

  if (input.body !== undefined && input.body.value !== undefined) {
    const value = input.body.value;
    const stepHeaderType = headers.get('content-type');
    const contentType =
      input.body.contentType ??
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
  request.headers = headers.toRecord();
  return request;
}
