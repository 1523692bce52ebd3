/** `arazzo list`: each workflow with its inputs (type, required) and outputs. */
import { outputLabel } from '../../document/model.js';
import { inputProperties, lastString, oneOf, parseCommandArgs, UsageError } from '../args.js';
import type { CommandContext } from '../context.js';
import { loadSources } from '../deps.js';
import { stringifyJson } from '../format.js';
import { createJsonReporter } from '../reporters/json.js';
import { createPrettyReporter } from '../reporters/pretty.js';
import { LIST_USAGE } from '../usage.js';
import { reportFailure } from './run.js';

const OPTIONS = {
  reporter: { type: 'string', short: 'r' },
  'no-color': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function listCommand(argv: readonly string[], ctx: CommandContext): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, OPTIONS, 'list');
  if (values.help === true) {
    ctx.out.write(LIST_USAGE);
    return 0;
  }
  const file = positionals[0];
  if (file === undefined) throw new UsageError('missing <file>: the Arazzo document to list', 'list');
  if (positionals.length > 1) throw new UsageError(`unexpected argument "${positionals[1]}"`, 'list');
  const reporter = oneOf(lastString(values.reporter), ['pretty', 'json'] as const, '--reporter') ?? 'pretty';
  const c = ctx.colors(values['no-color'] === true);

  const { loadArazzo } = await loadSources();
  let document: Awaited<ReturnType<typeof loadArazzo>>['document'];
  try {
    document = (await loadArazzo(file, { cwd: ctx.cwd })).document;
  } catch (error) {
    const r =
      reporter === 'json'
        ? createJsonReporter(ctx.out)
        : createPrettyReporter({
            out: ctx.out,
            errOut: ctx.err,
            colors: c,
            live: false,
            verbose: false,
            cwd: ctx.cwd,
          });
    r.start({ file, workflowId: '', diagnostics: [] });
    return reportFailure([r], error);
  }

  const workflows = document.workflows.map((w) => ({
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
  if (reporter === 'json') {
    ctx.out.write(`${stringifyJson({ title: document.info.title, workflows })}\n`);
    return 0;
  }
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
  ctx.out.write(lines.join('\n'));
  return 0;
}
