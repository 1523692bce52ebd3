/** Criteria (spec: "Criterion Object"): simple conditions, regex, JSONPath, XPath. */
import type { CriterionRecord } from '../engine/types.js';
import { ArazzoError } from '../errors.js';
import type { ExpressionScope } from '../expression/types.js';
import type {
  CompatWarning,
  ConditionNode,
  CriterionInput,
  CriterionIssue,
  CriterionOptions,
} from './types.js';

export type * from './types.js';

const pending = (): never => {
  throw new ArazzoError('INTERNAL', 'criteria module: not implemented yet');
};

export function parseCondition(
  _src: string,
  _options?: { compat?: boolean },
): { ast: ConditionNode; warnings: CompatWarning[] } {
  return pending();
}
export function checkCriterion(_c: CriterionInput, _options: { compat: boolean }): CriterionIssue[] {
  return pending();
}
export function evaluateCriterion(
  _c: CriterionInput,
  _scope: ExpressionScope,
  _options?: CriterionOptions,
): CriterionRecord {
  return pending();
}
export function evaluateCriteria(
  _list: CriterionInput[] | undefined,
  _scope: ExpressionScope,
  _options?: CriterionOptions,
): { passed: boolean; records: CriterionRecord[] } {
  return pending();
}
