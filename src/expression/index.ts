/** Runtime expressions (spec: "Runtime Expressions"): parser, evaluator, templates. */
import type { ExpressionNode } from './ast.js';
import { evaluateNode } from './evaluate.js';
import { parseExpressionCached } from './parser.js';
import type { ExpressionScope } from './types.js';

export type * from './ast.js';
export { isUnresolved, lookupHeader, selectPointer, unresolved } from './evaluate.js';
export { EXPECTED_SOURCES } from './parser.js';
export type { ResolveValueOptions } from './template.js';
export {
  embedText,
  hasEmbeddedExpression,
  isRuntimeExpression,
  listExpressions,
  parseTemplate,
  renderTemplate,
  resolveValue,
} from './template.js';
export type * from './types.js';

/**
 * Parse a whole string as one runtime expression. Results are cached by source text and frozen.
 * @throws ExpressionSyntaxError with `offset` and `expected`.
 * @example parseExpression('$steps.login.outputs.token').names.map((n) => n.value) // ['login', 'outputs', 'token']
 */
export function parseExpression(src: string): ExpressionNode {
  return parseExpressionCached(src);
}

/**
 * Evaluate a runtime expression against a scope. Pure. Whole values keep their type; anything that
 * does not exist yields an Unresolved (see isUnresolved) carrying a reason.
 * @throws ExpressionSyntaxError when `src` is a string that does not parse.
 * @example evaluateExpression('$response.body#/items/0/id', scope) // 42
 */
export function evaluateExpression(src: string | ExpressionNode, scope: ExpressionScope): unknown {
  return evaluateNode(typeof src === 'string' ? parseExpressionCached(src) : src, scope);
}
