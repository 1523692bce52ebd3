/** `arazzo graph`: a workflow as Mermaid or Graphviz DOT text. */
import { lastString, oneOf, parseCommandArgs, UsageError } from '../args.js';
import type { CommandContext } from '../context.js';
import { loadGraph, loadSources } from '../deps.js';
import { createPrettyReporter } from '../reporters/pretty.js';
import { GRAPH_USAGE } from '../usage.js';
import { pickWorkflow, reportFailure } from './run.js';

const OPTIONS = {
  workflow: { type: 'string', short: 'w' },
  format: { type: 'string', short: 'f' },
  'no-color': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function graphCommand(argv: readonly string[], ctx: CommandContext): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, OPTIONS, 'graph');
  if (values.help === true) {
    ctx.out.write(GRAPH_USAGE);
    return 0;
  }
  const file = positionals[0];
  if (file === undefined) throw new UsageError('missing <file>: the Arazzo document to draw', 'graph');
  if (positionals.length > 1) throw new UsageError(`unexpected argument "${positionals[1]}"`, 'graph');
  const format = oneOf(lastString(values.format), ['mermaid', 'dot'] as const, '--format') ?? 'mermaid';

  const [{ loadArazzo }, graph] = await Promise.all([loadSources(), loadGraph()]);
  let document: Awaited<ReturnType<typeof loadArazzo>>['document'];
  try {
    document = (await loadArazzo(file, { cwd: ctx.cwd })).document;
  } catch (error) {
    const colors = ctx.colors(values['no-color'] === true);
    const r = createPrettyReporter({
      out: ctx.out,
      errOut: ctx.err,
      colors,
      live: false,
      verbose: false,
      cwd: ctx.cwd,
    });
    r.start({ file, workflowId: '', diagnostics: [] });
    return reportFailure([r], error);
  }
  const workflow = pickWorkflow(document, lastString(values.workflow));
  const text =
    format === 'dot'
      ? graph.toDot(document, workflow.workflowId)
      : graph.toMermaid(document, workflow.workflowId);
  ctx.out.write(text.endsWith('\n') ? text : `${text}\n`);
  return 0;
}
