// Swagger 2.0 "Operation Object", "Parameter Object", "Response Object": mapped to the OpenAPI 3 shape.
import type { JsonValue } from '../document/model.js';
import { isRecord } from '../own.js';
import type {
  MediaTypeObject,
  OperationParameter,
  ResponseObject,
  SecurityScheme,
  ServerObject,
} from './types.js';

type Obj = Record<string, unknown>;

function stringList(v: unknown): string[] | undefined {
  return Array.isArray(v) && v.every((x) => typeof x === 'string') ? v : undefined;
}

/** Schema keywords a 2.0 non-body parameter or header carries inline. */
const SCHEMA_KEYS = [
  'type',
  'format',
  'items',
  'default',
  'maximum',
  'exclusiveMaximum',
  'minimum',
  'exclusiveMinimum',
  'maxLength',
  'minLength',
  'pattern',
  'maxItems',
  'minItems',
  'uniqueItems',
  'enum',
  'multipleOf',
] as const;

function inlineSchema(p: Obj): JsonValue {
  const schema: Record<string, JsonValue> = {};
  for (const k of SCHEMA_KEYS) {
    if (p[k] === undefined) continue;
    schema[k] = k === 'items' && isRecord(p[k]) ? inlineSchema(p[k]) : (p[k] as JsonValue);
  }
  // 2.0 'file' is a binary string in 3.x terms.
  if (schema.type === 'file') {
    schema.type = 'string';
    schema.format = 'binary';
  }
  return schema;
}

/** collectionFormat -> style/explode, by location (2.0 default is csv, not 3.x's exploded form). */
function collectionStyle(
  location: OperationParameter['in'],
  format: string,
): { style?: string; explode: boolean } {
  switch (format) {
    case 'multi':
      return { style: 'form', explode: true };
    case 'ssv':
      return { style: 'spaceDelimited', explode: false };
    case 'pipes':
      return { style: 'pipeDelimited', explode: false };
    case 'tsv':
      // No 3.x style joins with tabs; the collectionFormat field is kept for the request builder.
      return { explode: false };
    default:
      return { style: location === 'query' || location === 'cookie' ? 'form' : 'simple', explode: false };
  }
}

export interface Swagger2Parts {
  parameters: OperationParameter[];
  requestBody?: { required: boolean; content: Record<string, MediaTypeObject> };
}

/** Split merged, resolved 2.0 parameters into 3.x parameters and a request body. */
export function convertParameters(params: Obj[], consumes: string[]): Swagger2Parts {
  const parameters: OperationParameter[] = [];
  let body: Obj | undefined;
  const form: Obj[] = [];
  for (const p of params) {
    const location = p.in;
    const name = p.name;
    if (typeof name !== 'string') continue;
    if (location === 'body') body = p;
    else if (location === 'formData') form.push(p);
    else if (location === 'path' || location === 'query' || location === 'header') {
      const out: OperationParameter = {
        name,
        in: location,
        required: location === 'path' ? true : p.required === true,
        schema: inlineSchema(p),
      };
      if (p.allowEmptyValue === true) out.allowEmptyValue = true;
      if (p.type === 'array') {
        const format = typeof p.collectionFormat === 'string' ? p.collectionFormat : 'csv';
        const { style, explode } = collectionStyle(location, format);
        if (style !== undefined) out.style = style;
        out.explode = explode;
        out.collectionFormat = format;
      }
      parameters.push(out);
    }
  }
  const parts: Swagger2Parts = { parameters };
  if (body !== undefined) {
    const content: Record<string, MediaTypeObject> = {};
    const types = consumes.length > 0 ? consumes : ['application/json'];
    for (const t of types) content[t] = body.schema === undefined ? {} : { schema: body.schema as JsonValue };
    parts.requestBody = { required: body.required === true, content };
  } else if (form.length > 0) {
    const hasFile = form.some((p) => p.type === 'file');
    const multipart = hasFile || consumes.includes('multipart/form-data');
    const properties: Record<string, JsonValue> = {};
    const required: string[] = [];
    const encoding: NonNullable<MediaTypeObject['encoding']> = {};
    for (const p of form) {
      const name = p.name as string;
      properties[name] = inlineSchema(p);
      if (p.required === true) required.push(name);
      if (p.type === 'array') {
        const format = typeof p.collectionFormat === 'string' ? p.collectionFormat : 'csv';
        const { style, explode } = collectionStyle('query', format);
        encoding[name] = style === undefined ? { explode } : { style, explode };
      }
    }
    const schema: Record<string, JsonValue> = { type: 'object', properties };
    if (required.length > 0) schema.required = required;
    const media: MediaTypeObject = { schema };
    if (Object.keys(encoding).length > 0) media.encoding = encoding;
    const type = multipart ? 'multipart/form-data' : 'application/x-www-form-urlencoded';
    parts.requestBody = { required: required.length > 0, content: { [type]: media } };
  }
  return parts;
}

/** A resolved 2.0 response: schema and examples spread over the `produces` media types. */
export function convertResponse(r: unknown, produces: string[]): ResponseObject {
  if (!isRecord(r)) return {};
  const out: ResponseObject = {};
  if (typeof r.description === 'string') out.description = r.description;
  if (isRecord(r.headers)) {
    const headers: NonNullable<ResponseObject['headers']> = {};
    for (const [name, h] of Object.entries(r.headers))
      if (isRecord(h)) headers[name] = { schema: inlineSchema(h) };
    out.headers = headers;
  }
  const examples = isRecord(r.examples) ? r.examples : {};
  if (r.schema !== undefined || Object.keys(examples).length > 0) {
    const content: Record<string, MediaTypeObject> = {};
    const types = produces.length > 0 ? produces : ['application/json'];
    for (const t of new Set([...types, ...Object.keys(examples)])) {
      const media: MediaTypeObject = {};
      if (r.schema !== undefined) media.schema = r.schema as JsonValue;
      if (examples[t] !== undefined) media.example = examples[t] as JsonValue;
      content[t] = media;
    }
    out.content = content;
  }
  return out;
}

/** schemes + host + basePath -> servers. No host: relative to the document's own URL. */
export function convertServers(doc: Obj, opSchemes: unknown, documentUrl: string): ServerObject[] {
  const basePath = typeof doc.basePath === 'string' && doc.basePath !== '' ? doc.basePath : '/';
  const path = basePath.startsWith('/') ? basePath : `/${basePath}`;
  if (typeof doc.host !== 'string' || doc.host === '') return [{ url: path }];
  let schemes = stringList(opSchemes) ?? stringList(doc.schemes);
  if (schemes === undefined || schemes.length === 0) {
    const own = /^(https?):/i.exec(documentUrl)?.[1];
    schemes = [own === undefined ? 'https' : own.toLowerCase()];
  }
  // Prefer https when both are offered.
  const ordered = [...schemes].sort((a, b) => (a === 'https' ? -1 : b === 'https' ? 1 : 0));
  return ordered
    .filter((s) => s === 'http' || s === 'https' || s === 'ws' || s === 'wss')
    .map((s) => ({ url: `${s}://${doc.host}${path === '/' ? '' : path}` }));
}

/** securityDefinitions -> 3.x security schemes. */
export function convertSecurityDefinitions(defs: unknown): Record<string, SecurityScheme> {
  const out: Record<string, SecurityScheme> = {};
  if (!isRecord(defs)) return out;
  for (const [name, d] of Object.entries(defs)) {
    if (!isRecord(d)) continue;
    if (d.type === 'basic') out[name] = { type: 'http', scheme: 'basic' };
    else if (d.type === 'apiKey' && typeof d.name === 'string' && (d.in === 'header' || d.in === 'query'))
      out[name] = { type: 'apiKey', name: d.name, in: d.in };
    else if (d.type === 'oauth2') {
      const flowName =
        d.flow === 'accessCode'
          ? 'authorizationCode'
          : d.flow === 'application'
            ? 'clientCredentials'
            : typeof d.flow === 'string'
              ? d.flow
              : 'implicit';
      const flow: Record<string, JsonValue> = { scopes: isRecord(d.scopes) ? (d.scopes as JsonValue) : {} };
      if (typeof d.authorizationUrl === 'string') flow.authorizationUrl = d.authorizationUrl;
      if (typeof d.tokenUrl === 'string') flow.tokenUrl = d.tokenUrl;
      out[name] = { type: 'oauth2', flows: { [flowName]: flow } };
    }
  }
  return out;
}

export function mediaTypes(op: Obj, doc: Obj, key: 'consumes' | 'produces'): string[] {
  return stringList(op[key]) ?? stringList(doc[key]) ?? [];
}
