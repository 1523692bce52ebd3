import { describe, expect, it } from 'vitest';
import { evaluateCriterion } from '../../src/criteria/index.js';
import type { ExpressionScope } from '../../src/expression/index.js';
import { evaluateExpression, isUnresolved, resolveValue } from '../../src/expression/index.js';

const marker = globalThis as Record<string, unknown>;
const scope: ExpressionScope = {
  statusCode: 200,
  response: { headers: {}, body: { a: { b: 1 }, list: [{ x: 1 }] } },
  inputs: { obj: { k: 'v' }, s: 'text' },
};

function protoSnapshot(): string[] {
  return Object.getOwnPropertyNames(Object.prototype).sort();
}

describe('crafted input does nothing but fail', () => {
  const before = protoSnapshot();

  it.each([
    ['constructor pointer', '$inputs.obj#/constructor'],
    ['constructor.constructor pointer', '$inputs.obj#/constructor/constructor'],
    ['__proto__ pointer', '$response.body#/__proto__'],
    ['__proto__ dotted', '$inputs.obj.__proto__'],
    ['toString via path', '$inputs.obj.toString'],
    ['string prototype', '$inputs.s#/constructor'],
    ['array prototype', '$response.body#/list/constructor'],
  ])('expression %s is unresolved', (_name, src) => {
    expect(isUnresolved(evaluateExpression(src, scope))).toBe(true);
  });

  it.each([
    ['constructor.constructor call', "$inputs.obj.constructor.constructor('return process')()"],
    ['property chain on expression', '$inputs.obj.constructor.constructor == null'],
    ['bracket string key', "$inputs.obj['constructor'] == null"],
    ['__proto__ member', '$inputs.obj.__proto__ != null'],
    ['function call syntax', 'process.exit(1)'],
    ['template literal', `\`\${process}\``],
  ])('condition %s never reaches code', (_name, condition) => {
    const r = evaluateCriterion({ condition }, scope);
    // Either a syntax error or a comparison on absent values; never a function value.
    if (r.passed) expect(condition).toMatch(/== null$/);
    expect(marker.pwned).toBeUndefined();
  });

  it('bracket access to prototype members yields nothing', () => {
    expect(evaluateCriterion({ condition: "$inputs.obj['constructor'] == null" }, scope).passed).toBe(true);
    expect(evaluateCriterion({ condition: "$inputs.obj['k'] == 'v'" }, scope).passed).toBe(true);
  });

  it.each([
    ['rfc9535 script filter', "$[?(@.constructor.constructor('globalThis.pwned = 1')())]", 'jsonpath'],
    [
      'goessner script filter',
      "$[?(@.constructor.constructor('globalThis.pwned = 1')())]",
      { type: 'jsonpath', version: 'draft-goessner-dispatch-jsonpath-00' },
    ],
    [
      'goessner script expression',
      "$[(@.constructor.constructor('globalThis.pwned = 1')())]",
      { type: 'jsonpath', version: 'draft-goessner-dispatch-jsonpath-00' },
    ],
    [
      'goessner process filter',
      "$..[?(@.constructor.constructor('return process')())]",
      { type: 'jsonpath', version: 'draft-goessner-dispatch-jsonpath-00' },
    ],
  ] as const)('%s fails without executing', (_name, condition, type) => {
    const r = evaluateCriterion({ context: '$response.body', condition, type }, scope);
    expect(r.passed).toBe(false);
    expect(marker.pwned).toBeUndefined();
  });

  it('regex catastrophic pattern returns quickly', () => {
    const started = Date.now();
    const r = evaluateCriterion(
      { context: '$inputs.s', condition: '^(a|aa)+$', type: 'regex' },
      { inputs: { s: `${'a'.repeat(5000)}!` } },
    );
    expect(r.passed).toBe(false);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('resolveValue does not pollute prototypes', () => {
    const payload = JSON.parse(
      '{"__proto__": {"pwned": 1}, "constructor": {"prototype": {"pwned": 1}}}',
    ) as unknown;
    resolveValue(payload, scope);
    expect(({} as Record<string, unknown>).pwned).toBeUndefined();
  });

  it('Object.prototype is untouched', () => {
    expect(protoSnapshot()).toEqual(before);
    expect(marker.pwned).toBeUndefined();
  });
});
