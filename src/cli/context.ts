/** What every command receives: masked streams, colour, the working directory. */
import { type Colors, colorEnabled, createColors } from './color.js';
import { type CliIO, SecretMasker, type Writable } from './io.js';

export interface CommandContext {
  io: CliIO;
  /** stdout and stderr, masked. */
  out: Writable;
  err: Writable;
  masker: SecretMasker;
  cwd: string;
  colors(noColorFlag: boolean): Colors;
}

export function createContext(io: CliIO): CommandContext {
  const masker = new SecretMasker();
  return {
    io,
    out: masker.wrap(io.stdout),
    err: masker.wrap(io.stderr),
    masker,
    cwd: io.cwd ?? process.cwd(),
    colors: (noColorFlag) => createColors(colorEnabled(io.isTTY, io.env, noColorFlag)),
  };
}
