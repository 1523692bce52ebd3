import { describe, expect, it } from 'vitest';
import type { CompatWarning, CriterionInput } from '../../src/criteria/index.js';
import { evaluateCriteria, evaluateCriterion, unsafePatternReason } from '../../src/criteria/index.js';
import type { ExpressionScope } from '../../src/expression/index.js';

const petsBody = {
  pets: [
    { name: 'a', status: 'available' },
    { name: 'b', status: 'sold' },
  ],
  count: 2,
  status: 'ACTIVE',
  ok: true,
  data: [1, 2],
};
const scope: ExpressionScope = {
  statusCode: 200,
  response: { headers: {}, body: petsBody },
  inputs: { expectedStatus: 'sold', statusPattern: 'ACT|PASS', minPrice: 5 },
  steps: {
    xml: {
      outputs: {
        doc: '<root><pets><pet>a</pet><pet>b</pet></pets><items><item><price>7</price></item></items></root>',
      },
    },
    arr: { outputs: { owners: [{ pets: ['x'] }], list: [{ id: 1 }, { id: 2 }], text: '[{"id":3}]' } },
  },
};

type Case = [string, { given: CriterionInput; want: boolean; reason?: RegExp; warnings?: string[] }];

const cases: Case[] = [
  // Criterion Object examples of the spec
  [
    'spec regex example',
    { given: { context: '$statusCode', condition: '^200$', type: 'regex' }, want: true },
  ],
  [
    'spec regex 2xx',
    { given: { context: '$statusCode', condition: '^2\\d{2}$', type: 'regex' }, want: true },
  ],
  [
    'spec jsonpath example',
    {
      given: { context: '$steps.arr.outputs.owners', condition: '$[?count(@.pets) > 0]', type: 'jsonpath' },
      want: true,
    },
  ],
  [
    'spec jsonpath example, no child has pets',
    {
      given: { context: '$steps.arr.outputs.list', condition: '$[?count(@.pets) > 0]', type: 'jsonpath' },
      want: false,
    },
  ],
  [
    'spec jsonpath pets[*]',
    { given: { context: '$response.body', condition: '$.pets[*]', type: 'jsonpath' }, want: true },
  ],
  [
    'regex miss',
    {
      given: { context: '$statusCode', condition: '^201$', type: 'regex' },
      want: false,
      reason: /"200" does not match \/\^201\$\//,
    },
  ],
  [
    'regex on object stringified',
    { given: { context: '$response.body', condition: '"status":"ACTIVE"', type: 'regex' }, want: true },
  ],
  [
    'regex with embedded expression',
    {
      given: { context: '$response.body#/status', condition: '^({$inputs.statusPattern})', type: 'regex' },
      want: true,
    },
  ],
  [
    'regex invalid',
    {
      given: { context: '$statusCode', condition: '(', type: 'regex' },
      want: false,
      reason: /invalid regular expression/,
    },
  ],
  [
    'regex unsafe refused',
    {
      given: { context: '$statusCode', condition: '^(a+)+$', type: 'regex' },
      want: false,
      reason: /exponential/,
    },
  ],
  [
    'regex null context fails',
    {
      given: { context: '$response.body#/none', condition: '.*', type: 'regex' },
      want: false,
      reason: /context is unresolved/,
    },
  ],
  [
    'jsonpath empty result fails',
    {
      given: { context: '$response.body', condition: '$.nothing', type: 'jsonpath' },
      want: false,
      reason: /selects nothing/,
    },
  ],
  [
    'jsonpath on root array',
    {
      given: { context: '$steps.arr.outputs.list', condition: '$[?@.id == 2]', type: 'jsonpath' },
      want: true,
    },
  ],
  [
    'jsonpath on JSON text',
    { given: { context: '$steps.arr.outputs.text', condition: '$[0].id', type: 'jsonpath' }, want: true },
  ],
  [
    'jsonpath 1.1 embedded example',
    {
      given: {
        context: '$response.body',
        condition: '$.pets[?(@.status == "{$inputs.expectedStatus}")]',
        type: 'jsonpath',
      },
      want: true,
    },
  ],
  [
    'jsonpath syntax error fails',
    {
      given: { context: '$response.body', condition: '$[?', type: 'jsonpath' },
      want: false,
      reason: /cannot evaluate/,
    },
  ],
  [
    'goessner version',
    {
      given: {
        context: '$response.body',
        condition: '$.pets[0].name',
        type: { type: 'jsonpath', version: 'draft-goessner-dispatch-jsonpath-00' },
      },
      want: true,
    },
  ],
  [
    'goessner script filter runs as RFC 9535 with a warning',
    {
      given: {
        context: '$response.body',
        condition: "$.pets[?(@.status == 'sold')]",
        type: { type: 'jsonpath', version: 'draft-goessner-dispatch-jsonpath-00' },
      },
      want: true,
      warnings: ['compat-jsonpath-script-filter'],
    },
  ],
  [
    'rfc9535 version (1.1.0)',
    {
      given: {
        context: '$response.body',
        condition: '$.count',
        type: { type: 'jsonpath', version: 'rfc9535' },
      },
      want: true,
    },
  ],
  [
    'unknown jsonpath version',
    {
      given: { context: '$response.body', condition: '$', type: { type: 'jsonpath', version: 'jsonpath-2' } },
      want: false,
      reason: /unknown JSONPath version "jsonpath-2"/,
    },
  ],
  [
    'compat comparison',
    {
      given: { context: '$response.body', condition: '$.status == "active"', type: 'jsonpath' },
      want: true,
      warnings: ['compat-jsonpath-comparison'],
    },
  ],
  [
    'compat comparison boolean',
    {
      given: { context: '$response.body', condition: '$.ok == true', type: 'jsonpath' },
      want: true,
      warnings: ['compat-jsonpath-comparison'],
    },
  ],
  [
    'compat comparison false',
    {
      given: { context: '$response.body', condition: "$.status == 'gone'", type: 'jsonpath' },
      want: false,
      reason: /\$\.status is "ACTIVE", expected == "gone"/,
    },
  ],
  [
    'compat length',
    {
      given: { context: '$response.body', condition: '$.data.length > 0', type: 'jsonpath' },
      want: true,
      warnings: ['compat-jsonpath-length'],
    },
  ],
  [
    'compat length false',
    { given: { context: '$response.body', condition: '$.data.length > 2', type: 'jsonpath' }, want: false },
  ],
  [
    'filter with == stays RFC 9535',
    {
      given: { context: '$response.body', condition: "$.pets[?@.status == 'sold']", type: 'jsonpath' },
      want: true,
      warnings: [],
    },
  ],
  // XPath
  [
    'spec xpath count',
    {
      given: { context: '$steps.xml.outputs.doc', condition: 'count(/root/pets/*) > 0', type: 'xpath' },
      want: true,
    },
  ],
  [
    'spec xpath node-set',
    { given: { context: '$steps.xml.outputs.doc', condition: '/root/pets', type: 'xpath' }, want: true },
  ],
  [
    'xpath empty node-set',
    { given: { context: '$steps.xml.outputs.doc', condition: '/root/dogs', type: 'xpath' }, want: false },
  ],
  [
    'xpath 1.1 embedded example',
    {
      given: {
        context: '$steps.xml.outputs.doc',
        condition: '/root/items/item[price > {$inputs.minPrice}]',
        type: 'xpath',
      },
      want: true,
    },
  ],
  [
    'xpath-10 version',
    {
      given: {
        context: '$steps.xml.outputs.doc',
        condition: "string(/root/pets/pet[1]) = 'a'",
        type: { type: 'xpath', version: 'xpath-10' },
      },
      want: true,
    },
  ],
  [
    'xpath-30 version',
    {
      given: {
        context: '$steps.xml.outputs.doc',
        condition: '/root/pets/pet',
        type: { type: 'xpath', version: 'xpath-30' },
      },
      want: true,
    },
  ],
  [
    'xpath unknown version',
    {
      given: {
        context: '$steps.xml.outputs.doc',
        condition: '/',
        type: { type: 'xpath', version: 'xpath-40' },
      },
      want: false,
      reason: /unknown XPath version "xpath-40"/,
    },
  ],
  [
    'xpath bad xml',
    { given: { context: '$statusCode', condition: '/', type: 'xpath' }, want: false, reason: /XML text/ },
  ],
  [
    'xpath malformed xml',
    {
      given: { context: '$inputs.statusPattern', condition: '/', type: 'xpath' },
      want: false,
      reason: /not well-formed|XML/,
    },
  ],
  [
    'xpath syntax error',
    {
      given: { context: '$steps.xml.outputs.doc', condition: '/root[', type: 'xpath' },
      want: false,
      reason: /cannot evaluate/,
    },
  ],
  // type handling
  [
    'unknown type',
    {
      given: { context: '$statusCode', condition: 'x', type: 'glob' },
      want: false,
      reason: /unknown criterion type "glob"/,
    },
  ],
  [
    'missing context (compat) uses $response.body',
    { given: { condition: '$.pets', type: 'jsonpath' }, want: true, warnings: ['compat-missing-context'] },
  ],
  [
    'context with compat path',
    {
      given: { context: '$response.body.pets', condition: '$[0]', type: 'jsonpath' },
      want: true,
      warnings: ['compat-dotted-path'],
    },
  ],
];

describe('evaluateCriterion by type', () => {
  it.each(cases)('%s', (_name, { given, want, reason, warnings }) => {
    const seen: CompatWarning[] = [];
    const r = evaluateCriterion(given, scope, { onWarning: (w) => seen.push(w) });
    expect(r.passed).toBe(want);
    expect(r.condition).toBe(given.condition);
    if (reason) expect(r.reason).toMatch(reason);
    if (want) expect(r.reason).toBeUndefined();
    if (warnings) expect(seen.map((w) => w.code)).toEqual(warnings);
  });

  it('warning messages show the spec form', () => {
    const seen: CompatWarning[] = [];
    evaluateCriterion(
      { context: '$response.body', condition: '$.status == "ACTIVE"', type: 'jsonpath' },
      scope,
      { onWarning: (w) => seen.push(w) },
    );
    evaluateCriterion(
      { context: '$response.body', condition: '$.data.length > 0', type: 'jsonpath' },
      scope,
      { onWarning: (w) => seen.push(w) },
    );
    expect(seen[0]?.message).toContain(
      `the spec form is the simple condition "$response.body#/status == 'ACTIVE'"`,
    );
    expect(seen[1]?.message).toContain('the spec form is "$.data[0]"');
  });

  it.each([
    ['comparison', { context: '$response.body', condition: '$.ok == true', type: 'jsonpath' }],
    ['length', { context: '$response.body', condition: '$.data.length > 0', type: 'jsonpath' }],
    ['missing context', { condition: '$.pets', type: 'jsonpath' }],
    ['context compat path', { context: '$response.body.pets', condition: '$[0]', type: 'jsonpath' }],
  ] as Array<[string, CriterionInput]>)('strict mode fails compat %s', (_name, given) => {
    const r = evaluateCriterion(given, scope, { compat: false });
    expect(r.passed).toBe(false);
    expect(r.reason).toBeTruthy();
  });

  it('regex input is bounded', () => {
    const r = evaluateCriterion(
      { context: '$inputs.big', condition: 'x', type: 'regex' },
      { inputs: { big: 'a'.repeat(70 * 1024) } },
    );
    expect(r.passed).toBe(false);
    expect(r.reason).toMatch(/longer than the regex limit of 65536/);
  });

  it('evaluateCriteria: all records, passes only when all pass, empty passes', () => {
    const out = evaluateCriteria(
      [{ condition: '$statusCode == 200' }, { condition: '$statusCode == 201' }],
      scope,
    );
    expect(out.passed).toBe(false);
    expect(out.records.map((r) => r.passed)).toEqual([true, false]);
    expect(evaluateCriteria(undefined, scope)).toEqual({ passed: true, records: [] });
  });
});

describe('unsafePatternReason', () => {
  it.each([
    ['^(a+)+$', true],
    ['(a*)*b', true],
    ['(a|a)*$', true],
    ['((a)|a)*$', true],
    ['(.*a){20}', true],
    ['(\\w+\\s?)+$', true],
    ['(a|b)+(c+)+', true],
    ['^2\\d{2}$', false],
    ['^(GET|POST)+$', false],
    ['^[a-z]+@[a-z]+\\.com$', false],
    ['(ab)+', false],
    ['^(a+)?$', false],
    ['a*a*$', false],
    ['^\\{"id":\\d+\\}$', false],
  ])('%s unsafe=%s', (pattern, unsafe) => {
    expect(unsafePatternReason(pattern) !== undefined).toBe(unsafe);
  });
});
