// Issue 15 sections 4 and 5: forms real-world documents write (compat warnings, errors in strict mode),
// and the regex criterion reading the body text as received.
import { describe, expect, it } from 'vitest';
import type { CompatWarning, CriterionInput } from '../../src/criteria/index.js';
import { criterionExpressions, evaluateCriterion, parseCondition } from '../../src/criteria/index.js';
import type { ExpressionScope } from '../../src/expression/index.js';

const scope = (body: unknown, extra: Partial<ExpressionScope> = {}): ExpressionScope => ({
  statusCode: 200,
  response: { headers: {}, body },
  inputs: { expectedStatus: 'sold' },
  steps: { create: { outputs: { id: 7, name: 'rex' } } },
  ...extra,
});

const pets = { pets: [{ name: 'a', status: 'sold' }], count: 1 };

type Case = [
  string,
  {
    given: CriterionInput;
    body: unknown;
    want: boolean;
    /** Compat warning codes seen in compat mode. */
    warnings: string[];
    /** Text the first warning (or the failure reason) contains. */
    says?: string;
    /** Verdict in strict mode (default: fails when a warning was expected, else as `want`). */
    strict?: boolean;
  },
];

const jsonpath = (condition: string): CriterionInput => ({
  context: '$response.body',
  condition,
  type: 'jsonpath',
});

const cases: Case[] = [
  [
    'spec example on an object body: the root itself passes the filter',
    {
      given: jsonpath('$[?count(@.pets) > 0]'),
      body: pets,
      want: true,
      warnings: ['compat-jsonpath-root-filter'],
      says: 'the RFC 9535 form is "$[?count($.pets) > 0]"',
    },
  ],
  [
    'root filter on an object whose own value fails it',
    { given: jsonpath('$[?count(@.pets) > 0]'), body: { owners: [{ pets: [] }] }, want: false, warnings: [] },
  ],
  [
    'root filter on an array is RFC 9535 only (members tested)',
    { given: jsonpath('$[?count(@.pets) > 0]'), body: [{ id: 1 }], want: false, warnings: [] },
  ],
  [
    'root filter that RFC 9535 already satisfies gets no warning',
    { given: jsonpath('$[?@.x == 1]'), body: { a: { x: 1 } }, want: true, warnings: [] },
  ],
  [
    'root filter with a nested filter keeps the nested @',
    {
      given: jsonpath("$[?count(@.pets[?@.status == 'sold']) > 0]"),
      body: pets,
      want: true,
      warnings: ['compat-jsonpath-root-filter'],
      says: `"$[?count($.pets[?@.status == 'sold']) > 0]"`,
    },
  ],
  [
    'root filter followed by more segments is not the form',
    { given: jsonpath('$[?@.count > 0].name'), body: pets, want: false, warnings: [] },
  ],
  [
    'quoted runtime expression in a filter keeps its type (number)',
    {
      given: jsonpath('$.items[?@.id == "$steps.create.outputs.id"]'),
      body: { items: [{ id: 6 }, { id: 7 }] },
      want: true,
      warnings: ['compat-expression-in-literal'],
      says: 'the spec form embeds it: {$steps.create.outputs.id}',
    },
  ],
  [
    'quoted runtime expression in a filter, no item matches',
    {
      given: jsonpath("$.items[?@.id == '$steps.create.outputs.id']"),
      body: { items: [{ id: 6 }, { id: '7' }] },
      want: false,
      warnings: ['compat-expression-in-literal'],
    },
  ],
  [
    'quoted runtime expression on the left of the comparison (string)',
    {
      given: jsonpath("$.pets[?'$inputs.expectedStatus' == @.status]"),
      body: pets,
      want: true,
      warnings: ['compat-expression-in-literal'],
    },
  ],
  [
    'a quoted name selector is a member name, not an expression',
    {
      given: jsonpath("$['$inputs.expectedStatus']"),
      body: { $inputs: 1, '$inputs.expectedStatus': 2 },
      want: true,
      warnings: [],
      strict: true,
    },
  ],
  [
    'condition in braces (the spec JSON example)',
    {
      given: { condition: '{$statusCode == 200}' },
      body: {},
      want: true,
      warnings: ['compat-braced-condition'],
      says: 'the spec form is $statusCode == 200',
    },
  ],
  [
    'condition in braces that does not hold',
    {
      given: { condition: ' {$statusCode == 401} ' },
      body: {},
      want: false,
      warnings: ['compat-braced-condition'],
    },
  ],
  [
    'braces around part of a condition are not the form',
    { given: { condition: '{$statusCode} == 200' }, body: {}, want: false, warnings: [], strict: false },
  ],
];

describe('real-world criterion forms (compat, strict)', () => {
  it.each(cases)('%s', (_name, { given, body, want, warnings, says, strict }) => {
    const seen: CompatWarning[] = [];
    const r = evaluateCriterion(given, scope(body), { onWarning: (w) => seen.push(w) });
    expect(r.passed, r.reason).toBe(want);
    expect(seen.map((w) => w.code)).toEqual(warnings);
    if (says !== undefined) expect(seen[0]?.message).toContain(says);

    const s = evaluateCriterion(given, scope(body), { compat: false });
    expect(s.passed, s.reason).toBe(strict ?? (warnings.length > 0 ? false : want));
  });

  it('a root-filter match is recorded on the criterion (only the data could reveal it)', () => {
    const r = evaluateCriterion(jsonpath('$[?count(@.pets) > 0]'), scope(pets));
    expect(r.warnings).toEqual([
      expect.stringMatching(/^compat-jsonpath-root-filter: .*\$\[\?count\(\$\.pets\) > 0\]/),
    ]);
    const plain = evaluateCriterion(jsonpath('$.pets[0]'), scope(pets));
    expect(plain.warnings).toBeUndefined();
  });

  it('strict mode keeps the RFC 9535 verdict and names the form that tests the root', () => {
    const r = evaluateCriterion(jsonpath('$[?count(@.pets) > 0]'), scope(pets), { compat: false });
    expect(r.passed).toBe(false);
    expect(r.reason).toContain('to test the root object itself write "$[?count($.pets) > 0]"');
  });

  it('a quoted expression whose value is an object cannot be compared in a filter', () => {
    const r = evaluateCriterion(
      jsonpath('$.items[?@.id == "$steps.create.outputs"]'),
      scope({ items: [] }, { steps: { create: { outputs: { id: 1 } } } }),
    );
    expect(r.passed).toBe(false);
    expect(r.reason).toMatch(/compares only strings, numbers, booleans and null/);
  });

  it('strict parsing of a braced condition throws a condition syntax error', () => {
    expect(() => parseCondition('{$statusCode == 200}', { compat: false })).toThrow(
      /compat-braced-condition; not accepted in strict mode/,
    );
    expect(parseCondition('{$statusCode == 200}').warnings[0]?.offset).toBe(0);
  });
});

describe('regex criteria over a JSON body read the text as received', () => {
  const wire = '{\n  "status": "ACTIVE",\n  "id": 7\n}';
  const received = (text?: string): ExpressionScope => ({
    response: { headers: {}, body: JSON.parse(wire) as unknown, text },
  });

  it.each<[string, CriterionInput, string | undefined, boolean]>([
    [
      'pattern written against the wire text',
      { context: '$response.body', condition: '"status": "ACTIVE"', type: 'regex' },
      wire,
      true,
    ],
    [
      'the compact re-serialization is not what was received',
      { context: '$response.body', condition: '"status":"ACTIVE"', type: 'regex' },
      wire,
      false,
    ],
    [
      'anchored over the whole text, newlines included',
      { context: '$response.body', condition: '^\\{\\n  "status"', type: 'regex' },
      wire,
      true,
    ],
    [
      'without received text (custom transport, mock) the value is serialized',
      { context: '$response.body', condition: '"status":"ACTIVE"', type: 'regex' },
      undefined,
      true,
    ],
    [
      'a pointer into the body reads the value there',
      { context: '$response.body#/status', condition: '^ACTIVE$', type: 'regex' },
      wire,
      true,
    ],
  ])('%s', (_name, given, text, want) => {
    expect(evaluateCriterion(given, received(text)).passed).toBe(want);
  });
});

describe('criterionExpressions (what the validator checks references of)', () => {
  it.each<[string, CriterionInput, string[]]>([
    [
      'simple condition',
      { condition: "$steps.a.outputs.x == 1 && !($inputs.y) || '$steps.b.outputs.z' == 2" },
      ['$steps.a.outputs.x', '$inputs.y', '$steps.b.outputs.z'],
    ],
    ['braced simple condition', { condition: '{$steps.zzz.outputs.a == 1}' }, ['$steps.zzz.outputs.a']],
    [
      'jsonpath with a template and a quoted expression',
      {
        context: '$response.body',
        type: 'jsonpath',
        condition: '$[?@.a == "{$inputs.a}" && @.b == "$steps.s.outputs.b"]',
      },
      ['$inputs.a', '$steps.s.outputs.b'],
    ],
    [
      'regex with a template',
      { context: '$response.body', type: 'regex', condition: '^{$inputs.p}' },
      ['$inputs.p'],
    ],
    ['a condition that does not parse reads none', { condition: '$statusCode ==' }, []],
  ])('%s', (_name, given, want) => {
    expect(criterionExpressions(given).map((n) => n.source)).toEqual(want);
  });
});
