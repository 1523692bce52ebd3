/** Runtime expressions (spec: "Runtime Expressions"): parser, evaluator, templates. */
import { ArazzoError } from '../errors.js';
import type { ExpressionNode, TemplateNode } from './ast.js';
import type { ExpressionScope, Unresolved } from './types.js';

export type * from './ast.js';
export type * from './types.js';

export interface ResolveValueOptions {
  /** Drop object members whose value is unresolved. Default `true`. */
  omitUnresolved?: boolean;
  /** Called with a JSON Pointer (relative to the value) for every unresolved member or element. */
  onUnresolved?(path: string, u: Unresolved): void;
}

const pending = (): never => {
  throw new ArazzoError('INTERNAL', 'expression module: not implemented yet');
};

export function parseExpression(_src: string): ExpressionNode {
  return pending();
}
export function evaluateExpression(_src: string | ExpressionNode, _scope: ExpressionScope): unknown {
  return pending();
}
export function isUnresolved(v: unknown): v is Unresolved {
  return typeof v === 'object' && v !== null && (v as { unresolved?: unknown }).unresolved === true;
}
export function unresolved(reason: string): Unresolved {
  return { unresolved: true, reason };
}
export function isRuntimeExpression(_s: string): boolean {
  return pending();
}
export function parseTemplate(_src: string): TemplateNode {
  return pending();
}
export function renderTemplate(_src: string | TemplateNode, _scope: ExpressionScope): string | Unresolved {
  return pending();
}
export function resolveValue(
  _value: unknown,
  _scope: ExpressionScope,
  _options?: ResolveValueOptions,
): unknown {
  return pending();
}
export function listExpressions(_value: unknown): Array<{ path: string; source: string; offset: number }> {
  return pending();
}
