/** Request body encoding per OpenAPI Request Body / Media Type / Encoding Objects. */
import { randomBytes } from 'node:crypto';
import { BoundedCache } from '../cache.js';
import { RequestBuildError } from '../errors.js';
import { encodeRfc3986 } from '../secrets/index.js';
import type { MediaTypeObject } from '../sources/types.js';
import { checkHeaderValue, serializeQueryPairs, styleOptions } from './parameters.js';
import type { BodyEncoding } from './types.js';

/** The media type without parameters, lower-cased: 'application/json; charset=utf-8' -> 'application/json'. */
/** Content types repeat endlessly (one per operation and response). */
const essences = new BoundedCache<string, string>(256);

export function mediaTypeEssence(contentType: string): string {
  return (
    essences.get(contentType) ??
    essences.set(contentType, (contentType.split(';')[0] ?? '').trim().toLowerCase())
  );
}

export function isJsonMediaType(contentType: string): boolean {
  const e = mediaTypeEssence(contentType);
  return e.endsWith('/json') || e.endsWith('+json');
}

export function isXmlMediaType(contentType: string): boolean {
  const e = mediaTypeEssence(contentType);
  return e.endsWith('/xml') || e.endsWith('+xml');
}

/**
 * Choose a request content type from the operation's requestBody: application/json, then any JSON
 * (`+json`), then the first declared concrete type. A media range (`*\/*`, `application/*`) names no type
 * to send, so the payload decides ({@link inferContentType}: JSON for objects), kept within a `text/*`
 * range. Undefined when the operation declares no request body.
 */
export function pickRequestContentType(
  content: Record<string, MediaTypeObject> | undefined,
  value?: unknown,
): string | undefined {
  if (content === undefined) return undefined;
  const types = Object.keys(content);
  const concrete = types.filter((t) => !mediaTypeEssence(t).includes('*'));
  const picked =
    concrete.find((t) => mediaTypeEssence(t) === 'application/json') ??
    concrete.find((t) => isJsonMediaType(t)) ??
    concrete[0];
  if (picked !== undefined || types.length === 0) return picked;
  const inferred = inferContentType(value);
  const [inferredType] = inferred.split('/');
  const ranges = types.map(mediaTypeEssence);
  if (ranges.some((r) => r === '*/*' || r === `${inferredType}/*`)) return inferred;
  return ranges.includes('text/*') ? 'text/plain' : inferred;
}

/**
 * The operation's Media Type Object for a content type: exact match, then 'type/*', then '*\/*'.
 */
export function findMediaType(
  content: Record<string, MediaTypeObject> | undefined,
  contentType: string,
): MediaTypeObject | undefined {
  if (content === undefined) return undefined;
  const essence = mediaTypeEssence(contentType);
  const entries = Object.entries(content);
  const match = (want: string) => entries.find(([t]) => mediaTypeEssence(t) === want)?.[1];
  return match(essence) ?? match(`${essence.split('/')[0]}/*`) ?? match('*/*');
}

/** A content type for a payload when neither the step nor the operation names one. */
export function inferContentType(value: unknown): string {
  if (value instanceof Uint8Array || value instanceof Blob) return 'application/octet-stream';
  if (typeof value === 'string') return 'text/plain';
  return 'application/json';
}

/** Encoded body plus the content type to send (multipart adds its boundary). */
export interface EncodedBody {
  body: string | Uint8Array | Blob;
  contentType: string;
}

/**
 * Encode a payload for a content type. Strings and bytes are sent as they are, whatever the type (a string
 * payload for JSON is taken to be JSON text already, as templated payloads are). Returns a Blob only for
 * multipart bodies with Blob parts.
 *
 * @example encodeRequestBody('application/x-www-form-urlencoded', { a: 1, b: 'x y' }).body // 'a=1&b=x%20y'
 */
export function encodeRequestBody(contentType: string, value: unknown, encoding?: BodyEncoding): EncodedBody {
  const essence = mediaTypeEssence(contentType);
  if (essence === 'multipart/form-data' || essence === 'multipart/mixed') {
    const boundary = boundaryOf(contentType) ?? newBoundary();
    const withBoundary = boundaryOf(contentType) ? contentType : `${contentType}; boundary=${boundary}`;
    return { body: encodeMultipart(value, boundary, encoding), contentType: withBoundary };
  }
  if (typeof value === 'string' || value instanceof Uint8Array || value instanceof Blob) {
    return { body: value, contentType };
  }
  if (isJsonMediaType(contentType)) return { body: JSON.stringify(value ?? null), contentType };
  if (essence === 'application/x-www-form-urlencoded') {
    return { body: encodeForm(value, encoding), contentType };
  }
  if (isXmlMediaType(contentType)) return { body: toXml(value), contentType };
  if (essence.startsWith('text/')) {
    return {
      body: value !== null && typeof value === 'object' ? JSON.stringify(value) : String(value),
      contentType,
    };
  }
  if (value === null || typeof value !== 'object') return { body: String(value), contentType };
  throw new RequestBuildError(
    `request body: cannot encode ${Array.isArray(value) ? 'an array' : 'an object'} as "${contentType}" (give a string or bytes, or a JSON, XML, form or multipart content type)`,
  );
}

/**
 * Encode a payload; the body only (see {@link encodeRequestBody} for the multipart content type with its
 * boundary: pass a content type that already has `boundary=` to control it).
 */
export function encodeBody(
  contentType: string,
  value: unknown,
  encoding?: BodyEncoding,
): string | Uint8Array | Blob {
  return encodeRequestBody(contentType, value, encoding).body;
}

function encodeForm(value: unknown, encoding: BodyEncoding | undefined): string {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new RequestBuildError('request body: application/x-www-form-urlencoded needs an object payload');
  }
  const pairs: string[] = [];
  for (const [name, v] of Object.entries(value as Record<string, unknown>)) {
    if (v === undefined) continue;
    const declared = encoding?.[name];
    // Encoding Object defaults are those of a query parameter (form, explode true).
    pairs.push(...serializeQueryPairs(name, v, styleOptions('query', declared)));
  }
  return pairs.join('&');
}

function boundaryOf(contentType: string): string | undefined {
  const m = /;\s*boundary=("?)([^";]+)\1/i.exec(contentType);
  return m?.[2];
}

function newBoundary(): string {
  return `----arazzo-runtime-${randomBytes(12).toString('hex')}`;
}

type Chunk = string | Uint8Array | Blob;

function encodeMultipart(
  value: unknown,
  boundary: string,
  encoding: BodyEncoding | undefined,
): Uint8Array | Blob {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof Uint8Array) {
    throw new RequestBuildError(
      'request body: multipart/form-data needs an object payload (one part per member)',
    );
  }
  const chunks: Chunk[] = [];
  for (const [name, member] of Object.entries(value as Record<string, unknown>)) {
    if (member === undefined) continue;
    // An array gives one part per item, all with the same name.
    const items = Array.isArray(member) ? member : [member];
    for (const item of items) {
      chunks.push(`--${boundary}\r\n`, ...multipartPart(name, item, encoding?.[name]?.contentType), '\r\n');
    }
  }
  chunks.push(`--${boundary}--\r\n`);
  if (chunks.some((c) => c instanceof Blob))
    return new Blob(chunks as Array<string | Uint8Array<ArrayBuffer> | Blob>);
  const encoder = new TextEncoder();
  const parts = chunks.map((c) => (typeof c === 'string' ? encoder.encode(c) : (c as Uint8Array)));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.byteLength;
  }
  return out;
}

function quoteParam(value: string): string {
  return `"${value.replace(/[\r\n"\\]/g, (c) => encodeRfc3986(c))}"`;
}

function multipartPart(name: string, value: unknown, declaredType: string | undefined): Chunk[] {
  let disposition = `form-data; name=${quoteParam(name)}`;
  let type = declaredType;
  let content: Chunk;
  if (value instanceof Blob) {
    const fileName = 'name' in value && typeof value.name === 'string' ? value.name : name;
    disposition += `; filename=${quoteParam(fileName)}`;
    type ??= value.type || 'application/octet-stream';
    content = value;
  } else if (value instanceof Uint8Array) {
    disposition += `; filename=${quoteParam(name)}`;
    type ??= 'application/octet-stream';
    content = value;
  } else if (value !== null && typeof value === 'object') {
    type ??= 'application/json';
    content = isXmlMediaType(type) ? toXml(value) : JSON.stringify(value);
  } else {
    content = value === null ? '' : String(value);
  }
  const head = `Content-Disposition: ${disposition}\r\n${type === undefined ? '' : `Content-Type: ${checkHeaderValue('Content-Type', type)}\r\n`}\r\n`;
  return [head, content];
}

const XML_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*(:[A-Za-z_][A-Za-z0-9_.-]*)?$/;

function xmlEscape(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": 'apos' }[c]};`,
  );
}

/**
 * A simple XML serialization: an object with one member becomes that root element, otherwise the members
 * are wrapped in <root>. Arrays repeat their element; members named `@x` become attributes; `#text` is text.
 */
export function toXml(value: unknown): string {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 1 && !entries[0]![0].startsWith('@')) {
      return `<?xml version="1.0" encoding="UTF-8"?>${xmlElement(entries[0]![0], entries[0]![1])}`;
    }
  }
  return `<?xml version="1.0" encoding="UTF-8"?>${xmlElement('root', value)}`;
}

function xmlElement(name: string, value: unknown): string {
  if (!XML_NAME.test(name))
    throw new RequestBuildError(`request body: "${name}" is not a valid XML element name`);
  if (Array.isArray(value)) return value.map((item) => xmlElement(name, item)).join('');
  if (value === undefined) return '';
  if (value === null) return `<${name}/>`;
  if (typeof value !== 'object') return `<${name}>${xmlEscape(String(value))}</${name}>`;
  let attributes = '';
  let children = '';
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    if (key.startsWith('@')) {
      const attr = key.slice(1);
      if (!XML_NAME.test(attr))
        throw new RequestBuildError(`request body: "${attr}" is not a valid XML attribute name`);
      attributes += ` ${attr}="${xmlEscape(child === null || child === undefined ? '' : String(child))}"`;
    } else if (key === '#text') {
      children += xmlEscape(String(child));
    } else {
      children += xmlElement(key, child);
    }
  }
  return `<${name}${attributes}>${children}</${name}>`;
}
