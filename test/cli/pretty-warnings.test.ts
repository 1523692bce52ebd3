import { describe, expect, it } from 'vitest';
import { createColors } from '../../src/cli/color.js';
import { BufferWriter } from '../../src/cli/io.js';
import { createPrettyReporter } from '../../src/cli/reporters/pretty.js';
import { result, step } from './helpers.js';

function drive(verbose: boolean): string {
  const out = new BufferWriter();
  const r = createPrettyReporter({ out, colors: createColors(false), live: false, verbose, cwd: '/' });
  r.start({ file: 'wf.yml', workflowId: 'wf', diagnostics: [] });
  const warning = 'output "id": #/data/id found nothing';
  const records = [1, 2, 3].map((attempt) =>
    step({ stepId: 'poll', attempt, outcome: attempt < 3 ? 'failed' : 'succeeded', warnings: [warning] }),
  );
  for (const record of records)
    r.onEvent({ type: 'step-end', workflowId: 'wf', stepId: 'poll', record } as never);
  r.finish(result({ steps: records }));
  return out.text;
}

describe('pretty reporter: a warning repeated on every poll', () => {
  it('prints once, then once more at the end with the count', () => {
    const text = drive(false);
    expect(text.match(/warning output "id": #\/data\/id found nothing/g)).toHaveLength(2);
    expect(text).toContain('warning output "id": #/data/id found nothing (step poll, 3 times)');
  });

  it('--verbose shows every one', () => {
    const text = drive(true);
    expect(text.match(/warning output "id": #\/data\/id found nothing$/gm)).toHaveLength(3);
  });
});
