/** The files a command writes at the end (--output, --har): checked before the run, written after it. */
import { constants } from 'node:fs';
import { access, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { UsageError } from '../args.js';
import type { CommandContext } from '../context.js';

/** Fail before running (and sending requests) when the --output file cannot be written. */
export async function checkWritable(output: string, ctx: CommandContext, command: string): Promise<void> {
  const path = resolve(ctx.cwd, output);
  try {
    await access(dirname(path), constants.W_OK);
  } catch (error) {
    const why = (error as { code?: string }).code ?? String(error);
    throw new UsageError(`--output: cannot write ${output} (${why})`, command);
  }
}

/** Write a report or log to the file a flag named; a failure is a usage error naming the flag. */
export async function writeOutputFile(
  ctx: CommandContext,
  file: string,
  text: string,
  flag: '--output' | '--har',
  command: string,
): Promise<void> {
  try {
    await writeFile(resolve(ctx.cwd, file), text, 'utf8');
  } catch (error) {
    const why = (error as { code?: string }).code ?? String(error);
    throw new UsageError(`${flag}: cannot write ${file} (${why})`, command);
  }
}
