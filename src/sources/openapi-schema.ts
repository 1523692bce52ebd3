// Arazzo 1.0.1 "Source Description Object": each OpenAPI source checked against the OpenAPI (or Swagger 2.0)
// JSON Schema, for `arazzo validate`. Loaded only there: a run pays nothing for it.
import { readFile } from 'node:fs/promises';
import type { OpenAPI } from 'openapi-types';
import type { Diagnostic } from '../document/diagnostic.js';
import { parseDocumentText } from '../document/index.js';
import { isRecord } from '../own.js';
import { formatPointer, parsePointer } from '../pointer.js';
import type { DocumentLoader, LoadedDocument, OpenApiSource } from './types.js';

/** Schema problems listed per source before the rest are summed up in one line. */
const MAX_SCHEMA_PROBLEMS = 20;

interface SchemaProblem {
  instancePath: string;
  message?: string;
  keyword?: string;
  params?: Record<string, unknown>;
}

export interface OpenApiSchemaCheckOptions {
  /**
   * Reads a source's text again to place problems at line:column. Default: local files are read from
   * disk; other sources are not fetched a second time (their problems have line 0).
   */
  loader?: DocumentLoader;
  /** Report schema problems as errors instead of warnings. Default false. */
  strict?: boolean;
}

/**
 * Every OpenAPI source of `loaded` (and of the Arazzo documents it references), validated with
 * @apidevtools/swagger-parser's schema check. A source that breaks its schema still runs when the
 * operations a workflow uses resolve, so problems are warnings unless `strict`.
 * @example const diagnostics = await checkOpenApiSources(loaded, { loader: defaultLoader });
 */
export async function checkOpenApiSources(
  loaded: LoadedDocument,
  options: OpenApiSchemaCheckOptions = {},
): Promise<Diagnostic[]> {
  const { default: SwaggerParser } = await import('@apidevtools/swagger-parser');
  const out: Diagnostic[] = [];
  for (const source of openApiSources(loaded)) {
    const problems = (await schemaProblems(SwaggerParser, source.raw)).filter(
      (p) => !underExternalRef(source.raw, p.instancePath),
    );
    if (problems.length === 0) continue;
    out.push(...(await toDiagnostics(source, problems, options)));
  }
  return out;
}

function openApiSources(loaded: LoadedDocument, seen = new Set<string>()): OpenApiSource[] {
  const found: OpenApiSource[] = [];
  for (const source of loaded.sources.values()) {
    if (seen.has(source.url)) continue;
    seen.add(source.url);
    if (source.kind === 'openapi') found.push(source);
    else if (source.kind === 'arazzo') found.push(...openApiSources(source.loaded, seen));
  }
  return found;
}

type Validator = Pick<typeof import('@apidevtools/swagger-parser'), 'validate'>;

async function schemaProblems(parser: Validator, raw: OpenAPI.Document): Promise<SchemaProblem[]> {
  try {
    // The parser dereferences in place: give it a copy. External references stay unresolved, so the
    // check reads no file and no network.
    await parser.validate(structuredClone(raw), {
      resolve: { external: false },
      validate: { schema: true, spec: false },
    });
    return [];
  } catch (error) {
    const details = (error as { details?: unknown }).details;
    if (Array.isArray(details)) return deepest(details as SchemaProblem[]);
    return [{ instancePath: '', message: error instanceof Error ? error.message : String(error) }];
  }
}

/**
 * ajv reports a failed `oneOf` at every level (the alternative that failed, the Reference Object
 * alternative that wanted `$ref`, the oneOf itself, its parents): keep the deepest problem of each branch,
 * which is the one a person fixes.
 */
function deepest(problems: readonly SchemaProblem[]): SchemaProblem[] {
  const paths = problems.map((p) => p.instancePath);
  const seen = new Set<string>();
  return problems.filter((p) => {
    const missing = p.params?.missingProperty;
    if (missing === '$ref') return false; // the Reference Object alternative: never what was meant
    // A missing member is its own problem, unless the member exists with a problem of its own.
    const prefix = typeof missing === 'string' ? `${p.instancePath}/${missing}/` : `${p.instancePath}/`;
    if (paths.some((other) => other.startsWith(prefix))) return false;
    const key = `${p.instancePath}\u0000${p.message ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * External references are left unresolved (the check reads nothing), so what stands at or below one
 * cannot be judged: a path item `{ $ref: 'paths/pets.yaml#/item' }` is not "an object without members".
 */
function underExternalRef(raw: unknown, instancePath: string): boolean {
  const tokens = parsePointer(ajvPathToPointer(instancePath)) ?? [];
  let node: unknown = raw;
  for (const token of ['', ...tokens]) {
    if (token !== '') node = isRecord(node) && Object.hasOwn(node, token) ? node[token] : undefined;
    if (isRecord(node) && typeof node.$ref === 'string' && !node.$ref.startsWith('#')) return true;
  }
  return false;
}

async function toDiagnostics(
  source: OpenApiSource,
  problems: readonly SchemaProblem[],
  options: OpenApiSchemaCheckOptions,
): Promise<Diagnostic[]> {
  const locate = await locator(source.url, options.loader);
  const severity = options.strict === true ? 'error' : 'warning';
  const label = `source "${source.name}"`;
  const shown = problems.slice(0, MAX_SCHEMA_PROBLEMS).map((p): Diagnostic => {
    const pointer = ajvPathToPointer(p.instancePath);
    const { line, column } = locate(pointer);
    return {
      code: 'openapi-schema',
      severity,
      message: `${label} (#${pointer}): ${describe(p)}`,
      pointer,
      file: source.url,
      line,
      column,
    };
  });
  if (problems.length > MAX_SCHEMA_PROBLEMS)
    shown.push({
      code: 'openapi-schema',
      severity,
      message: `${label}: ${problems.length - MAX_SCHEMA_PROBLEMS} more schema problem(s), not listed`,
      pointer: '',
      file: source.url,
      line: 0,
      column: 0,
    });
  return shown;
}

function describe(p: SchemaProblem): string {
  const message = p.message ?? `fails "${p.keyword ?? 'schema'}"`;
  const extra = p.params?.additionalProperty ?? p.params?.missingProperty;
  if (typeof extra === 'string') return `${message} ("${extra}")`;
  const allowed = p.params?.allowedValues;
  if (Array.isArray(allowed)) return `${message}: ${allowed.map((v) => JSON.stringify(v)).join(', ')}`;
  return message;
}

/** ajv 8 reports JSON Pointers already; older drafts' dotted paths are turned into pointers. */
function ajvPathToPointer(path: string): string {
  if (path === '' || path.startsWith('/')) return path;
  const tokens = path.split('.').filter((t) => t !== '');
  return formatPointer(tokens);
}

async function locator(
  url: string,
  loader: DocumentLoader | undefined,
): Promise<(pointer: string) => { line: number; column: number }> {
  const unknown = () => ({ line: 0, column: 0 });
  try {
    const target = new URL(url);
    const text =
      loader !== undefined
        ? (await loader(target)).text
        : target.protocol === 'file:'
          ? await readFile(target, 'utf8')
          : undefined;
    if (text === undefined) return unknown;
    return parseDocumentText(text, url).locate;
  } catch {
    return unknown;
  }
}
