// Arazzo 1.0.1 Workflow Object `inputs`: `$ref: '#/components/inputs/x'` resolves wherever it appears.
import { describe, expect, it } from 'vitest';
import type { ArazzoDocument, JsonObject } from '../../src/document/model.js';
import { runWorkflow } from '../../src/engine/index.js';
import { checkInputs, componentInputsSchema } from '../../src/engine/inputs.js';
import { parseFragmentPointer } from '../../src/pointer.js';
import { loadArazzo, validate } from '../../src/sources/index.js';

const components = {
  page: { type: 'object', properties: { size: { type: 'integer', maximum: 50 } }, required: ['size'] },
  'a/b': { type: 'string', minLength: 2 },
  'with space': { type: 'string', enum: ['x', 'y'] },
  'til~de': { type: 'boolean' },
  node: {
    type: 'object',
    properties: {
      name: { type: 'string' },
      children: { type: 'array', items: { $ref: '#/components/inputs/node' } },
    },
    required: ['name'],
  },
};
const DOC = {
  arazzo: '1.0.1',
  info: { title: 't', version: '1' },
  sourceDescriptions: [],
  workflows: [],
  components: { inputs: components },
} as unknown as ArazzoDocument;

const obj = (properties: Record<string, unknown>): JsonObject =>
  ({ type: 'object', properties }) as unknown as JsonObject;

describe('inputs schema references into components.inputs', () => {
  const cases: Array<[string, JsonObject, Record<string, unknown>, string[]]> = [
    ['in properties', obj({ paging: { $ref: '#/components/inputs/page' } }), { paging: { size: 10 } }, []],
    [
      'in properties, violated',
      obj({ paging: { $ref: '#/components/inputs/page' } }),
      { paging: { size: 99 } },
      ['input "paging.size": must be <= 50'],
    ],
    [
      'in items',
      obj({ ids: { type: 'array', items: { $ref: '#/components/inputs/a~1b' } } }),
      { ids: ['ab'] },
      [],
    ],
    [
      'in items, violated (~1 decodes to /)',
      obj({ ids: { type: 'array', items: { $ref: '#/components/inputs/a~1b' } } }),
      { ids: ['a'] },
      ['input "ids.0": must NOT have fewer than 2 characters'],
    ],
    [
      'in allOf, percent-encoded name',
      obj({ mode: { allOf: [{ $ref: '#/components/inputs/with%20space' }] } }),
      { mode: 'z' },
      ['input "mode": must be equal to one of the allowed values'],
    ],
    [
      '~0 decodes to ~',
      obj({ flag: { $ref: '#/components/inputs/til~0de' } }),
      { flag: 'no' },
      ['input "flag": must be boolean'],
    ],
    [
      'recursive component',
      obj({ tree: { $ref: '#/components/inputs/node' } }),
      { tree: { name: 'r', children: [{ name: 'c', children: [{}] }] } },
      ['missing required input "name"'],
    ],
    [
      'a top-level reference whose component refers on',
      { $ref: '#/components/inputs/node' } as unknown as JsonObject,
      { name: 'r', children: [{ name: 'c' }] },
      [],
    ],
    [
      'a property named like a data keyword still holds a schema',
      obj({ default: { $ref: '#/components/inputs/til~0de' } }),
      { default: 1 },
      ['input "default": must be boolean'],
    ],
  ];
  it.each(cases)('%s', (_name, schema, inputs, problems) => {
    const check = checkInputs(schema, DOC, inputs);
    expect(check.problems).toEqual(problems);
    expect(check.ok).toBe(problems.length === 0);
  });

  it('a `$ref` key inside `const` data is not followed', () => {
    const schema = obj({ v: { const: { $ref: '#/components/inputs/page' } } });
    expect(checkInputs(schema, DOC, { v: { $ref: '#/components/inputs/page' } }).ok).toBe(true);
    expect(checkInputs(schema, DOC, { v: { size: 1 } }).ok).toBe(false);
  });
});

describe('one resolver of #/components/inputs/<name>', () => {
  it.each<[string, string | undefined]>([
    ['#/components/inputs/page', 'page'],
    ['#/components/inputs/a~1b', 'a/b'],
    ['#/components/inputs/with%20space', 'with space'],
    ['#/components/inputs/til~0de', 'til~de'],
    ['#/components/inputs/missing', undefined],
    ['#/components/inputs/toString', undefined],
    ['#/components/parameters/page', undefined],
    ['#/components/inputs/%E0%A4%A', undefined],
    ['components/inputs/page', undefined],
  ])('%s', (ref, name) => {
    const want = name === undefined ? undefined : (components as Record<string, unknown>)[name];
    expect(componentInputsSchema(DOC, ref)).toBe(want);
  });

  it('parseFragmentPointer decodes percent-escapes, then ~ escapes (RFC 6901 section 6)', () => {
    expect(parseFragmentPointer('#/a%7E1b/c~1d%20e')).toEqual(['a/b', 'c/d e']);
    expect(parseFragmentPointer('#')).toEqual([]);
    expect(parseFragmentPointer('#/%')).toBeUndefined();
  });
});

const NESTED_REF_DOC = `arazzo: 1.0.1
info: { title: nested inputs refs, version: '1' }
sourceDescriptions:
  - { name: api, url: ./none.yaml, type: openapi }
workflows:
  - workflowId: w
    inputs:
      type: object
      properties:
        paging: { $ref: '#/components/inputs/page' }
        ids: { type: array, items: { $ref: '#/components/inputs/id' } }
      required: [paging]
    steps:
      - stepId: s
        operationId: getPet
        parameters: [{ name: id, in: path, value: $inputs.ids#/0 }]
    outputs:
      size: $inputs.paging#/size
components:
  inputs:
    page: { type: object, properties: { size: { type: integer, default: 20 } } }
    id: { type: string, pattern: '^[0-9]+$' }
`;

describe('a document with nested inputs references validates strictly and runs', () => {
  const base = new URL('../fixtures/mock/hostless/', import.meta.url);
  it('validate --strict and the run agree', async () => {
    const url = new URL('nested-refs.arazzo.yaml', base).href;
    const loader = async (u: URL) => {
      if (u.href === url) return { text: NESTED_REF_DOC, contentType: 'application/yaml' };
      const { defaultLoader } = await import('../../src/sources/index.js');
      return defaultLoader(u);
    };
    const checked = await validate(url, { strict: true, loader });
    expect(checked.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const loaded = await loadArazzo(url, { strict: true, loader });
    const sent: string[] = [];
    const ok = await runWorkflow(
      loaded,
      { paging: {}, ids: ['7'] },
      {
        transport: async (request) => {
          sent.push(request.url);
          return { statusCode: 200, headers: {}, body: undefined, size: 0, durationMs: 0, url: request.url };
        },
        servers: { api: 'http://127.0.0.1:9' },
      },
    );
    expect(ok.error).toBeUndefined();
    expect(ok.status).toBe('succeeded');
    expect(ok.outputs).toEqual({ size: 20 });
    expect(sent).toEqual(['http://127.0.0.1:9/pets/7']);
    const bad = await runWorkflow(
      loaded,
      { paging: {}, ids: ['x'] },
      {
        transport: async () => {
          throw new Error('not sent');
        },
      },
    );
    expect(bad.error?.code).toBe('INPUTS_INVALID');
    expect(bad.error?.message).toContain('input "ids.0": must match pattern');
  });
});
