import { describe, expect, it } from 'vitest';
import type { CompatWarning } from '../../src/criteria/index.js';
import { evaluateCriterion, parseCondition } from '../../src/criteria/index.js';
import { isExpressionSyntaxError } from '../../src/errors.js';
import type { ExpressionScope } from '../../src/expression/index.js';

const scope: ExpressionScope = {
  statusCode: 200,
  response: {
    headers: { 'Content-Type': 'application/JSON', 'X-Count': '12' },
    body: {
      data: [{ id: 1, name: "O'Brien" }],
      count: 5,
      status: 'Active',
      ok: true,
      empty: [],
      nil: null,
      n: '42',
    },
  },
  inputs: { threshold: 3, name: 'active', list: [10, 20], flag: false },
};

const pass = (condition: string, s: ExpressionScope = scope) => evaluateCriterion({ condition }, s).passed;

describe('simple conditions: spec examples', () => {
  it.each([
    ['$statusCode == 200', true],
    ['$statusCode == 503', false],
    ['$statusCode == 200 && $response.body.data != null', true],
    ['$response.body.count > $inputs.threshold', true],
    ['$response.body#/0 == null', true],
  ])('%s -> %s', (condition, want) => {
    expect(pass(condition)).toBe(want);
  });
});

describe('simple conditions: operators, precedence, types', () => {
  it.each([
    ['< <= > >=', '$statusCode < 300 && $statusCode <= 200 && $statusCode > 199 && $statusCode >= 200', true],
    ['!= ', '$statusCode != 201', true],
    ['! on comparison in parens', '!($statusCode == 500)', true],
    ['! on false', '!$inputs.flag', true],
    ['&& binds tighter than ||', 'true || false && false', true],
    ['parentheses regroup', '(true || false) && false', false],
    ['string compare is case-insensitive', "$response.body.status == 'ACTIVE'", true],
    ['string != case-insensitive', "$response.body.status != 'active'", false],
    ['header value case-insensitive', "$response.header.content-type == 'application/json'", true],
    ['numeric string vs number', '$response.header.X-Count == 12', true],
    ['numeric string ordering', '$response.header.X-Count > 9', true],
    ['two numeric strings ordered numerically', "'10' > '9'", true],
    ['non-numeric strings ordered as text', "'b' > 'A'", true],
    ['null only equals null', '$response.body.nil == null', true],
    ['null vs 0', '$response.body.nil == 0', false],
    ['null ordering is false', '$response.body.nil < 1', false],
    ['missing compares as null', '$response.body.absent == null', true],
    ['missing != null is false', '$response.body.absent != null', false],
    ['boolean literal', '$response.body.ok == true', true],
    ['boolean vs string', "$response.body.ok == 'TRUE'", true],
    ['number vs boolean never equal', '1 == true', false],
    ['bare true value', '$response.body.ok', true],
    ['bare missing value', '$response.body.absent', false],
    ['index operator', '$response.body.data[0].id == 1', true],
    ['index by expression', '$inputs.list[$response.body.data[0].id] == 20', true],
    ['pointer in condition', '$response.body#/data/0/id == 1', true],
    ['.length of array', '$response.body.data.length == 1', true],
    ['.length of empty array', '$response.body.empty.length > 0', false],
    ["escaped quote ''", "$response.body.data[0].name == 'o''brien'", true],
    ['negative and decimal numbers', '-1.5 < 0 && 1e2 == 100', true],
    ['whitespace is free', '  $statusCode==200&&($response.body.count>=5)  ', true],
    ['array deep equality', '$inputs.list == $inputs.list', true],
    ['numeric string equals number', '$response.body.n == 42.0', true],
  ])('%s', (_name, condition, want) => {
    expect(pass(condition)).toBe(want);
  });

  it('records a readable reason on failure', () => {
    const r = evaluateCriterion({ condition: '$statusCode == 201' }, { ...scope, statusCode: 500 });
    expect(r).toEqual({
      condition: '$statusCode == 201',
      type: 'simple',
      passed: false,
      reason: 'left side $statusCode is 500, expected == 201',
    });
  });

  it('explains the failing side of &&', () => {
    const r = evaluateCriterion(
      { condition: "$statusCode == 200 && $response.body.status == 'gone'" },
      scope,
    );
    expect(r.reason).toBe('left side $response.body.status is "Active", expected == "gone"');
  });

  it('reports unresolved references in the reason', () => {
    const r = evaluateCriterion({ condition: '$statusCode == 200' }, {});
    expect(r.passed).toBe(false);
    expect(r.reason).toContain('no response has been received');
  });

  it('evaluates the condition against the scope when a context is given (context is recorded only)', () => {
    const r = evaluateCriterion(
      { context: '$response.body', condition: '$statusCode == 200', type: 'simple' },
      scope,
    );
    expect(r).toMatchObject({ passed: true, context: '$response.body', type: 'simple' });
  });
});

describe('parseCondition: syntax errors', () => {
  it.each([
    ['empty', '', 0],
    ['dangling operator', '$statusCode ==', 14],
    ['unknown source', '$foo == 1', 0],
    ['single =', '$statusCode = 200', 12],
    ['===', '$statusCode === 200', 12],
    ['chained comparison', '1 < 2 < 3', 6],
    ['unterminated string', "$statusCode == 'abc", 15],
    ['unbalanced paren', '($statusCode == 200', 19],
    ['unknown word', '$statusCode == ok', 15],
    ['trailing garbage', '$statusCode == 200 200', 19],
  ])('%s', (_name, given, offset) => {
    let caught: unknown;
    try {
      parseCondition(given);
    } catch (err) {
      caught = err;
    }
    expect(isExpressionSyntaxError(caught)).toBe(true);
    if (isExpressionSyntaxError(caught)) {
      expect(caught.code).toBe('CONDITION_SYNTAX');
      expect(caught.offset).toBe(offset);
      expect(caught.message).toContain(`condition "${given}": `);
    }
  });

  it('a syntax error fails the criterion instead of throwing', () => {
    const r = evaluateCriterion({ condition: '$statusCode = 200' }, scope);
    expect(r.passed).toBe(false);
    expect(r.reason).toMatch(/offset 12/);
  });
});

describe('compat forms in simple conditions', () => {
  it('double-quoted strings warn with the spec form', () => {
    const { warnings } = parseCondition('$response.body.status == "Active"');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.code).toBe('compat-double-quoted-string');
    expect(warnings[0]?.message).toContain("the spec form is 'Active'");
    expect(warnings[0]?.offset).toBe(25);
    const seen: CompatWarning[] = [];
    expect(
      evaluateCriterion({ condition: '$response.body.status == "active"' }, scope, {
        onWarning: (w) => seen.push(w),
      }).passed,
    ).toBe(true);
    expect(seen.map((w) => w.code)).toEqual(['compat-double-quoted-string']);
  });

  it('double-quoted spec form doubles single quotes', () => {
    expect(parseCondition(`$inputs.name == "it's"`).warnings[0]?.message).toContain("'it''s'");
  });

  it('a runtime expression inside a quoted literal is evaluated, with a warning', () => {
    const { warnings } = parseCondition("$response.body.status == '$inputs.name'");
    expect(warnings.map((w) => w.code)).toEqual(['compat-expression-in-literal']);
    expect(warnings[0]?.message).toContain('the spec form is $inputs.name (unquoted)');
    expect(pass("$response.body.status == '$inputs.name'")).toBe(true);
  });

  it.each([
    ['double quotes', '$statusCode == "200"'],
    ['expression in literal', "$response.body.status == '$inputs.name'"],
  ])('strict mode rejects %s', (_name, condition) => {
    expect(() => parseCondition(condition, { compat: false })).toThrow(/not accepted in strict mode/);
    const r = evaluateCriterion({ condition }, scope, { compat: false });
    expect(r.passed).toBe(false);
    expect(r.reason).toMatch(/strict mode/);
  });

  it('a quoted string that is not an expression stays a literal', () => {
    expect(parseCondition("$inputs.name == '$100'").warnings).toEqual([]);
    expect(pass("'$100' == '$100'")).toBe(true);
  });
});

describe('compat: JSONPath comparisons joined with || and &&', () => {
  const body = { status: 'in_progress', count: 3, data: [1, 2] };
  const s: ExpressionScope = { statusCode: 200, response: { headers: {}, body } };
  const jp = (condition: string) => ({ context: '$response.body', condition, type: 'jsonpath' as const });
  it.each([
    [
      'first of three matches',
      { given: '$.status == "queued" || $.status == "in_progress" || $.status == "x"', passed: true },
    ],
    ['none matches', { given: '$.status == "queued" || $.status == "completed"', passed: false }],
    [
      '&& binds tighter than ||',
      { given: '$.status == "nope" && $.count == 3 || $.count > 2', passed: true },
    ],
    ['&& both hold', { given: "$.status == 'in_progress' && $.count >= 3", passed: true }],
    ['&& one fails', { given: "$.status == 'in_progress' && $.count > 3", passed: false }],
    ['operator inside quotes is text', { given: '$.status == "a || b" || $.count == 3', passed: true }],
    ['length term joined', { given: '$.data.length > 1 && $.count == 3', passed: true }],
  ])('%s', (_name, { given, passed }) => {
    const warnings: CompatWarning[] = [];
    const r = evaluateCriterion(jp(given), s, { onWarning: (w) => warnings.push(w) });
    expect(r.passed, r.reason).toBe(passed);
    expect(warnings).toHaveLength(1);
  });

  it('names the spec form as one simple condition', () => {
    const warnings: CompatWarning[] = [];
    evaluateCriterion(jp('$.status == "queued" || $.status == "in_progress"'), s, {
      onWarning: (w) => warnings.push(w),
    });
    expect(warnings[0]).toEqual({
      code: 'compat-jsonpath-comparison',
      message:
        'jsonpath condition "$.status == "queued" || $.status == "in_progress"": comparisons joined with && / || outside a filter are not JSONPath; the spec form is the simple condition "$response.body#/status == \'queued\' || $response.body#/status == \'in_progress\'"',
      offset: 0,
    });
  });

  it('reports every failed term', () => {
    const r = evaluateCriterion(jp('$.status == "queued" || $.count == 9'), s);
    expect(r.reason).toBe('$.status is "in_progress", expected == "queued"; $.count is 3, expected == 9');
  });

  it('is refused in strict mode', () => {
    const r = evaluateCriterion(jp('$.status == "queued" || $.status == "in_progress"'), s, {
      compat: false,
    });
    expect(r.passed).toBe(false);
    expect(r.reason).toMatch(/^jsonpath condition .* not JSONPath; the spec form is the simple condition/);
  });

  it('a filter with || inside brackets stays a JSONPath query', () => {
    const r = evaluateCriterion(jp("$[?@.status == 'x' || @.count == 3]"), {
      response: { headers: {}, body: [body] },
    });
    expect(r.passed, r.reason).toBe(true);
  });
});

describe('compat: whole outputs map in conditions', () => {
  it.each([
    ['map is truthy', { given: '$steps.a.outputs', passed: true }],
    ['map member by index operator', { given: "$steps.a.outputs['id'] == 7", passed: true }],
  ])('%s', (_name, { given, passed }) => {
    const { warnings } = parseCondition(given);
    expect(warnings).toEqual([]);
    const r = evaluateCriterion({ condition: given }, { steps: { a: { outputs: { id: 7 } } } });
    expect(r.passed, r.reason).toBe(passed);
  });
});

describe('compat: whole outputs map as a context', () => {
  it.each([
    ['compat: read as the map', { compat: true, passed: true, reason: undefined }],
    [
      'strict: refused with the spec form',
      {
        compat: false,
        passed: false,
        reason:
          'context "$steps.a.outputs" is not a spec runtime expression; the spec form names one output: $steps.<id>.outputs.<name>',
      },
    ],
  ])('%s', (_name, { compat, passed, reason }) => {
    const r = evaluateCriterion(
      { context: '$steps.a.outputs', condition: '$.id', type: 'jsonpath' },
      { steps: { a: { outputs: { id: 7 } } } },
      { compat },
    );
    expect(r.passed, r.reason).toBe(passed);
    expect(r.reason).toBe(reason);
  });
});
