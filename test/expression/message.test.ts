// Arazzo 1.1 `$message.*` (AsyncAPI steps): header and payload of the message sent or received.
import { describe, expect, it } from 'vitest';
import { evaluateExpression, isUnresolved } from '../../src/expression/index.js';
import type { ExpressionScope } from '../../src/expression/types.js';

const scope: ExpressionScope = {
  message: {
    headers: { 'X-Correlation-Id': 'c-1', traceparent: 't' },
    payload: { orderId: 7, status: 'confirmed', lines: [{ sku: 'a' }, { sku: 'b' }] },
  },
};

describe('$message', () => {
  it.each([
    ['$message.header.x-correlation-id', 'c-1'],
    ['$message.header.TraceParent', 't'],
    ['$message.payload#/orderId', 7],
    ['$message.payload#/lines/1/sku', 'b'],
    ['$message.payload', scope.message?.payload],
    // The spec's own example writes the dotted form.
    ['$message.payload.orderId', 7],
  ] as const)('%s', (src, want) => {
    expect(evaluateExpression(src, scope)).toEqual(want);
  });

  it.each([
    ['$message.header.missing', 'no header "missing"'],
    ['$message.payload#/nope', 'nope'],
  ])('%s is unresolved', (src, reason) => {
    const v = evaluateExpression(src, scope);
    expect(isUnresolved(v)).toBe(true);
    expect((v as { reason: string }).reason).toContain(reason);
  });

  it('without a message it says so', () => {
    const v = evaluateExpression('$message.payload', {});
    expect((v as { reason: string }).reason).toContain('no message has been sent or received');
  });

  it('rejects an unknown part', () => {
    expect(() => evaluateExpression('$message.body', scope)).toThrow(/unknown message part "body"/);
  });
});
