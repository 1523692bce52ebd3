/**
 * Contract types for source descriptions and the operation index (spec: "Source Description Object").
 * OpenAPI 3.0, 3.1 and Swagger 2.0 are all presented in this one OpenAPI-3-like shape.
 */
import type { OpenAPI } from 'openapi-types';
import type { Diagnostic } from '../document/diagnostic.js';
import type { ArazzoDocument, AsyncAction, JsonValue, SpecVersion } from '../document/model.js';
import type { AsyncApiChannel, AsyncApiMessage, AsyncApiOperation, AsyncApiSource } from './asyncapi.js';

export type { AmqpChannelBinding, AmqpExchange, AmqpOperationBinding, AmqpQueue } from './asyncapi.js';
export type { AsyncApiChannel, AsyncApiMessage, AsyncApiOperation, AsyncApiSource };

/** Reads a document. Injected so tests and sandboxes control I/O. */
export type DocumentLoader = (
  url: URL,
  signal?: AbortSignal,
) => Promise<{ text: string; contentType?: string }>;

export interface ServerVariable {
  default: string;
  enum?: string[];
}
export interface ServerObject {
  url: string;
  variables?: Record<string, ServerVariable>;
}

/** An OpenAPI parameter after $ref resolution, merged path-item + operation (operation wins by name+in). */
export interface OperationParameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required: boolean;
  style?: string;
  explode?: boolean;
  allowReserved?: boolean;
  allowEmptyValue?: boolean;
  schema?: JsonValue;
  /** OpenAPI `content` form: a single media type that serializes the value. */
  content?: Record<string, { schema?: JsonValue }>;
  /** Swagger 2 collectionFormat, mapped to style/explode by the index; kept for messages. */
  collectionFormat?: string;
}

export interface MediaTypeObject {
  schema?: JsonValue;
  example?: JsonValue;
  examples?: Record<string, { value?: JsonValue; externalValue?: string }>;
  encoding?: Record<
    string,
    { contentType?: string; style?: string; explode?: boolean; allowReserved?: boolean }
  >;
}

export interface ResponseObject {
  description?: string;
  headers?: Record<string, { schema?: JsonValue; required?: boolean }>;
  content?: Record<string, MediaTypeObject>;
}

export type SecurityRequirement = Record<string, string[]>;

export type SecurityScheme =
  | { type: 'apiKey'; name: string; in: 'header' | 'query' | 'cookie' }
  | { type: 'http'; scheme: string; bearerFormat?: string }
  | { type: 'oauth2'; flows?: JsonValue }
  | { type: 'openIdConnect'; openIdConnectUrl?: string }
  | { type: 'mutualTLS' };

/** One operation of a source, everything a request needs, $refs resolved (lazily, on first lookup). */
export interface ResolvedOperation {
  sourceName: string;
  operationId?: string;
  /** Upper-case HTTP method. */
  method: string;
  /** Path template as in the document, e.g. '/api/v3/connected_accounts/{nanoid}'. */
  path: string;
  /** JSON Pointer of the operation object in its document, e.g. '/paths/~1pets/get'. */
  pointer: string;
  /** Effective servers: operation, else path item, else document (Swagger 2: from host/basePath/schemes). */
  servers: ServerObject[];
  parameters: OperationParameter[];
  requestBody?: { required: boolean; content: Record<string, MediaTypeObject> };
  /** Keyed by status code string ('200', '2XX', 'default'). */
  responses: Record<string, ResponseObject>;
  /** Effective security: operation-level, else document-level. [] means none required. */
  security: SecurityRequirement[];
  securitySchemes: Record<string, SecurityScheme>;
  /** The URL of the OpenAPI document this operation came from (for relative server URLs). */
  documentUrl: string;
  /** Problems met while resolving this operation ($ref not found, $ref cycle). Absent when none. */
  diagnostics?: Diagnostic[];
}

export interface OpenApiSource {
  kind: 'openapi';
  name: string;
  url: string;
  version: '2.0' | '3.0' | '3.1';
  /** Look up by operationId. */
  getOperationById(operationId: string): ResolvedOperation | undefined;
  /** Look up by JSON Pointer into the document ('/paths/~1pets~1{id}/get'). */
  getOperationByPointer(pointer: string): ResolvedOperation | undefined;
  /** Every operationId in the document (for "did you mean" messages and mock servers). */
  operationIds(): string[];
  /** Every operation, resolved on demand (mock server, contract checks). */
  allOperations(): ResolvedOperation[];
  /** Resolve a local JSON Schema $ref tree for validation/sampling (lazily, cycles kept as $ref). */
  resolveSchema(schema: JsonValue): JsonValue;
  /**
   * The parsed document as it was read (read-only): OpenAPI 3.0 / 3.1 or Swagger 2.0, typed with
   * openapi-types. Only the index above has checked its shape; treat members as possibly absent.
   */
  readonly raw: OpenAPI.Document;
}

export interface ArazzoSource {
  kind: 'arazzo';
  name: string;
  url: string;
  loaded: LoadedDocument;
}

export type LoadedSource = OpenApiSource | ArazzoSource | AsyncApiSource;

/** A loaded, validated (compat-normalized) Arazzo document with its sources. */
export interface LoadedDocument {
  /** The document after compat rewrites; deeply frozen. */
  document: ArazzoDocument;
  /** URL (file: or http:) the document was read from; a synthetic 'inline:' URL for strings/objects. */
  url: string;
  /**
   * Base URI of the document's relative references (source `url`s): its `$self` (1.1) resolved against
   * the retrieval URI, else the retrieval URI (for inline documents, the `cwd` directory).
   */
  baseUri: string;
  diagnostics: Diagnostic[];
  sources: Map<string, LoadedSource>;
  /** Line/column for a JSON Pointer into this document (1-based; 0 when unknown). */
  locate(pointer: string): { line: number; column: number };
  /** Options the document was loaded with (strict, compat). */
  strict: boolean;
  /**
   * The rules the document is read by: its `arazzo` field's major.minor ('1.0' or '1.1'); the patch is
   * ignored (spec "Versions"). Equal to `specVersionOf(document)`.
   */
  specVersion: SpecVersion;
}

/** `warnings`: non-fatal notes about how the target was found (e.g. `compat-bare-operation-id`). */
export type StepTarget =
  | { kind: 'operation'; operation: ResolvedOperation; warnings?: Diagnostic[] }
  | { kind: 'workflow'; workflowId: string; loaded: LoadedDocument; warnings?: Diagnostic[] }
  | MessageTarget;

/** An AsyncAPI step's target (1.1): the channel, the operation when one is named, what the step does. */
export interface MessageTarget {
  kind: 'message';
  source: AsyncApiSource;
  channel: AsyncApiChannel;
  operation?: AsyncApiOperation;
  /** The step's `action`, else the operation's. */
  action: AsyncAction;
  /** The messages that may be sent or received (the operation's, else the channel's). */
  messages: AsyncApiMessage[];
  warnings?: Diagnostic[];
}

/** Options for `loadArazzo` and `validate`. Every field is optional. */
export interface LoadOptions {
  /**
   * Replace the `url` of a top-level source description, by name. Paths are relative to `cwd`;
   * absolute `file:`/`http(s):` URLs are taken as they are. A name that is not declared is an
   * `OptionsError`. Use it when the published document names a file that is not there.
   * Default: none.
   * @example { sources: { composioApi: './openapi/composio.json' } }
   */
  sources?: Record<string, string>;
  /**
   * Reads documents. Default: `defaultLoader` (file: via fs, http(s): via undici). The size,
   * `allowRemote` and `rootDir` checks apply to an injected loader too.
   * @example { loader: async (url) => ({ text: files[url.href] }) }
   */
  loader?: DocumentLoader;
  /**
   * Refuse non-spec forms (e.g. a bare operationId with several sources) instead of accepting them
   * with a `compat-*` warning. Default false.
   * @example { strict: true }
   */
  strict?: boolean;
  /**
   * Largest document (Arazzo, OpenAPI, or a file reached through an external `$ref`) read, in bytes.
   * Default 52428800 (50 MiB).
   * @example { maxDocumentBytes: 5 * 1024 * 1024 }
   */
  maxDocumentBytes?: number;
  /**
   * May documents be fetched over http(s)? `true` (default): any host; `false`: none; a list:
   * only these host names (`host` or `host:port`, compared case-insensitively).
   * @example { allowRemote: ['api.example.com', '127.0.0.1:8080'] }
   */
  allowRemote?: boolean | string[];
  /**
   * When set, file: documents must lie inside this directory (after resolving symlinks); anything
   * else is refused. Relative to `cwd`. Default: no restriction.
   * @example { rootDir: './specs' }
   */
  rootDir?: string;
  /**
   * Cancels loading; the promise rejects with the signal's reason.
   * @example { signal: AbortSignal.timeout(5000) }
   */
  signal?: AbortSignal;
  /**
   * Directory that relative paths (the source, `sources`, `rootDir`) and inline documents'
   * relative source URLs are resolved against. Default `process.cwd()`.
   * @example { cwd: '/srv/workflows' }
   */
  cwd?: string;
  /**
   * Timeout for one remote read (headers and body), in milliseconds. Default 30000.
   * @example { timeoutMs: 5000 }
   */
  timeoutMs?: number;
}

/** Result of `validate`: `valid` is false exactly when some diagnostic is an error. */
/** Options of `validate()`: those of `loadArazzo()`, and the OpenAPI schema check. */
export interface ValidateOptions extends LoadOptions {
  /**
   * Also check every OpenAPI source against the OpenAPI (or Swagger 2.0) JSON Schema, with
   * @apidevtools/swagger-parser (loaded only then). Problems are `openapi-schema` warnings at the source
   * file (errors when `strict`). Default false; `arazzo validate` turns it on.
   * @example validate('shop.arazzo.yaml', { checkOpenApi: true })
   */
  checkOpenApi?: boolean;
}

export interface ValidateResult {
  valid: boolean;
  diagnostics: Diagnostic[];
}
