import { describe, expect, it } from 'vitest';
import { isExpressionSyntaxError } from '../../src/errors.js';
import { isRuntimeExpression, parseExpression, parseTemplate } from '../../src/expression/index.js';

type Want = {
  root: string;
  location?: string;
  names: string[];
  pointer?: string[];
  path?: Array<string | number>;
  compat?: string[];
  specForm?: string;
};

const valid: Array<[string, { given: string; want: Want }]> = [
  ['$url', { given: '$url', want: { root: 'url', names: [] } }],
  ['$method', { given: '$method', want: { root: 'method', names: [] } }],
  ['$statusCode', { given: '$statusCode', want: { root: 'statusCode', names: [] } }],
  [
    'request header',
    { given: '$request.header.accept', want: { root: 'request', location: 'header', names: ['accept'] } },
  ],
  [
    'header with tchar dots and tilde',
    {
      given: '$response.header.X-Rate.Limit~1',
      want: { root: 'response', location: 'header', names: ['X-Rate.Limit~1'] },
    },
  ],
  [
    'request query name with dots',
    { given: '$request.query.page.size', want: { root: 'request', location: 'query', names: ['page.size'] } },
  ],
  ['request path', { given: '$request.path.id', want: { root: 'request', location: 'path', names: ['id'] } }],
  ['request body whole', { given: '$request.body', want: { root: 'request', location: 'body', names: [] } }],
  [
    'request body pointer',
    {
      given: '$request.body#/user/uuid',
      want: { root: 'request', location: 'body', names: [], pointer: ['user', 'uuid'] },
    },
  ],
  [
    'response body empty pointer',
    { given: '$response.body#', want: { root: 'response', location: 'body', names: [], pointer: [] } },
  ],
  [
    'pointer escapes',
    {
      given: '$response.body#/a~1b/m~0n/~01',
      want: { root: 'response', location: 'body', names: [], pointer: ['a/b', 'm~n', '~1'] },
    },
  ],
  [
    'pointer with dots, hyphens, spaces, brackets',
    {
      given: '$response.body#/a.b/c-d/e f/g[0]',
      want: { root: 'response', location: 'body', names: [], pointer: ['a.b', 'c-d', 'e f', 'g[0]'] },
    },
  ],
  [
    'pointer empty token',
    {
      given: '$response.body#//x',
      want: { root: 'response', location: 'body', names: [], pointer: ['', 'x'] },
    },
  ],
  ['inputs', { given: '$inputs.username', want: { root: 'inputs', names: ['username'] } }],
  [
    'inputs hyphen underscore',
    { given: '$inputs.user-name_2', want: { root: 'inputs', names: ['user-name_2'] } },
  ],
  [
    'inputs pointer',
    { given: '$inputs.user#/name', want: { root: 'inputs', names: ['user'], pointer: ['name'] } },
  ],
  ['outputs', { given: '$outputs.bar', want: { root: 'outputs', names: ['bar'] } }],
  [
    'steps',
    {
      given: '$steps.someStepId.outputs.pets',
      want: { root: 'steps', names: ['someStepId', 'outputs', 'pets'] },
    },
  ],
  [
    'steps pointer',
    {
      given: '$steps.someStepId.outputs.pets#/0/id',
      want: { root: 'steps', names: ['someStepId', 'outputs', 'pets'], pointer: ['0', 'id'] },
    },
  ],
  [
    'workflows inputs',
    {
      given: '$workflows.foo.inputs.username',
      want: { root: 'workflows', names: ['foo', 'inputs', 'username'] },
    },
  ],
  [
    'workflows outputs pointer',
    {
      given: '$workflows.foo.outputs.mappedResponse#/name',
      want: { root: 'workflows', names: ['foo', 'outputs', 'mappedResponse'], pointer: ['name'] },
    },
  ],
  [
    'sourceDescriptions',
    {
      given: '$sourceDescriptions.petstore.url',
      want: { root: 'sourceDescriptions', names: ['petstore', 'url'] },
    },
  ],
  [
    'sourceDescriptions operationId with dots',
    {
      given: '$sourceDescriptions.petstore.pets.get',
      want: { root: 'sourceDescriptions', names: ['petstore', 'pets.get'] },
    },
  ],
  [
    'components parameters',
    { given: '$components.parameters.foo', want: { root: 'components', names: ['parameters', 'foo'] } },
  ],
  [
    'components name with dots',
    {
      given: '$components.successActions.a.b',
      want: { root: 'components', names: ['successActions', 'a.b'] },
    },
  ],
  [
    'components failureActions',
    {
      given: '$components.failureActions.retry-it',
      want: { root: 'components', names: ['failureActions', 'retry-it'] },
    },
  ],
  [
    'compat dotted inputs',
    {
      given: '$inputs.a.b',
      want: { root: 'inputs', names: ['a'], path: ['b'], compat: ['dotted-path'], specForm: '$inputs.a#/b' },
    },
  ],
  [
    'compat bracket index',
    {
      given: '$steps.s.outputs.items[0]',
      want: {
        root: 'steps',
        names: ['s', 'outputs', 'items'],
        path: [0],
        compat: ['bracket-index'],
        specForm: '$steps.s.outputs.items#/0',
      },
    },
  ],
  [
    'compat both',
    {
      given: '$steps.s.outputs.items[0].id',
      want: {
        root: 'steps',
        names: ['s', 'outputs', 'items'],
        path: [0, 'id'],
        compat: ['bracket-index', 'dotted-path'],
        specForm: '$steps.s.outputs.items#/0/id',
      },
    },
  ],
  [
    'compat response body dotted',
    {
      given: '$response.body.data.id',
      want: {
        root: 'response',
        location: 'body',
        names: [],
        path: ['data', 'id'],
        compat: ['dotted-path'],
        specForm: '$response.body#/data/id',
      },
    },
  ],
  [
    'compat path then pointer',
    {
      given: '$inputs.a.b#/c~1d',
      want: {
        root: 'inputs',
        names: ['a'],
        path: ['b'],
        pointer: ['c/d'],
        compat: ['dotted-path'],
        specForm: '$inputs.a#/b/c~1d',
      },
    },
  ],
];

describe('parseExpression: valid forms', () => {
  it.each(valid)('%s', (_name, { given, want }) => {
    const node = parseExpression(given);
    expect(node.type).toBe('expression');
    expect(node.source).toBe(given);
    expect(node.start).toBe(0);
    expect(node.end).toBe(given.length);
    expect(node.root).toBe(want.root);
    expect(node.location).toBe(want.location);
    expect(node.names.map((n) => n.value)).toEqual(want.names);
    expect(node.pointer?.tokens).toEqual(want.pointer);
    expect(node.path.map((p) => (p.kind === 'index' ? p.index : p.key))).toEqual(want.path ?? []);
    expect(node.compat).toEqual(want.compat ?? []);
    expect(node.specForm).toBe(want.specForm);
    expect(isRuntimeExpression(given)).toBe(true);
  });

  it('name segments carry offsets', () => {
    const node = parseExpression('$steps.login.outputs.token#/a');
    expect(node.names.map((n) => [n.value, n.start, n.end])).toEqual([
      ['login', 7, 12],
      ['outputs', 13, 20],
      ['token', 21, 26],
    ]);
    expect(node.pointer).toMatchObject({ text: '/a', start: 26, end: 29 });
  });

  it('returns the same frozen node from the cache', () => {
    const a = parseExpression('$inputs.cached');
    expect(parseExpression('$inputs.cached')).toBe(a);
    expect(Object.isFrozen(a)).toBe(true);
    expect(Object.isFrozen(a.names)).toBe(true);
  });
});

const invalid: Array<[string, { given: string; offset: number; expected: string[]; message?: string }]> = [
  [
    'unknown source',
    {
      given: '$foo',
      offset: 0,
      expected: [
        '$url',
        '$method',
        '$statusCode',
        '$request.',
        '$response.',
        '$inputs.',
        '$outputs.',
        '$steps.',
        '$workflows.',
        '$sourceDescriptions.',
        '$components.',
      ],
      message:
        'expression "$foo": unknown source "$foo" at offset 0; expected one of $url, $method, $statusCode, $request., $response., $message., $inputs., $outputs., $steps., $workflows., $sourceDescriptions., $components., $self',
    },
  ],
  ['no dollar', { given: 'inputs.a', offset: 0, expected: ['$url'] }],
  ['case matters in source names', { given: '$statuscode', offset: 0, expected: ['$statusCode'] }],
  ['trailing after statusCode', { given: '$statusCode.x', offset: 11, expected: ['end of expression'] }],
  ['inputs without name', { given: '$inputs.', offset: 8, expected: ['an input name'] }],
  ['inputs without dot', { given: '$inputs', offset: 7, expected: ['"."'] }],
  ['steps without outputs', { given: '$steps.a.b', offset: 8, expected: ['".outputs."'] }],
  ['stepId with dot is not outputs', { given: '$steps.a.b.outputs.c', offset: 8, expected: ['".outputs."'] }],
  ['steps outputs without name', { given: '$steps.a.outputs.', offset: 17, expected: ['an output name'] }],
  [
    'unknown request part',
    { given: '$request.cookie.a', offset: 9, expected: ['header.', 'query.', 'path.', 'body'] },
  ],
  ['header without name', { given: '$request.header.', offset: 16, expected: ['a header name'] }],
  ['header with invalid char', { given: '$request.header.a b', offset: 17, expected: ['end of expression'] }],
  [
    'pointer without slash',
    { given: '$response.body#a', offset: 15, expected: ['"/"', 'end of expression'] },
  ],
  ['bad pointer escape', { given: '$response.body#/a~2', offset: 17, expected: ['"~0"', '"~1"'] }],
  ['tilde at end of pointer', { given: '$response.body#/a~', offset: 17, expected: ['"~0"', '"~1"'] }],
  ['brace in pointer (1.1.0)', { given: '$response.body#/a}', offset: 17, expected: [] }],
  ['workflow field', { given: '$workflows.w.steps.x', offset: 13, expected: ['inputs', 'outputs'] }],
  [
    'component type',
    {
      given: '$components.foo.x',
      offset: 12,
      expected: ['parameters', 'successActions', 'failureActions', 'inputs'],
    },
  ],
  ['bad bracket', { given: '$inputs.a[x]', offset: 9, expected: ['[<non-negative integer>]'] }],
  ['space after expression', { given: '$inputs.a ', offset: 9, expected: ['end of expression'] }],
  ['empty', { given: '', offset: 0, expected: ['$url'] }],
];

describe('parseExpression: invalid forms', () => {
  it.each(invalid)('%s', (_name, { given, offset, expected, message }) => {
    let caught: unknown;
    try {
      parseExpression(given);
    } catch (err) {
      caught = err;
    }
    expect(isExpressionSyntaxError(caught)).toBe(true);
    if (!isExpressionSyntaxError(caught)) return;
    expect(caught.code).toBe('EXPRESSION_SYNTAX');
    expect(caught.offset).toBe(offset);
    expect(caught.source).toBe(given);
    for (const e of expected) expect(caught.expected).toContain(e);
    if (expected.length === 0) expect(caught.expected).toEqual([]);
    expect(caught.message).toContain(`expression "${given}": `);
    expect(caught.message).toContain(`at offset ${offset}`);
    if (message) expect(caught.message).toBe(message);
    expect(isRuntimeExpression(given)).toBe(false);
  });

  it('errors are cached and thrown again', () => {
    expect(() => parseExpression('$nope')).toThrow(/unknown source "\$nope"/);
    expect(() => parseExpression('$nope')).toThrow(/unknown source "\$nope"/);
  });

  it.each([['plain text'], ['$100'], ['{$inputs.a}'], ['']])('isRuntimeExpression(%j) is false', (s) => {
    expect(isRuntimeExpression(s)).toBe(false);
  });
});

describe('compat: whole outputs map ($steps.x.outputs)', () => {
  it.each([
    [
      'step outputs',
      {
        given: '$steps.getOffers.outputs',
        root: 'steps',
        names: ['getOffers', 'outputs'],
        pointer: undefined,
      },
    ],
    [
      'step outputs then pointer',
      { given: '$steps.s.outputs#/items/0', root: 'steps', names: ['s', 'outputs'], pointer: ['items', '0'] },
    ],
    [
      'workflow outputs',
      { given: '$workflows.w.outputs', root: 'workflows', names: ['w', 'outputs'], pointer: undefined },
    ],
  ])('%s', (_name, { given, root, names, pointer }) => {
    const node = parseExpression(given);
    expect(node.root).toBe(root);
    expect(node.names.map((n) => n.value)).toEqual(names);
    expect(node.pointer?.tokens).toEqual(pointer);
    expect(node.compat).toEqual(['whole-outputs']);
    expect(node.end).toBe(given.length);
  });

  it.each([
    ['workflow inputs need a name', '$workflows.w.inputs'],
    ['text after outputs', '$steps.s.outputsx'],
  ])('%s', (_name, given) => {
    expect(() => parseExpression(given)).toThrow(/expression/);
  });

  it('ends at a condition stop inside a template', () => {
    const t = parseTemplate('all: {$steps.s.outputs}');
    const expr = t.parts.find((p) => p.type === 'expression');
    expect(expr?.type === 'expression' ? expr.compat : []).toEqual(['whole-outputs']);
  });
});
