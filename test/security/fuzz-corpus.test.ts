/**
 * Fuzz corpus (issue #7): hand-written hostile documents in test/fixtures/fuzz/ plus mutations generated
 * here, deterministically, from test/fixtures/documents/* and the Composio document. Every case ends in a
 * valid load or a DocumentError/UnreadableDocumentError whose diagnostics are located; none crashes.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { Diagnostic } from '../../src/document/diagnostic.js';
import { isDocumentError, isUnreadableDocumentError } from '../../src/errors.js';
import { loadArazzo } from '../../src/sources/index.js';
import type { DocumentLoader } from '../../src/sources/types.js';
import { prototypeSnapshot } from './pollution.js';

const repo = join(import.meta.dirname, '..', '..');
const fuzzDir = join(repo, 'test', 'fixtures', 'fuzz');
const docsDir = join(repo, 'test', 'fixtures', 'documents');
const composio = join(
  repo,
  'specs',
  'composio',
  'arazzo',
  'composio-connect-account-via-auth-config-workflow.yml',
);
const fallbackOpenApi = readFileSync(join(fuzzDir, 'openapi.yaml'), 'utf8');

/** Reads real files; any other URL gets the fuzz OpenAPI document (no network, no missing-file noise). */
const loader: DocumentLoader = async (url) => {
  if (url.protocol === 'file:') {
    const file = fileURLToPath(url);
    if (existsSync(file)) return { text: await readFile(file, 'utf8') };
  }
  return { text: fallbackOpenApi };
};

type Outcome =
  | { kind: 'loaded'; diagnostics: Diagnostic[] }
  | { kind: 'rejected'; diagnostics: Diagnostic[]; message: string };

async function attempt(source: string): Promise<Outcome> {
  try {
    const loaded = await loadArazzo(source, { loader, cwd: fuzzDir, maxDocumentBytes: 8 * 1024 * 1024 });
    return { kind: 'loaded', diagnostics: loaded.diagnostics };
  } catch (e) {
    if (isDocumentError(e) || isUnreadableDocumentError(e))
      return { kind: 'rejected', diagnostics: [...e.diagnostics], message: e.message };
    throw e;
  }
}

/** Every error about the top document itself (it was text, so it has positions) carries a line. */
function expectLocated(outcome: Outcome, topFile: string): void {
  if (outcome.kind === 'loaded') return;
  const errors = outcome.diagnostics.filter((d) => d.severity === 'error');
  expect(errors.length, outcome.message).toBeGreaterThan(0);
  for (const d of errors) {
    expect(d.message.length).toBeGreaterThan(0);
    expect(d.message.length, 'messages stay readable').toBeLessThan(5000);
    if (d.file === topFile) expect(d.line, `${d.code} ${d.message}`).toBeGreaterThan(0);
  }
}

// ---- generated mutations -------------------------------------------------------------------------------

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function getAt(root: Json, pointer: string): { parent: Json; key: string } | undefined {
  const tokens = pointer.split('/').slice(1);
  let node: Json = root;
  for (const t of tokens.slice(0, -1)) {
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, t)) return undefined;
    node = (node as Record<string, Json>)[t] as Json;
  }
  const key = tokens[tokens.length - 1] ?? '';
  if (node === null || typeof node !== 'object' || !Object.hasOwn(node, key)) return undefined;
  return { parent: node, key };
}

function clone(v: Json): Json {
  return JSON.parse(JSON.stringify(v)) as Json;
}

const POINTERS = [
  '/arazzo',
  '/info',
  '/info/title',
  '/info/version',
  '/sourceDescriptions',
  '/sourceDescriptions/0',
  '/sourceDescriptions/0/name',
  '/sourceDescriptions/0/url',
  '/sourceDescriptions/0/type',
  '/workflows',
  '/workflows/0',
  '/workflows/0/workflowId',
  '/workflows/0/steps',
  '/workflows/0/steps/0',
  '/workflows/0/steps/0/stepId',
  '/workflows/0/steps/0/operationId',
  '/workflows/0/steps/0/parameters',
  '/workflows/0/steps/0/successCriteria',
  '/workflows/0/outputs',
];
const WRONG: Json[] = [42, 'text', null, [], {}, true, [[[]]], { $ref: '#/workflows' }];

function deepValue(levels: number): string {
  return `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;
}

/** Text mutations of a base document: each returns the new text. Deterministic. */
function mutations(base: Json): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const text = (v: Json) => JSON.stringify(v, null, 2);
  for (const pointer of POINTERS) {
    const at = getAt(base, pointer);
    if (at === undefined) continue;
    const deleted = clone(base);
    const d = getAt(deleted, pointer)!;
    if (Array.isArray(d.parent)) d.parent.splice(Number(d.key), 1);
    else delete (d.parent as Record<string, Json>)[d.key];
    out.push([`delete ${pointer}`, text(deleted)]);
    for (const wrong of WRONG) {
      const typed = clone(base);
      const w = getAt(typed, pointer)!;
      (w.parent as Record<string, Json>)[w.key] = clone(wrong);
      out.push([`${pointer} = ${JSON.stringify(wrong)}`, text(typed)]);
    }
  }
  const huge = clone(base) as Record<string, Json>;
  const hugeAt = getAt(huge, '/workflows/0/steps/0/stepId');
  if (hugeAt !== undefined) {
    (hugeAt.parent as Record<string, Json>)[hugeAt.key] = 'a'.repeat(1_000_000);
    out.push(['1 MB stepId', text(huge)]);
  }
  const desc = clone(base) as Record<string, Json>;
  (desc.info as Record<string, Json>) = {
    title: 'x'.repeat(2_000_000),
    version: '1.0.0',
    description: '\u0000\u{1F600}'.repeat(1000),
  };
  out.push(['2 MB title with NULs and astral characters', text(desc)]);
  const full = text(base);
  // Payload nested 10k levels (JSON inside the document text).
  out.push([
    'payload nested 10k levels (JSON)',
    full.replace(/"stepId": "([^"]*)"/, `"stepId": "$1", "requestBody": { "payload": ${deepValue(10_000)} }`),
  ]);
  out.push([
    'payload nested 600 levels (JSON)',
    full.replace(/"stepId": "([^"]*)"/, `"stepId": "$1", "requestBody": { "payload": ${deepValue(600)} }`),
  ]);
  out.push([
    'duplicate workflowId key',
    full.replace(/"workflowId": "([^"]*)"/, '"workflowId": "$1", "workflowId": "dup"'),
  ]);
  for (const key of ['__proto__', 'constructor', 'prototype']) {
    out.push([
      `${key} key at the root`,
      full.replace(/^\{/, `{ "${key}": { "polluted": true, "arazzo": "9.9.9" },`),
    ]);
    out.push([
      `${key} key in a step`,
      full.replace(/"stepId": "([^"]*)"/, `"stepId": "$1", "${key}": { "polluted": true }`),
    ]);
    out.push([`${key} as a stepId`, full.replace(/"stepId": "([^"]*)"/, `"stepId": "${key}"`)]);
    out.push([`${key} as a workflowId`, full.replace(/"workflowId": "([^"]*)"/, `"workflowId": "${key}"`)]);
    out.push([`${key} as a source name`, full.replace(/"name": "([^"]*)"/, `"name": "${key}"`)]);
  }
  for (const expr of [
    '$inputs.__proto__',
    '$response.body#/__proto__/polluted',
    '$steps.__proto__.outputs.constructor',
    '$components.parameters.__proto__',
    '$sourceDescriptions.__proto__.url',
    '$workflows.constructor.outputs.prototype',
  ]) {
    out.push([
      `output ${expr}`,
      full.replace(/"stepId": "([^"]*)"/, `"stepId": "$1", "outputs": { "x": "${expr}" }`),
    ]);
  }
  return out;
}

const bases: Array<[string, Json]> = [];
for (const dir of readdirSync(docsDir).sort()) {
  const file = readdirSync(join(docsDir, dir)).find((f) => f.startsWith('document.'));
  if (file === undefined) continue;
  if (!['valid-minimal', 'spec-full-example', 'spec-workflow-example', 'components-ok'].includes(dir))
    continue;
  bases.push([dir, parse(readFileSync(join(docsDir, dir, file), 'utf8')) as Json]);
}

const generated: Array<[string, string]> = bases.flatMap(([name, base]) =>
  mutations(base).map(([what, text]): [string, string] => [`${name}: ${what}`, text]),
);
const composioBase = parse(readFileSync(composio, 'utf8')) as Json;
const composioCases: Array<[string, string]> = mutations(composioBase)
  .filter((_, i) => i % 9 === 0)
  .map(([what, text]) => [`composio: ${what}`, text]);

let before: ReturnType<typeof prototypeSnapshot>;
beforeAll(() => {
  before = prototypeSnapshot();
});
afterAll(() => {
  expect(prototypeSnapshot()).toEqual(before);
});

describe('hand-written hostile documents (test/fixtures/fuzz)', () => {
  const files = readdirSync(fuzzDir)
    .filter((f) => /\.arazzo\.(ya?ml|json)$/.test(f))
    .sort();

  it.each(files)('%s', async (file) => {
    const path = join(fuzzDir, file);
    const started = performance.now();
    const outcome = await attempt(path);
    expect(performance.now() - started).toBeLessThan(5000);
    expectLocated(outcome, path);
  });

  it.each<[string, { file: string; want: 'loaded' | 'rejected'; codes?: string[] }]>([
    [
      'alias bomb is refused',
      { file: 'alias-bomb.arazzo.yaml', want: 'rejected', codes: ['yaml-alias-limit'] },
    ],
    ['alias cycle is refused', { file: 'alias-cycle.arazzo.yaml', want: 'rejected' }],
    [
      'duplicate keys are errors',
      { file: 'duplicate-keys.arazzo.yaml', want: 'rejected', codes: ['duplicate-key'] },
    ],
    ['custom tags are not executed', { file: 'custom-tags.arazzo.yaml', want: 'rejected' }],
    [
      '$ref cycles that never reach a value are located errors',
      { file: 'refcycle.arazzo.yaml', want: 'rejected', codes: ['openapi-ref-cycle'] },
    ],
    ['a recursive schema loads', { file: 'refcycle-schema.arazzo.yaml', want: 'loaded' }],
  ])('%s', async (_name, { file, want, codes }) => {
    const outcome = await attempt(join(fuzzDir, file));
    expect(outcome.kind, JSON.stringify(outcome.diagnostics.map((d) => `${d.code} ${d.message}`))).toBe(want);
    for (const code of codes ?? []) expect(outcome.diagnostics.map((d) => d.code)).toContain(code);
    expect((globalThis as Record<string, unknown>).pwned).toBeUndefined();
  });
});

describe('generated mutations of the fixture documents', () => {
  it('the generator is deterministic and covers every mutation kind', () => {
    expect(bases.length).toBe(4);
    expect(generated.length).toBeGreaterThan(400);
    expect(mutations(bases[0]![1]).map(([w]) => w)).toEqual(mutations(bases[0]![1]).map(([w]) => w));
  });

  it.each(generated)('%s', async (_name, text) => {
    const outcome = await attempt(text);
    expectLocated(outcome, '<inline>');
  });

  it.each(composioCases)('%s', async (_name, text) => {
    const outcome = await attempt(text);
    expectLocated(outcome, '<inline>');
  });

  it('a payload nested 10k levels is refused with document-too-deep at a line', async () => {
    const text = mutations(bases[0]![1]).find(([w]) => w === 'payload nested 10k levels (JSON)')![1];
    const outcome = await attempt(text);
    expect(outcome.kind).toBe('rejected');
    const deep = outcome.diagnostics.find((d) => d.code === 'document-too-deep');
    expect(deep?.line).toBeGreaterThan(1);
    expect(deep?.pointer).toMatch(/^\/workflows\/0\/steps\/0\/requestBody\/payload(\/a)+$/);
  });
});
