/** The mock's answer for one operation: status, media type and body chosen from the OpenAPI description. */
import type { JsonValue } from '../document/model.js';
import { isRecord } from '../own.js';
import { declaredResponse } from '../sources/responses.js';
import type { MediaTypeObject, ResolvedOperation } from '../sources/types.js';
import { deepMerge, sampleSchema, seedIdentifiers } from './sample.js';
import type { MockAnswer, ScenarioResponse } from './types.js';

/** The response object for a status: exact code, then its `2XX`-style range, then `default`. */
export const findResponse = declaredResponse;

function declares(operation: ResolvedOperation, status: number): boolean {
  const found = findResponse(operation, status);
  return found !== undefined && found.key !== 'default';
}

/**
 * Status the mock answers with: the first expected status the operation declares (exactly or by range),
 * else the lowest declared 2xx code, else 200 for a `2XX` range or a `default` response, else the
 * first expected status, else 200.
 */
export function chooseStatus(operation: ResolvedOperation, expected: readonly number[] | undefined): number {
  for (const s of expected ?? []) if (declares(operation, s)) return s;
  const codes = Object.keys(operation.responses)
    .filter((k) => /^[1-5]\d\d$/.test(k))
    .map(Number)
    .sort((a, b) => a - b);
  const success = codes.find((c) => c >= 200 && c < 300);
  if (success !== undefined) return success;
  if (Object.keys(operation.responses).some((k) => k.toUpperCase() === '2XX')) return 200;
  if (operation.responses.default !== undefined) return 200;
  return expected?.[0] ?? 200;
}

export function isJsonMediaType(type: string): boolean {
  const t = (type.split(';')[0] ?? '').trim().toLowerCase();
  return t === 'application/json' || t.endsWith('+json') || t === '*/*' || t === 'application/*';
}

function isXmlMediaType(type: string): boolean {
  const t = (type.split(';')[0] ?? '').trim().toLowerCase();
  return t === 'application/xml' || t === 'text/xml' || t.endsWith('+xml');
}

/** A media range in the description turned into a concrete content type for the answer. */
function concreteType(key: string): string {
  const t = (key.split(';')[0] ?? '').trim().toLowerCase();
  if (t === '*/*' || t === 'application/*') return 'application/json';
  if (t.endsWith('/*')) return `${t.slice(0, -2)}/plain`;
  return key;
}

/** JSON media types first (in document order), else the first declared. */
export function chooseMediaType(
  content: Record<string, MediaTypeObject> | undefined,
): { key: string; media: MediaTypeObject } | undefined {
  if (content === undefined) return undefined;
  const keys = Object.keys(content);
  const key =
    keys.find((k) => isJsonMediaType(k) && !k.includes('*')) ?? keys.find(isJsonMediaType) ?? keys[0];
  if (key === undefined) return undefined;
  const media = content[key];
  return media === undefined ? undefined : { key, media };
}

function exampleOf(media: MediaTypeObject): { value: unknown } | undefined {
  if (media.example !== undefined) return { value: media.example };
  for (const ex of Object.values(media.examples ?? {}))
    if (isRecord(ex) && ex.value !== undefined) return { value: ex.value };
  return undefined;
}

/** Inputs of `buildAnswer` besides the operation. */
export interface AnswerInput {
  expectedStatus?: readonly number[] | undefined;
  /** Path parameter values of the request, echoed into same-named body properties. */
  pathParams?: Record<string, unknown>;
  scripted?: ScenarioResponse | undefined;
  seed: number;
  /** Distinguishes calls, so every call gets fresh generated ids (e.g. 'postPets#3'). */
  callKey: string;
  /** The raw OpenAPI document, to follow `#/...` refs left in cyclic schemas. */
  spec?: unknown;
}

/** Build the whole answer: description first, then path-parameter echo, then the scenario entry. */
export function buildAnswer(operation: ResolvedOperation, input: AnswerInput): MockAnswer {
  const scripted = input.scripted;
  const statusCode = scripted?.status ?? chooseStatus(operation, input.expectedStatus);
  const declared = findResponse(operation, statusCode)?.response;
  const chosen = chooseMediaType(declared?.content);
  let contentType = scripted?.contentType ?? (chosen === undefined ? undefined : concreteType(chosen.key));
  const media = chosen?.media;

  let body: unknown;
  if (media !== undefined && contentType !== undefined) {
    const example = exampleOf(media);
    if (isJsonMediaType(contentType)) {
      body =
        example?.value ??
        seedIdentifiers(sampleSchema(media.schema, { spec: input.spec }), input.seed, input.callKey);
      body = echoPathParams(body, input.pathParams, media.schema);
    } else if (isXmlMediaType(contentType)) {
      body =
        typeof example?.value === 'string'
          ? example.value
          : sampleSchema(media.schema, { spec: input.spec, xml: true });
    } else {
      const value = example?.value ?? sampleSchema(media.schema, { spec: input.spec });
      body = contentType.toLowerCase().startsWith('text/')
        ? value === undefined
          ? ''
          : typeof value === 'string'
            ? value
            : JSON.stringify(value)
        : new TextEncoder().encode(typeof value === 'string' ? value : '');
    }
  }
  if (scripted?.body !== undefined) body = scripted.body;
  if (scripted?.merge !== undefined) body = deepMerge(body, scripted.merge);
  if (body !== undefined && contentType === undefined)
    contentType = typeof body === 'string' ? 'text/plain' : 'application/json';

  const headers: Record<string, string> = {};
  for (const [name, header] of Object.entries(declared?.headers ?? {})) {
    const lower = name.toLowerCase();
    if (lower === 'content-type' || !isRecord(header)) continue;
    const value = sampleSchema(header.schema as JsonValue | undefined, { spec: input.spec });
    if (value !== undefined && value !== null)
      headers[lower] = Array.isArray(value)
        ? value.map(String).join(',')
        : typeof value === 'object'
          ? JSON.stringify(value)
          : String(value);
  }
  if (contentType !== undefined) headers['content-type'] = contentType;
  for (const [name, value] of Object.entries(scripted?.headers ?? {})) headers[name.toLowerCase()] = value;

  const answer: MockAnswer = { statusCode, headers, body, delayMs: scripted?.delayMs ?? 0 };
  const finalType = headers['content-type'];
  if (finalType !== undefined) answer.contentType = finalType;
  return answer;
}

/**
 * Decision: a path parameter is echoed into a top-level body property of the same name; when the
 * operation has exactly one path parameter whose name ends in "id" (e.g. `nanoid`, `petId`) and the
 * body has an `id` property, it goes there too. Numbers stay numbers when the sample was a number.
 */
function echoPathParams(
  body: unknown,
  params: Record<string, unknown> | undefined,
  schema: unknown,
): unknown {
  if (!isRecord(body) || params === undefined) return body;
  const entries = Object.entries(params).filter(([, v]) => typeof v === 'string' || typeof v === 'number');
  if (entries.length === 0) return body;
  const props = isRecord(schema) && isRecord(schema.properties) ? schema.properties : {};
  const out = { ...body };
  const put = (key: string, value: unknown) => {
    const current = out[key];
    const numeric =
      typeof current === 'number' &&
      typeof value === 'string' &&
      value.trim() !== '' &&
      Number.isFinite(Number(value));
    out[key] = numeric ? Number(value) : typeof current === 'number' ? value : String(value);
  };
  for (const [name, value] of entries)
    if (Object.hasOwn(out, name) || Object.hasOwn(props, name)) put(name, value);
  const only = entries.length === 1 ? entries[0] : undefined;
  if (
    only !== undefined &&
    /id$/i.test(only[0]) &&
    !Object.hasOwn(params, 'id') &&
    (Object.hasOwn(out, 'id') || Object.hasOwn(props, 'id'))
  )
    put('id', only[1]);
  return out;
}
