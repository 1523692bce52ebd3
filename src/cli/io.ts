/** The streams the CLI talks to, injected so tests run `main()` in-process. */

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

/** Resolves when the signal aborts (at once if it has); never when there is no signal. For servers that run until Ctrl-C. */
export function untilAborted(signal: AbortSignal | undefined): Promise<void> {
  return new Promise<void>((done) => {
    if (signal === undefined) return;
    if (signal.aborted) done();
    else signal.addEventListener('abort', () => done(), { once: true });
  });
}
