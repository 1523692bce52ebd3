/** OpenAPI Parameter Object serialization: style / explode / allowReserved / content ("Style Values"). */
import { RequestBuildError } from '../errors.js';
import { encodeRfc3986 } from '../secrets/index.js';
import type { OperationParameter } from '../sources/types.js';
import type { ParameterLocation, SerializedParameter } from './types.js';

const STYLES_BY_LOCATION: Record<ParameterLocation, readonly string[]> = {
  path: ['simple', 'label', 'matrix'],
  query: ['form', 'spaceDelimited', 'pipeDelimited', 'deepObject'],
  header: ['simple'],
  cookie: ['form'],
};

const DEFAULT_STYLE: Record<ParameterLocation, string> = {
  path: 'simple',
  query: 'form',
  header: 'simple',
  cookie: 'form',
};

/** Serialization rules for one value, after OpenAPI defaults are applied. */
export interface StyleOptions {
  style: string;
  explode: boolean;
  allowReserved: boolean;
}

/** The OpenAPI 3 defaults: path/header `simple`, query/cookie `form`; explode true only for `form`. */
export function styleOptions(
  location: ParameterLocation,
  declared: { style?: string; explode?: boolean; allowReserved?: boolean } | undefined,
): StyleOptions {
  const style = declared?.style ?? DEFAULT_STYLE[location];
  return {
    style,
    explode: declared?.explode ?? style === 'form',
    allowReserved: declared?.allowReserved ?? false,
  };
}

/**
 * Serialize one parameter value as the OpenAPI Parameter Object says. `param` is the declaration from the
 * operation (undefined for a parameter the operation does not declare: default style for its location).
 * Path values and query/cookie pairs come back percent-encoded; header values are validated, not encoded.
 *
 * @example serializeParameter(undefined, 'query', 'color', ['blue', 'black'])
 *   // { kind: 'query', pairs: ['color=blue', 'color=black'] }
 */
export function serializeParameter(
  param: OperationParameter | undefined,
  location: ParameterLocation,
  name: string,
  value: unknown,
): SerializedParameter {
  const mediaType = param?.content === undefined ? undefined : Object.keys(param.content)[0];
  if (mediaType !== undefined) return serializeContent(location, name, mediaType, value);
  const options = styleOptions(location, param);
  if (!STYLES_BY_LOCATION[location].includes(options.style)) {
    throw new RequestBuildError(
      `${location} parameter "${name}": style "${options.style}" is not allowed in ${location} (use ${STYLES_BY_LOCATION[location].join(', ')})`,
    );
  }
  switch (location) {
    case 'path':
      return { kind: 'path', value: serializePathValue(name, value, options) };
    case 'header':
      return { kind: 'header', value: checkHeaderValue(name, simple(value, options.explode, identity)) };
    case 'query':
      return { kind: 'query', pairs: serializeQueryPairs(name, value, options) };
    case 'cookie':
      return { kind: 'cookie', pairs: serializeCookiePairs(name, value, options) };
  }
}

type Encoder = (text: string) => string;

const identity: Encoder = (text) => text;

/** Characters RFC 3986 allows literally in a query: unreserved, pct-encoded, sub-delims, ':', '@', '/', '?'. */
const QUERY_RESERVED_OK = /[A-Za-z0-9\-._~:@/?!$&'()*+,;=]/;

/**
 * allowReserved: reserved characters pass through unencoded, as do existing %XX triplets (RFC 6570
 * reserved expansion). '#', '[' and ']' are still encoded: literally they would end or break the query.
 */
export function encodeAllowReserved(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (ch === '%' && /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3))) {
      out += text.slice(i, i + 3);
      i += 2;
    } else if (QUERY_RESERVED_OK.test(ch)) {
      out += ch;
    } else {
      const cp = text.codePointAt(i) as number;
      const whole = String.fromCodePoint(cp);
      out += encodeURIComponent(whole);
      i += whole.length - 1;
    }
  }
  return out;
}

/** A primitive as text; nested arrays/objects inside a collection are sent as JSON text. */
function toText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  return JSON.stringify(value);
}

type Shape =
  | { kind: 'primitive'; text: string }
  | { kind: 'array'; items: string[] }
  | { kind: 'object'; entries: Array<[string, string]> };

function shapeOf(value: unknown): Shape {
  if (Array.isArray(value)) return { kind: 'array', items: value.map(toText) };
  if (value !== null && typeof value === 'object' && !(value instanceof Uint8Array)) {
    return {
      kind: 'object',
      entries: Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, toText(v)]),
    };
  }
  return { kind: 'primitive', text: toText(value) };
}

/** Empty arrays and objects serialize like the empty string (the table's "empty" column). */
function isEmpty(shape: Shape): boolean {
  return (
    (shape.kind === 'primitive' && shape.text === '') ||
    (shape.kind === 'array' && shape.items.length === 0) ||
    (shape.kind === 'object' && shape.entries.length === 0)
  );
}

function simple(value: unknown, explode: boolean, enc: Encoder): string {
  const shape = shapeOf(value);
  switch (shape.kind) {
    case 'primitive':
      return enc(shape.text);
    case 'array':
      return shape.items.map(enc).join(',');
    case 'object':
      return shape.entries
        .map(([k, v]) => (explode ? `${enc(k)}=${enc(v)}` : `${enc(k)},${enc(v)}`))
        .join(',');
  }
}

function serializePathValue(name: string, value: unknown, options: StyleOptions): string {
  const enc = encodeRfc3986;
  const shape = shapeOf(value);
  const { explode } = options;
  if (options.style === 'simple') return simple(value, explode, enc);
  if (options.style === 'label') {
    if (isEmpty(shape)) return '.';
    if (shape.kind === 'primitive') return `.${enc(shape.text)}`;
    if (shape.kind === 'array') return `.${shape.items.map(enc).join(explode ? '.' : ',')}`;
    return `.${shape.entries.map(([k, v]) => (explode ? `${enc(k)}=${enc(v)}` : `${enc(k)},${enc(v)}`)).join(explode ? '.' : ',')}`;
  }
  // matrix
  const n = enc(name);
  if (isEmpty(shape)) return `;${n}`;
  if (shape.kind === 'primitive') return `;${n}=${enc(shape.text)}`;
  if (shape.kind === 'array') {
    return explode
      ? shape.items.map((item) => `;${n}=${enc(item)}`).join('')
      : `;${n}=${shape.items.map(enc).join(',')}`;
  }
  return explode
    ? shape.entries.map(([k, v]) => `;${enc(k)}=${enc(v)}`).join('')
    : `;${n}=${shape.entries.map(([k, v]) => `${enc(k)},${enc(v)}`).join(',')}`;
}

/** form style pairs, shared by query, cookie and form-urlencoded bodies. */
export function formPairs(name: string, value: unknown, explode: boolean, enc: Encoder): string[] {
  const shape = shapeOf(value);
  const n = enc(name);
  if (isEmpty(shape)) return [`${n}=`];
  if (shape.kind === 'primitive') return [`${n}=${enc(shape.text)}`];
  if (shape.kind === 'array') {
    return explode
      ? shape.items.map((item) => `${n}=${enc(item)}`)
      : [`${n}=${shape.items.map(enc).join(',')}`];
  }
  return explode
    ? shape.entries.map(([k, v]) => `${enc(k)}=${enc(v)}`)
    : [`${n}=${shape.entries.map(([k, v]) => `${enc(k)},${enc(v)}`).join(',')}`];
}

function deepObjectPairs(prefix: string, value: unknown, enc: Encoder, out: string[]): void {
  if (Array.isArray(value)) {
    for (const item of value) deepObjectPairs(prefix, item, enc, out);
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (v !== undefined) deepObjectPairs(`${prefix}[${enc(k)}]`, v, enc, out);
    }
  } else {
    out.push(`${prefix}=${enc(toText(value))}`);
  }
}

/** Query pairs for any query style; also used for form-urlencoded bodies with an Encoding Object. */
export function serializeQueryPairs(name: string, value: unknown, options: StyleOptions): string[] {
  const enc = options.allowReserved ? encodeAllowReserved : encodeRfc3986;
  const shape = shapeOf(value);
  switch (options.style) {
    case 'spaceDelimited':
    case 'pipeDelimited': {
      // Primitives have no delimited form: they go out as form. explode=true repeats the name like form.
      if (shape.kind === 'primitive' || options.explode || isEmpty(shape)) {
        return formPairs(name, value, options.explode, enc);
      }
      const sep = options.style === 'spaceDelimited' ? '%20' : '|';
      const parts =
        shape.kind === 'array' ? shape.items.map(enc) : shape.entries.flatMap(([k, v]) => [enc(k), enc(v)]);
      return [`${enc(name)}=${parts.join(sep)}`];
    }
    case 'deepObject': {
      if (shape.kind !== 'object') return formPairs(name, value, true, enc);
      const out: string[] = [];
      deepObjectPairs(enc(name), value, enc, out);
      return out;
    }
    default:
      return formPairs(name, value, options.explode, enc);
  }
}

function serializeCookiePairs(name: string, value: unknown, options: StyleOptions): string[] {
  checkCookieName(name);
  return formPairs(name, value, options.explode, encodeRfc3986);
}

function serializeContent(
  location: ParameterLocation,
  name: string,
  mediaType: string,
  value: unknown,
): SerializedParameter {
  const essence = mediaType.split(';')[0]?.trim().toLowerCase() ?? '';
  const isJson = essence.endsWith('/json') || essence.endsWith('+json');
  const text = typeof value === 'string' || !isJson ? toText(value) : JSON.stringify(value);
  switch (location) {
    case 'path':
      return { kind: 'path', value: encodeRfc3986(text) };
    case 'header':
      return { kind: 'header', value: checkHeaderValue(name, text) };
    case 'query':
      return { kind: 'query', pairs: [`${encodeRfc3986(name)}=${encodeRfc3986(text)}`] };
    case 'cookie':
      checkCookieName(name);
      return { kind: 'cookie', pairs: [`${name}=${encodeRfc3986(text)}`] };
  }
}

/** Header values may not carry CR, LF or NUL (header injection) nor characters outside Latin-1. */
export function checkHeaderValue(name: string, value: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
  if (/[\r\n\u0000]/.test(value) || /[^\u0000-\u00ff]/.test(value)) {
    throw new RequestBuildError(
      `header "${name}": value contains CR, LF, NUL or non-Latin-1 characters and cannot be sent`,
    );
  }
  return value;
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

export function checkHeaderName(name: string): string {
  if (!TOKEN.test(name)) throw new RequestBuildError(`header name "${name}" is not a valid HTTP token`);
  return name;
}

function checkCookieName(name: string): void {
  if (!TOKEN.test(name)) throw new RequestBuildError(`cookie name "${name}" is not a valid cookie name`);
}
