import { describe, expect, it } from 'vitest';
import { isExpressionSyntaxError } from '../../src/errors.js';
import type { ExpressionScope, Unresolved } from '../../src/expression/index.js';
import {
  isUnresolved,
  listExpressions,
  parseTemplate,
  renderTemplate,
  resolveValue,
} from '../../src/expression/index.js';

const scope: ExpressionScope = {
  statusCode: 200,
  inputs: { token: 'abc', n: 4, yes: true, nil: null, obj: { a: [1, 'x'] }, list: [1, 2] },
  steps: { a: { outputs: { id: 42, xml: '<a>1</a>' } } },
  response: { headers: { Location: '/items/9' }, body: { id: 9 } },
};

describe('parseTemplate', () => {
  it.each([
    ['text only', { given: 'plain', want: [['text', 'plain', 0, 5]] }],
    [
      'one expression',
      {
        given: 'Bearer {$inputs.token}',
        want: [
          ['text', 'Bearer ', 0, 7],
          ['expr', '$inputs.token', 8, 21],
        ],
      },
    ],
    [
      'two expressions',
      {
        given: 'https://{$inputs.host}/api/{$steps.create.outputs.id}/status',
        want: [
          ['text', 'https://', 0, 8],
          ['expr', '$inputs.host', 9, 21],
          ['text', '/api/', 22, 27],
          ['expr', '$steps.create.outputs.id', 28, 52],
          ['text', '/status', 53, 60],
        ],
      },
    ],
    [
      'pointer ends at brace',
      {
        given: '{$response.body#/a/b}!',
        want: [
          ['expr', '$response.body#/a/b', 1, 20],
          ['text', '!', 21, 22],
        ],
      },
    ],
    ['JSON text stays literal', { given: '{"a": 1}', want: [['text', '{"a": 1}', 0, 8]] }],
    ['regex quantifier stays literal', { given: '^\\d{2}$', want: [['text', '^\\d{2}$', 0, 7]] }],
    ['price stays literal', { given: 'costs {$5}', want: [['text', 'costs {$5}', 0, 10]] }],
    ['empty string', { given: '', want: [['text', '', 0, 0]] }],
  ])('%s', (_name, { given, want }) => {
    const t = parseTemplate(given);
    expect(
      t.parts.map((p) =>
        p.type === 'text' ? ['text', p.value, p.start, p.end] : ['expr', p.source, p.start, p.end],
      ),
    ).toEqual(want);
  });

  it.each([
    ['unterminated', { given: 'x {$inputs.a', offset: 12 }],
    ['bad expression', { given: 'x {$inputz.a}', offset: 3 }],
    ['space inside', { given: '{$inputs.a }', offset: 10 }],
  ])('rejects %s with the offset into the whole string', (_name, { given, offset }) => {
    let caught: unknown;
    try {
      parseTemplate(given);
    } catch (err) {
      caught = err;
    }
    expect(isExpressionSyntaxError(caught)).toBe(true);
    if (isExpressionSyntaxError(caught)) expect(caught.offset).toBe(offset);
  });
});

describe('renderTemplate', () => {
  it.each([
    ['string', { given: 'Bearer {$inputs.token}', want: 'Bearer abc' }],
    ['number', { given: '/items/{$steps.a.outputs.id}', want: '/items/42' }],
    ['boolean and null', { given: '{$inputs.yes}/{$inputs.nil}', want: 'true/null' }],
    ['object as JSON', { given: 'o={$inputs.obj}', want: 'o={"a":[1,"x"]}' }],
    ['array as JSON', { given: '{$inputs.list}', want: '[1,2]' }],
    ['string body embedded as-is', { given: 'x{$steps.a.outputs.xml}', want: 'x<a>1</a>' }],
    ['header', { given: 'at {$response.header.location}', want: 'at /items/9' }],
    ['whole embedded is text', { given: '{$inputs.n}', want: '4' }],
  ])('%s', (_name, { given, want }) => {
    expect(renderTemplate(given, scope)).toBe(want);
  });

  it('is unresolved when an embedded expression is', () => {
    const r = renderTemplate('Bearer {$inputs.missing}', scope);
    expect(isUnresolved(r)).toBe(true);
    if (isUnresolved(r)) expect(r.reason).toContain('no input "missing"');
  });
});

describe('resolveValue', () => {
  it('keeps types of whole expressions, renders templates, walks structures', () => {
    const given = {
      id: '$steps.a.outputs.id',
      auth: 'Bearer {$inputs.token}',
      nested: { list: ['$inputs.n', '{$inputs.n}', 7, true, null], obj: '$inputs.obj' },
      literal: '$100',
      json: '{"a":1}',
    };
    const before = JSON.stringify(given);
    expect(resolveValue(given, scope)).toEqual({
      id: 42,
      auth: 'Bearer abc',
      nested: { list: [4, '4', 7, true, null], obj: { a: [1, 'x'] } },
      literal: '$100',
      json: '{"a":1}',
    });
    expect(JSON.stringify(given)).toBe(before);
  });

  it('drops unresolved members and elements and reports them with pointers', () => {
    const seen: Array<[string, string]> = [];
    const out = resolveValue(
      { keep: '$inputs.n', optional: '$inputs.notGiven', arr: ['$inputs.gone', 1], 'a/b': '{$inputs.x}' },
      scope,
      { onUnresolved: (path: string, u: Unresolved) => seen.push([path, u.reason]) },
    );
    expect(out).toEqual({ keep: 4, arr: [1] });
    expect(seen.map(([p]) => p)).toEqual(['/optional', '/arr/0', '/a~1b']);
    expect(seen[0]?.[1]).toContain('no input "notGiven"');
  });

  it('keeps unresolved markers when omitUnresolved is false', () => {
    const out = resolveValue({ a: '$inputs.nope' }, scope, { omitUnresolved: false }) as { a: unknown };
    expect(isUnresolved(out.a)).toBe(true);
  });

  it('returns the marker for a top-level unresolved value', () => {
    const paths: string[] = [];
    expect(isUnresolved(resolveValue('$inputs.nope', scope, { onUnresolved: (p) => paths.push(p) }))).toBe(
      true,
    );
    expect(paths).toEqual(['']);
  });

  it('keeps a "__proto__" member as data', () => {
    const input = JSON.parse('{"__proto__": {"polluted": true}, "a": "$inputs.n"}') as unknown;
    const out = resolveValue(input, scope) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.hasOwn(out, '__proto__')).toBe(true);
    expect(out.a).toBe(4);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('listExpressions', () => {
  it('finds whole and embedded expressions with paths and offsets', () => {
    expect(
      listExpressions({
        a: '$inputs.x',
        b: ['x {$steps.a.outputs.b} y {$inputz}'],
        c: '$5',
        d: '$inputs.bad thing',
        e: 'no expressions',
        f: 3,
      }),
    ).toEqual([
      { path: '/a', source: '$inputs.x', offset: 0 },
      { path: '/b/0', source: '$steps.a.outputs.b', offset: 3 },
      { path: '/b/0', source: '$inputz', offset: 26 },
      { path: '/d', source: '$inputs.bad thing', offset: 0 },
    ]);
  });
});
