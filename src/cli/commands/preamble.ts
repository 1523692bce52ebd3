/**
 * The opening the commands over one Arazzo document share: their flags and --help, the one `<file>`
 * argument, and loading the document with its failure told through reporters.
 */
import type { Diagnostic } from '../../document/diagnostic.js';
import { isArazzoError, isDocumentError, isUnreadableDocumentError } from '../../errors.js';
import type { LoadedDocument, LoadOptions } from '../../sources/types.js';
import { type OptionSpec, type Parsed, parseCommandArgs, UsageError } from '../args.js';
import type { CommandContext } from '../context.js';
import { loadSources } from '../deps.js';
import type { Writable } from '../io.js';
import { createJsonReporter } from '../reporters/json.js';
import { createPrettyReporter } from '../reporters/pretty.js';
import type { Reporter } from '../reporters/types.js';

/** What a command over one document is called, its flags, its usage text and what its `<file>` is. */
export interface FileCommandSpec {
  command: string;
  options: OptionSpec;
  usage: string;
  /** Says what the missing `<file>` is: `missing <file>: ${what}`. */
  what: string;
}

/**
 * Parse a command that takes exactly one `<file>`. Returns undefined when --help printed the usage
 * (the command then exits 0). Throws UsageError for a missing or extra argument.
 */
export function parseFileCommand(
  argv: readonly string[],
  ctx: CommandContext,
  spec: FileCommandSpec,
): { values: Parsed['values']; file: string } | undefined {
  const { values, positionals } = parseCommandArgs(argv, spec.options, spec.command);
  if (values.help === true) {
    ctx.out.write(spec.usage);
    return undefined;
  }
  const file = positionals[0];
  if (file === undefined) throw new UsageError(`missing <file>: ${spec.what}`, spec.command);
  if (positionals.length > 1) throw new UsageError(`unexpected argument "${positionals[1]}"`, spec.command);
  return { values, file };
}

/** The reporter that tells why a document did not load: JSON, or plain pretty lines (no live progress). */
export function loadFailureReporter(
  ctx: CommandContext,
  options: { json?: boolean; noColor: boolean; out?: Writable },
): Reporter {
  const out = options.out ?? ctx.out;
  if (options.json === true) return createJsonReporter(out);
  return createPrettyReporter({
    out,
    errOut: options.out ?? ctx.err,
    colors: ctx.colors(options.noColor),
    live: false,
    verbose: false,
    cwd: ctx.cwd,
  });
}

/** Where a load failure is told: the reporters (made only when needed) and the run they start. */
export interface LoadFailureReport {
  reporters: () => Reporter[];
  /** The file as the reports show it. Default: the file as given. */
  shown?: string;
  workflowId?: string;
}

/**
 * Load the document; when it does not load, start the reporters and tell them why. Resolves to the
 * loaded document, or to the exit code of the failure.
 */
export async function loadOrReport(
  ctx: CommandContext,
  file: string,
  options: Pick<LoadOptions, 'sources' | 'strict'>,
  failure: LoadFailureReport,
): Promise<LoadedDocument | number> {
  const { loadArazzo } = await loadSources();
  try {
    return await loadArazzo(file, { ...options, cwd: ctx.cwd });
  } catch (error) {
    const reporters = failure.reporters();
    const info = { file: failure.shown ?? file, workflowId: failure.workflowId ?? '', diagnostics: [] };
    for (const r of reporters) r.start(info);
    return reportFailure(reporters, error);
  }
}

function each(reporters: Reporter[], f: (r: Reporter) => void): void {
  for (const r of reporters) f(r);
}

/** Exit code 2 for the document and usage family, 1 for everything that happened while running. */
export function reportFailure(reporters: Reporter[], error: unknown): number {
  if (isDocumentError(error) || isUnreadableDocumentError(error)) {
    const diagnostics: readonly Diagnostic[] = error.diagnostics;
    const unreadable = isUnreadableDocumentError(error);
    if (diagnostics.length > 0) each(reporters, (r) => r.invalid(diagnostics, error.message, unreadable));
    else each(reporters, (r) => r.error(error.code, error.message));
    return 2;
  }
  if (error instanceof UsageError) throw error;
  if (isArazzoError(error)) {
    each(reporters, (r) => r.error(error.code, error.message));
    return error.code === 'OPTIONS_INVALID' ? 2 : 1;
  }
  throw error;
}
