/** Reading a response body under a byte cap, decoding the content codings we ask for on the way. */
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import type { Dispatcher } from 'undici';
import { NetFailure } from './failure.js';

type Response = Dispatcher.ResponseData;

/** RFC 9110 section 8.4.1: the content codings asked for, and decoded by `readBody`. */
export const ACCEPT_ENCODING = 'gzip, deflate, br';

/** The caller's headers plus Accept-Encoding unless they name one (a copy only then). */
export function withAcceptEncoding(headers: Record<string, string>): Record<string, string> {
  for (const name in headers) {
    if (name.length === 15 && name.toLowerCase() === 'accept-encoding') return headers;
  }
  const out: Record<string, string> = { ...headers };
  out['accept-encoding'] = ACCEPT_ENCODING;
  return out;
}

/** The first value of a response header. */
export function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Stop reading a body we refuse. undici's BodyReadable emits an AbortError when destroyed before its end;
 * with no listener that error is uncaught and takes the process down.
 */
export function discard(body: Response['body']): void {
  body.on('error', () => undefined);
  body.destroy();
}

/**
 * The response body as the application sees it: decoded when it has one content coding we asked for.
 * Throws NetFailure (BODY_TOO_LARGE, BAD_ENCODING).
 */
export function readBody(res: Response, maxBytes: number): Promise<Uint8Array> {
  const coding = res.headers['content-encoding'];
  if (coding === undefined) return readCapped(res, maxBytes);
  return readDecoded(res, headerValue(coding)?.trim().toLowerCase() ?? '', maxBytes);
}

function decoderFor(coding: string) {
  if (coding === 'gzip' || coding === 'x-gzip') return createGunzip();
  if (coding === 'deflate') return createInflate();
  if (coding === 'br') return createBrotliDecompress();
  return undefined;
}

/**
 * Decode as the bytes arrive, counting decoded bytes against the cap: a small compressed body that
 * expands past it (a compression bomb) is refused without being expanded in full.
 */
async function readDecoded(res: Response, coding: string, maxBytes: number): Promise<Uint8Array> {
  const decoder = decoderFor(coding);
  // Identity, or a coding we did not ask for: the bytes are kept as they came.
  if (decoder === undefined) return readCapped(res, maxBytes);
  const encoded = await readCapped(res, maxBytes);
  if (encoded.byteLength === 0) return encoded;
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      decoder.on('data', (chunk: Buffer) => {
        total += chunk.byteLength;
        if (total > maxBytes) {
          decoder.destroy();
          reject(
            new NetFailure(
              'BODY_TOO_LARGE',
              `response body exceeds the ${maxBytes}-byte cap once decoded (${coding}, ${encoded.byteLength} bytes received)`,
              { size: total },
            ),
          );
          return;
        }
        chunks.push(chunk);
      });
      decoder.on('error', reject);
      decoder.on('end', resolve);
      decoder.end(encoded);
    });
  } catch (error) {
    if (error instanceof NetFailure) throw error;
    throw new NetFailure('BAD_ENCODING', `response body is not valid ${coding}: ${(error as Error).message}`);
  }
  const out = Buffer.concat(chunks, total);
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

/** The body's bytes as they came, refused (NetFailure BODY_TOO_LARGE) once they pass `maxBytes`. */
export async function readCapped(res: Response, maxBytes: number): Promise<Uint8Array> {
  const declared = Number(headerValue(res.headers['content-length']));
  if (Number.isFinite(declared) && declared > maxBytes) {
    discard(res.body);
    throw new NetFailure(
      'BODY_TOO_LARGE',
      `response body of ${declared} bytes exceeds the ${maxBytes}-byte cap`,
      { size: declared },
    );
  }
  if (Number.isFinite(declared)) {
    // Declared within the cap: let undici collect it (cheaper than iterating the stream). A server that
    // sends more than it declared is cut off by the HTTP parser, so the cap still holds.
    return new Uint8Array(await res.body.arrayBuffer());
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of res.body) {
    const bytes = chunk as Uint8Array;
    total += bytes.byteLength;
    if (total > maxBytes) {
      discard(res.body);
      throw new NetFailure('BODY_TOO_LARGE', `response body exceeds the ${maxBytes}-byte cap`, {
        size: total,
      });
    }
    chunks.push(bytes);
  }
  return joinChunks(chunks, total);
}

function joinChunks(chunks: Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) {
    // A view, not a copy (undici hands out Buffers; callers get a plain Uint8Array).
    const only = chunks[0]!;
    return new Uint8Array(only.buffer, only.byteOffset, only.byteLength);
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.byteLength;
  }
  return out;
}
