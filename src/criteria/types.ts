/** Types of criteria (spec: "Criterion Object"): the simple-condition AST, compat warnings, static issues. */
import type { ExpressionNode, Span } from '../expression/ast.js';

/**
 * The Criterion Object as this module reads it. Structurally matches `CriterionObject` of
 * src/document/model.ts (declared here so criteria/ does not import document/, which imports criteria/).
 * `type` is looser so the validator can check documents that are not yet known to be valid.
 */
export interface CriterionInput {
  context?: string;
  condition: string;
  type?: string | { type: string; version?: string };
}

export type ComparisonOperator = '<' | '<=' | '>' | '>=' | '==' | '!=';

export type ConditionNode =
  | (Span & {
      type: 'literal';
      value: null | boolean | number | string;
      /** Set for string literals; 'double' is a compat form. */
      quote?: 'single' | 'double';
      /** Compat: a quoted literal whose whole text is a runtime expression (`'$inputs.x'`). */
      embedded?: ExpressionNode;
    })
  | (Span & { type: 'ref'; expression: ExpressionNode })
  | (Span & { type: 'member'; object: ConditionNode; property: string })
  | (Span & { type: 'index'; object: ConditionNode; index: ConditionNode })
  | (Span & { type: 'not'; operand: ConditionNode })
  | (Span & { type: 'compare'; operator: ComparisonOperator; left: ConditionNode; right: ConditionNode })
  | (Span & { type: 'logical'; operator: '&&' | '||'; left: ConditionNode; right: ConditionNode });

/** A non-spec form accepted in compat mode. `message` shows the spec form. */
export interface CompatWarning {
  code: string;
  message: string;
  offset: number;
}

/** A static problem in a Criterion Object, for the document validator. */
export interface CriterionIssue {
  severity: 'error' | 'warning';
  code: string;
  message: string;
  field: 'condition' | 'context' | 'type';
  /** 0-based offset into the field's string. */
  offset?: number;
}

export interface CriterionOptions {
  /** Accept common non-spec forms with warnings. Default `true`. Example: `{ compat: false }` for strict mode. */
  compat?: boolean;
  /** Called for each compat form met while evaluating. Default: none. */
  onWarning?: (warning: CompatWarning) => void;
  /**
   * Called when a criterion cannot be evaluated (bad syntax, an unusable context, a runtime error); the
   * criterion fails either way. 1.1.0 asks for such errors to be reported. Default: none.
   * @example { onError: (message) => log.push(message) }
   */
  onError?: (message: string) => void;
}

/** One criterion as evaluated: what a step record keeps. */
export interface CriterionRecord {
  condition: string;
  /** 'simple' | 'regex' | 'jsonpath' | 'xpath' */
  type?: string;
  context?: string;
  passed: boolean;
  /** Why it failed or could not be evaluated, e.g. 'left side $statusCode is 500, expected == 201'. */
  reason?: string;
  /** Compat forms only the response revealed, e.g. a root JSONPath filter that matched the root itself. */
  warnings?: string[];
}
