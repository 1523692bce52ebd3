import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { loadScenario } from '../../src/mock/index.js';
import { captureIO } from './helpers.js';

const suite = fileURLToPath(new URL('./fixtures/suite/', import.meta.url));
let dir: string | undefined;
afterEach(async () => {
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

/** A temp project: specs/shop.arazzo.yaml (the suite's passing document), its OpenAPI file, and `extra` files. */
async function project(extra: Record<string, string> = {}): Promise<string> {
  dir = await mkdtemp(join(tmpdir(), 'arazzo-misconfig-'));
  await mkdir(join(dir, 'specs', 'scenarios'), { recursive: true });
  await copyFile(join(suite, 'passing.arazzo.yaml'), join(dir, 'specs', 'shop.arazzo.yaml'));
  await copyFile(join(suite, 'pets.openapi.yaml'), join(dir, 'specs', 'pets.openapi.yaml'));
  for (const [path, text] of Object.entries(extra)) await writeFile(join(dir, path), text);
  return dir;
}

const OK_SCENARIO = 'steps:\n  add:\n    - status: 201\n      body: { id: 7 }\n';

describe('scenario keys that script nothing are errors naming the closest one', () => {
  const cases: Array<[string, string, string]> = [
    [
      'an operationId typo',
      'operations:\n  addPetz:\n    - status: 201\n',
      '/operations/addPetz: no operation "addPetz" in the document; did you mean "addPet"?',
    ],
    ['a METHOD /path typo', 'operations:\n  POST /pet:\n    - status: 201\n', 'did you mean "POST /pets"'],
    [
      'a step typo',
      'steps:\n  gett:\n    - status: 200\n',
      '/steps/gett: no step "gett" in the document; did you mean "get"?',
    ],
    [
      'a workflowId/stepId typo',
      'steps:\n  addAndGet/ad:\n    - status: 201\n',
      '; did you mean "addAndGet/add", "addAndGet/get"?',
    ],
  ];
  it.each(cases)('run --scenario: %s exits 2', async (_name, text, want) => {
    const cwd = await project({ 's.yaml': text });
    const c = captureIO({ cwd });
    const code = await main(
      ['run', 'specs/shop.arazzo.yaml', '--mock', '--scenario', 's.yaml', '--input', 'name=Rex'],
      c.io,
    );
    expect(c.stderr()).toContain(want);
    expect(code).toBe(2);
  });

  it('test --scenario-dir: a typo in the matched scenario exits 2 naming the file', async () => {
    const cwd = await project({ 'specs/scenarios/shop.yaml': 'operations:\n  getPett: { status: 200 }\n' });
    const c = captureIO({ cwd });
    const code = await main(['test', 'specs', '--mock', '--scenario-dir', 'specs/scenarios'], c.io);
    expect(c.stderr()).toContain(
      'scenario specs/scenarios/shop.yaml: /operations/getPett: no operation "getPett" in the document; did you mean "getPet"?',
    );
    expect(code).toBe(2);
  });

  it('loadScenario() given a path says to read the file', () => {
    expect(() => loadScenario('scenarios/shop.yaml')).toThrow(
      /looks like a file path; loadScenario\(\) takes the scenario's text/,
    );
    // A one-line YAML document that is not a path still gets the ordinary message.
    expect(() => loadScenario('hello')).toThrow(/must be an object/);
  });
});

describe('--input for an undeclared name', () => {
  it.each([['run'], ['test']])('%s: exit 2 with "did you mean"', async (command) => {
    const cwd = await project();
    const c = captureIO({ cwd });
    const code = await main([command, 'specs/shop.arazzo.yaml', '--mock', '--input', 'nmae=Rex'], c.io);
    expect(c.stderr()).toContain(
      '--input nmae: workflow "addAndGet" does not declare an input "nmae"; did you mean "name"?',
    );
    expect(code).toBe(2);
  });

  it('test over several documents: an error only when no document declares the name', async () => {
    const cwd = await project();
    const other = await readFile(join(suite, 'nested', 'failing.arazzo.yaml'), 'utf8');
    await writeFile(
      join(cwd, 'specs', 'other.arazzo.yaml'),
      other.replace('../pets.openapi.yaml', './pets.openapi.yaml'),
    );
    const typo = captureIO({ cwd });
    expect(await main(['test', 'specs', '--mock', '--input', 'nmae=Rex'], typo.io)).toBe(2);
    expect(typo.stderr()).toContain(
      '--input nmae: no workflow of any document declares an input "nmae"; did you mean "name"?',
    );
    // "name" is declared by shop.arazzo.yaml only; other.arazzo.yaml's workflows still run.
    const ok = captureIO({ cwd });
    await main(['test', 'specs', '--mock', '--input', 'name=Rex', '--no-color'], ok.io);
    expect(ok.stdout()).toMatch(/\n2 passed, 1 failed\n$/);
  });

  it('a declared name runs', async () => {
    const cwd = await project();
    const c = captureIO({ cwd });
    expect(
      await main(['run', 'specs/shop.arazzo.yaml', '--mock', '--input', 'name=Rex', '--no-color'], c.io),
    ).toBe(0);
  });
});

describe('--scenario-dir and the README CI glob', () => {
  it.each([['shop.yaml'], ['shop.arazzo.yaml'], ['shop.arazzo.yml']])(
    'a scenario named %s is used and said so; one matching nothing is named; the glob skips scenarios',
    async (name) => {
      const cwd = await project({
        [`specs/scenarios/${name}`]: OK_SCENARIO,
        'specs/scenarios/orphan.yaml': OK_SCENARIO,
      });
      const c = captureIO({ cwd });
      const code = await main(
        [
          'test',
          'specs/**/*.arazzo.y*ml',
          '--mock',
          '--scenario-dir',
          'specs/scenarios',
          '--no-color',
          '--input',
          'name=Rex',
        ],
        c.io,
      );
      const out = c.stdout();
      expect(out).toContain(`specs/shop.arazzo.yaml: scenario specs/scenarios/${name}`);
      expect(out).toContain('scenario specs/scenarios/orphan.yaml matched no document');
      expect(out).not.toContain('invalid document');
      expect(out).toMatch(/\n1 passed, 0 failed\n$/);
      expect(code).toBe(0);
    },
  );

  it('a glob and a folder never take sidecar inputs or files without an arazzo key', async () => {
    const cwd = await project({
      'specs/shop.inputs.yaml': 'name: Rex\n',
      'specs/notes.arazzo.yaml': 'title: not a spec\n',
    });
    for (const target of ['specs/**/*.yaml', 'specs']) {
      const c = captureIO({ cwd });
      const code = await main(['test', target, '--mock', '--no-color'], c.io);
      expect(c.stdout()).toMatch(/^✓ specs\/shop\.arazzo\.yaml › addAndGet/);
      expect(c.stdout()).toMatch(/\n1 passed, 0 failed\n$/);
      expect(code).toBe(0);
    }
  });
});

describe('inputs sidecar', () => {
  it.each([
    ['specs/shop.arazzo.yaml.inputs.json'],
    ['specs/shop.arazzo.inputs.json'],
    ['specs/shop.inputs.json'],
  ])('%s is read (its bad value reaches the workflow) and INPUTS_INVALID names it', async (sidecar) => {
    const cwd = await project({ [sidecar]: '{ "name": 5 }' });
    const c = captureIO({ cwd });
    const code = await main(['test', 'specs/shop.arazzo.yaml', '--no-color'], c.io);
    expect(c.stdout()).toContain('INPUTS_INVALID');
    expect(c.stdout()).toContain(`inputs sidecar: ${sidecar} (looked for `);
    expect(code).toBe(1);
  });

  it('without one, INPUTS_INVALID lists every file it looked for', async () => {
    const cwd = await project();
    const c = captureIO({ cwd });
    expect(await main(['test', 'specs/shop.arazzo.yaml', '--no-color'], c.io)).toBe(1);
    expect(c.stdout()).toContain(
      'inputs sidecar: none found (looked for specs/shop.arazzo.yaml.inputs.json, specs/shop.arazzo.inputs.json, specs/shop.inputs.json)',
    );
  });
});
