// Arazzo 1.1.0 runtime expressions: $self, JSON Pointer suffixes, embedding rules, ids without dots.
import { describe, expect, it } from 'vitest';
import type { ExpressionScope } from '../../src/expression/index.js';
import {
  evaluateExpression,
  isUnresolved,
  parseExpression,
  renderTemplate,
  resolveValue,
  selectPointer,
} from '../../src/expression/index.js';

const scope: ExpressionScope = {
  self: 'https://example.test/workflows/pets.arazzo.yaml',
  inputs: { pet: { name: 'rex', tags: ['a', 'b'] }, 'a.b': 1 },
  outputs: { summary: { total: 3 } },
  steps: { 'get-pet': { outputs: { pet: { id: 7, owner: { name: 'ann' } }, xml: '<p><id>7</id></p>' } } },
  workflows: { child_1: { inputs: { q: { k: 'v' } }, outputs: { rows: [{ id: 1 }, { id: 2 }] } } },
  components: {
    successActions: { 'done.ok': { name: 'done', type: 'end' } },
    failureActions: { retry: { name: 'retry', type: 'retry' } },
  },
};

describe('1.1.0 expressions', () => {
  it.each([
    ['$self', 'https://example.test/workflows/pets.arazzo.yaml'],
    ['$inputs.pet#/tags/1', 'b'],
    ['$inputs.a.b', 1],
    ['$outputs.summary#/total', 3],
    ['$steps.get-pet.outputs.pet#/owner/name', 'ann'],
    ['$workflows.child_1.inputs.q#/k', 'v'],
    ['$workflows.child_1.outputs.rows#/1/id', 2],
    ['$components.successActions.done.ok', { name: 'done', type: 'end' }],
    ['$components.failureActions.retry', { name: 'retry', type: 'retry' }],
  ])('%s', (src, want) => {
    expect(evaluateExpression(src, scope)).toEqual(want);
  });

  it('$self without a $self URI is unresolved', () => {
    const v = evaluateExpression('$self', {});
    expect(isUnresolved(v) && v.reason).toMatch(/no \$self/);
  });

  it('$self parses to the self root and nothing may follow it', () => {
    expect(parseExpression('$self').root).toBe('self');
    expect(() => parseExpression('$self.x')).toThrow(/end of expression/);
  });

  it('step and workflow ids have no dots (identifier-strict)', () => {
    expect(() => parseExpression('$steps.a.b.outputs.x')).toThrow(/outputs/);
  });

  it.each([
    ['structured values embed as RFC 8259 JSON', 'pet={$inputs.pet}', 'pet={"name":"rex","tags":["a","b"]}'],
    ['XML text embeds as it is', 'body={$steps.get-pet.outputs.xml}', 'body=<p><id>7</id></p>'],
    [
      'several expressions in one string',
      '{$self}#{$steps.get-pet.outputs.pet#/id}',
      'https://example.test/workflows/pets.arazzo.yaml#7',
    ],
  ])('%s', (_name, template, want) => {
    expect(renderTemplate(template, scope)).toBe(want);
  });
});

describe('selectPointer (RFC 6901)', () => {
  const doc = { 'a/b': { '~c': [10, 20] }, list: [{ id: 1 }] };
  it.each([
    ['', doc],
    ['/a~1b/~0c/1', 20],
    ['/list/0/id', 1],
  ])('%j', (pointer, want) => {
    expect(selectPointer(doc, pointer)).toEqual(want);
  });
  it.each([
    ['/list/1', /out of range/],
    ['list', /must start with/],
    ['/a~2b', /bad escape/],
    ['/__proto__', /no member/],
  ])('%j is unresolved', (pointer, why) => {
    const v = selectPointer(doc, pointer);
    expect(isUnresolved(v) && v.reason).toMatch(why);
  });
});

describe('evaluateObject hook', () => {
  it('replaces objects it answers for and walks the others', () => {
    const got = resolveValue({ keep: { a: '$self' }, swap: { marker: true } }, scope, {
      evaluateObject: (o) => (o.marker === true ? 'swapped' : undefined),
    });
    expect(got).toEqual({ keep: { a: scope.self }, swap: 'swapped' });
  });
});
