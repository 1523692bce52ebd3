// Arazzo 1.1.0 additions of criteria/: Selector Objects, Expression Type versions, XPath 1.0 vs 3.1.
import { describe, expect, it } from 'vitest';
import type { CriterionInput, SelectorInput } from '../../src/criteria/index.js';
import {
  checkCriterion,
  evaluateCriterion,
  evaluateSelector,
  replaceXPath,
} from '../../src/criteria/index.js';
import { isSelectorObject } from '../../src/document/model.js';
import type { ExpressionScope } from '../../src/expression/index.js';
import { isUnresolved, resolveValue } from '../../src/expression/index.js';

const xml =
  '<Invoice><Header><InvoiceNumber>INV-7</InvoiceNumber></Header><Line>a</Line><Line>b</Line></Invoice>';
const scope: ExpressionScope = {
  response: {
    body: { user: { profile: { email: 'ann@example.test' } }, items: [{ id: 1 }, { id: 2 }], empty: [] },
  },
  steps: { fetchXml: { outputs: { invoiceXml: xml, jsonText: '{"a":{"b":[5,6]}}' } } },
  inputs: { n: 1 },
};

const ok = (v: unknown): { value: unknown } => ({ value: v });
type Case = [string, { given: SelectorInput; want: { value: unknown } | { unresolved: RegExp } }];

const cases: Case[] = [
  [
    'spec output example (jsonpath)',
    {
      given: { context: '$response.body', selector: '$.user.profile.email', type: 'jsonpath' },
      want: ok('ann@example.test'),
    },
  ],
  [
    'jsonpath singular query with no match',
    {
      given: { context: '$response.body', selector: '$.user.nope', type: 'jsonpath' },
      want: { unresolved: /selects nothing/ },
    },
  ],
  [
    'jsonpath wildcard: always the array of nodes',
    { given: { context: '$response.body', selector: '$.items[*].id', type: 'jsonpath' }, want: ok([1, 2]) },
  ],
  [
    'jsonpath filter with one match is still an array',
    {
      given: { context: '$response.body', selector: '$.items[?@.id == 2]', type: 'jsonpath' },
      want: ok([{ id: 2 }]),
    },
  ],
  [
    'jsonpath wildcard with no match: empty array',
    { given: { context: '$response.body', selector: '$.empty[*]', type: 'jsonpath' }, want: ok([]) },
  ],
  [
    'jsonpath Goessner version',
    {
      given: {
        context: '$response.body',
        selector: '$..id',
        type: { type: 'jsonpath', version: 'draft-goessner-dispatch-jsonpath-00' },
      },
      want: ok([1, 2]),
    },
  ],
  [
    'jsonpath on JSON text kept as a string',
    {
      given: { context: '$steps.fetchXml.outputs.jsonText', selector: '$.a.b[1]', type: 'jsonpath' },
      want: ok(6),
    },
  ],
  [
    'jsonpointer',
    { given: { context: '$response.body', selector: '/items/1/id', type: 'jsonpointer' }, want: ok(2) },
  ],
  [
    'jsonpointer with version rfc6901',
    {
      given: {
        context: '$response.body',
        selector: '/user/profile',
        type: { type: 'jsonpointer', version: 'rfc6901' },
      },
      want: ok({ email: 'ann@example.test' }),
    },
  ],
  [
    'jsonpointer missing member',
    {
      given: { context: '$response.body', selector: '/user/x', type: 'jsonpointer' },
      want: { unresolved: /no member "x"/ },
    },
  ],
  [
    'spec request body example (xpath-30)',
    {
      given: {
        context: '$steps.fetchXml.outputs.invoiceXml',
        selector: '/Invoice/Header/InvoiceNumber',
        type: { type: 'xpath', version: 'xpath-30' },
      },
      want: ok('INV-7'),
    },
  ],
  [
    'xpath several nodes: array of string values',
    {
      given: { context: '$steps.fetchXml.outputs.invoiceXml', selector: '//Line', type: 'xpath' },
      want: ok(['a', 'b']),
    },
  ],
  [
    'xpath element with children: its XML',
    {
      given: { context: '$steps.fetchXml.outputs.invoiceXml', selector: '/Invoice/Header', type: 'xpath' },
      want: ok('<Header><InvoiceNumber>INV-7</InvoiceNumber></Header>'),
    },
  ],
  [
    'xpath atomic result',
    {
      given: { context: '$steps.fetchXml.outputs.invoiceXml', selector: 'count(//Line)', type: 'xpath' },
      want: ok(2),
    },
  ],
  [
    'xpath-10 string of infinity',
    {
      given: {
        context: '$steps.fetchXml.outputs.invoiceXml',
        selector: 'string(1 div 0)',
        type: { type: 'xpath', version: 'xpath-10' },
      },
      want: ok('Infinity'),
    },
  ],
  [
    'xpath no match',
    {
      given: { context: '$steps.fetchXml.outputs.invoiceXml', selector: '/Nope', type: 'xpath' },
      want: { unresolved: /selects nothing/ },
    },
  ],
  [
    'xpath on JSON data',
    {
      given: { context: '$response.body', selector: '/a', type: 'xpath' },
      want: { unresolved: /not XML text/ },
    },
  ],
  [
    'unknown version',
    {
      given: { context: '$response.body', selector: '$', type: { type: 'jsonpath', version: 'rfc1' } },
      want: { unresolved: /unknown JSONPath version/ },
    },
  ],
  [
    'unresolved context',
    {
      given: { context: '$steps.nope.outputs.x', selector: '$', type: 'jsonpath' },
      want: { unresolved: /has not run/ },
    },
  ],
];

describe('evaluateSelector', () => {
  it.each(cases)('%s', (_name, { given, want }) => {
    const got = evaluateSelector(given, scope);
    if ('unresolved' in want) {
      expect(isUnresolved(got)).toBe(true);
      expect((got as { reason: string }).reason).toMatch(want.unresolved);
    } else expect(got).toEqual(want.value);
  });
});

describe('isSelectorObject', () => {
  it.each([
    [{ context: '$response.body', selector: '$.a', type: 'jsonpath' }, true],
    [{ context: '$response.body', selector: '$.a', type: { type: 'xpath' } }, true],
    [{ context: '$response.body', selector: '$.a', type: 'jsonpath', 'x-note': 1 }, true],
    [{ context: '$response.body', selector: '$.a', type: 'jsonpath', other: 1 }, false],
    [{ context: '$response.body', selector: '$.a' }, false],
    [[1, 2], false],
  ])('%j -> %s', (value, want) => {
    expect(isSelectorObject(value)).toBe(want);
  });
});

describe('Selector Objects inside document values (evaluateObject hook)', () => {
  it('evaluates selectors nested in a payload and keeps other objects literal', () => {
    const payload = {
      invoiceId: {
        context: '$steps.fetchXml.outputs.invoiceXml',
        selector: '/Invoice/Header/InvoiceNumber',
        type: 'xpath',
      },
      literal: { context: '$response.body', selector: 'x', type: 'jsonpath', note: 'other member' },
      n: '$inputs.n',
      missing: { context: '$response.body', selector: '/nope', type: 'jsonpointer' },
    };
    const reported: string[] = [];
    const got = resolveValue(payload, scope, {
      evaluateObject: (v) => (isSelectorObject(v) ? evaluateSelector(v, scope) : undefined),
      onUnresolved: (path) => reported.push(path),
    });
    // The object with another member is a literal: its members are evaluated like any value.
    expect(got).toEqual({
      invoiceId: 'INV-7',
      literal: { ...payload.literal, context: scope.response?.body },
      n: 1,
    });
    expect(reported).toEqual(['/missing']);
  });
  it('without the hook a Selector-shaped object is a literal (1.0 documents)', () => {
    const payload = { a: { context: '$response.body', selector: '/items/0', type: 'jsonpointer' } };
    expect(resolveValue(payload, scope)).toEqual({
      a: {
        context: {
          user: { profile: { email: 'ann@example.test' } },
          items: [{ id: 1 }, { id: 2 }],
          empty: [],
        },
        selector: '/items/0',
        type: 'jsonpointer',
      },
    });
  });
});

const xmlScope: ExpressionScope = { response: { body: '<r><a>1</a><a>2</a><s>Hello</s></r>' } };
type XCase = [string, { given: CriterionInput; want: boolean; reason?: RegExp }];
const x = (condition: string, version?: string): CriterionInput => ({
  context: '$response.body',
  condition,
  type: version === undefined ? 'xpath' : { type: 'xpath', version },
});
const xcases: XCase[] = [
  ['3.1 default: upper-case() exists', { given: x("upper-case(/r/s) = 'HELLO'"), want: true }],
  [
    '1.0: upper-case() is not a function, so the condition fails',
    { given: x("upper-case(/r/s) = 'HELLO'", 'xpath-10'), want: false, reason: /upper-case/ },
  ],
  [
    '1.0: number() reads no exponent, so 1e3 is NaN',
    { given: x("string(number('1e3')) = 'NaN'", 'xpath-10'), want: true },
  ],
  ['3.1: number() reads 1e3 as 1000', { given: x("string(number('1e3')) = 'NaN'", 'xpath-31'), want: false }],
  ['1.0: node-set comparison is existential', { given: x('/r/a = 2', 'xpath-10'), want: true }],
  ['1.0: a non-empty node-set is true', { given: x('/r/a', 'xpath-10'), want: true }],
  ['1.0: an empty node-set is false', { given: x('/r/b', 'xpath-10'), want: false }],
  ['1.0: zero is false', { given: x('count(/r/b)', 'xpath-10'), want: false }],
  ['1.0: sequences are not XPath 1.0 syntax', { given: x('(1, 2)', 'xpath-10'), want: false }],
  [
    '3.1: EBV of several atomic values is an error, so it fails',
    { given: x('(1, 2)'), want: false, reason: /FORG0006/ },
  ],
  [
    'Expression Type Object without version: the default (3.1)',
    {
      given: { context: '$response.body', condition: "upper-case('a') = 'A'", type: { type: 'xpath' } },
      want: true,
    },
  ],
  ['2.0 and 3.0 run with the 3.1 rules', { given: x("upper-case('a') = 'A'", 'xpath-20'), want: true }],
];

describe('XPath versions in criteria', () => {
  it.each(xcases)('%s', (_name, { given, want, reason }) => {
    const r = evaluateCriterion(given, xmlScope);
    expect(r.passed).toBe(want);
    if (reason !== undefined) expect(r.reason).toMatch(reason);
  });
  it('checkCriterion reports an XPath 1.0 syntax error', () => {
    const issues = checkCriterion(x('/r/a[', 'xpath-10'), { compat: false });
    expect(issues.map((i) => i.code)).toEqual(['xpath-syntax']);
  });
  it('JSONPath Expression Type Object without version: rfc9535', () => {
    const r = evaluateCriterion(
      { context: '$response.body', condition: '$.items[?@.id == 2]', type: { type: 'jsonpath' } },
      scope,
    );
    expect(r.passed).toBe(true);
  });
});

describe('replaceXPath', () => {
  const doc = '<o><id>0</id><l a="1"/><l a="2"/></o>';
  it.each<[string, string, unknown, string]>([
    ['element text', '/o/id', 'p-7', '<o><id>p-7</id><l a="1"/><l a="2"/></o>'],
    ['every selected attribute', '//l/@a', 9, '<o><id>0</id><l a="9"/><l a="9"/></o>'],
    ['XML text becomes elements', '/o/id', '<n>1</n>', '<o><id><n>1</n></id><l a="1"/><l a="2"/></o>'],
  ])('%s', (_name, target, value, want) => {
    expect(replaceXPath(doc, target, value)).toBe(want);
  });
  it('a target that selects nothing throws', () => {
    expect(() => replaceXPath(doc, '/o/nope', 'x')).toThrow(/selects nothing/);
  });
});
