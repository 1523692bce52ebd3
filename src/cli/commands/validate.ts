/** `arazzo validate`: diagnostics as file:line:col lines, a summary, exit 2 on errors. */
import { isArazzoError } from '../../errors.js';
import { lastString, oneOf } from '../args.js';
import type { CommandContext } from '../context.js';
import { loadSources } from '../deps.js';
import { countSeverities, displayPath, formatDiagnostic, plural, stringifyJson } from '../format.js';
import { VALIDATE_USAGE } from '../usage.js';
import { parseFileCommand } from './preamble.js';

const OPTIONS = {
  strict: { type: 'boolean' },
  reporter: { type: 'string', short: 'r' },
  'no-color': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const SPEC = {
  command: 'validate',
  options: OPTIONS,
  usage: VALIDATE_USAGE,
  what: 'the Arazzo document to check',
};

export async function validateCommand(argv: readonly string[], ctx: CommandContext): Promise<number> {
  const parsed = parseFileCommand(argv, ctx, SPEC);
  if (parsed === undefined) return 0;
  const { values, file } = parsed;
  const reporter = oneOf(lastString(values.reporter), ['pretty', 'json'] as const, '--reporter') ?? 'pretty';
  const c = ctx.colors(values['no-color'] === true);

  const { validate } = await loadSources();
  let outcome: Awaited<ReturnType<typeof validate>>;
  try {
    outcome = await validate(file, { strict: values.strict === true, cwd: ctx.cwd, checkOpenApi: true });
  } catch (error) {
    if (!isArazzoError(error)) throw error;
    const diagnostics = 'diagnostics' in error ? (error.diagnostics as typeof outcome.diagnostics) : [];
    outcome = { valid: false, diagnostics: [...diagnostics] };
    if (diagnostics.length === 0) {
      if (reporter === 'json') {
        ctx.out.write(`${stringifyJson({ status: 'invalid', message: error.message, diagnostics: [] })}\n`);
      } else ctx.err.write(`${c.red('error')} ${error.code}: ${error.message}\n`);
      return 2;
    }
  }
  const { diagnostics } = outcome;
  const { errors, warnings } = countSeverities(diagnostics);
  const valid = outcome.valid && errors === 0;
  if (reporter === 'json') {
    ctx.out.write(`${stringifyJson({ status: valid ? 'valid' : 'invalid', diagnostics })}\n`);
    return valid ? 0 : 2;
  }
  for (const d of diagnostics) {
    const text = formatDiagnostic(d, ctx.cwd);
    ctx.out.write(
      `${d.severity === 'error' ? c.red(text) : d.severity === 'warning' ? c.yellow(text) : text}\n`,
    );
  }
  const counts = `${plural(errors, 'error')}, ${plural(warnings, 'warning')}`;
  const shown = displayPath(file, ctx.cwd);
  ctx.out.write(
    valid
      ? `${c.green('✓')} ${shown} is valid (${counts})\n`
      : `${c.red('✗')} ${shown} is invalid (${counts})\n`,
  );
  return valid ? 0 : 2;
}
