/** `arazzo upgrade <file> [--write]`: a 1.0.x document rewritten as 1.1.0, the rest of the text kept. */
import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { upgradeArazzoText } from '../../document/upgrade.js';
import type { CommandContext } from '../context.js';
import { displayPath } from '../format.js';
import { UPGRADE_USAGE } from '../usage.js';
import { parseFileCommand } from './preamble.js';

const OPTIONS = {
  write: { type: 'boolean' },
  'no-color': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const SPEC = {
  command: 'upgrade',
  options: OPTIONS,
  usage: UPGRADE_USAGE,
  what: 'the Arazzo 1.0.x document to upgrade',
};

export async function upgradeCommand(argv: readonly string[], ctx: CommandContext): Promise<number> {
  const parsed = parseFileCommand(argv, ctx, SPEC);
  if (parsed === undefined) return 0;
  const { values, file } = parsed;
  const c = ctx.colors(values['no-color'] === true);
  const path = resolve(ctx.cwd, file);
  const shown = displayPath(file, ctx.cwd);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    ctx.err.write(
      `${c.red('error')} cannot read ${shown}: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    return 2;
  }
  const result = upgradeArazzoText(text);
  if (result.refused !== undefined) {
    ctx.err.write(`${c.red('error')} ${shown}: not upgraded: ${result.refused}\n`);
    return 2;
  }
  // Without --write the document goes to stdout, so the list of changes goes to stderr.
  const log = values.write === true ? ctx.out : ctx.err;
  for (const ch of result.changes) log.write(`${shown}:${ch.line}:${ch.column} ${ch.code}: ${ch.message}\n`);
  if (values.write === true) {
    await writeFile(path, result.text, 'utf8');
    log.write(
      `${c.green('✓')} ${shown} upgraded to 1.1.0 (${result.changes.length} change${result.changes.length === 1 ? '' : 's'})\n`,
    );
  } else {
    ctx.out.write(result.text);
  }
  return 0;
}
