/** The streams the CLI talks to, injected so tests run `main()` in-process. */
import { MIN_SECRET_LENGTH, secretForms } from '../http/mask.js';

export interface Writable {
  write(chunk: string): unknown;
}

export interface Readable {
  [Symbol.asyncIterator](): AsyncIterator<string | Uint8Array>;
}

export interface CliIO {
  stdout: Writable;
  stderr: Writable;
  stdin: Readable;
  env: Record<string, string | undefined>;
  /** Whether stdout is an interactive terminal (live progress, colour). */
  isTTY: boolean;
  /** Aborts a running workflow (bin.ts wires SIGINT to it). */
  signal?: AbortSignal;
  /** Current directory for relative paths in messages; default process.cwd(). */
  cwd?: string;
}

export { MIN_SECRET_LENGTH } from '../http/mask.js';
export const MASK = '***';

/** Every textual form a secret can take in our output (see secretForms in src/http/mask.ts). */
export function secretVariants(secret: string): string[] {
  return secretForms(secret);
}

/** Replace every occurrence of each secret (longest first, so a secret containing another is masked whole). */
export function maskText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) {
    if (out.includes(s)) out = out.split(s).join(MASK);
  }
  return out;
}

/** Collects the secrets the CLI has seen and masks them in everything written through `wrap()`. */
export class SecretMasker {
  #secrets: string[] = [];

  add(secret: string | undefined): void {
    if (secret === undefined || secret.length < MIN_SECRET_LENGTH) return;
    const variants = secretVariants(secret);
    // A basic-auth `user:pass` also leaks through its password alone.
    const colon = secret.indexOf(':');
    if (colon >= 0) variants.push(...secretVariants(secret.slice(colon + 1)));
    this.#secrets = [...new Set([...this.#secrets, ...variants])].sort((a, b) => b.length - a.length);
  }

  get secrets(): readonly string[] {
    return this.#secrets;
  }

  mask(text: string): string {
    return maskText(text, this.#secrets);
  }

  /** A writer that masks each chunk. Callers write whole lines or documents, so a secret is never split. */
  wrap(target: Writable): Writable {
    return { write: (chunk: string) => target.write(this.mask(chunk)) };
  }
}

export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** A writer that keeps everything in memory (for --output files and tests). */
export class BufferWriter implements Writable {
  text = '';
  write(chunk: string): true {
    this.text += chunk;
    return true;
  }
}

export async function readAll(stream: Readable): Promise<string> {
  const parts: string[] = [];
  const decoder = new TextDecoder();
  for await (const chunk of stream) {
    parts.push(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }));
  }
  parts.push(decoder.decode());
  return parts.join('');
}
