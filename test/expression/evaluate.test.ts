import { describe, expect, it } from 'vitest';
import type { ExpressionScope } from '../../src/expression/index.js';
import { evaluateExpression, isUnresolved, unresolved } from '../../src/expression/index.js';

const scope: ExpressionScope = {
  url: 'https://api.example.com/pets?limit=2',
  method: 'POST',
  statusCode: 201,
  request: {
    headers: { 'Content-Type': 'application/json', accept: ['application/json', 'text/plain'] },
    query: { limit: 2, 'page.size': '10' },
    path: { petId: 'p-1' },
    body: { user: { uuid: 'u-1', tags: ['a', 'b'] } },
  },
  response: {
    headers: { 'x-rate-limit': '100', Server: 'nginx' },
    body: '{"items":[{"id":7,"ok":true}],"a/b":1,"m~n":2,"":"empty","nested":{"n":null}}',
  },
  inputs: {
    token: 'tok',
    count: 3,
    flag: false,
    nil: null,
    obj: { b: [1, 2] },
    'a.b': 'dotted-key',
    a: { b: 'navigated' },
  },
  outputs: { bar: { name: 'Bar' } },
  steps: { s: { outputs: { items: [{ id: 5 }, { id: 6 }], text: 'plain' } }, empty: {} },
  workflows: { foo: { inputs: { username: 'ann' }, outputs: { mappedResponse: { name: 'M' } } } },
  sourceDescriptions: { petstore: { url: 'https://x/petstore.yaml', type: 'openapi', name: 'petstore' } },
  components: { parameters: { page: { name: 'page', in: 'query', value: 1 } } },
};

const cases: Array<[string, { given: string; want: unknown }]> = [
  ['$url', { given: '$url', want: 'https://api.example.com/pets?limit=2' }],
  ['$method', { given: '$method', want: 'POST' }],
  ['$statusCode keeps number', { given: '$statusCode', want: 201 }],
  ['request header, other case', { given: '$request.header.content-type', want: 'application/json' }],
  [
    'request header repeated joined',
    { given: '$request.header.Accept', want: 'application/json, text/plain' },
  ],
  ['response header, other case', { given: '$response.header.X-Rate-Limit', want: '100' }],
  ['response header lower', { given: '$response.header.server', want: 'nginx' }],
  ['request query keeps number', { given: '$request.query.limit', want: 2 }],
  ['request query dotted name', { given: '$request.query.page.size', want: '10' }],
  ['request path', { given: '$request.path.petId', want: 'p-1' }],
  [
    'request body whole object',
    { given: '$request.body', want: { user: { uuid: 'u-1', tags: ['a', 'b'] } } },
  ],
  ['request body pointer', { given: '$request.body#/user/uuid', want: 'u-1' }],
  ['request body array element', { given: '$request.body#/user/tags/1', want: 'b' }],
  ['response JSON text body pointer', { given: '$response.body#/items/0/id', want: 7 }],
  ['pointer ~1', { given: '$response.body#/a~1b', want: 1 }],
  ['pointer ~0', { given: '$response.body#/m~0n', want: 2 }],
  ['pointer empty key', { given: '$response.body#/', want: 'empty' }],
  ['pointer to null keeps null', { given: '$response.body#/nested/n', want: null }],
  ['pointer to boolean', { given: '$response.body#/items/0/ok', want: true }],
  ['inputs string', { given: '$inputs.token', want: 'tok' }],
  ['inputs number', { given: '$inputs.count', want: 3 }],
  ['inputs false', { given: '$inputs.flag', want: false }],
  ['inputs null', { given: '$inputs.nil', want: null }],
  ['inputs object', { given: '$inputs.obj', want: { b: [1, 2] } }],
  ['inputs pointer', { given: '$inputs.obj#/b/1', want: 2 }],
  ['dotted key wins over navigation (1.1.0 identifier)', { given: '$inputs.a.b', want: 'dotted-key' }],
  ['compat dotted path navigates', { given: '$inputs.obj.b', want: [1, 2] }],
  ['compat bracket index', { given: '$inputs.obj.b[0]', want: 1 }],
  ['compat .length on array', { given: '$inputs.obj.b.length', want: 2 }],
  ['outputs pointer', { given: '$outputs.bar#/name', want: 'Bar' }],
  ['steps output array', { given: '$steps.s.outputs.items', want: [{ id: 5 }, { id: 6 }] }],
  ['steps pointer', { given: '$steps.s.outputs.items#/1/id', want: 6 }],
  ['steps compat', { given: '$steps.s.outputs.items[1].id', want: 6 }],
  ['workflows inputs', { given: '$workflows.foo.inputs.username', want: 'ann' }],
  ['workflows outputs pointer', { given: '$workflows.foo.outputs.mappedResponse#/name', want: 'M' }],
  [
    'sourceDescriptions field',
    { given: '$sourceDescriptions.petstore.url', want: 'https://x/petstore.yaml' },
  ],
  [
    'components parameter',
    { given: '$components.parameters.page', want: { name: 'page', in: 'query', value: 1 } },
  ],
  ['response body whole keeps text', { given: '$response.body', want: scope.response?.body }],
];

describe('evaluateExpression', () => {
  it.each(cases)('%s', (_name, { given, want }) => {
    expect(evaluateExpression(given, scope)).toEqual(want);
  });

  it('returns the very object from the scope (no copy) and does not mutate the scope', () => {
    const before = JSON.stringify(scope);
    expect(evaluateExpression('$inputs.obj', scope)).toBe(scope.inputs?.obj);
    expect(JSON.stringify(scope)).toBe(before);
  });
});

const missing: Array<[string, { given: string; reason: RegExp; in?: ExpressionScope }]> = [
  ['no input', { given: '$inputs.nope', reason: /\$inputs\.nope: no input "nope" was given/ }],
  ['step not run', { given: '$steps.x.outputs.y', reason: /step "x" has not run/ }],
  ['step without output', { given: '$steps.s.outputs.y', reason: /step "s" has no output "y"/ }],
  ['step without outputs map', { given: '$steps.empty.outputs.y', reason: /step "empty" has no output "y"/ }],
  ['workflow not run', { given: '$workflows.bar.outputs.x', reason: /workflow "bar" has not run/ }],
  ['no header', { given: '$response.header.missing', reason: /has no header "missing"/ }],
  ['no query param', { given: '$request.query.nope', reason: /no query parameter "nope"/ }],
  ['response query is never there', { given: '$response.query.a', reason: /no query parameter "a"/ }],
  [
    'pointer past end',
    { given: '$response.body#/items/5', reason: /index 5 is out of range \(length 1\) at #\/items/ },
  ],
  ['pointer "-" is not an element', { given: '$response.body#/items/-', reason: /not an array index/ }],
  ['pointer into a number', { given: '$inputs.count#/x', reason: /cannot select "x" in a number/ }],
  [
    'pointer into a plain string',
    { given: '$steps.s.outputs.text#/x', reason: /cannot select "x" in a string/ },
  ],
  ['leading zero index', { given: '$request.body#/user/tags/01', reason: /not an array index/ }],
  ['no response yet', { given: '$statusCode', reason: /no response has been received/, in: {} }],
  ['no url yet', { given: '$url', reason: /no request has been sent/, in: {} }],
  ['no body', { given: '$response.body', reason: /no response has been received/, in: {} }],
  ['unknown source description', { given: '$sourceDescriptions.x.url', reason: /no source description "x"/ }],
  ['unknown component', { given: '$components.parameters.x', reason: /no component parameters "x"/ }],
  [
    'non-JSON text body',
    {
      given: '$response.body#/a',
      reason: /cannot select "a" in a string/,
      in: { response: { body: 'hello' } },
    },
  ],
];

describe('unresolved references', () => {
  it.each(missing)('%s', (_name, { given, reason, in: s }) => {
    const v = evaluateExpression(given, s ?? scope);
    expect(isUnresolved(v)).toBe(true);
    if (isUnresolved(v)) expect(v.reason).toMatch(reason);
  });

  it('unresolved markers are distinguishable from data that looks alike', () => {
    expect(isUnresolved({ unresolved: true, reason: 'x' })).toBe(false);
    expect(isUnresolved(unresolved('x'))).toBe(true);
    expect(isUnresolved(undefined)).toBe(false);
    const u = unresolved('why');
    expect(u).toEqual({ unresolved: true, reason: 'why' });
    expect(Object.isFrozen(u)).toBe(true);
  });

  it('an input that is present with value undefined is not unresolved', () => {
    expect(evaluateExpression('$inputs.u', { inputs: { u: undefined } })).toBeUndefined();
  });
});

describe('compat: whole outputs map', () => {
  it.each([
    [
      'step outputs map',
      { given: '$steps.s.outputs', want: { items: [{ id: 5 }, { id: 6 }], text: 'plain' } },
    ],
    ['step outputs map then pointer', { given: '$steps.s.outputs#/items/1/id', want: 6 }],
    ['workflow outputs map', { given: '$workflows.foo.outputs', want: { mappedResponse: { name: 'M' } } }],
    ['step that declared no outputs', { given: '$steps.empty.outputs', want: {} }],
  ])('%s', (_name, { given, want }) => {
    expect(evaluateExpression(given, scope)).toEqual(want);
  });

  it('a step that has not run is unresolved', () => {
    const v = evaluateExpression('$steps.nope.outputs', scope);
    expect(isUnresolved(v) ? v.reason : v).toBe('$steps.nope.outputs: step "nope" has not run');
  });
});
