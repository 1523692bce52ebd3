/** Contract checks: is a response's status, content type and body what the operation declares? */
import type { HttpResponse } from '../http/types.js';
import { isRecord } from '../own.js';
import { declaredResponse } from '../sources/responses.js';
import type { MediaTypeObject, OpenApiSource, ResolvedOperation } from '../sources/types.js';
import { compileResponseSchema, type ErrorObject } from './schema.js';
import type { ContractCheck, ContractCheckKind, ContractOptions, ContractSeverity } from './types.js';

type Obj = Record<string, unknown>;
function severityOf(options: ContractOptions, kind: ContractCheckKind): ContractSeverity {
  const s = options.severity;
  if (s === undefined) return 'error';
  if (typeof s === 'string') return s;
  return s[kind] ?? 'error';
}

function label(operation: ResolvedOperation): string {
  return operation.operationId ?? `${operation.method} ${operation.path}`;
}

function mediaTypeOf(type: string): string {
  return (type.split(';')[0] ?? '').trim().toLowerCase();
}

/** The declared media type for a content type: exact, then `type/*`, then `*\/*`. */
function declaredMedia(
  content: Record<string, MediaTypeObject>,
  contentType: string,
): { key: string; media: MediaTypeObject } | undefined {
  const wanted = mediaTypeOf(contentType);
  const entries = Object.entries(content).map(([key, media]) => ({ key, type: mediaTypeOf(key), media }));
  const found =
    entries.find((e) => e.type === wanted) ??
    entries.find((e) => e.type.endsWith('/*') && wanted.startsWith(e.type.slice(0, -1))) ??
    entries.find((e) => e.type === '*/*');
  return found === undefined ? undefined : { key: found.key, media: found.media };
}

function isJson(type: string): boolean {
  const t = mediaTypeOf(type);
  return t === 'application/json' || t.endsWith('+json');
}

function headerValue(headers: HttpResponse['headers'], name: string): string | undefined {
  for (const [k, v] of Object.entries(headers))
    if (k.toLowerCase() === name) return Array.isArray(v) ? v[0] : v;
  return undefined;
}

/** "must have required property 'id'", "must NOT have additional properties ('extra')", enum values listed. */
function describe(error: ErrorObject): string {
  const message = error.message ?? `fails "${error.keyword}"`;
  const params = error.params as Obj;
  if (
    error.keyword === 'additionalProperty' ||
    (error.keyword === 'additionalProperties' && typeof params.additionalProperty === 'string')
  )
    return `${message} ('${String(params.additionalProperty)}')`;
  if (error.keyword === 'enum' && Array.isArray(params.allowedValues))
    return `${message}: ${params.allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
  return message;
}

/**
 * Ajv's allErrors output under a failed oneOf/anyOf lists every branch's errors; keep the one line
 * saying no branch matched and drop the branch details.
 */
function prune(errors: ErrorObject[]): ErrorObject[] {
  const combinators = errors
    .filter((e) => e.keyword === 'oneOf' || e.keyword === 'anyOf')
    .map((e) => `${e.schemaPath}/`);
  const out = errors.filter(
    (e) => e.keyword !== 'if' && !combinators.some((prefix) => e.schemaPath.startsWith(prefix)),
  );
  const seen = new Set<string>();
  return out.filter((e) => {
    const key = `${e.instancePath}\u0000${describe(e)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

type Declared = NonNullable<ReturnType<typeof declaredResponse>>;

function result(
  check: ContractCheck['check'],
  passed: boolean,
  severity: ContractSeverity,
  message: string,
  pointer?: string,
): ContractCheck {
  const out: ContractCheck = { check, passed, severity, message };
  if (pointer !== undefined) out.pointer = pointer;
  return out;
}

/** The status is declared exactly, by a `2XX`-style range, or by `default`. */
function checkStatus(
  operation: ResolvedOperation,
  status: number,
  declared: Declared | undefined,
  options: ContractOptions,
): ContractCheck {
  const severity = severityOf(options, 'status');
  if (declared === undefined) {
    const codes = Object.keys(operation.responses);
    return result(
      'status',
      false,
      severity,
      `status ${status} is not declared by ${label(operation)} (declared: ${codes.length > 0 ? codes.join(', ') : 'none'})`,
    );
  }
  return result(
    'status',
    true,
    severity,
    declared.key === String(status)
      ? `status ${status} is declared`
      : `status ${status} is covered by the "${declared.key}" response`,
  );
}

/** The response's content type is one the declared response lists; its media type when it is. */
function checkContentType(
  declared: Declared,
  content: Record<string, MediaTypeObject>,
  contentType: string | undefined,
  options: ContractOptions,
): { check: ContractCheck; media?: MediaTypeObject } {
  const severity = severityOf(options, 'content-type');
  const declaredTypes = Object.keys(content).join(', ');
  if (contentType === undefined || contentType.trim() === '') {
    const message = `response has no content type (declared for ${declared.key}: ${declaredTypes})`;
    return { check: result('content-type', false, severity, message) };
  }
  const media = declaredMedia(content, contentType);
  if (media === undefined) {
    const message = `content type ${mediaTypeOf(contentType)} is not declared for ${declared.key} (declared: ${declaredTypes})`;
    return { check: result('content-type', false, severity, message) };
  }
  const message = `content type ${mediaTypeOf(contentType)} is declared`;
  return { check: result('content-type', true, severity, message), media: media.media };
}

/** A JSON body validates against the media type's schema; at most `maxSchemaErrors` errors, then a count. */
function checkSchema(
  operation: ResolvedOperation,
  declared: Declared,
  schema: Record<string, unknown> | boolean,
  response: HttpResponse,
  source: OpenApiSource | undefined,
  options: ContractOptions,
): ContractCheck[] {
  if (response.bodyParseError !== undefined) {
    const message = `response body is not valid JSON: ${response.bodyParseError}`;
    return [result('schema', false, severityOf(options, 'schema'), message, '')];
  }
  return checkAgainstSchema(schema, response.body, {
    subject: 'response body',
    schemaName: `response schema of ${label(operation)} ${declared.key}`,
    source,
    options,
  });
}

/** What `checkAgainstSchema` checks and how its messages name it. */
export interface SchemaSubject {
  /** What is checked, as messages name it: `response body`, `payload of message "OrderPlaced"`. */
  subject: string;
  /** The schema, as a compile failure names it. */
  schemaName: string;
  source: OpenApiSource | undefined;
  options: ContractOptions;
}

/**
 * `value` against `schema` (kind `schema`): one passed check, or its errors (at most `maxSchemaErrors`,
 * then a count). A schema that cannot be compiled is a warning, never a failed step.
 */
export function checkAgainstSchema(
  schema: Record<string, unknown> | boolean,
  value: unknown,
  about: SchemaSubject,
): ContractCheck[] {
  const { subject, options } = about;
  const severity = severityOf(options, 'schema');
  const compiled = compileResponseSchema(
    typeof schema === 'boolean' ? { allOf: [schema] } : schema,
    about.source,
  );
  if ('error' in compiled) {
    return [result('schema', false, 'warning', `${about.schemaName} cannot be compiled: ${compiled.error}`)];
  }
  if (compiled.validate(value)) {
    return [result('schema', true, severity, `${subject} matches the schema`, '')];
  }
  const errors = prune(compiled.validate.errors ?? []);
  const max = Math.max(1, options.maxSchemaErrors ?? 10);
  const checks = errors.slice(0, max).map((error) => {
    const at = error.instancePath === '' ? '' : ` ${error.instancePath}`;
    return result('schema', false, severity, `${subject}${at}: ${describe(error)}`, error.instancePath);
  });
  if (errors.length > max) {
    checks.push(
      result('schema', false, severity, `${subject}: ${errors.length - max} more schema errors`, ''),
    );
  }
  return checks;
}

/**
 * Check a response against its operation's OpenAPI description: the status is declared (exactly, by
 * a `2XX`-style range, or by `default`), the content type is declared, and a JSON body validates
 * against the media type's schema. Responses the description says nothing about (no `content`) only
 * get the status check. Never throws.
 * @example checkResponse(op, response, source).filter((c) => !c.passed)
 */
export function checkResponse(
  operation: ResolvedOperation,
  response: HttpResponse,
  source?: OpenApiSource,
  options: ContractOptions = {},
): ContractCheck[] {
  const declared = declaredResponse(operation, response.statusCode);
  const checks = [checkStatus(operation, response.statusCode, declared, options)];
  if (declared === undefined) return checks;
  const content = declared.response.content;
  if (content === undefined || Object.keys(content).length === 0 || operation.method === 'HEAD')
    return checks;
  const contentType = response.contentType ?? headerValue(response.headers, 'content-type');
  const typed = checkContentType(declared, content, contentType, options);
  checks.push(typed.check);
  const schema = typed.media?.schema;
  if (
    contentType === undefined ||
    schema === undefined ||
    !isJson(contentType) ||
    !(isRecord(schema) || typeof schema === 'boolean')
  )
    return checks;
  checks.push(...checkSchema(operation, declared, schema, response, source, options));
  return checks;
}
