// Arazzo 1.0.1 "Source Description Object" (url): reading the documents a workflow refers to.
import { readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
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

/** Build a loader for file: (fs) and http(s): (undici) URLs. */
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

/** Reads file: URLs with fs/promises and http(s): URLs with undici (30 s timeout, 5 redirects, 50 MiB). */
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

async function readRemote(start: URL, o: RemoteOptions): Promise<{ text: string; contentType?: string }> {
  // undici is large; most runs read files only, so it is imported on first use.
  const { request } = await import('undici');
  let url = start;
  for (let hop = 0; ; hop++) {
    const refusal = o.checkRemote?.(url);
    if (refusal !== undefined) throw new ReadFailure('source-url-refused', refusal);
    let res: Awaited<ReturnType<typeof request>>;
    try {
      res = await request(url, {
        method: 'GET',
        headers: { accept: 'application/json, application/yaml, text/yaml, */*;q=0.5' },
        headersTimeout: o.timeoutMs,
        bodyTimeout: o.timeoutMs,
        ...(o.signal === undefined ? {} : { signal: o.signal }),
      });
    } catch (e) {
      throw new ReadFailure('source-unreadable', describeNetError(e, o.timeoutMs), { cause: e });
    }
    const location = headerValue(res.headers.location);
    if (res.statusCode >= 300 && res.statusCode < 400 && location !== undefined) {
      await res.body.dump();
      if (hop >= o.maxRedirects)
        throw new ReadFailure('source-unreadable', `more than ${o.maxRedirects} redirects`);
      url = new URL(location, url);
      continue;
    }
    if (res.statusCode < 200 || res.statusCode >= 300) {
      await res.body.dump();
      throw new ReadFailure('source-unreadable', `HTTP ${res.statusCode} from ${url.href}`);
    }
    const declared = Number(headerValue(res.headers['content-length']) ?? Number.NaN);
    if (Number.isFinite(declared) && declared > o.maxBytes) {
      res.body.destroy();
      throw tooLarge(declared, o.maxBytes);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of res.body) {
        const buf = chunk as Buffer;
        size += buf.length;
        if (size > o.maxBytes) {
          res.body.destroy();
          throw tooLarge(size, o.maxBytes);
        }
        chunks.push(buf);
      }
    } catch (e) {
      if (e instanceof ReadFailure) throw e;
      throw new ReadFailure('source-unreadable', describeNetError(e, o.timeoutMs), { cause: e });
    }
    const contentType = headerValue(res.headers['content-type']);
    const text = Buffer.concat(chunks).toString('utf8');
    return contentType === undefined ? { text } : { text, contentType };
  }
}

function headerValue(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

function describeNetError(e: unknown, timeoutMs: number): string {
  const code = (e as { code?: unknown } | null)?.code;
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT')
    return `no answer within ${timeoutMs} ms`;
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ENOTFOUND') return 'host not found';
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
