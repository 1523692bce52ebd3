// Arazzo 1.0.1 "Arazzo Specification Object" + "Source Description Object": loading a document and its sources.
import type { Dirent } from 'node:fs';
import { access, readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type Diagnostic, hasErrors } from '../document/diagnostic.js';
import { type ParsedText, parseDocumentText, prepareValidation, validateArazzo } from '../document/index.js';
import { type ArazzoDocument, type SourceDescriptionObject, specVersionOf } from '../document/model.js';
import { DocumentError, OptionsError, UnreadableDocumentError } from '../errors.js';
import {
  directoryUrl,
  displayUrl,
  makeReadPolicy,
  ReadFailure,
  type ReadPolicy,
  readWithPolicy,
} from './loader.js';
import { createOpenApiSource, type OpenApiSourceInit, parseSourceText } from './openapi.js';
import type { DocumentSet } from './refs.js';
import { markSourceUnavailable, resolveStepTarget, setDisplayName } from './target.js';
import type { LoadedDocument, LoadedSource, LoadOptions, ValidateOptions, ValidateResult } from './types.js';

/** document/ diagnostics replaced by a more precise one of ours at the same pointer. */
const SUPERSEDED_CODES = new Set(['compat-unqualified-operation-id']);

/** LoadedDocument.url of a document given as text or as an object. */
const INLINE_URL = 'inline:document';

/** External documents prefetched per source at most (each one is a read). */
const MAX_EXTERNAL_DOCUMENTS = 200;

/** Codes meaning "a document could not be read or parsed at all" (-> UnreadableDocumentError). */
const UNREADABLE_CODES = new Set([
  'document-unreadable',
  'source-unreadable',
  'source-url-refused',
  'source-too-large',
  'source-unparseable',
]);

interface Session {
  policy: ReadPolicy;
  strict: boolean;
  cwd: string;
  /** Raw text reads, shared by every document of this load. */
  texts: Map<string, Promise<string>>;
  /** Arazzo documents being loaded or loaded, by URL (reads are not repeated). */
  arazzo: Map<string, Promise<Loaded>>;
  /** Arazzo documents by URL from the moment they validate, before their sources load: cycles end here. */
  shells: Map<string, LoadedDocument>;
  /** Arazzo documents by their resolved `$self` (1.1 "Identity-Based Referencing"), from the same moment. */
  identities: Map<string, LoadedDocument>;
  /** OpenAPI sources by URL (two source descriptions may share a file). */
  openapi: Map<string, Promise<OpenApiLoad>>;
}

interface Loaded {
  loaded: LoadedDocument | undefined;
  diagnostics: Diagnostic[];
}

interface OpenApiLoad {
  /** Parsed documents, or why the main one failed. */
  documents?: DocumentSet;
  raw?: unknown;
  failure?: { code: string; reason: string };
}

/**
 * Load an Arazzo document and every source description it declares, and resolve every step's target.
 * `source`: a file path, a file:/http(s): URL, YAML/JSON text, or an already-parsed object.
 * Rejects with UnreadableDocumentError when a document cannot be read or parsed, DocumentError
 * when there are other errors (both carry every diagnostic), OptionsError for unusable options.
 * Warnings are kept in `diagnostics`.
 */
export async function loadArazzo(
  source: string | URL | object,
  options: LoadOptions = {},
): Promise<LoadedDocument> {
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const session: Session = {
    policy: await makeReadPolicy(options, cwd),
    strict: options.strict ?? false,
    cwd,
    texts: new Map(),
    arazzo: new Map(),
    shells: new Map(),
    identities: new Map(),
    openapi: new Map(),
  };
  const top = await readTopLevel(source, session);
  const result = await loadParsed(top.parsed, top, session, options.sources);
  const diagnostics = dedupe(result.diagnostics);
  if (result.loaded === undefined || hasErrors(diagnostics))
    throw documentFailure(top.display, diagnostics, top.parsed);
  result.loaded.diagnostics = diagnostics;
  return result.loaded;
}

/**
 * Check a document without running it: `{ valid, diagnostics }`. Never rejects for a bad or unreadable
 * document (those come back as diagnostics); rejects only for unusable options or cancellation.
 */
export async function validate(
  source: string | URL | object,
  options: ValidateOptions = {},
): Promise<ValidateResult> {
  try {
    const loaded = await loadArazzo(source, options);
    if (options.checkOpenApi !== true) return { valid: true, diagnostics: loaded.diagnostics };
    const { checkOpenApiSources } = await import('./openapi-schema.js');
    const found = await checkOpenApiSources(loaded, {
      ...(options.loader !== undefined ? { loader: options.loader } : {}),
      strict: options.strict === true,
    });
    const diagnostics = [...loaded.diagnostics, ...found];
    return { valid: !hasErrors(diagnostics), diagnostics };
  } catch (e) {
    if (e instanceof DocumentError || e instanceof UnreadableDocumentError) {
      const diagnostics =
        e.diagnostics.length > 0
          ? [...e.diagnostics]
          : [
              {
                code: 'document-unreadable',
                severity: 'error' as const,
                message: e.message,
                pointer: '',
                file: e instanceof UnreadableDocumentError ? e.location : '',
                line: 0,
                column: 0,
              },
            ];
      return { valid: false, diagnostics };
    }
    throw e;
  }
}

function documentFailure(display: string, diagnostics: Diagnostic[], parsed: ParsedText): Error {
  const errors = diagnostics.filter((d) => d.severity === 'error');
  const lines = errors
    .slice(0, 5)
    .map((d) => `  ${d.file}${d.line > 0 ? `:${d.line}:${d.column}` : ''} ${d.message}`);
  if (errors.length > 5) lines.push(`  ... and ${errors.length - 5} more`);
  const unreadable = errors.find((d) => UNREADABLE_CODES.has(d.code));
  if (parsed.value === undefined || unreadable !== undefined) {
    const first = unreadable ?? errors[0];
    const location = unreadable === undefined ? display : (triedLocations.get(unreadable) ?? unreadable.file);
    return new UnreadableDocumentError(
      `${first?.message ?? `cannot read ${display}`}${errors.length > 1 ? `\n${lines.join('\n')}` : ''}`,
      location,
      diagnostics,
    );
  }
  return new DocumentError(
    `${display}: ${errors.length} error${errors.length === 1 ? '' : 's'}\n${lines.join('\n')}`,
    diagnostics,
  );
}

/** The file or URL an unreadable-source diagnostic tried (UnreadableDocumentError.location). */
const triedLocations = new WeakMap<Diagnostic, string>();

function looksInline(s: string): boolean {
  const t = s.trimStart();
  return s.includes('\n') || t.startsWith('{') || t.startsWith('arazzo:');
}

function isUrlLike(s: string): boolean {
  // A drive letter (C:\x) is a path, not a scheme.
  return /^[a-z][a-z0-9+.-]+:/i.test(s);
}

function inlineParsed(value: unknown, url: string): ParsedText {
  return { value, diagnostics: [], url, locate: () => ({ line: 0, column: 0 }) };
}

async function readTopLevel(
  source: string | URL | object,
  session: Session,
): Promise<{ parsed: ParsedText; url: string; base: string; display: string }> {
  // Inline documents have no location of their own: their relative source urls resolve against cwd.
  const inline = { url: INLINE_URL, base: directoryUrl(session.cwd).href, display: '<inline>' };
  if (typeof source === 'string' && looksInline(source))
    return { parsed: parseDocumentText(source, inline.display), ...inline };
  if (typeof source === 'object' && !(source instanceof URL))
    return { parsed: inlineParsed(source, inline.display), ...inline };
  let url: URL;
  if (source instanceof URL) url = source;
  else if (isUrlLike(source)) {
    try {
      url = new URL(source);
    } catch {
      throw unreadable(source, source, 'document-unreadable', 'not a valid URL');
    }
  } else url = pathToFileURL(path.resolve(session.cwd, source));
  const display = displayUrl(url);
  try {
    const text = await readText(url, session);
    return { parsed: parseDocumentText(text, display), url: url.href, base: url.href, display };
  } catch (e) {
    if (!(e instanceof ReadFailure)) throw e;
    throw unreadable(
      display,
      display,
      e.code === 'source-unreadable' ? 'document-unreadable' : e.code,
      e.message,
      e,
    );
  }
}

function unreadable(
  location: string,
  file: string,
  code: string,
  reason: string,
  cause?: unknown,
): UnreadableDocumentError {
  const message = `Arazzo document ${file}: cannot read: ${reason}`;
  const diag: Diagnostic = { code, severity: 'error', message, pointer: '', file, line: 0, column: 0 };
  return new UnreadableDocumentError(message, location, [diag], cause === undefined ? {} : { cause });
}

function readText(url: URL, session: Session): Promise<string> {
  let p = session.texts.get(url.href);
  if (p === undefined) {
    p = readWithPolicy(url, session.policy);
    session.texts.set(url.href, p);
  }
  return p;
}

/** Resolve a `sources` override: a URL as given, a path relative to cwd. */
function overrideUrl(value: string, cwd: string): URL {
  return isUrlLike(value) && !/^[a-z]:[\\/]/i.test(value)
    ? new URL(value)
    : pathToFileURL(path.resolve(cwd, value));
}

async function loadParsed(
  parsed: ParsedText,
  where: { url: string; base: string; display: string },
  session: Session,
  overrides: Record<string, string> | undefined,
): Promise<Loaded> {
  const { url, display } = where;
  await prepareValidation(parsed.value);
  const validation = validateArazzo(parsed, { strict: session.strict });
  const diagnostics: Diagnostic[] = [...validation.diagnostics];
  const document = validation.document;
  if (document === undefined) return { loaded: undefined, diagnostics };
  if (overrides !== undefined) checkOverrides(document, overrides, display);
  const base = baseUri(document, where.base);
  const loaded: LoadedDocument = {
    document: deepFreeze(document),
    url,
    baseUri: base,
    diagnostics: [],
    sources: new Map(),
    locate: (pointer) => parsed.locate(pointer),
    strict: session.strict,
    specVersion: specVersionOf(document),
  };
  setDisplayName(loaded, display);
  session.shells.set(url, loaded);
  if (document.$self !== undefined) session.identities.set(base, loaded);

  const descriptions = document.sourceDescriptions ?? [];
  const results = await Promise.all(
    descriptions.map((sd, i) => loadSource(sd, i, loaded, base, display, session, overrides?.[sd.name])),
  );
  for (const r of results) {
    diagnostics.push(...r.diagnostics);
    if (r.source !== undefined) loaded.sources.set(r.source.name, r.source);
  }
  const all = withStepTargets(loaded, diagnostics);
  loaded.diagnostics = dedupe(all);
  return { loaded, diagnostics: all };
}

function checkOverrides(document: ArazzoDocument, overrides: Record<string, string>, display: string): void {
  const names = new Set((document.sourceDescriptions ?? []).map((sd) => sd.name));
  const unknown = Object.keys(overrides).filter((n) => !names.has(n));
  if (unknown.length > 0)
    throw new OptionsError(
      `sources option: no sourceDescription named ${unknown.map((n) => `"${n}"`).join(', ')} in ${display} (declared: ${[...names].join(', ') || 'none'})`,
    );
}

/**
 * `diagnostics` plus what resolving every step's target finds. Errors document/ already reported at a
 * step's pointer are not repeated; its generic warning about a bare operationId gives way to ours, which
 * knows the sources' contents.
 */
function withStepTargets(loaded: LoadedDocument, diagnostics: Diagnostic[]): Diagnostic[] {
  const reported = new Set(diagnostics.filter((d) => d.severity === 'error').map((d) => d.pointer));
  const superseded = new Set<string>();
  const targetDiagnostics: Diagnostic[] = [];
  loaded.document.workflows.forEach((workflow, wi) => {
    workflow.steps.forEach((step, si) => {
      const pointer = `/workflows/${wi}/steps/${si}`;
      const target = resolveStepTarget(loaded, step, pointer);
      const own: Diagnostic[] = [];
      if ('kind' in target) {
        if (target.warnings !== undefined) own.push(...target.warnings);
        if (target.kind === 'operation' && target.operation.diagnostics !== undefined)
          targetDiagnostics.push(...target.operation.diagnostics);
      } else if (target.code !== 'source-unavailable' && !reported.has(target.pointer)) {
        own.push(target);
      }
      for (const d of own) superseded.add(d.pointer);
      targetDiagnostics.push(...own);
    });
  });
  const kept = diagnostics.filter((d) => !(SUPERSEDED_CODES.has(d.code) && superseded.has(d.pointer)));
  return [...kept, ...targetDiagnostics];
}

type SourceResult = { source?: LoadedSource; diagnostics: Diagnostic[] };

/** Where a source description is declared: what its diagnostics point at. */
interface SourceSite {
  sd: SourceDescriptionObject;
  parent: LoadedDocument;
  parentDisplay: string;
  /** `/sourceDescriptions/<i>/url` in the parent. */
  pointer: string;
}

/** A source description whose URL resolved: where it is read from and how that is shown. */
interface SourceLoad extends SourceSite {
  url: URL;
  session: Session;
  override: string | undefined;
  /** The url as written (or the override), quoted, for messages. */
  given: string;
  /** The display form of the resolved URL. */
  tried: string;
}

async function loadSource(
  sd: SourceDescriptionObject,
  index: number,
  parent: LoadedDocument,
  base: string,
  parentDisplay: string,
  session: Session,
  override: string | undefined,
): Promise<SourceResult> {
  const site: SourceSite = { sd, parent, parentDisplay, pointer: `/sourceDescriptions/${index}/url` };
  const url = sourceUrl(sd, base, override, session.cwd);
  if (url === undefined)
    return sourceFailure(
      site,
      'source-url-invalid',
      `url "${override ?? sd.url}" is not a valid URI reference`,
      'invalid url',
    );
  const at: SourceLoad = {
    sd,
    parent,
    parentDisplay,
    pointer: site.pointer,
    url,
    session,
    override,
    given: override !== undefined ? `"${override}" (from the sources option)` : `"${sd.url}"`,
    tried: displayUrl(url),
  };
  if (sd.type === 'arazzo') return loadArazzoSource(at);
  const load = await loadOpenApi(url, session);
  if (load.failure !== undefined) return readFailure(at, load.failure);
  return sd.type === 'asyncapi' ? buildAsyncApiSource(at, load) : buildOpenApiSource(at, load);
}

/** The source's URL without its fragment: the override (relative to cwd) or `url` against the base. */
function sourceUrl(
  sd: SourceDescriptionObject,
  base: string,
  override: string | undefined,
  cwd: string,
): URL | undefined {
  let url: URL;
  try {
    url = override !== undefined ? overrideUrl(override, cwd) : new URL(sd.url, base);
  } catch {
    return undefined;
  }
  url.hash = '';
  return url;
}

/** The source is unusable: steps that use it get `source-unavailable`, and one error says why. */
function sourceFailure(
  site: SourceSite,
  code: string,
  message: string,
  reason: string,
  tried?: string,
): SourceResult {
  markSourceUnavailable(site.parent, site.sd.name, reason);
  const pos = site.parent.locate(site.pointer);
  const d: Diagnostic = {
    code,
    severity: 'error',
    message: `sourceDescription "${site.sd.name}" (#${site.pointer}): ${message}`,
    pointer: site.pointer,
    file: site.parentDisplay,
    line: pos.line,
    column: pos.column,
  };
  if (tried !== undefined) triedLocations.set(d, tried);
  return { diagnostics: [d] };
}

/** "cannot read ..." with, for a missing file, where a file of that name was found. */
async function cannotRead(at: SourceLoad, code: string, reason: string): Promise<SourceResult> {
  const hint = code === 'source-unreadable' ? await missingFileHint(at) : '';
  return sourceFailure(
    at,
    code,
    `cannot read ${at.given} (tried ${at.tried}): ${reason}${hint}`,
    reason,
    at.tried,
  );
}

async function missingFileHint(at: SourceLoad): Promise<string> {
  if (at.override !== undefined) return '';
  const { policy } = at.session;
  const found = policy.injected ? undefined : await sameNameNearby(at.url, policy.rootDir);
  const where = found === undefined ? '' : `; a file of that name exists at ${found}`;
  return `${where}; if the file is elsewhere, point at it with the sources option (CLI --source ${at.sd.name}=<path>)`;
}

function readFailure(
  at: SourceLoad,
  { code, reason }: { code: string; reason: string },
): Promise<SourceResult> | SourceResult {
  if (code === 'source-unparseable')
    return sourceFailure(at, code, `${at.given} (${at.tried}) is ${reason}`, reason, at.tried);
  if (code === 'source-url-refused')
    return sourceFailure(at, code, `${at.given} not read: ${reason}`, reason, at.tried);
  return cannotRead(at, code, reason);
}

function sourceInit(at: SourceLoad, load: OpenApiLoad): OpenApiSourceInit {
  return {
    name: at.sd.name,
    url: at.url.href,
    displayUrl: at.tried,
    raw: load.raw,
    documents: load.documents as DocumentSet,
    display: displayUrl,
  };
}

async function buildAsyncApiSource(at: SourceLoad, load: OpenApiLoad): Promise<SourceResult> {
  // Only documents with an AsyncAPI source pay for its reader.
  const { createAsyncApiSource } = await import('./asyncapi.js');
  const built = createAsyncApiSource(sourceInit(at, load));
  if (built.source === undefined)
    return sourceFailure(
      at,
      'source-not-asyncapi',
      built.diagnostics[0]?.message ?? 'not an AsyncAPI document',
      'not an AsyncAPI document',
      at.tried,
    );
  return { source: built.source, diagnostics: built.diagnostics };
}

function buildOpenApiSource(at: SourceLoad, load: OpenApiLoad): SourceResult {
  const built = createOpenApiSource(sourceInit(at, load));
  if (built.source === undefined) {
    const first = built.diagnostics[0];
    return sourceFailure(
      at,
      first?.code ?? 'source-not-openapi',
      `${at.given} (${at.tried}): ${first?.message.replace(/^source "[^"]*" \([^)]*\): /, '') ?? 'not an OpenAPI document'}`,
      'not an OpenAPI document',
      at.tried,
    );
  }
  return { source: built.source, diagnostics: built.diagnostics };
}

async function loadArazzoSource(at: SourceLoad): Promise<SourceResult> {
  const { sd, url, session, given, tried } = at;
  // A document whose loading has begun (an ancestor: a cycle; or a sibling: shared) is used as is;
  // its sources are complete by the time the outermost loadArazzo returns. Identity (`$self`) comes
  // before location (spec 1.1 "Identity-Based Referencing").
  const shell = session.identities.get(url.href) ?? session.shells.get(url.href);
  if (shell !== undefined)
    return { source: { kind: 'arazzo', name: sd.name, url: url.href, loaded: shell }, diagnostics: [] };
  let pending = session.arazzo.get(url.href);
  const first = pending === undefined;
  if (pending === undefined) {
    pending = readArazzoSource(url, tried, session);
    session.arazzo.set(url.href, pending);
  }
  const result = await pending;
  if (result.loaded === undefined) {
    const readError = result.diagnostics.find((d) => UNREADABLE_CODES.has(d.code));
    if (readError !== undefined) return cannotRead(at, readError.code, readError.message);
    const out = sourceFailure(
      at,
      'source-invalid',
      `Arazzo document ${given} (${tried}) has errors (reported with file ${tried})`,
      'invalid Arazzo document',
      tried,
    );
    return { diagnostics: [...out.diagnostics, ...(first ? result.diagnostics : [])] };
  }
  return {
    source: { kind: 'arazzo', name: sd.name, url: url.href, loaded: result.loaded },
    diagnostics: first ? result.diagnostics : [],
  };
}

async function readArazzoSource(url: URL, tried: string, session: Session): Promise<Loaded> {
  let text: string;
  try {
    text = await readText(url, session);
  } catch (e) {
    if (!(e instanceof ReadFailure)) throw e;
    const d: Diagnostic = {
      code: e.code,
      severity: 'error',
      message: e.message,
      pointer: '',
      file: tried,
      line: 0,
      column: 0,
    };
    return { loaded: undefined, diagnostics: [d] };
  }
  const where = { url: url.href, base: url.href, display: tried };
  return loadParsed(parseDocumentText(text, tried), where, session, undefined);
}

/**
 * The base URI relative references in a document resolve against (spec 1.1 "Establishing the Base URI"):
 * its `$self` resolved against the retrieval URI, else the retrieval URI. API endpoints never use it
 * (they come from the OpenAPI Server Object, resolved against the OpenAPI document's own location).
 */
export function baseUri(document: Pick<ArazzoDocument, '$self'>, retrieval: string): string {
  if (document.$self === undefined) return retrieval;
  try {
    return new URL(document.$self, retrieval).href;
  } catch {
    return retrieval; // the schema reports a $self that is not a URI-reference
  }
}

async function loadOpenApi(url: URL, session: Session): Promise<OpenApiLoad> {
  let p = session.openapi.get(url.href);
  if (p === undefined) {
    p = readOpenApi(url, session);
    session.openapi.set(url.href, p);
  }
  return p;
}

async function readOpenApi(url: URL, session: Session): Promise<OpenApiLoad> {
  let text: string;
  try {
    text = await readText(url, session);
  } catch (e) {
    if (!(e instanceof ReadFailure)) throw e;
    return { failure: { code: e.code, reason: e.message } };
  }
  const parsed = parseSourceText(text);
  if ('error' in parsed) return { failure: { code: 'source-unparseable', reason: parsed.error } };
  const documents: DocumentSet = { docs: new Map([[url.href, parsed.value]]), failures: new Map() };
  await prefetchExternal(text, url, documents, session);
  return { raw: parsed.value, documents };
}

/**
 * Read every document an external $ref names, before any lookup, so that resolution stays synchronous.
 * The text is scanned with a regular expression (no walk over a parsed multi-megabyte tree); a string
 * that only looks like a $ref costs one failed read, recorded and reported only if a lookup needs it.
 */
async function prefetchExternal(text: string, url: URL, set: DocumentSet, session: Session): Promise<void> {
  const queue: Array<{ text: string; url: URL }> = [{ text, url }];
  while (queue.length > 0) {
    const { text: t, url: base } = queue.shift() as { text: string; url: URL };
    if (!t.includes('$ref')) continue;
    const targets = new Set<string>();
    for (const m of t.matchAll(/["']?\$ref["']?\s*:\s*["']?([^"'\s,}#][^"'\s,}]*)/g)) {
      try {
        const target = new URL(m[1] as string, base);
        target.hash = '';
        if (!set.docs.has(target.href) && !set.failures.has(target.href)) targets.add(target.href);
      } catch {
        // not a URI reference; the lookup will say so if it is ever needed
      }
    }
    await Promise.all(
      [...targets].map(async (href) => {
        if (set.docs.size + set.failures.size >= MAX_EXTERNAL_DOCUMENTS) {
          set.failures.set(href, `more than ${MAX_EXTERNAL_DOCUMENTS} external documents`);
          return;
        }
        set.failures.set(href, 'still loading'); // reserve: the same href may be found twice
        try {
          const target = new URL(href);
          const body = await readText(target, session);
          const parsed = parseSourceText(body);
          if ('error' in parsed) {
            set.failures.set(href, parsed.error);
            return;
          }
          set.failures.delete(href);
          set.docs.set(href, parsed.value);
          queue.push({ text: body, url: target });
        } catch (e) {
          if (!(e instanceof ReadFailure)) throw e;
          set.failures.set(href, e.message);
        }
      }),
    );
  }
}

/**
 * For a missing file: the same file name one directory level below where it was expected (published
 * documents often keep the real file in a subfolder such as openapi/_original/). A hint only.
 */
async function sameNameNearby(url: URL, rootDir: string | undefined): Promise<string | undefined> {
  if (url.protocol !== 'file:') return undefined;
  const file = fileURLToPath(url);
  const dir = path.dirname(file);
  const name = path.basename(file);
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return undefined;
  }
  for (const e of entries.filter((x) => x.isDirectory()).slice(0, 50)) {
    const candidate = path.join(dir, e.name, name);
    if (rootDir !== undefined && !candidate.startsWith(rootDir + path.sep)) continue;
    if (
      await access(candidate).then(
        () => true,
        () => false,
      )
    )
      return candidate;
  }
  return undefined;
}

function dedupe(diagnostics: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = `${d.code}\u0000${d.file}\u0000${d.pointer}\u0000${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  Object.freeze(value);
  for (const v of Object.values(value)) deepFreeze(v);
  return value;
}

export type { ArazzoDocument };
