/**
 * AST of runtime expressions (spec: "Runtime Expressions"). Offsets are 0-based UTF-16 indices into the
 * string that was parsed (for embedded expressions: into the whole template string).
 */

export interface Span {
  start: number;
  end: number;
}

/** The part after `$`: which data an expression reads. */
export type ExpressionRoot =
  | 'url'
  | 'method'
  | 'statusCode'
  | 'request'
  | 'response'
  | 'message'
  | 'inputs'
  | 'outputs'
  | 'steps'
  | 'workflows'
  | 'sourceDescriptions'
  | 'components'
  /** 1.1.0: the canonical URI of the current Arazzo description. */
  | 'self';

/**
 * Non-spec forms accepted for real-world documents; the validator warns with `specForm`.
 * `whole-outputs`: `$steps.x.outputs` / `$workflows.x.outputs` with no output name, read as the map of
 * every output (the spec names one output: `$steps.x.outputs.<name>`).
 */
export type CompatForm = 'dotted-path' | 'bracket-index' | 'whole-outputs';

export interface NameSegment extends Span {
  value: string;
}

/** A compat navigation step after the name: `.b` (property) or `[0]` (index). */
export type PathSegment =
  | (Span & { kind: 'property'; key: string })
  | (Span & { kind: 'index'; index: number });

export interface JsonPointerNode extends Span {
  /** The pointer text after `#`, e.g. `/items/0`. */
  text: string;
  /** Unescaped reference tokens (`~1` -> `/`, `~0` -> `~`). */
  tokens: string[];
}

export interface ExpressionNode extends Span {
  type: 'expression';
  /** The expression text exactly as written, `$` included. */
  source: string;
  root: ExpressionRoot;
  /** For `$request` / `$response` / `$message` (1.1): which part of the message. */
  location?: 'header' | 'query' | 'path' | 'body' | 'payload';
  /**
   * Name segments after the root (and location):
   * inputs/outputs `[name]`, steps `[stepId, 'outputs', name]`, workflows `[workflowId, 'inputs'|'outputs', name]`
   * (without the last name for the `whole-outputs` compat form),
   * sourceDescriptions `[name, field]`, components `[kind, name]`, header/query/path `[name]`, others (`$self`) `[]`.
   */
  names: NameSegment[];
  pointer?: JsonPointerNode;
  /** Compat navigation after the name (empty for spec-conformant expressions). */
  path: PathSegment[];
  /** Compat forms used (empty when the expression is spec-conformant). */
  compat: CompatForm[];
  /** Spec-conformant spelling when `compat` is not empty, e.g. `$steps.s.outputs.items#/0`. */
  specForm?: string;
}

export interface TextPart extends Span {
  type: 'text';
  value: string;
}

/** A string with embedded `{$...}` expressions. Expression parts span the text inside the braces. */
export interface TemplateNode {
  type: 'template';
  source: string;
  parts: Array<TextPart | ExpressionNode>;
}
