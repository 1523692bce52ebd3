// Arazzo 1.0.1 "Source Description Object" (url): reading the documents a workflow refers to.
import { readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Dispatcher } from 'undici';
import {
  globalOrSharedDispatcher,
  headerValue,
  NetFailure,
  type NetRequest,
  netErrorKind,
  readCapped,
  sendFollowing,
} from '../net/index.js';
import type { DocumentLoader, LoadOptions } from './types.js';

/** 50 MiB: the largest published OpenAPI documents we know of are under 20 MB. */
export const DEFAULT_MAX_DOCUMENT_BYTES = 50 * 1024 * 1024;
export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_REDIRECTS = 5;

/** Why a read failed, as a diagnostic code. */
export type ReadFailureCode = 'source-unreadable' | 'source-url-refused' | 'source-too-large';

/** A read that failed for a reason we can name. Internal: loadArazzo turns it into a diagnostic. */
export class ReadFailure extends Error {
  override name = 'ReadFailure';
  readonly code: ReadFailureCode;
  constructor(code: ReadFailureCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

export interface DefaultLoaderOptions {
  /** Per-read timeout for http(s), ms. Default 30000. */
  timeoutMs?: number;
  /** Body cap in bytes; reading stops as soon as it is passed. Default 50 MiB. */
  maxBytes?: number;
  /** Redirect hops followed for http(s). Default 5. */
  maxRedirects?: number;
  /** Asked before each http(s) hop, redirects included; return a reason string to refuse. */
  checkRemote?: (url: URL) => string | undefined;
}

/** Build a loader for file: (fs) and http(s): (net/, on undici) URLs. */
export function createDefaultLoader(options: DefaultLoaderOptions = {}): DocumentLoader {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_DOCUMENT_BYTES;
  return async (url, signal) => {
    if (url.protocol === 'file:') return { text: await readLocalFile(url, maxBytes, signal) };
    if (url.protocol === 'http:' || url.protocol === 'https:') {
      return readRemote(url, {
        maxBytes,
        timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        maxRedirects: options.maxRedirects ?? DEFAULT_MAX_REDIRECTS,
        checkRemote: options.checkRemote,
        signal,
      });
    }
    throw new ReadFailure('source-unreadable', `unsupported URL scheme "${url.protocol}"`);
  };
}

/** Reads file: URLs with fs/promises and http(s): URLs with net/ (30 s timeout, 5 redirects, 50 MiB). */
export const defaultLoader: DocumentLoader = createDefaultLoader();

async function readLocalFile(url: URL, maxBytes: number, signal?: AbortSignal): Promise<string> {
  const file = fileURLToPath(url);
  try {
    const info = await stat(file);
    if (info.isDirectory()) throw new ReadFailure('source-unreadable', 'is a directory, not a file');
    if (info.size > maxBytes) throw tooLarge(info.size, maxBytes);
    return await readFile(file, signal === undefined ? { encoding: 'utf8' } : { encoding: 'utf8', signal });
  } catch (e) {
    if (e instanceof ReadFailure) throw e;
    throw new ReadFailure('source-unreadable', describeFsError(e), { cause: e });
  }
}

function describeFsError(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  if (code === 'ENOENT') return 'file not found';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ENOTDIR') return 'a parent of this path is not a directory';
  if (code === 'ABORT_ERR') return 'aborted';
  return e instanceof Error ? e.message : String(e);
}

function tooLarge(size: number, max: number): ReadFailure {
  return new ReadFailure(
    'source-too-large',
    `document is ${size} bytes, more than maxDocumentBytes (${max}); raise the limit to read it`,
  );
}

interface RemoteOptions {
  maxBytes: number;
  timeoutMs: number;
  maxRedirects: number;
  checkRemote: ((url: URL) => string | undefined) | undefined;
  signal: AbortSignal | undefined;
}

const DOCUMENT_ACCEPT = 'application/json, application/yaml, text/yaml, */*;q=0.5';

/** A document over http(s) with the network client (net/): redirects followed, the body read under the cap. */
async function readRemote(start: URL, o: RemoteOptions): Promise<{ text: string; contentType?: string }> {
  const request = documentRequest(start, o);
  try {
    return await readDocument(await sendFollowing(request), request.url, o.maxBytes);
  } catch (e) {
    throw readFailure(e, o);
  }
}

/**
 * A GET that follows redirects to any origin (it carries no credentials), asking `checkRemote` before
 * each hop; undici's own timers bound the wait for headers and between body chunks.
 */
function documentRequest(start: URL, o: RemoteOptions): NetRequest {
  return {
    url: start.href,
    method: 'GET',
    headers: { accept: DOCUMENT_ACCEPT },
    ownHeaders: true,
    body: undefined,
    redirects: undefined,
    visited: undefined,
    dispatcher: globalOrSharedDispatcher(),
    signal: o.signal,
    undiciTimeoutMs: o.timeoutMs,
    maxRedirects: o.maxRedirects,
    crossOrigin: 'follow',
    secrets: [],
    checkHop(url) {
      const refusal = o.checkRemote?.(new URL(url));
      if (refusal !== undefined) throw new ReadFailure('source-url-refused', refusal);
    },
  };
}

async function readDocument(
  res: Dispatcher.ResponseData,
  url: string,
  maxBytes: number,
): Promise<{ text: string; contentType?: string }> {
  if (res.statusCode < 200 || res.statusCode >= 300) {
    await res.body.dump();
    throw new ReadFailure('source-unreadable', `HTTP ${res.statusCode} from ${url}`);
  }
  const bytes = await readCapped(res, maxBytes);
  const contentType = headerValue(res.headers['content-type']);
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  return contentType === undefined ? { text } : { text, contentType };
}

function readFailure(e: unknown, o: RemoteOptions): ReadFailure {
  if (e instanceof ReadFailure) return e;
  if (e instanceof NetFailure) {
    return e.reason === 'BODY_TOO_LARGE'
      ? tooLarge(e.size ?? o.maxBytes + 1, o.maxBytes)
      : new ReadFailure('source-unreadable', e.message);
  }
  return new ReadFailure('source-unreadable', describeNetError(e, o.timeoutMs), { cause: e });
}

function describeNetError(e: unknown, timeoutMs: number): string {
  const kind = netErrorKind(e);
  if (kind === 'TIMEOUT') return `no answer within ${timeoutMs} ms`;
  if (kind === 'ECONNREFUSED') return 'connection refused';
  if (kind === 'DNS') return 'host not found';
  const code = (e as { code?: unknown } | null)?.code;
  const message = e instanceof Error ? e.message : String(e);
  return typeof code === 'string' && !message.includes(code) ? `${message} (${code})` : message;
}

/** The policy checks of LoadOptions, applied around any loader (default or injected). */
export interface ReadPolicy {
  loader: DocumentLoader;
  maxBytes: number;
  allowRemote: boolean | string[];
  /** Real path of rootDir, when set. */
  rootDir: string | undefined;
  signal: AbortSignal | undefined;
  /** True when the caller supplied the loader: then nothing else touches the file system. */
  injected: boolean;
}

export function remoteRefusal(url: URL, allowRemote: boolean | string[]): string | undefined {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (allowRemote === true) return undefined;
  if (allowRemote === false)
    return `remote documents are not allowed (allowRemote: false); ${url.href} was not fetched`;
  const host = url.host.toLowerCase();
  const hostname = url.hostname.toLowerCase();
  const ok = allowRemote.some((h) => {
    const want = h.toLowerCase();
    return want === host || want === hostname;
  });
  return ok
    ? undefined
    : `host "${url.host}" is not in allowRemote (${allowRemote.join(', ') || 'empty list'})`;
}

/** Build the policy from options; the default loader gets the remote check for every redirect hop. */
export async function makeReadPolicy(options: LoadOptions, cwd: string): Promise<ReadPolicy> {
  const maxBytes = options.maxDocumentBytes ?? DEFAULT_MAX_DOCUMENT_BYTES;
  const allowRemote = options.allowRemote ?? true;
  let rootDir: string | undefined;
  if (options.rootDir !== undefined) {
    const abs = path.resolve(cwd, options.rootDir);
    rootDir = await realpath(abs).catch(() => abs);
  }
  const loader =
    options.loader ??
    createDefaultLoader({
      maxBytes,
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
      checkRemote: (u) => remoteRefusal(u, allowRemote),
    });
  return {
    loader,
    maxBytes,
    allowRemote,
    rootDir,
    signal: options.signal,
    injected: options.loader !== undefined,
  };
}

/** Read one document under the policy. Throws ReadFailure (or the signal's abort reason). */
export async function readWithPolicy(url: URL, policy: ReadPolicy): Promise<string> {
  policy.signal?.throwIfAborted();
  const refusal = remoteRefusal(url, policy.allowRemote);
  if (refusal !== undefined) throw new ReadFailure('source-url-refused', refusal);
  if (url.protocol === 'file:' && policy.rootDir !== undefined) {
    const file = fileURLToPath(url);
    const real = await realpath(file).catch(() => path.resolve(file));
    if (!isInside(real, policy.rootDir))
      throw new ReadFailure(
        'source-url-refused',
        `${real} is outside rootDir ${policy.rootDir}; documents may only be read from inside it`,
      );
  }
  let text: string;
  try {
    ({ text } = await policy.loader(url, policy.signal));
  } catch (e) {
    if (e instanceof ReadFailure) throw e;
    if (policy.signal?.aborted) throw policy.signal.reason;
    const code = (e as { code?: unknown } | null)?.code;
    const message = code === 'ENOENT' ? 'file not found' : e instanceof Error ? e.message : String(e);
    throw new ReadFailure('source-unreadable', message, { cause: e });
  }
  if (typeof text !== 'string') throw new ReadFailure('source-unreadable', 'the loader returned no text');
  // UTF-8 needs at least one byte per UTF-16 unit, so the exact count is needed only near the cap.
  if (text.length > policy.maxBytes) throw tooLarge(text.length, policy.maxBytes);
  if (text.length * 3 > policy.maxBytes) {
    const bytes = Buffer.byteLength(text, 'utf8');
    if (bytes > policy.maxBytes) throw tooLarge(bytes, policy.maxBytes);
  }
  return text;
}

function isInside(file: string, dir: string): boolean {
  const rel = path.relative(dir, file);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

/** How a URL is shown in messages and diagnostics: a path for file: URLs, else the URL. */
export function displayUrl(url: URL | string): string {
  const u = typeof url === 'string' ? safeUrl(url) : url;
  if (u === undefined) return String(url);
  if (u.protocol === 'file:') {
    try {
      return fileURLToPath(u);
    } catch {
      return u.href;
    }
  }
  return u.href;
}

function safeUrl(s: string): URL | undefined {
  try {
    return new URL(s);
  } catch {
    return undefined;
  }
}

/** A directory as a file: URL ending in '/', so relative references resolve inside it. */
export function directoryUrl(dir: string): URL {
  const href = pathToFileURL(dir).href;
  return new URL(href.endsWith('/') ? href : `${href}/`);
}
