import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { captureIO } from './helpers.js';

const suite = fileURLToPath(new URL('./fixtures/suite/', import.meta.url));
const EXCERPT = 'response 500 application/json: {"error":"out of stock","sku":"A-1"}';
let dir = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'arazzo-excerpt-'));
  await copyFile(join(suite, 'passing.arazzo.yaml'), join(dir, 'shop.arazzo.yaml'));
  await copyFile(join(suite, 'pets.openapi.yaml'), join(dir, 'pets.openapi.yaml'));
  await writeFile(
    join(dir, 's.yaml'),
    'steps:\n  add:\n    - status: 500\n      contentType: application/json\n      body: { error: out of stock, sku: A-1 }\n',
  );
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

const base = ['shop.arazzo.yaml', '--mock', '--scenario', 's.yaml', '--input', 'name=Rex', '--no-color'];

describe('a failed step shows a short excerpt of the response without --verbose', () => {
  it.each([
    ['run (pretty)', ['run', ...base], 'stdout'],
    ['test (console)', ['test', ...base], 'stdout'],
    ['test -r junit (<failure> text)', ['test', ...base, '-r', 'junit', '-o', 'r.xml'], 'r.xml'],
    ['test -r html', ['test', ...base, '-r', 'html', '-o', 'r.html'], 'r.html'],
  ])('%s', async (_name, argv, where) => {
    const c = captureIO({ cwd: dir });
    expect(await main(argv, c.io)).toBe(1);
    const text = where === 'stdout' ? c.stdout() : await readFile(join(dir, where), 'utf8');
    const shown =
      where === 'r.html'
        ? EXCERPT.replace(/"/g, '&quot;')
        : where === 'r.xml'
          ? EXCERPT.replace(/"/g, '&quot;')
          : EXCERPT;
    expect(text).toContain(shown);
  });
});

describe('a run that ends because a retry budget ran out says so', () => {
  it('the Composio poll against a mock that never turns ACTIVE', async () => {
    const composio = fileURLToPath(
      new URL(
        '../../specs/composio/arazzo/composio-connect-account-via-auth-config-workflow.yml',
        import.meta.url,
      ),
    );
    const c = captureIO();
    const argv = ['test', composio, '--mock', '--no-color', '--input', 'toolkitSlug=gmail'];
    expect(await main(argv, c.io)).toBe(1);
    expect(c.stdout()).toMatch(
      /STEP_FAILED: step "\w+" failed: .*; retry action "\w+" used all \d+ retr(y|ies)/,
    );
  });
});
