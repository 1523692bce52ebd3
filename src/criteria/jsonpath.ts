// Criterion Object: `jsonpath` conditions (RFC 9535 by default; draft-goessner-dispatch-jsonpath-00 on request).
import { createRequire } from 'node:module';
import { BoundedCache } from '../cache.js';
import { formatPointer } from '../pointer.js';

type JsonPathPlus = typeof import('jsonpath-plus');
type Rfc9535 = typeof import('jsonpath-rfc9535');
let plusModule: JsonPathPlus | undefined;
let rfcModule: Rfc9535 | undefined;
const lazyRequire = createRequire(import.meta.url);
// Both engines are loaded on the first JSONPath criterion, so documents without one never pay for them.
const JSONPath: JsonPathPlus['JSONPath'] = ((...args: Parameters<JsonPathPlus['JSONPath']>) => {
  plusModule ??= lazyRequire('jsonpath-plus') as JsonPathPlus;
  return plusModule.JSONPath(...args);
}) as JsonPathPlus['JSONPath'];
const rfc9535Query: Rfc9535['query'] = (...args: Parameters<Rfc9535['query']>) => {
  rfcModule ??= lazyRequire('jsonpath-rfc9535') as Rfc9535;
  return rfcModule.query(...args);
};

export type JsonPathVersion = 'rfc9535' | 'draft-goessner-dispatch-jsonpath-00';

export interface JsonPathOutcome {
  nodes: unknown[];
  /** Set when a Goessner query needed script filters and was run as RFC 9535 instead. */
  ranAsRfc9535?: boolean;
}

const SIMPLE_PATH = /^\$(?:\.[A-Za-z_][A-Za-z0-9_]*)*$/;
const simplePaths = new BoundedCache<string, string[] | null>(1024);

/**
 * `$` or `$.a.b` (member-name shorthands only): the commonest query in real documents, and one whose
 * result is the same in both dialects, so it is answered directly instead of by a query engine.
 */
function simpleMemberPath(path: string): string[] | undefined {
  let names = simplePaths.get(path);
  if (names === undefined) {
    names = SIMPLE_PATH.test(path) ? path.split('.').slice(1) : null;
    simplePaths.set(path, names);
  }
  return names ?? undefined;
}

/** RFC 9535 member selection: own properties of objects only; anything else selects nothing. */
function selectMembers(names: readonly string[], context: unknown): unknown[] {
  let node = context;
  for (const name of names) {
    if (node === null || typeof node !== 'object' || Array.isArray(node) || !Object.hasOwn(node, name))
      return [];
    node = (node as Record<string, unknown>)[name];
  }
  return node === undefined ? [] : [node];
}

/** Values that RFC 9535 can query: JSON data only (Uint8Array, functions and undefined are not JSON). */
function asJson(value: unknown): unknown {
  return value === undefined ? null : value;
}

/**
 * Run a JSONPath query on the context value itself (so root arrays work). Throws on a syntax error.
 * The Goessner dialect runs on jsonpath-plus with script evaluation disabled (`eval: false`): filter
 * and script expressions `?(...)`/`(...)` are JavaScript in that dialect and are never executed. When
 * such a query is also valid RFC 9535 (e.g. `$[?(@.price < 10)]`), it runs as RFC 9535 instead.
 */
export function runJsonPath(version: JsonPathVersion, path: string, context: unknown): JsonPathOutcome {
  const simple = simpleMemberPath(path);
  if (simple !== undefined) return { nodes: selectMembers(simple, context) };
  const json = asJson(context) as Parameters<typeof rfc9535Query>[0];
  if (version === 'rfc9535') return { nodes: rfc9535Query(json, path) };
  try {
    const nodes = JSONPath({ path, json: json as object, eval: false, wrap: true }) as unknown;
    return { nodes: Array.isArray(nodes) ? nodes : [] };
  } catch (err) {
    if (!/eval|prevented|script/i.test((err as Error).message)) throw err;
    try {
      return { nodes: rfc9535Query(json, path), ranAsRfc9535: true };
    } catch {
      throw new Error(
        `JSONPath "${path}" uses a script expression, which is disabled (no script evaluation); write it as an RFC 9535 filter`,
      );
    }
  }
}

/** One `<path> <op> <literal>` of a compat JSONPath comparison. */
export interface JsonPathComparison {
  path: string;
  operator: string;
  literal: string;
  /** Offset of the literal in the whole condition. */
  literalOffset: number;
  /** The path ended in `.length` (removed from `path`). */
  length: boolean;
}

export type JsonPathCompat =
  | {
      kind: 'comparison';
      /** Disjunction of conjunctions: `a == 1 && b == 2 || c == 3` is `[[a, b], [c]]`. */
      any: JsonPathComparison[][];
    }
  | { kind: 'none' };

/** Each index of `text` outside quotes, brackets and parentheses (brackets and quotes themselves excluded). */
function* topLevelIndexes(text: string): Generator<number> {
  let depth = 0;
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote !== undefined) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === "'" || c === '"') quote = c;
    else if (c === '[' || c === '(') depth++;
    else if (c === ']' || c === ')') depth--;
    else if (depth === 0) yield i;
  }
}

/**
 * Top-level spans of `text` between `sep` (`||` or `&&`), outside brackets, parentheses and quotes.
 * Each span carries its offset in the condition.
 */
function splitTopLevel(
  text: string,
  offset: number,
  sep: '||' | '&&',
): Array<{ text: string; offset: number }> {
  const out: Array<{ text: string; offset: number }> = [];
  let from = 0;
  for (const i of topLevelIndexes(text)) {
    if (i < from || !text.startsWith(sep, i)) continue; // i < from: inside the separator just taken
    out.push({ text: text.slice(from, i), offset: offset + from });
    from = i + sep.length;
  }
  out.push({ text: text.slice(from), offset: offset + from });
  return out;
}

/** `<path> <op> <literal>` with the operator at top level, or undefined. */
function detectOne(condition: string, offset: number): JsonPathComparison | undefined {
  for (const i of topLevelIndexes(condition)) {
    const c = condition[i]!;
    if (!'=!<>'.includes(c)) continue;
    const two = condition.slice(i, i + 2);
    const operator = ['==', '!=', '<=', '>='].includes(two) ? two : c === '<' || c === '>' ? c : undefined;
    if (operator === undefined) continue;
    let path = condition.slice(0, i).trim();
    if (!path.startsWith('$')) return undefined;
    const length = /\.length$/.test(path);
    if (length) path = path.slice(0, -'.length'.length);
    const after = i + operator.length;
    const literal = condition.slice(after).trim();
    const literalOffset =
      offset + after + (condition.slice(after).length - condition.slice(after).trimStart().length);
    return { path, operator, literal, literalOffset, length };
  }
  return undefined;
}

/**
 * Detect the compat form `<path> <op> <literal>` (a comparison written as JSONPath, e.g.
 * `$.status == "ACTIVE"` or `$.data.length > 0`), also joined with `&&` / `||`
 * (`$.status == "queued" || $.status == "running"`): operators at top level, outside brackets,
 * parentheses and quotes. RFC 9535 has no such form (comparisons live only inside filters).
 * Every joined part must be such a comparison, else the condition is left to the JSONPath parser.
 */
export function detectJsonPathComparison(condition: string): JsonPathCompat {
  const any: JsonPathComparison[][] = [];
  for (const disjunct of splitTopLevel(condition, 0, '||')) {
    const all: JsonPathComparison[] = [];
    for (const conjunct of splitTopLevel(disjunct.text, disjunct.offset, '&&')) {
      const one = detectOne(conjunct.text, conjunct.offset);
      if (one === undefined) return { kind: 'none' };
      all.push(one);
    }
    any.push(all);
  }
  return { kind: 'comparison', any };
}

/** `$.a.b[0]` -> `/a/b/0` when the path is a plain chain of names and indices, else undefined. */
export function jsonPathToPointer(path: string): string | undefined {
  const re = /\.([A-Za-z_][A-Za-z0-9_-]*)|\[(\d+)\]|\['([^'\\]*)'\]|\["([^"\\]*)"\]/y;
  if (!path.startsWith('$')) return undefined;
  re.lastIndex = 1;
  const tokens: string[] = [];
  while (re.lastIndex < path.length) {
    const m = re.exec(path);
    if (!m) return undefined;
    tokens.push(m[1] ?? m[2] ?? m[3] ?? m[4] ?? '');
  }
  return formatPointer(tokens);
}

/** A quoted literal of a query whose whole text is a runtime expression, beside a comparison operator. */
export interface ExpressionLiteral {
  /** Offsets of the literal, quotes included. */
  start: number;
  end: number;
  /** The text inside the quotes, e.g. `$steps.create.outputs.id`. */
  expression: string;
}

const COMPARISON_BEFORE = /(==|!=|<=|>=|<|>)\s*$/;
const COMPARISON_AFTER = /^\s*(==|!=|<=|>=|<|>)/;

/**
 * Compat: `@.id == "$steps.create.outputs.id"` quotes a runtime expression where a filter compares.
 * Only literals next to a comparison operator count (a quoted name selector `$['$x']` is a member name).
 */
export function findExpressionLiterals(
  query: string,
  isExpression: (text: string) => boolean,
): ExpressionLiteral[] {
  const out: ExpressionLiteral[] = [];
  for (let i = 0; i < query.length; i++) {
    const quote = query[i];
    if (quote !== "'" && quote !== '"') continue;
    let j = i + 1;
    while (j < query.length && query[j] !== quote) j += query[j] === '\\' ? 2 : 1;
    const text = query.slice(i + 1, j);
    const end = Math.min(j + 1, query.length);
    if (
      text.startsWith('$') &&
      !text.includes('\\') &&
      (COMPARISON_BEFORE.test(query.slice(0, i)) || COMPARISON_AFTER.test(query.slice(end))) &&
      isExpression(text)
    ) {
      out.push({ start: i, end, expression: text });
    }
    i = j;
  }
  return out;
}

/**
 * `$[?<filter>]` as the whole query, rewritten so the filter tests the root itself: the filter's own
 * `@` (not one of a nested filter, not inside a string) becomes `$`. Undefined for any other query.
 * RFC 9535 runs a root filter over the root's members; `$[?count($.pets) > 0]` is the RFC 9535 query
 * that selects (the root's members) exactly when the root passes the filter.
 */
export function rootFilterAsRfc9535(query: string): string | undefined {
  const m = /^\$\s*\[\s*\?/.exec(query);
  if (m === null) return undefined;
  let depth = 1;
  let quote: string | undefined;
  let out = query.slice(0, m[0].length);
  for (let i = m[0].length; i < query.length; i++) {
    const c = query[i]!;
    if (quote !== undefined) {
      out += c;
      if (c === '\\' && i + 1 < query.length) out += query[++i];
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === "'" || c === '"') quote = c;
    else if (c === '[') depth++;
    else if (c === ']' && --depth === 0) {
      return query.slice(i + 1).trim() === '' ? `${out}${query.slice(i)}` : undefined;
    }
    out += c === '@' && depth === 1 ? '$' : c;
  }
  return undefined;
}
/**
 * JSON Pointers of every node a JSONPath query selects (1.1.0 replacement targets written as JSONPath).
 * Throws on a syntax error.
 */
export function jsonPathPointers(version: JsonPathVersion, path: string, context: unknown): string[] {
  const json = asJson(context) as Parameters<typeof rfc9535Query>[0];
  if (version === 'draft-goessner-dispatch-jsonpath-00') {
    const found = JSONPath({ path, json: json as object, eval: false, wrap: true, resultType: 'pointer' });
    return Array.isArray(found) ? found.filter((p): p is string => typeof p === 'string') : [];
  }
  rfcModule ??= lazyRequire('jsonpath-rfc9535') as Rfc9535;
  const out: string[] = [];
  rfcModule.exec(json, path, (_value, tokens) => {
    out.push(formatPointer(tokens as ReadonlyArray<string | number>));
  });
  return out;
}
