/** What every command receives: the streams (stderr masked), colour, the working directory. */
import { Masker } from '../secrets/index.js';
import { type Colors, colorEnabled, createColors } from './color.js';
import type { CliIO, Writable } from './io.js';

export interface CommandContext {
  io: CliIO;
  /**
   * stdout as it is: what goes there is structured (JSON, JUnit, HTML) or built from masked structures,
   * and masking its text would break numbers and keys (reporters mask before they serialize).
   */
  out: Writable;
  /** stderr, free text with every secret masked. */
  err: Writable;
  /** The secrets of this invocation; runs declare theirs to it too (RunOptions.masker). */
  masker: Masker;
  cwd: string;
  colors(noColorFlag: boolean): Colors;
}

export function createContext(io: CliIO): CommandContext {
  const masker = new Masker();
  return {
    io,
    out: io.stdout,
    err: maskedWriter(masker, io.stderr),
    masker,
    cwd: io.cwd ?? process.cwd(),
    colors: (noColorFlag) => createColors(colorEnabled(io.isTTY, io.env, noColorFlag)),
  };
}

/** A writer that masks each chunk. Callers write whole lines, so a secret is never split. */
export function maskedWriter(masker: Masker, target: Writable): Writable {
  return { write: (chunk: string) => target.write(masker.text(chunk)) };
}

/** Declare a credential given on the command line: a Basic `user:pass` also leaks through its password alone. */
export function addCredential(masker: Masker, value: string): void {
  masker.add(value);
  const colon = value.indexOf(':');
  if (colon >= 0) masker.add(value.slice(colon + 1));
}
