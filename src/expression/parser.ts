// Runtime Expressions: parser for the ABNF of Arazzo 1.0.1, disambiguated as in Arazzo 1.1.0.

import { BoundedCache } from '../cache.js';
import { ExpressionSyntaxError, syntaxErrorAt } from '../errors.js';
import { formatPointer } from '../pointer.js';
import type {
  CompatForm,
  ExpressionNode,
  ExpressionRoot,
  JsonPointerNode,
  NameSegment,
  PathSegment,
} from './ast.js';

/**
 * Where an expression sits decides where it ends:
 * - `whole`: the expression is the whole string;
 * - `embedded`: inside `{...}` of a template, it ends before `}` (1.1.0 excludes `{` and `}` from names
 *   and JSON Pointers, which is what makes embedded expressions unambiguous);
 * - `condition`: inside a simple condition, it ends at whitespace or an operator character.
 */
export type ParseMode = 'whole' | 'embedded' | 'condition';

export const EXPECTED_SOURCES: readonly string[] = [
  '$url',
  '$method',
  '$statusCode',
  '$request.',
  '$response.',
  '$message.',
  '$inputs.',
  '$outputs.',
  '$steps.',
  '$workflows.',
  '$sourceDescriptions.',
  '$components.',
  '$self',
];

const COMPONENT_KINDS = ['parameters', 'successActions', 'failureActions', 'inputs'];

const isAlpha = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isDigit = (c: number): boolean => c >= 48 && c <= 57;
/** identifier-strict of 1.1.0: ALPHA / DIGIT / "-" / "_". */
const isIdChar = (c: number): boolean => isAlpha(c) || isDigit(c) || c === 45 || c === 95;
/** tchar of RFC 9110 (header names). */
const isTchar = (c: number): boolean =>
  isAlpha(c) || isDigit(c) || (c < 128 && "!#$%&'*+-.^_`|~".includes(String.fromCharCode(c)));
/** Characters that end an expression inside a simple condition. */
const CONDITION_STOPS = new Set([...' \t\r\n()=!<>&|[]\'",'].map((s) => s.charCodeAt(0)));

class Scanner {
  pos: number;
  readonly compat: CompatForm[] = [];
  readonly path: PathSegment[] = [];

  constructor(
    readonly text: string,
    readonly start: number,
    readonly mode: ParseMode,
  ) {
    this.pos = start;
  }

  /** True when the expression cannot continue at `pos` in this mode. */
  atStop(): boolean {
    if (this.pos >= this.text.length) return true;
    const c = this.text.charCodeAt(this.pos);
    if (this.mode === 'embedded') return c === 125 || c === 123;
    if (this.mode === 'condition') return CONDITION_STOPS.has(c) || c === 125 || c === 123;
    return false;
  }

  fail(what: string, offset: number, expected: readonly string[]): never {
    throw syntaxErrorAt('expression', this.text, what, offset, expected);
  }

  found(): string {
    if (this.pos >= this.text.length) return 'end of expression';
    return `character "${this.text[this.pos]}"`;
  }

  expect(literal: string, expected?: readonly string[]): void {
    if (this.text.startsWith(literal, this.pos)) {
      this.pos += literal.length;
      return;
    }
    this.fail(`unexpected ${this.found()}`, this.pos, expected ?? [`"${literal}"`]);
  }

  readWhile(pred: (c: number) => boolean): string {
    const from = this.pos;
    while (this.pos < this.text.length && !this.atStop() && pred(this.text.charCodeAt(this.pos))) this.pos++;
    return this.text.slice(from, this.pos);
  }

  /** One name segment made of `pred` characters; at least one is required. */
  segment(pred: (c: number) => boolean, label: string): NameSegment {
    const start = this.pos;
    const value = this.readWhile(pred);
    if (value === '') this.fail(`unexpected ${this.found()}`, start, [label]);
    return { value, start, end: this.pos };
  }

  /** `name = *CHAR` (query/path parameters, source description references): everything up to a stop. */
  rest(label: string): NameSegment {
    return this.segment((c) => c !== 123 && c !== 125, label);
  }

  /**
   * Compat `$steps.x.outputs` / `$workflows.x.outputs` naming the whole outputs map: true when the
   * expression ends right after `outputs` (or continues with a JSON Pointer, which then navigates the map).
   */
  wholeOutputs(): boolean {
    if (!this.atStop() && this.text.charCodeAt(this.pos) !== 35) return false;
    this.compat.push('whole-outputs');
    return true;
  }

  /** Compat navigation after a name: `.prop` segments and `[0]` index segments. */
  compatPath(): void {
    for (;;) {
      const c = this.text.charCodeAt(this.pos);
      if (this.atStop() && !(this.mode === 'condition' && c === 91)) return;
      if (c === 46 && isPathChar(this.text.charCodeAt(this.pos + 1))) {
        const start = this.pos;
        this.pos++;
        const key = this.readWhile(isPathChar);
        this.path.push({ kind: 'property', key, start, end: this.pos });
        if (!this.compat.includes('dotted-path')) this.compat.push('dotted-path');
        continue;
      }
      if (c === 91) {
        const m = /^\[(0|[1-9][0-9]{0,8})\]/.exec(this.text.slice(this.pos, this.pos + 12));
        // In a condition, a non-numeric `[` belongs to the condition's own index operator.
        if (!m) {
          if (this.mode === 'condition') return;
          this.fail('invalid index segment', this.pos, ['[<non-negative integer>]']);
        }
        const start = this.pos;
        this.pos += m[0].length;
        this.path.push({ kind: 'index', index: Number(m[1]), start, end: this.pos });
        if (!this.compat.includes('bracket-index')) this.compat.push('bracket-index');
        continue;
      }
      return;
    }
  }

  /** `"#" json-pointer`, tokens unescaped. `}` and `{` end a pointer (1.1.0), except in whole mode where they are errors. */
  pointer(): JsonPointerNode | undefined {
    if (this.text.charCodeAt(this.pos) !== 35 || this.atStop()) return undefined;
    const start = this.pos;
    this.pos++;
    const tokens: string[] = [];
    if (!this.atStop() && this.text.charCodeAt(this.pos) !== 47) {
      this.fail(`unexpected ${this.found()} in JSON Pointer`, this.pos, ['"/"', 'end of expression']);
    }
    while (!this.atStop() && this.text.charCodeAt(this.pos) === 47) {
      this.pos++;
      let token = '';
      while (!this.atStop()) {
        const c = this.text.charCodeAt(this.pos);
        if (c === 47) break;
        if (c === 123 || c === 125) this.fail(`unexpected ${this.found()} in JSON Pointer`, this.pos, []);
        if (c === 126) {
          const n = this.text[this.pos + 1];
          if (n !== '0' && n !== '1') {
            this.fail('invalid escape in JSON Pointer', this.pos, ['"~0"', '"~1"']);
          }
          token += n === '0' ? '~' : '/';
          this.pos += 2;
          continue;
        }
        token += this.text[this.pos];
        this.pos++;
      }
      tokens.push(token);
    }
    return { text: this.text.slice(start + 1, this.pos), tokens, start, end: this.pos };
  }
}

/** Characters of a compat dotted-path segment (`$response.body.data.id`). */
const isPathChar = (c: number): boolean => isIdChar(c) || c === 36 || c === 64;

/**
 * Parse one runtime expression starting at `start` (which must be a `$`). In `whole` mode the
 * expression must run to the end of `text`; otherwise it ends where the mode says and `end` tells where.
 * Throws ExpressionSyntaxError with the offset into `text`.
 */

/** Arazzo 1.1 `$message.header.<name>` / `$message.payload[#pointer]` (AsyncAPI steps): the part read. */
function parseMessageSource(s: Scanner): 'header' | 'payload' {
  s.expect('.', ['"."']);
  const at = s.pos;
  const part = s.readWhile(isAlpha);
  if (part === 'header') {
    s.expect('.', ['"."']);
    return 'header';
  }
  if (part === 'payload') return 'payload';
  s.pos = at;
  return s.fail(`unknown message part "${part || s.found()}"`, at, ['header.', 'payload']);
}

// biome-ignore lint/complexity/noExcessiveLinesPerFunction: grammar: one switch over the runtime-expression ABNF (Arazzo 1.0.1 "Runtime Expressions"), read top to bottom
export function parseExpressionAt(text: string, start: number, mode: ParseMode): ExpressionNode {
  const s = new Scanner(text, start, mode);
  if (text.charCodeAt(start) !== 36) s.fail(`unexpected ${s.found()}`, start, EXPECTED_SOURCES);
  s.pos++;
  const word = s.readWhile(isAlpha);
  const names: NameSegment[] = [];
  let root: ExpressionRoot;
  let location: ExpressionNode['location'];
  let pointer: JsonPointerNode | undefined;

  const unknown = (): never => s.fail(`unknown source "$${word}"`, start, EXPECTED_SOURCES);

  switch (word) {
    case 'url':
    case 'method':
    case 'statusCode':
    case 'self':
      root = word;
      break;
    case 'request':
    case 'response': {
      root = word;
      s.expect('.', ['"."']);
      const locStart = s.pos;
      const loc = s.readWhile(isAlpha);
      if (loc === 'header') {
        s.expect('.', ['"."']);
        names.push(s.segment(isTchar, 'a header name'));
      } else if (loc === 'query' || loc === 'path') {
        s.expect('.', ['"."']);
        names.push(s.rest(`a ${loc} parameter name`));
      } else if (loc === 'body') {
        s.compatPath();
        pointer = s.pointer();
      } else {
        s.pos = locStart;
        s.fail(`unknown ${word} part "${loc || text.slice(locStart, locStart + 1)}"`, locStart, [
          'header.',
          'query.',
          'path.',
          'body',
        ]);
      }
      location = loc as 'header' | 'query' | 'path' | 'body';
      break;
    }
    case 'message':
      root = word;
      location = parseMessageSource(s);
      if (location === 'header') names.push(s.segment(isTchar, 'a header name'));
      else {
        s.compatPath();
        pointer = s.pointer();
      }
      break;
    case 'inputs':
    case 'outputs':
      root = word;
      s.expect('.', ['"."']);
      names.push(s.segment(isIdChar, `an ${word === 'inputs' ? 'input' : 'output'} name`));
      s.compatPath();
      pointer = s.pointer();
      break;
    case 'steps':
      root = word;
      s.expect('.', ['"."']);
      names.push(s.segment(isIdChar, 'a stepId'));
      {
        const at = s.pos;
        s.expect('.outputs', ['".outputs."']);
        names.push({ value: 'outputs', start: at + 1, end: at + 8 });
      }
      if (s.wholeOutputs()) {
        pointer = s.pointer();
        break;
      }
      s.expect('.', ['"."']);
      names.push(s.segment(isIdChar, 'an output name'));
      s.compatPath();
      pointer = s.pointer();
      break;
    case 'workflows': {
      root = word;
      s.expect('.', ['"."']);
      names.push(s.segment(isIdChar, 'a workflowId'));
      s.expect('.', ['"."']);
      const fieldStart = s.pos;
      const field = s.readWhile(isAlpha);
      if (field !== 'inputs' && field !== 'outputs') {
        s.fail(`unknown workflow field "${field}"`, fieldStart, ['inputs', 'outputs']);
      }
      names.push({ value: field, start: fieldStart, end: s.pos });
      if (field === 'outputs' && s.wholeOutputs()) {
        pointer = s.pointer();
        break;
      }
      s.expect('.', ['"."']);
      names.push(s.segment(isIdChar, `an ${field === 'inputs' ? 'input' : 'output'} name`));
      s.compatPath();
      pointer = s.pointer();
      break;
    }
    case 'sourceDescriptions':
      root = word;
      s.expect('.', ['"."']);
      names.push(s.segment(isIdChar, 'a source description name'));
      s.expect('.', ['"."']);
      names.push(s.rest('a field name or operationId'));
      break;
    case 'components': {
      root = word;
      s.expect('.', ['"."']);
      const kindStart = s.pos;
      const kind = s.readWhile(isAlpha);
      if (!COMPONENT_KINDS.includes(kind)) {
        s.fail(`unknown component type "${kind}"`, kindStart, COMPONENT_KINDS);
      }
      names.push({ value: kind, start: kindStart, end: s.pos });
      s.expect('.', ['"."']);
      // component-name = identifier of 1.1.0: dots are part of the name.
      names.push(s.segment((c) => isIdChar(c) || c === 46, 'a component name'));
      break;
    }
    default:
      return unknown();
  }

  if (mode === 'whole' && s.pos < text.length) {
    s.fail(`unexpected ${s.found()}`, s.pos, ['end of expression']);
  }

  const node: ExpressionNode = {
    type: 'expression',
    source: text.slice(start, s.pos),
    start,
    end: s.pos,
    root,
    names,
    path: s.path,
    compat: s.compat,
  };
  if (location !== undefined) node.location = location;
  if (pointer !== undefined) node.pointer = pointer;
  if (s.path.length > 0) node.specForm = specFormOf(node);
  return node;
}

/** The spec spelling of a compat expression: its compat path folded into the JSON Pointer. */
function specFormOf(node: ExpressionNode): string {
  const first = node.path[0];
  const headEnd = first ? first.start : node.end;
  const head = node.source.slice(0, headEnd - node.start);
  const tokens = node.path.map((p) => (p.kind === 'index' ? String(p.index) : p.key));
  if (node.pointer) tokens.push(...node.pointer.tokens);
  return `${head}#${formatPointer(tokens)}`;
}

const CACHE_LIMIT = 4096;
/** Documents reuse a small set of expressions, so the oldest entries are the coldest. */
const cache = new BoundedCache<string, ExpressionNode | ExpressionSyntaxError>(CACHE_LIMIT);

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

function parseWhole(src: string): ExpressionNode {
  return deepFreeze(parseExpressionAt(src, 0, 'whole'));
}

/** Parse a whole string as one runtime expression; results (and errors) are cached by source text. */
export function parseExpressionCached(src: string): ExpressionNode {
  return cache.getOrParse(src, parseWhole, ExpressionSyntaxError);
}

/** Non-throwing variant used on hot paths. */
export function tryParseExpressionCached(src: string): ExpressionNode | undefined {
  const hit = cache.getOrFailure(src, parseWhole, ExpressionSyntaxError);
  return hit instanceof ExpressionSyntaxError ? undefined : hit;
}
