import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { captureIO } from '../cli/helpers.js';

const corpus = fileURLToPath(new URL('../../../shared/data/corpus/', import.meta.url));
const map = fileURLToPath(new URL('./sources.json', import.meta.url));
const scenarios = fileURLToPath(new URL('./scenarios/', import.meta.url));

describe.skipIf(!existsSync(corpus))(
  'the README command: arazzo test --mock over the real-world sample',
  () => {
    it('runs all 49 workflows as one command, one line each and the summary', async () => {
      const c = captureIO();
      const code = await main(
        ['test', corpus, '--mock', '--sources-map', map, '--scenario-dir', scenarios, '--no-color'],
        c.io,
      );
      const out = c.stdout();
      const lines = out.split('\n').filter((l) => /^[✓✗] /.test(l));
      expect(lines).toHaveLength(49);
      const summary = /(\d+) passed, (\d+) failed\n$/.exec(out);
      expect(summary).not.toBeNull();
      const passed = Number(summary![1]);
      expect(passed / 49).toBeGreaterThanOrEqual(0.9);
      expect(code).toBe(passed === 49 ? 0 : 1);
      expect(out).not.toMatch(/at .*\.js:\d+:\d+/); // no stack trace
    }, 120_000);
  },
);
