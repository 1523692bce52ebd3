import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { parseDocumentText, validateArazzo } from '../../src/document/index.js';
import { upgradeArazzoText } from '../../src/document/upgrade.js';
import { captureIO } from './helpers.js';

const composioFile = 'specs/composio/arazzo/composio-connect-account-via-auth-config-workflow.yml';
const dir = mkdtempSync(join(tmpdir(), 'arazzo-upgrade-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('upgradeArazzoText: 1.0.x -> 1.1.0 as edits of the original text', () => {
  it('upgrades the bundled Composio spec, changing only the version and the retry fields', () => {
    const before = readFileSync(composioFile, 'utf8');
    const { text, changes } = upgradeArazzoText(before);
    expect(changes.map((c) => `${c.line}:${c.column} ${c.code}`)).toEqual([
      '1:9 version',
      '122:5 compat-step-retry-fields',
    ]);
    const a = before.split('\n');
    const b = text.split('\n');
    expect(b[0]).toBe('arazzo: 1.1.0');
    expect(b.slice(121, 126)).toEqual([
      '    onFailure:',
      '      - name: retry',
      '        type: retry',
      '        retryAfter: 3',
      '        retryLimit: 20',
    ]);
    // Every other line (comments, order, folded text) is untouched.
    expect([...b.slice(1, 121), ...b.slice(126)]).toEqual([...a.slice(1, 121), ...a.slice(123)]);
    const result = validateArazzo(parseDocumentText(text, 'up.yml'), { strict: false });
    expect(result.specVersion).toBe('1.1');
    expect(result.document).toBeDefined();
    expect(result.diagnostics.map((d) => d.code)).not.toContain('compat-step-retry-fields');
    expect(result.document!.workflows[0]!.steps[2]!.onFailure).toEqual([
      { name: 'retry', type: 'retry', retryAfter: 3, retryLimit: 20 },
    ]);
  });

  it.each<[string, { given: string; want: string; codes: string[] }]>([
    [
      'a quoted version keeps its quotes; an unknown root field becomes an extension',
      {
        given: "# top\narazzo: '1.0.0'\ngenerator: tool # keep me\ninfo: {title: t, version: '1'}\n",
        want: "# top\narazzo: '1.1.0'\nx-generator: tool # keep me\ninfo: {title: t, version: '1'}\n",
        codes: ['version', 'compat-unknown-root-field'],
      },
    ],
    [
      'an unbraced embedded expression is braced (and quoted, since it now starts with a brace)',
      {
        given:
          'arazzo: 1.0.1\nworkflows:\n  - workflowId: w\n    steps:\n      - stepId: s\n        parameters:\n          - name: Authorization\n            in: header\n            value: Bearer $inputs.token\n          - name: q\n            in: query\n            value: $inputs.q and more\n',
        want: 'arazzo: 1.1.0\nworkflows:\n  - workflowId: w\n    steps:\n      - stepId: s\n        parameters:\n          - name: Authorization\n            in: header\n            value: Bearer {$inputs.token}\n          - name: q\n            in: query\n            value: "{$inputs.q} and more"\n',
        codes: ['version', 'compat-unbraced-expression', 'compat-unbraced-expression'],
      },
    ],
    [
      'dotted navigation in an expression is written in its spec form (JSON Pointer)',
      {
        given:
          'arazzo: 1.0.1\nworkflows:\n  - workflowId: w\n    steps:\n      - stepId: s\n        requestBody:\n          payload:\n            id: $inputs.product.id # keep\n            text: "n={$inputs.product.name}!"\n',
        want: 'arazzo: 1.1.0\nworkflows:\n  - workflowId: w\n    steps:\n      - stepId: s\n        requestBody:\n          payload:\n            id: $inputs.product#/id # keep\n            text: "n={$inputs.product#/name}!"\n',
        codes: ['version', 'compat-expression-path', 'compat-expression-path'],
      },
    ],
    [
      'JSON stays JSON',
      {
        given: '{\n  "arazzo": "1.0.1",\n  "info": {"title": "t", "version": "1"}\n}\n',
        want: '{\n  "arazzo": "1.1.0",\n  "info": {"title": "t", "version": "1"}\n}\n',
        codes: ['version'],
      },
    ],
    [
      'retry fields join an existing onFailure list',
      {
        given:
          'arazzo: 1.0.1\nworkflows:\n  - workflowId: w\n    steps:\n      - stepId: s\n        retryLimit: 2\n        onFailure:\n          - name: retry\n            type: end\n',
        want: 'arazzo: 1.1.0\nworkflows:\n  - workflowId: w\n    steps:\n      - stepId: s\n        onFailure:\n          - name: retry\n            type: end\n          - name: retry-2\n            type: retry\n            retryLimit: 2\n',
        codes: ['version', 'compat-step-retry-fields'],
      },
    ],
  ])('%s', (_name, { given, want, codes }) => {
    const { text, changes } = upgradeArazzoText(given);
    expect(text).toBe(want);
    expect(changes.map((c) => c.code)).toEqual(codes);
  });

  it.each([
    ['a 1.1 document', 'arazzo: 1.1.0\n', /already 1\.1/],
    ['not Arazzo', 'openapi: 3.1.0\n', /not a 1\.0\.x document/],
  ])('refuses %s', (_name, given, why) => {
    const result = upgradeArazzoText(given);
    expect(result.text).toBe(given);
    expect(result.refused).toMatch(why);
  });
});

describe('arazzo upgrade', () => {
  it('prints the upgraded document and lists the changes on stderr; --write rewrites the file', async () => {
    const file = join(dir, 'flow.yml');
    writeFileSync(file, readFileSync(composioFile, 'utf8'));
    const cap = captureIO({ cwd: dir });
    expect(await main(['upgrade', 'flow.yml'], cap.io)).toBe(0);
    expect(cap.stdout()).toMatch(/^arazzo: 1\.1\.0\n/);
    expect(cap.stderr()).toBe(
      'flow.yml:1:9 version: arazzo: 1.0.1 -> 1.1.0\nflow.yml:122:5 compat-step-retry-fields: retryAfter/retryLimit moved into a new onFailure: [{ name: retry, type: retry }]\n',
    );
    expect(readFileSync(file, 'utf8')).toMatch(/^arazzo: 1\.0\.1/);

    const write = captureIO({ cwd: dir });
    expect(await main(['upgrade', 'flow.yml', '--write', '--no-color'], write.io)).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(cap.stdout());
    expect(write.stdout()).toMatch(/✓ flow\.yml upgraded to 1\.1\.0 \(2 changes\)\n$/);

    const again = captureIO({ cwd: dir });
    expect(await main(['upgrade', 'flow.yml'], again.io)).toBe(2);
    expect(again.stderr()).toMatch(
      /not upgraded: arazzo "1\.1\.0" is not a 1\.0\.x document \(already 1\.1\)/,
    );
  });
});
