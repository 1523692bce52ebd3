import { describe, expect, it } from 'vitest';
import type { CriterionInput, CriterionIssue } from '../../src/criteria/index.js';
import { checkCriterion } from '../../src/criteria/index.js';

type Want = Pick<CriterionIssue, 'severity' | 'code' | 'field'> & { offset?: number; message?: RegExp };

const cases: Array<[string, { given: CriterionInput; compat: boolean; want: Want[] }]> = [
  ['valid simple', { given: { condition: '$statusCode == 200' }, compat: false, want: [] }],
  [
    'valid regex',
    { given: { context: '$statusCode', condition: '^200$', type: 'regex' }, compat: false, want: [] },
  ],
  [
    'valid jsonpath',
    {
      given: { context: '$response.body', condition: '$[?count(@.pets) > 0]', type: 'jsonpath' },
      compat: false,
      want: [],
    },
  ],
  [
    'valid xpath',
    {
      given: { context: '$response.body', condition: 'count(/root/pets/*) > 0', type: 'xpath' },
      compat: false,
      want: [],
    },
  ],
  [
    'simple syntax error',
    {
      given: { condition: '$statusCode = 200' },
      compat: true,
      want: [{ severity: 'error', code: 'condition-syntax', field: 'condition', offset: 12 }],
    },
  ],
  [
    'unknown source in condition',
    {
      given: { condition: '$status == 200' },
      compat: true,
      want: [
        {
          severity: 'error',
          code: 'condition-syntax',
          field: 'condition',
          offset: 0,
          message: /unknown source "\$status"/,
        },
      ],
    },
  ],
  [
    'double quotes warn',
    {
      given: { condition: '$statusCode == "200"' },
      compat: true,
      want: [{ severity: 'warning', code: 'compat-double-quoted-string', field: 'condition', offset: 15 }],
    },
  ],
  [
    'double quotes strict',
    {
      given: { condition: '$statusCode == "200"' },
      compat: false,
      want: [{ severity: 'error', code: 'compat-double-quoted-string', field: 'condition', offset: 15 }],
    },
  ],
  [
    'expression in literal',
    {
      given: { condition: "$response.body#/id == '$inputs.id'" },
      compat: true,
      want: [{ severity: 'warning', code: 'compat-expression-in-literal', field: 'condition', offset: 22 }],
    },
  ],
  [
    'context syntax',
    {
      given: { context: '$response.bod', condition: '^a', type: 'regex' },
      compat: true,
      want: [{ severity: 'error', code: 'context-syntax', field: 'context', offset: 10 }],
    },
  ],
  [
    'context compat path',
    {
      given: { context: '$response.body.items[0]', condition: '$.id', type: 'jsonpath' },
      compat: true,
      want: [
        {
          severity: 'warning',
          code: 'compat-dotted-path',
          field: 'context',
          offset: 14,
          message: /spec form is \$response\.body#\/items\/0/,
        },
        { severity: 'warning', code: 'compat-bracket-index', field: 'context', offset: 14 },
      ],
    },
  ],
  [
    'missing context compat',
    {
      given: { condition: '$.a', type: 'jsonpath' },
      compat: true,
      want: [{ severity: 'warning', code: 'compat-missing-context', field: 'context' }],
    },
  ],
  [
    'missing context strict',
    {
      given: { condition: '$.a', type: 'jsonpath' },
      compat: false,
      want: [{ severity: 'error', code: 'missing-context', field: 'context' }],
    },
  ],
  [
    'unknown type',
    {
      given: { condition: 'x', type: 'glob' },
      compat: true,
      want: [{ severity: 'error', code: 'unknown-criterion-type', field: 'type' }],
    },
  ],
  [
    'unknown version',
    {
      given: { context: '$response.body', condition: '/', type: { type: 'xpath', version: 'xpath-99' } },
      compat: true,
      want: [
        {
          severity: 'error',
          code: 'unknown-expression-type-version',
          field: 'type',
          message: /xpath-31, xpath-30, xpath-20, xpath-10/,
        },
      ],
    },
  ],
  [
    'regex syntax',
    {
      given: { context: '$statusCode', condition: '([a-', type: 'regex' },
      compat: true,
      want: [{ severity: 'error', code: 'regex-syntax', field: 'condition' }],
    },
  ],
  [
    'regex unsafe',
    {
      given: { context: '$statusCode', condition: '(x+x+)+y', type: 'regex' },
      compat: true,
      want: [{ severity: 'error', code: 'regex-unsafe', field: 'condition' }],
    },
  ],
  [
    'regex bad embedded',
    {
      given: { context: '$statusCode', condition: '^{$inputz.a}$', type: 'regex' },
      compat: true,
      want: [{ severity: 'error', code: 'condition-syntax', field: 'condition', offset: 2 }],
    },
  ],
  [
    'jsonpath syntax',
    {
      given: { context: '$response.body', condition: '$[?', type: 'jsonpath' },
      compat: true,
      want: [{ severity: 'error', code: 'jsonpath-syntax', field: 'condition' }],
    },
  ],
  [
    'jsonpath comparison compat',
    {
      given: { context: '$response.body', condition: '$.status == "ACTIVE"', type: 'jsonpath' },
      compat: true,
      want: [
        { severity: 'warning', code: 'compat-jsonpath-comparison', field: 'condition', message: /'ACTIVE'/ },
      ],
    },
  ],
  [
    'jsonpath comparison strict',
    {
      given: { context: '$response.body', condition: '$.status == "ACTIVE"', type: 'jsonpath' },
      compat: false,
      want: [{ severity: 'error', code: 'compat-jsonpath-comparison', field: 'condition' }],
    },
  ],
  [
    'jsonpath length compat',
    {
      given: { context: '$response.body', condition: '$.data.length > 0', type: 'jsonpath' },
      compat: true,
      want: [{ severity: 'warning', code: 'compat-jsonpath-length', field: 'condition' }],
    },
  ],
  [
    'jsonpath comparison with non-literal',
    {
      given: { context: '$response.body', condition: '$.a == $.b', type: 'jsonpath' },
      compat: true,
      want: [{ severity: 'error', code: 'jsonpath-syntax', field: 'condition' }],
    },
  ],
  [
    'xpath syntax',
    {
      given: { context: '$response.body', condition: '/root[', type: 'xpath' },
      compat: true,
      want: [{ severity: 'error', code: 'xpath-syntax', field: 'condition' }],
    },
  ],
];

describe('checkCriterion', () => {
  it.each(cases)('%s', (_name, { given, compat, want }) => {
    const issues = checkCriterion(given, { compat });
    expect(issues.map((i) => ({ severity: i.severity, code: i.code, field: i.field }))).toEqual(
      want.map((w) => ({ severity: w.severity, code: w.code, field: w.field })),
    );
    want.forEach((w, i) => {
      if (w.offset !== undefined) expect(issues[i]?.offset).toBe(w.offset);
      if (w.message) expect(issues[i]?.message).toMatch(w.message);
    });
  });
});

describe('checkCriterion: compound JSONPath comparisons', () => {
  it.each([
    [
      'three alternatives, compat',
      {
        given: {
          context: '$response.body',
          condition: '$.status == "a" || $.status == "b" || $.status == "c"',
          type: 'jsonpath' as const,
        },
        compat: true,
        want: [{ severity: 'warning', code: 'compat-jsonpath-comparison', field: 'condition' }],
      },
    ],
    [
      'three alternatives, strict',
      {
        given: {
          context: '$response.body',
          condition: '$.status == "a" || $.status == "b"',
          type: 'jsonpath' as const,
        },
        compat: false,
        want: [{ severity: 'error', code: 'compat-jsonpath-comparison', field: 'condition' }],
      },
    ],
    [
      'a joined part that is not a comparison leaves the whole to the JSONPath parser',
      {
        given: {
          context: '$response.body',
          condition: '$.status == "a" || $.items',
          type: 'jsonpath' as const,
        },
        compat: true,
        want: [{ severity: 'error', code: 'jsonpath-syntax', field: 'condition' }],
      },
    ],
  ])('%s', (_name, { given, compat, want }) => {
    const issues = checkCriterion(given, { compat });
    expect(issues.map(({ severity, code, field }) => ({ severity, code, field }))).toEqual(want);
  });
});
