// Arazzo 1.0.1 "Source Description Object" (type openapi): an operation index over OpenAPI 2.0/3.0/3.1.
import { createRequire } from 'node:module';
import type jsYamlModule from 'js-yaml';
import type { OpenAPI } from 'openapi-types';
import type { Diagnostic } from '../document/diagnostic.js';
import type { JsonValue } from '../document/model.js';
import { isRecord } from '../own.js';
import { escapePointerToken, parsePointer } from '../pointer.js';
import { type DocumentSet, operationPointer, type RefProblem, RefResolver } from './refs.js';
import {
  convertParameters,
  convertResponse,
  convertSecurityDefinitions,
  convertServers,
  mediaTypes,
} from './swagger2.js';
import type {
  MediaTypeObject,
  OpenApiSource,
  OperationParameter,
  ResolvedOperation,
  ResponseObject,
  SecurityRequirement,
  SecurityScheme,
  ServerObject,
} from './types.js';

type Obj = Record<string, unknown>;

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/** YAML aliases expanded per document at most (a guard against alias bombs; OpenAPI docs are big). */

/**
 * Parse JSON or YAML source text. JSON goes through JSON.parse (an order of magnitude faster than a
 * YAML parser on multi-megabyte documents); anything else through yaml.
 */
export function parseSourceText(text: string): { value: unknown } | { error: string } {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let jsonError: string | undefined;
  if (/^\s*[{[]/.test(body)) {
    try {
      return { value: JSON.parse(body) as unknown };
    } catch (e) {
      // YAML flow syntax also starts with '{': try it before giving up.
      jsonError = e instanceof Error ? e.message : String(e);
    }
  }
  // OpenAPI documents need no positions, so they are parsed with js-yaml: 5-10x faster than `yaml` on
  // multi-megabyte documents. CORE schema as in Arazzo parsing (dates stay strings), merge keys kept,
  // duplicate keys tolerated (last wins).
  let value: unknown;
  try {
    const yaml = jsYaml();
    value = yaml.module.load(body, { schema: yaml.schema, json: true });
  } catch (e) {
    if (jsonError !== undefined) return { error: `not valid JSON: ${jsonError}` };
    const message = e instanceof Error ? e.message : String(e);
    return { error: `not valid YAML: ${message.split('\n')[0] ?? message}` };
  }
  // js-yaml shares aliased nodes instead of copying them, so an alias bomb parses instantly and explodes
  // in the first deep walk: count node visits up front and refuse documents that expand too far.
  if (!withinExpansionLimit(value, Math.max(OPENAPI_MAX_NODES, body.length))) {
    return { error: 'not usable YAML: aliases expand the document beyond its size limit (alias bomb?)' };
  }
  return { value };
}

type JsYaml = typeof jsYamlModule;
let loadedJsYaml: { module: JsYaml; schema: jsYamlModule.Schema } | undefined;

/** js-yaml and its OpenAPI schema, loaded with the first YAML source (JSON-only runs never pay for it). */
function jsYaml(): { module: JsYaml; schema: jsYamlModule.Schema } {
  if (loadedJsYaml === undefined) {
    const module = createRequire(import.meta.url)('js-yaml') as JsYaml;
    // `types` exists at run time but is missing from @types/js-yaml.
    const schema = module.CORE_SCHEMA.extend([
      (module as unknown as { types: { merge: jsYamlModule.Type } }).types.merge,
    ]);
    loadedJsYaml = { module, schema };
  }
  return loadedJsYaml;
}
/** Node visits allowed when expanding aliases: at least this many, or the text length if larger. */
const OPENAPI_MAX_NODES = 100_000;

function withinExpansionLimit(root: unknown, limit: number): boolean {
  let visits = 0;
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (++visits > limit) return false;
    if (node === null || typeof node !== 'object') continue;
    if (Array.isArray(node)) for (const v of node) stack.push(v);
    else for (const v of Object.values(node)) stack.push(v);
  }
  return true;
}

/** '2.0' | '3.0' | '3.1' (3.2+ is read as 3.1), or why the document is not OpenAPI. */
export function detectOpenApiVersion(
  raw: unknown,
): { version: OpenApiSource['version']; note?: string } | { error: string } {
  if (!isRecord(raw)) return { error: 'not an OpenAPI document (the top level is not an object)' };
  if (raw.swagger !== undefined) {
    return String(raw.swagger) === '2.0'
      ? { version: '2.0' }
      : { error: `Swagger version "${String(raw.swagger)}" is not supported (only 2.0)` };
  }
  if (raw.arazzo !== undefined)
    return { error: 'this is an Arazzo document, not OpenAPI; declare the source with type: arazzo' };
  if (typeof raw.openapi === 'string') {
    const m = /^3\.(\d+)\./.exec(`${raw.openapi}.`);
    if (m?.[1] === '0') return { version: '3.0' };
    if (m?.[1] === '1') return { version: '3.1' };
    if (m !== null) return { version: '3.1', note: `OpenAPI ${raw.openapi} is read with OpenAPI 3.1 rules` };
  }
  if (raw.openapi !== undefined)
    return { error: `OpenAPI version "${String(raw.openapi)}" is not supported (2.0, 3.0, 3.1)` };
  return { error: 'not an OpenAPI document (no "openapi" or "swagger" field)' };
}

interface IndexEntry {
  pointer: string;
  path: string;
  method: string;
  /** The path item after following a path-item-level $ref, and where it lives. */
  pathItem: Obj;
  pathItemBase: string;
  pathItemPointer: string;
}

export interface OpenApiSourceInit {
  name: string;
  /** Absolute URL of the document. */
  url: string;
  /** How the URL is shown in diagnostics (a path for file: URLs). */
  displayUrl: string;
  raw: unknown;
  /** The document itself (under `url`) plus prefetched external documents. */
  documents: DocumentSet;
  /** Turns a document URL into its display form for diagnostics. */
  display?: (url: string) => string;
}

/**
 * One OpenAPI document behind a source: the index built up front, the operations and security schemes
 * resolved on first use and kept (per document: sources are loaded once per run or per CLI command).
 */
interface SourceState {
  name: string;
  url: string;
  version: OpenApiSource['version'];
  raw: Obj;
  resolver: RefResolver;
  display: (url: string) => string;
  byId: Map<string, IndexEntry>;
  byPointer: Map<string, IndexEntry>;
  /** Resolved operations by pointer. */
  operations: Map<string, ResolvedOperation>;
  schemes: Record<string, SecurityScheme> | undefined;
}

/** Build the index in one pass over `paths` (no dereferencing); operations resolve on first lookup. */
export function createOpenApiSource(init: OpenApiSourceInit): {
  source: OpenApiSource | undefined;
  diagnostics: Diagnostic[];
} {
  const diagnostics: Diagnostic[] = [];
  const detected = detectOpenApiVersion(init.raw);
  if ('error' in detected) {
    diagnostics.push(
      sourceDiagnostic(
        init,
        'source-not-openapi',
        'error',
        `source "${init.name}" (${init.displayUrl}): ${detected.error}`,
        '',
      ),
    );
    return { source: undefined, diagnostics };
  }
  if (detected.note !== undefined)
    diagnostics.push(
      sourceDiagnostic(
        init,
        'openapi-version-assumed',
        'warning',
        `source "${init.name}": ${detected.note}`,
        '/openapi',
      ),
    );
  const state: SourceState = {
    name: init.name,
    url: init.url,
    version: detected.version,
    raw: init.raw as Obj,
    resolver: new RefResolver(init.documents, init.url),
    display: init.display ?? ((u: string) => u),
    byId: new Map(),
    byPointer: new Map(),
    operations: new Map(),
    schemes: undefined,
  };
  indexPaths(state, init, diagnostics);
  return { source: sourceOf(state, init.raw as OpenAPI.Document), diagnostics };
}

function sourceDiagnostic(
  init: OpenApiSourceInit,
  code: string,
  severity: Diagnostic['severity'],
  message: string,
  pointer: string,
): Diagnostic {
  return { code, severity, message, pointer, file: init.displayUrl, line: 0, column: 0 };
}

/** Fill `byId` and `byPointer` from `paths`; duplicate operationIds and broken path-item $refs are warnings. */
function indexPaths(state: SourceState, init: OpenApiSourceInit, diagnostics: Diagnostic[]): void {
  const paths = isRecord(state.raw.paths) ? state.raw.paths : {};
  const problems: RefProblem[] = [];
  for (const path of Object.keys(paths)) {
    const item = followPathItem(state, path, paths[path], problems);
    if (item === undefined) continue;
    for (const method of HTTP_METHODS) {
      const op = item.value[method];
      if (!isRecord(op)) continue;
      const entry: IndexEntry = {
        pointer: operationPointer(path, method),
        path,
        method,
        pathItem: item.value,
        pathItemBase: item.base,
        pathItemPointer: item.pointer,
      };
      state.byPointer.set(entry.pointer, entry);
      const id = op.operationId;
      if (typeof id !== 'string') continue;
      const first = state.byId.get(id);
      if (first === undefined) state.byId.set(id, entry);
      else
        diagnostics.push(
          sourceDiagnostic(
            init,
            'openapi-duplicate-operation-id',
            'warning',
            `source "${init.name}": operationId "${id}" is used by ${first.method.toUpperCase()} ${first.path} and ${method.toUpperCase()} ${path}; the first one is used`,
            `${entry.pointer}/operationId`,
          ),
        );
    }
  }
  for (const p of dedupeProblems(problems))
    diagnostics.push({ ...problemToDiagnostic(p, state.display), severity: 'warning' });
}

/** The path item under `paths[path]`, after following a path-item-level $ref, and where it lives. */
function followPathItem(
  state: SourceState,
  path: string,
  value: unknown,
  problems: RefProblem[],
): { value: Obj; base: string; pointer: string } | undefined {
  let item = value;
  let base = state.url;
  let pointer = `/paths/${escapePointerToken(path)}`;
  if (isRecord(item) && typeof item.$ref === 'string') {
    const followed = state.resolver.follow(item, state.url, pointer, problems);
    item = followed.value;
    base = followed.base;
    pointer = followed.pointer;
  }
  return isRecord(item) ? { value: item, base, pointer } : undefined;
}

function sourceOf(state: SourceState, raw: OpenAPI.Document): OpenApiSource {
  const { byId, byPointer, resolver } = state;
  return {
    kind: 'openapi',
    name: state.name,
    url: state.url,
    version: state.version,
    // detectOpenApiVersion accepted it as OpenAPI 3.x or Swagger 2.0.
    raw,
    getOperationById(operationId) {
      const entry = byId.get(operationId);
      return entry === undefined ? undefined : resolveOperation(state, entry);
    },
    getOperationByPointer(pointer) {
      const entry = byPointer.get(normalizePointer(pointer));
      return entry === undefined ? undefined : resolveOperation(state, entry);
    },
    operationIds() {
      return [...byId.keys()];
    },
    allOperations() {
      return [...byPointer.values()].map((entry) => resolveOperation(state, entry));
    },
    resolveSchema(schema) {
      return resolver.deep(schema, state.url, '', []) as JsonValue;
    },
  };
}

/** The document's security schemes, resolved once (Swagger 2.0 securityDefinitions are converted). */
function securitySchemes(state: SourceState): Record<string, SecurityScheme> {
  if (state.schemes !== undefined) return state.schemes;
  const { raw, resolver, url } = state;
  if (state.version === '2.0') {
    const defs = resolver.deep(raw.securityDefinitions, url, '/securityDefinitions', []);
    state.schemes = convertSecurityDefinitions(defs);
  } else {
    const components = isRecord(raw.components) ? raw.components : {};
    const defs = resolver.deep(components.securitySchemes, url, '/components/securitySchemes', []);
    state.schemes = normalizeSecuritySchemes(defs);
  }
  return state.schemes;
}

/** An indexed operation with its $refs followed and parameters merged; built once per operation. */
function resolveOperation(state: SourceState, entry: IndexEntry): ResolvedOperation {
  const cached = state.operations.get(entry.pointer);
  if (cached !== undefined) return cached;
  const { raw, resolver } = state;
  const problems: RefProblem[] = [];
  const item = entry.pathItem;
  const opPointer = `${entry.pathItemPointer}/${entry.method}`;
  const base = entry.pathItemBase;
  const op = item[entry.method] as Obj;
  const itemParams = resolver.deep(item.parameters, base, `${entry.pathItemPointer}/parameters`, problems);
  const opParams = resolver.deep(op.parameters, base, `${opPointer}/parameters`, problems);
  const merged = mergeParameters(itemParams, opParams);
  // A broken $ref under responses only weakens output checks; elsewhere the request cannot be built.
  const responseProblems: RefProblem[] = [];
  const rawResponses = resolver.deep(op.responses, base, `${opPointer}/responses`, responseProblems);
  const resolved: ResolvedOperation = {
    sourceName: state.name,
    method: entry.method.toUpperCase(),
    path: entry.path,
    pointer: entry.pointer,
    servers: [],
    parameters: [],
    responses: {},
    security: securityRequirements(op.security) ?? securityRequirements(raw.security) ?? [],
    securitySchemes: securitySchemes(state),
    documentUrl: state.url,
  };
  if (typeof op.operationId === 'string') resolved.operationId = op.operationId;
  if (state.version === '2.0') fillSwagger2(state, op, merged, rawResponses, resolved);
  else fillOpenApi3(state, entry, op, merged, rawResponses, resolved, problems);
  const found = [
    ...dedupeProblems(problems).map((p) => problemToDiagnostic(p, state.display)),
    ...dedupeProblems(responseProblems).map((p) => ({
      ...problemToDiagnostic(p, state.display),
      severity: 'warning' as const,
    })),
  ];
  if (found.length > 0) resolved.diagnostics = found;
  state.operations.set(entry.pointer, resolved);
  return resolved;
}

/** Swagger 2.0: body/formData parameters become the request body, `produces` the response media types. */
function fillSwagger2(
  state: SourceState,
  op: Obj,
  merged: Obj[],
  rawResponses: unknown,
  resolved: ResolvedOperation,
): void {
  const { raw } = state;
  const parts = convertParameters(merged, mediaTypes(op, raw, 'consumes'));
  resolved.parameters = parts.parameters;
  if (parts.requestBody !== undefined) resolved.requestBody = parts.requestBody;
  const produces = mediaTypes(op, raw, 'produces');
  if (isRecord(rawResponses))
    for (const [status, r] of Object.entries(rawResponses))
      if (!status.startsWith('x-')) resolved.responses[status] = convertResponse(r, produces);
  resolved.servers = convertServers(raw, op.schemes, state.url);
}

/** OpenAPI 3.x: requestBody and responses as written, servers from the operation, path item or document. */
function fillOpenApi3(
  state: SourceState,
  entry: IndexEntry,
  op: Obj,
  merged: Obj[],
  rawResponses: unknown,
  resolved: ResolvedOperation,
  problems: RefProblem[],
): void {
  const { raw, resolver } = state;
  const base = entry.pathItemBase;
  const opPointer = `${entry.pathItemPointer}/${entry.method}`;
  resolved.parameters = merged.flatMap((p) => normalizeParameter(p));
  const body = resolver.deep(op.requestBody, base, `${opPointer}/requestBody`, problems);
  if (isRecord(body))
    resolved.requestBody = {
      required: body.required === true,
      content: (isRecord(body.content) ? body.content : {}) as Record<string, MediaTypeObject>,
    };
  if (isRecord(rawResponses))
    for (const [status, r] of Object.entries(rawResponses))
      if (!status.startsWith('x-') && isRecord(r)) resolved.responses[status] = r as ResponseObject;
  const servers =
    serverList(resolver.deep(op.servers, base, `${opPointer}/servers`, problems)) ??
    serverList(resolver.deep(entry.pathItem.servers, base, `${entry.pathItemPointer}/servers`, problems)) ??
    serverList(raw.servers);
  // OpenAPI 3: no servers means one server at '/', relative to the document.
  resolved.servers = servers ?? [{ url: '/' }];
}

/** Re-escape a pointer so '/paths/~1a/get' and equivalent spellings meet in the index. */
function normalizePointer(pointer: string): string {
  const tokens = parsePointer(pointer);
  if (tokens === undefined || tokens.length !== 3 || tokens[0] !== 'paths') return pointer;
  return operationPointer(tokens[1] as string, (tokens[2] as string).toLowerCase());
}

/** Path-item parameters overlaid by operation parameters; identity is name + in (header names ignore case). */
function mergeParameters(itemParams: unknown, opParams: unknown): Obj[] {
  const byKey = new Map<string, Obj>();
  for (const list of [itemParams, opParams]) {
    if (!Array.isArray(list)) continue;
    for (const p of list) {
      if (!isRecord(p) || typeof p.name !== 'string' || typeof p.in !== 'string') continue;
      const name = p.in === 'header' ? p.name.toLowerCase() : p.name;
      byKey.set(`${p.in}\u0000${name}`, p);
    }
  }
  return [...byKey.values()];
}

function normalizeParameter(p: Obj): OperationParameter[] {
  const location = p.in;
  if (location !== 'path' && location !== 'query' && location !== 'header' && location !== 'cookie')
    return [];
  const out: OperationParameter = {
    name: p.name as string,
    in: location,
    required: location === 'path' ? true : p.required === true,
  };
  if (typeof p.style === 'string') out.style = p.style;
  if (typeof p.explode === 'boolean') out.explode = p.explode;
  if (typeof p.allowReserved === 'boolean') out.allowReserved = p.allowReserved;
  if (typeof p.allowEmptyValue === 'boolean') out.allowEmptyValue = p.allowEmptyValue;
  if (p.schema !== undefined) out.schema = p.schema as JsonValue;
  if (isRecord(p.content)) out.content = p.content as Record<string, { schema?: JsonValue }>;
  return [out];
}

function serverList(v: unknown): ServerObject[] | undefined {
  if (!Array.isArray(v) || v.length === 0) return undefined;
  const out: ServerObject[] = [];
  for (const s of v) {
    if (!isRecord(s) || typeof s.url !== 'string') continue;
    const server: ServerObject = { url: s.url };
    if (isRecord(s.variables)) {
      const variables: NonNullable<ServerObject['variables']> = {};
      for (const [name, def] of Object.entries(s.variables)) {
        if (!isRecord(def)) continue;
        const variable: { default: string; enum?: string[] } = { default: String(def.default ?? '') };
        if (Array.isArray(def.enum)) variable.enum = def.enum.map(String);
        variables[name] = variable;
      }
      server.variables = variables;
    }
    out.push(server);
  }
  return out.length > 0 ? out : undefined;
}

function securityRequirements(v: unknown): SecurityRequirement[] | undefined {
  if (!Array.isArray(v)) return undefined;
  return v.filter(isRecord).map((req) => {
    const out: SecurityRequirement = {};
    for (const [k, scopes] of Object.entries(req)) out[k] = Array.isArray(scopes) ? scopes.map(String) : [];
    return out;
  });
}

function normalizeSecuritySchemes(defs: unknown): Record<string, SecurityScheme> {
  const out: Record<string, SecurityScheme> = {};
  if (!isRecord(defs)) return out;
  for (const [name, d] of Object.entries(defs)) {
    if (!isRecord(d)) continue;
    switch (d.type) {
      case 'apiKey':
        if (typeof d.name === 'string' && (d.in === 'header' || d.in === 'query' || d.in === 'cookie'))
          out[name] = { type: 'apiKey', name: d.name, in: d.in };
        break;
      case 'http': {
        const scheme: SecurityScheme = {
          type: 'http',
          scheme: typeof d.scheme === 'string' ? d.scheme.toLowerCase() : 'bearer',
        };
        if (typeof d.bearerFormat === 'string') scheme.bearerFormat = d.bearerFormat;
        out[name] = scheme;
        break;
      }
      case 'oauth2':
        out[name] =
          d.flows === undefined ? { type: 'oauth2' } : { type: 'oauth2', flows: d.flows as JsonValue };
        break;
      case 'openIdConnect':
        out[name] =
          typeof d.openIdConnectUrl === 'string'
            ? { type: 'openIdConnect', openIdConnectUrl: d.openIdConnectUrl }
            : { type: 'openIdConnect' };
        break;
      case 'mutualTLS':
        out[name] = { type: 'mutualTLS' };
        break;
    }
  }
  return out;
}

function dedupeProblems(problems: RefProblem[]): RefProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.code}\u0000${p.url}\u0000${p.pointer}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function problemToDiagnostic(p: RefProblem, display: (url: string) => string): Diagnostic {
  return {
    code: p.code,
    severity: p.code === 'openapi-ref-depth' ? 'warning' : 'error',
    message: p.message,
    pointer: p.pointer,
    file: display(p.url),
    line: 0,
    column: 0,
  };
}
