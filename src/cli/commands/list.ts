/** `arazzo list`: each workflow with its inputs (type, required) and outputs. */
import { type ArazzoDocument, outputLabel } from '../../document/model.js';
import { inputProperties, lastString, oneOf } from '../args.js';
import type { Colors } from '../color.js';
import type { CommandContext } from '../context.js';
import { stringifyJson } from '../format.js';
import { LIST_USAGE } from '../usage.js';
import { loadFailureReporter, loadOrReport, parseFileCommand } from './preamble.js';

const OPTIONS = {
  reporter: { type: 'string', short: 'r' },
  'no-color': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const SPEC = { command: 'list', options: OPTIONS, usage: LIST_USAGE, what: 'the Arazzo document to list' };

export async function listCommand(argv: readonly string[], ctx: CommandContext): Promise<number> {
  const parsed = parseFileCommand(argv, ctx, SPEC);
  if (parsed === undefined) return 0;
  const { values, file } = parsed;
  const reporter = oneOf(lastString(values.reporter), ['pretty', 'json'] as const, '--reporter') ?? 'pretty';
  const noColor = values['no-color'] === true;
  const loaded = await loadOrReport(
    ctx,
    file,
    {},
    {
      reporters: () => [loadFailureReporter(ctx, { json: reporter === 'json', noColor })],
    },
  );
  if (typeof loaded === 'number') return loaded;
  const { document } = loaded;
  const workflows = listedWorkflows(document);
  if (reporter === 'json') {
    ctx.out.write(`${stringifyJson({ title: document.info.title, workflows })}\n`);
    return 0;
  }
  ctx.out.write(listLines(workflows, ctx.colors(noColor)).join('\n'));
  return 0;
}

type ListedWorkflow = ReturnType<typeof listedWorkflows>[number];

/** Each workflow as listed: its inputs typed by their schema, its outputs by their expression. */
function listedWorkflows(document: ArazzoDocument) {
  return document.workflows.map((w) => ({
    workflowId: w.workflowId,
    summary: w.summary,
    inputs: inputProperties(document, w).map((p) => ({
      name: p.name,
      type: p.types.length > 0 ? p.types.join(' | ') : 'any',
      required: p.required,
      description: typeof p.schema?.description === 'string' ? p.schema.description : undefined,
    })),
    outputs: Object.entries(w.outputs ?? {}).map(([name, value]) => ({
      name,
      expression: outputLabel(value),
    })),
    steps: w.steps.map((s) => s.stepId),
  }));
}

/** The pretty listing: a block per workflow, the input and output names aligned. */
function listLines(workflows: readonly ListedWorkflow[], c: Colors): string[] {
  const lines: string[] = [];
  for (const w of workflows) {
    lines.push(`${c.bold(w.workflowId)}${w.summary ? `  ${c.dim(w.summary)}` : ''}`);
    if (w.inputs.length > 0) {
      lines.push('  inputs:');
      const nameWidth = Math.max(...w.inputs.map((i) => i.name.length));
      const typeWidth = Math.max(...w.inputs.map((i) => i.type.length));
      for (const i of w.inputs) {
        const req = i.required ? c.yellow('required') : '        ';
        const desc = i.description ? `  ${c.dim(i.description.replace(/\s+/g, ' ').trim())}` : '';
        lines.push(`    ${i.name.padEnd(nameWidth)}  ${i.type.padEnd(typeWidth)}  ${req}${desc}`.trimEnd());
      }
    } else lines.push(`  inputs: ${c.dim('none')}`);
    if (w.outputs.length > 0) {
      lines.push('  outputs:');
      const width = Math.max(...w.outputs.map((o) => o.name.length));
      for (const o of w.outputs) lines.push(`    ${o.name.padEnd(width)}  ${c.dim(o.expression)}`);
    } else lines.push(`  outputs: ${c.dim('none')}`);
    lines.push(`  steps: ${w.steps.join(' → ')}`);
    lines.push('');
  }
  return lines;
}
