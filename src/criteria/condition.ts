// Criterion Object: `simple` conditions (literals, operators, runtime expressions), parsed and walked.
import { ExpressionSyntaxError, syntaxErrorAt } from '../errors.js';
import type { ExpressionNode } from '../expression/ast.js';
import { step } from '../expression/evaluate.js';
import { evaluateExpression, isUnresolved, parseExpression } from '../expression/index.js';
import { parseExpressionAt } from '../expression/parser.js';
import type { ExpressionScope } from '../expression/types.js';
import type { ComparisonOperator, CompatWarning, ConditionNode } from './types.js';

/*
 * Grammar (precedence from lowest to highest; binary operators are left-associative, comparisons
 * do not chain):
 *   or      = and *( "||" and )
 *   and     = compare *( "&&" compare )
 *   compare = unary [ ("==" / "!=" / "<=" / ">=" / "<" / ">") unary ]
 *   unary   = "!" unary / postfix
 *   postfix = primary *( "." name / "[" or "]" )
 *   primary = "(" or ")" / runtime-expression / 'string' / number / true / false / null
 * Whitespace between tokens is ignored.
 */

const isSpace = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 13;
const NUMBER = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?/;
const NAME = /^[A-Za-z_$@][A-Za-z0-9_$@-]*/;

export interface ParsedCondition {
  ast: ConditionNode;
  /** Compat forms found (warnings in compat mode). */
  warnings: CompatWarning[];
}

/** Deepest nesting of parentheses, `!` and `[...]` a condition may have (the parser recurses per level). */
export const MAX_CONDITION_DEPTH = 256;

class ConditionParser {
  pos = 0;
  depth = 0;
  readonly warnings: CompatWarning[] = [];

  /**
   * @param src the condition as written (quoted in messages)
   * @param text what is parsed: `src`, or `src` with compat outer braces blanked (offsets unchanged)
   */
  constructor(
    readonly src: string,
    readonly compat: boolean,
    readonly text: string = src,
  ) {}

  fail(what: string, offset: number, expected: readonly string[]): never {
    throw syntaxErrorAt('condition', this.src, what, offset, expected, 'CONDITION_SYNTAX');
  }

  /** A non-spec form: a warning in compat mode, an error otherwise. */
  compatForm(code: string, message: string, offset: number): void {
    if (!this.compat) {
      throw new ExpressionSyntaxError(
        `condition "${this.src}": ${message} (${code}; not accepted in strict mode)`,
        this.src,
        offset,
        [],
        'CONDITION_SYNTAX',
      );
    }
    this.warnings.push({ code, message: `condition "${this.src}": ${message}`, offset });
  }

  found(): string {
    return this.pos >= this.text.length ? 'end of condition' : `character "${this.text[this.pos]}"`;
  }

  skip(): void {
    while (this.pos < this.text.length && isSpace(this.text.charCodeAt(this.pos))) this.pos++;
  }

  eat(tok: string): boolean {
    this.skip();
    if (this.text.startsWith(tok, this.pos)) {
      this.pos += tok.length;
      return true;
    }
    return false;
  }

  parse(): ParsedCondition {
    this.skip();
    if (this.pos >= this.text.length) this.fail('empty condition', 0, ['a runtime expression', 'a literal']);
    const ast = this.or();
    this.skip();
    if (this.pos < this.text.length) {
      this.fail(`unexpected ${this.found()}`, this.pos, [
        '&&',
        '||',
        'a comparison operator',
        'end of condition',
      ]);
    }
    return { ast, warnings: this.warnings };
  }

  or(): ConditionNode {
    let left = this.and();
    while (this.eat('||')) {
      const right = this.and();
      left = { type: 'logical', operator: '||', left, right, start: left.start, end: right.end };
    }
    return left;
  }

  and(): ConditionNode {
    let left = this.compare();
    while (this.eat('&&')) {
      const right = this.compare();
      left = { type: 'logical', operator: '&&', left, right, start: left.start, end: right.end };
    }
    return left;
  }

  compareOperator(): ComparisonOperator | undefined {
    this.skip();
    const two = this.text.slice(this.pos, this.pos + 2);
    if (two === '==' || two === '!=' || two === '<=' || two === '>=') {
      this.pos += 2;
      return two;
    }
    const one = this.text[this.pos];
    if (one === '<' || one === '>') {
      this.pos++;
      return one;
    }
    return undefined;
  }

  compare(): ConditionNode {
    const left = this.unary();
    this.skip();
    const at = this.pos;
    const operator = this.compareOperator();
    if (operator === undefined) return left;
    if (this.text[this.pos] === '=')
      this.fail(`unknown operator "${operator}="`, at, ['==', '!=', '<=', '>=']);
    const right = this.unary();
    const node: ConditionNode = { type: 'compare', operator, left, right, start: left.start, end: right.end };
    this.skip();
    const save = this.pos;
    if (this.compareOperator() !== undefined) {
      this.fail('comparisons do not chain; use && or parentheses', save, ['&&', '||']);
    }
    this.pos = save;
    return node;
  }

  /** Enter one nesting level; a hostile condition ends in a syntax error, not a stack overflow. */
  nest(offset: number): void {
    if (++this.depth > MAX_CONDITION_DEPTH) {
      this.fail(`nested more than ${MAX_CONDITION_DEPTH} levels deep`, offset, []);
    }
  }

  unary(): ConditionNode {
    this.skip();
    const start = this.pos;
    if (this.text[this.pos] === '!' && this.text[this.pos + 1] !== '=') {
      this.pos++;
      this.nest(start);
      const operand = this.unary();
      this.depth--;
      return { type: 'not', operand, start, end: operand.end };
    }
    return this.postfix();
  }

  postfix(): ConditionNode {
    let node = this.primary();
    for (;;) {
      if (this.text[this.pos] === '.') {
        const m = NAME.exec(this.text.slice(this.pos + 1));
        if (!m) this.fail('expected a property name after "."', this.pos + 1, ['a property name']);
        this.pos += 1 + m[0].length;
        node = { type: 'member', object: node, property: m[0], start: node.start, end: this.pos };
        continue;
      }
      if (this.text[this.pos] === '[') {
        this.nest(this.pos);
        this.pos++;
        const index = this.or();
        this.depth--;
        if (!this.eat(']')) this.fail(`unexpected ${this.found()}`, this.pos, ['"]"']);
        node = { type: 'index', object: node, index, start: node.start, end: this.pos };
        continue;
      }
      return node;
    }
  }

  primary(): ConditionNode {
    this.skip();
    const start = this.pos;
    const c = this.text[this.pos];
    if (c === undefined)
      this.fail('unexpected end of condition', start, ['a runtime expression', 'a literal', '"("']);
    if (c === '(') {
      this.nest(start);
      this.pos++;
      const inner = this.or();
      this.depth--;
      if (!this.eat(')')) this.fail(`unexpected ${this.found()}`, this.pos, ['")"']);
      return { ...inner, start, end: this.pos };
    }
    if (c === '$') {
      let expression: ExpressionNode;
      try {
        expression = parseExpressionAt(this.text, start, 'condition');
      } catch (err) {
        if (err instanceof ExpressionSyntaxError) {
          const prefix = `expression "${this.text}": `;
          const msg = err.message.startsWith(prefix) ? err.message.slice(prefix.length) : err.message;
          throw new ExpressionSyntaxError(
            `condition "${this.src}": ${msg}`,
            this.src,
            err.offset,
            err.expected,
            'CONDITION_SYNTAX',
          );
        }
        throw err;
      }
      this.pos = expression.end;
      return { type: 'ref', expression, start, end: this.pos };
    }
    if (c === "'" || c === '"') return this.string(c);
    const num = NUMBER.exec(this.text.slice(this.pos));
    if (num) {
      this.pos += num[0].length;
      return { type: 'literal', value: Number(num[0]), start, end: this.pos };
    }
    const word = /^[A-Za-z_]+/.exec(this.text.slice(this.pos))?.[0];
    if (word === 'true' || word === 'false' || word === 'null') {
      this.pos += word.length;
      return { type: 'literal', value: word === 'null' ? null : word === 'true', start, end: this.pos };
    }
    this.fail(word ? `unknown word "${word}"` : `unexpected ${this.found()}`, start, [
      'a runtime expression',
      "a 'string'",
      'a number',
      'true',
      'false',
      'null',
      '"("',
    ]);
  }

  string(quote: "'" | '"'): ConditionNode {
    const start = this.pos;
    this.pos++;
    let value = '';
    for (;;) {
      if (this.pos >= this.text.length) this.fail('unterminated string', start, [quote]);
      const ch = this.text[this.pos]!;
      if (ch === quote) {
        if (this.text[this.pos + 1] === quote) {
          value += quote;
          this.pos += 2;
          continue;
        }
        this.pos++;
        break;
      }
      if (quote === '"' && ch === '\\' && this.pos + 1 < this.text.length) {
        value += this.text[this.pos + 1];
        this.pos += 2;
        continue;
      }
      value += ch;
      this.pos++;
    }
    const node: ConditionNode = {
      type: 'literal',
      value,
      quote: quote === "'" ? 'single' : 'double',
      start,
      end: this.pos,
    };
    if (quote === '"') {
      this.compatForm(
        'compat-double-quoted-string',
        `double-quoted string at offset ${start}; the spec form is '${value.replaceAll("'", "''")}'`,
        start,
      );
    }
    if (value.startsWith('$')) {
      let embedded: ExpressionNode | undefined;
      try {
        embedded = parseExpression(value);
      } catch {
        embedded = undefined;
      }
      if (embedded !== undefined) {
        this.compatForm(
          'compat-expression-in-literal',
          `runtime expression inside a quoted literal at offset ${start} is evaluated; the spec form is ${value} (unquoted)`,
          start,
        );
        node.embedded = embedded;
      }
    }
    return node;
  }
}

/** `{$statusCode == 401}` (the spec's own JSON example): the condition inside one pair of outer braces. */
const BRACED = /^(\s*)\{([^{}]*)\}\s*$/;

/** Parse a simple condition. Throws ExpressionSyntaxError (code CONDITION_SYNTAX). */
export function parseConditionText(src: string, compat: boolean): ParsedCondition {
  const braced = BRACED.exec(src);
  if (braced === null) return new ConditionParser(src, compat).parse();
  const open = braced[1]!.length;
  const inner = braced[2]!;
  // Blanking the braces keeps every offset pointing into the condition as written.
  const text = `${src.slice(0, open)} ${inner} ${src.slice(open + inner.length + 2)}`;
  const parser = new ConditionParser(src, compat, text);
  parser.compatForm(
    'compat-braced-condition',
    `a condition is not wrapped in braces (only {$...} inside text is); the spec form is ${inner.trim()}`,
    open,
  );
  return parser.parse();
}

/* ------------------------------------------------------------------------------------------------
 * Evaluation. Values are plain data; an Unresolved reference compares like null.
 *
 * Truthiness (bare values, `!`, operands of && and ||): false, null, unresolved, 0, NaN and '' are
 * false; everything else (including 'false' as text, [] and {}) is true.
 *
 * `==` / `!=` (loose, `!=` is the negation of `==`):
 *   null == null; null (or unresolved) equals nothing else;
 *   number vs number: numeric; number vs numeric string: the string is converted (e.g. '200' == 200);
 *   string vs string: case-insensitive (spec: "String comparisons MUST be case insensitive");
 *   boolean vs boolean: identity; boolean vs string: 'true'/'false' case-insensitively;
 *   arrays/objects: deep, member by member with these same rules;
 *   any other pair (e.g. number vs boolean) is not equal.
 * `<` `<=` `>` `>=`:
 *   numbers, or a number and a numeric string, or two numeric strings: numeric;
 *   two other strings: case-insensitive code-unit order; every other pair (null, booleans,
 *   objects, mixed non-numeric) is false for all four operators.
 * ---------------------------------------------------------------------------------------------- */

const NUMERIC_STRING = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/;

function asNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && NUMERIC_STRING.test(v)) return Number(v);
  return undefined;
}

export function truthy(v: unknown): boolean {
  if (v === null || v === undefined || v === false || isUnresolved(v)) return false;
  if (typeof v === 'number') return v !== 0 && !Number.isNaN(v);
  if (typeof v === 'string') return v !== '';
  return true;
}

function norm(v: unknown): unknown {
  return v === undefined || isUnresolved(v) ? null : v;
}

export function looseEquals(a: unknown, b: unknown): boolean {
  a = norm(a);
  b = norm(b);
  if (a === null || b === null) return a === b;
  if (typeof a === 'number' && typeof b === 'number') return a === b;
  if (typeof a === 'number' || typeof b === 'number') {
    const x = asNumber(a);
    const y = asNumber(b);
    return x !== undefined && y !== undefined && typeof a !== typeof b && x === y;
  }
  if (typeof a === 'string' && typeof b === 'string') return a.toLowerCase() === b.toLowerCase();
  if (typeof a === 'boolean' && typeof b === 'boolean') return a === b;
  if (typeof a === 'boolean' && typeof b === 'string') return String(a) === b.toLowerCase();
  if (typeof b === 'boolean' && typeof a === 'string') return String(b) === a.toLowerCase();
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((x, i) => looseEquals(x, b[i]));
  }
  if (typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const ka = Object.keys(a as object);
    const kb = Object.keys(b as object);
    return (
      ka.length === kb.length &&
      ka.every(
        (k) =>
          Object.hasOwn(b as object, k) &&
          looseEquals((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
      )
    );
  }
  return false;
}

export function compareValues(op: ComparisonOperator, a: unknown, b: unknown): boolean {
  if (op === '==') return looseEquals(a, b);
  if (op === '!=') return !looseEquals(a, b);
  a = norm(a);
  b = norm(b);
  let x: number | string | undefined;
  let y: number | string | undefined;
  const na = asNumber(a);
  const nb = asNumber(b);
  if (na !== undefined && nb !== undefined) {
    x = na;
    y = nb;
  } else if (typeof a === 'string' && typeof b === 'string') {
    x = a.toLowerCase();
    y = b.toLowerCase();
  } else return false;
  switch (op) {
    case '<':
      return x < y;
    case '<=':
      return x <= y;
    case '>':
      return x > y;
    default:
      return x >= y;
  }
}

export function evalCondition(node: ConditionNode, scope: ExpressionScope): unknown {
  switch (node.type) {
    case 'literal':
      return node.embedded !== undefined ? evaluateExpression(node.embedded, scope) : node.value;
    case 'ref':
      return evaluateExpression(node.expression, scope);
    case 'member': {
      const obj = evalCondition(node.object, scope);
      if (isUnresolved(obj)) return obj;
      const r = step(obj, node.property, true);
      return r.ok ? r.value : undefined;
    }
    case 'index': {
      const obj = evalCondition(node.object, scope);
      if (isUnresolved(obj)) return obj;
      const idx = evalCondition(node.index, scope);
      if (typeof idx !== 'number' && typeof idx !== 'string') return undefined;
      const r = step(obj, String(idx), true);
      return r.ok ? r.value : undefined;
    }
    case 'not':
      return !truthy(evalCondition(node.operand, scope));
    case 'compare':
      return compareValues(node.operator, evalCondition(node.left, scope), evalCondition(node.right, scope));
    case 'logical':
      if (node.operator === '&&')
        return truthy(evalCondition(node.left, scope)) && truthy(evalCondition(node.right, scope));
      return truthy(evalCondition(node.left, scope)) || truthy(evalCondition(node.right, scope));
  }
}

/** Short display of a value for reasons. */
export function show(v: unknown): string {
  if (isUnresolved(v)) return `unresolved (${v.reason})`;
  if (v === undefined) return 'absent';
  let text: string;
  try {
    text = typeof v === 'string' ? JSON.stringify(v) : (JSON.stringify(v) ?? String(v));
  } catch {
    text = String(v);
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** Why a condition that evaluated false did not hold (walks only the failed parts). */
export function explain(node: ConditionNode, src: string, scope: ExpressionScope): string {
  const text = (n: ConditionNode): string => src.slice(n.start, n.end).trim();
  switch (node.type) {
    case 'compare': {
      const l = evalCondition(node.left, scope);
      const r = evalCondition(node.right, scope);
      const rightText =
        node.right.type === 'literal' && node.right.embedded === undefined
          ? show(r)
          : `${text(node.right)} (${show(r)})`;
      return `left side ${text(node.left)} is ${show(l)}, expected ${node.operator} ${rightText}`;
    }
    case 'logical':
      if (node.operator === '&&') {
        return truthy(evalCondition(node.left, scope))
          ? explain(node.right, src, scope)
          : explain(node.left, src, scope);
      }
      return `${explain(node.left, src, scope)}; and ${explain(node.right, src, scope)}`;
    case 'not':
      return `${text(node.operand)} is ${show(evalCondition(node.operand, scope))}, expected a false value`;
    default:
      return `${text(node)} is ${show(evalCondition(node, scope))}, expected a true value`;
  }
}
