import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { renderGithubAnnotations } from '../../src/cli/reporters/github.js';
import { captureIO } from './helpers.js';

const suite = fileURLToPath(new URL('./fixtures/suite/', import.meta.url));

describe('--reporter github', () => {
  it('annotates the failing step line and appends a job summary to GITHUB_STEP_SUMMARY', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'arazzo-gh-'));
    try {
      const summary = join(dir, 'summary.md');
      writeFileSync(summary, 'earlier step\n');
      const c = captureIO({ cwd: suite, env: { GITHUB_STEP_SUMMARY: summary } });
      const code = await main(['test', '.', '--mock', '-r', 'github', '--no-color'], c.io);
      expect(code).toBe(1);
      const annotations = c
        .stdout()
        .split('\n')
        .filter((l) => l.startsWith('::'));
      expect(annotations).toHaveLength(1);
      // Line 7 of nested/failing.arazzo.yaml is `- stepId: get` of workflow expectsTeapot.
      expect(annotations[0]).toMatch(
        /^::error file=nested\/failing\.arazzo\.yaml,line=7,col=9,title=expectsTeapot failed::STEP_FAILED: .*418/,
      );
      const md = readFileSync(summary, 'utf8');
      expect(md.startsWith('earlier step\n### Arazzo: 2 passed, 1 failed\n')).toBe(true);
      expect(md).toMatch(
        /\| ❌ \| nested\/failing\.arazzo\.yaml:7:9 \| expectsTeapot \| 1 \| .+ \| STEP_FAILED: /,
      );
      expect(md).toMatch(/\| ✅ \| passing\.arazzo\.yaml \| addAndGet \| 2 \|/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('escapes newlines, % and the property separators', () => {
    const text = renderGithubAnnotations([
      { file: 'a,b:c.yaml', workflowId: 'w', status: 'failed', invalid: '50% broken\nsecond line', line: 3 },
      { file: 'ok.yaml', workflowId: 'w', status: 'passed' },
    ]);
    expect(text).toBe('::error file=a%2Cb%3Ac.yaml,line=3,title=w failed::50%25 broken%0Asecond line\n');
  });
});
