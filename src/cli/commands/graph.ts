/** `arazzo graph`: a workflow as Mermaid or Graphviz DOT text. */
import { lastString, oneOf } from '../args.js';
import type { CommandContext } from '../context.js';
import { loadGraph } from '../deps.js';
import { GRAPH_USAGE } from '../usage.js';
import { loadFailureReporter, loadOrReport, parseFileCommand } from './preamble.js';
import { pickWorkflow } from './run.js';

const OPTIONS = {
  workflow: { type: 'string', short: 'w' },
  format: { type: 'string', short: 'f' },
  'no-color': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const SPEC = { command: 'graph', options: OPTIONS, usage: GRAPH_USAGE, what: 'the Arazzo document to draw' };

export async function graphCommand(argv: readonly string[], ctx: CommandContext): Promise<number> {
  const parsed = parseFileCommand(argv, ctx, SPEC);
  if (parsed === undefined) return 0;
  const { values, file } = parsed;
  const format = oneOf(lastString(values.format), ['mermaid', 'dot'] as const, '--format') ?? 'mermaid';

  const [graph, loaded] = await Promise.all([
    loadGraph(),
    loadOrReport(
      ctx,
      file,
      {},
      {
        reporters: () => [loadFailureReporter(ctx, { noColor: values['no-color'] === true })],
      },
    ),
  ]);
  if (typeof loaded === 'number') return loaded;
  const { document } = loaded;
  const workflow = pickWorkflow(document, lastString(values.workflow));
  const text =
    format === 'dot'
      ? graph.toDot(document, workflow.workflowId)
      : graph.toMermaid(document, workflow.workflowId);
  ctx.out.write(text.endsWith('\n') ? text : `${text}\n`);
  return 0;
}
