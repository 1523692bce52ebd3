import { describe, expect, it } from 'vitest';
import { resolveInputsRef } from '../../src/document/inputs-ref.js';
import type { ArazzoDocument } from '../../src/document/model.js';
import { checkInputs } from '../../src/engine/inputs.js';

const document = {
  arazzo: '1.1.0',
  info: { title: 't', version: '1' },
  sourceDescriptions: [{ name: 'api', url: './openapi.yaml' }],
  components: {
    inputs: {
      page: { $anchor: 'paging', type: 'object', properties: { size: { type: 'integer' } } },
      'a/b': { type: 'string' },
    },
  },
  workflows: [
    {
      workflowId: 'w',
      inputs: {
        type: 'object',
        properties: {
          paging: { $ref: '#paging' },
          token: { $anchor: 'tok', type: 'string', minLength: 3 },
          again: { $ref: '#tok' },
          slash: { $ref: '#/components/inputs/a~1b' },
        },
      },
      steps: [{ stepId: 's', operationId: 'op' }],
    },
  ],
} as unknown as ArazzoDocument;

describe('$ref in inputs: JSON Pointer and $anchor fragments (spec 1.1 "Resolving URI Fragments")', () => {
  it.each<[string, string, unknown]>([
    ['a JSON Pointer into components', '#/components/inputs/page', { size: { type: 'integer' } }],
    ['an escaped JSON Pointer', '#/components/inputs/a~1b', undefined],
    ['a plain-name fragment in components', '#paging', { size: { type: 'integer' } }],
    ['a plain-name fragment in a workflow inputs', '#tok', undefined],
    ['an unknown anchor', '#nope', 'none'],
    ['an unknown pointer', '#/components/inputs/nope', 'none'],
    ['a remote reference', 'https://example.com/s.json#x', 'none'],
  ])('%s', (_name, ref, wantProperties) => {
    const got = resolveInputsRef(ref, document);
    if (wantProperties === 'none') expect(got).toBeUndefined();
    else {
      expect(got).toBeDefined();
      expect(got?.properties).toEqual(wantProperties);
    }
  });

  it('validates run inputs through nested anchor and pointer refs', () => {
    const schema = document.workflows[0]!.inputs!;
    expect(checkInputs(schema, document, { paging: { size: 2 }, again: 'abcd', slash: 'x' }).ok).toBe(true);
    const bad = checkInputs(schema, document, { paging: { size: 'big' }, again: 'ab', slash: 1 });
    expect(bad.ok).toBe(false);
    expect(bad.problems.join('\n')).toMatch(/paging\.size/);
    expect(bad.problems.join('\n')).toMatch(/again/);
    expect(bad.problems.join('\n')).toMatch(/slash/);
  });
});
