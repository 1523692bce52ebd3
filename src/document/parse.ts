// Arazzo 1.0.1 "Format" section: documents are JSON or YAML 1.2 restricted to the JSON Schema ruleset.
import {
  type Document,
  isAlias,
  isMap,
  isNode,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseDocument,
  type YAMLError,
  type YAMLMap,
  type YAMLSeq,
} from 'yaml';
import { childPointer, formatPointer, isArrayIndex, parsePointer } from '../pointer.js';
import type { Diagnostic } from './diagnostic.js';

/** A document parsed from text, with a pointer -> line:column map. */
export interface ParsedText {
  /** The data (plain objects, arrays, scalars); undefined when the text does not parse. */
  value: unknown;
  /** Syntax errors, duplicate keys, alias limits, YAML warnings. */
  diagnostics: Diagnostic[];
  /** Path or URL the text came from (copied into every diagnostic's `file`). Default ''. */
  url?: string;
  /**
   * 1-based line and column of the node at `pointer` (for an object member: its key), falling back to
   * the nearest existing ancestor; `{ line: 0, column: 0 }` when nothing is known.
   */
  locate(pointer: string): { line: number; column: number };
}

/** Aliases beyond this many expansions (yaml's count) are refused as a resource-exhaustion attack. */
export const MAX_ALIAS_COUNT = 100;

/**
 * Parse JSON or YAML text. Never throws for bad input: problems come back as diagnostics.
 * YAML uses the 1.2 core schema, so `yes`/`no`/`on` stay strings and timestamps are not converted.
 * `__proto__` keys become own data properties; prototypes are never touched.
 */
export function parseDocumentText(text: string, url: string): ParsedText {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter,
    schema: 'core',
    merge: false,
    uniqueKeys: false, // duplicates are found by our own walk, which knows their pointers
    prettyErrors: false,
    logLevel: 'silent',
    strict: true,
  });
  const diagnostics: Diagnostic[] = [];
  const at = (offset: number): { line: number; column: number } => {
    const p = lineCounter.linePos(offset);
    return { line: p.line, column: p.col };
  };
  const locate = (pointer: string): { line: number; column: number } => {
    const offset = locateOffset(doc, pointer);
    return offset === undefined ? { line: 0, column: 0 } : at(offset);
  };
  const diag: Diag = (code, severity, message, pointer, offset) => {
    const pos = offset === undefined ? locate(pointer) : at(offset);
    diagnostics.push({ code, severity, message, pointer, file: url, line: pos.line, column: pos.column });
  };
  const parsed = (value: unknown): ParsedText => ({ value, diagnostics, url, locate });

  const looksLikeJson = /^\s*[[{]/.test(text);
  const jsonError = looksLikeJson ? jsonSyntaxError(text) : undefined;
  if (jsonError !== undefined) {
    // JSON text is held to JSON's grammar, not YAML's more lenient flow syntax (trailing commas...).
    diagnostics.push(jsonSyntaxDiagnostic(text, url, doc, jsonError));
    return parsed(undefined);
  }
  if (doc.errors.length > 0) {
    // Valid JSON that this YAML parser refuses (rare edge cases): trust JSON, keep duplicate checks.
    if (looksLikeJson) return parsed(jsonValue(text, doc, diag));
    reportYamlProblems(doc.errors, 'error', doc, at, url, diagnostics);
    return parsed(undefined);
  }
  reportYamlProblems(doc.warnings, 'warning', doc, at, url, diagnostics);
  findDuplicateKeys(doc, diag);
  if (diagnostics.some((d) => d.code === 'yaml-complex-key')) return parsed(undefined);
  return parsed(yamlValue(doc, diag));
}

/** Reports a problem at `pointer`, or at `offset` in the text when given. */
type Diag = (
  code: string,
  severity: Diagnostic['severity'],
  message: string,
  pointer: string,
  offset?: number,
) => void;

function jsonSyntaxDiagnostic(
  text: string,
  url: string,
  doc: Document,
  error: { message: string; offset: number },
): Diagnostic {
  const pos = offsetToLineColumn(text, error.offset);
  return {
    code: 'json-syntax',
    severity: 'error',
    message: `JSON (line ${pos.line}, column ${pos.column}): ${error.message}`,
    pointer: pointerAt(doc, error.offset),
    file: url,
    line: pos.line,
    column: pos.column,
  };
}

/** The value of text that JSON reads and this YAML parser refuses; undefined when it nests too deep. */
function jsonValue(text: string, doc: Document, diag: Diag): unknown {
  findDuplicateKeys(doc, diag);
  const json = JSON.parse(text) as unknown;
  return tooDeep(json, diag) ? undefined : json;
}

/** The YAML document's value (null when empty); undefined, reported, when it cannot be read. */
function yamlValue(doc: Document, diag: Diag): unknown {
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    if (e instanceof RangeError) {
      // yaml's toJS recurses: a document nested deeper than the stack allows.
      diag('document-too-deep', 'error', `document: nested too deeply to be read (${e.message})`, '');
      return undefined;
    }
    diag(
      'yaml-alias-limit',
      'error',
      `document: aliases expand to too many nodes (limit ${MAX_ALIAS_COUNT}); ${e instanceof Error ? e.message : String(e)}`,
      '',
    );
    return undefined;
  }
  if (tooDeep(value, diag)) return undefined;
  return value ?? null;
}

/** Objects and arrays nested deeper than this are refused: validation, cloning and masking all recurse. */
export const MAX_NESTING_DEPTH = 500;

/** Reports (at the first node too deep) and returns true when `value` nests beyond MAX_NESTING_DEPTH. */
function tooDeep(value: unknown, diag: Diag): boolean {
  interface Entry {
    value: unknown;
    depth: number;
    parent: Entry | undefined;
    key: string | number;
  }
  const stack: Entry[] = [{ value, depth: 0, parent: undefined, key: '' }];
  while (stack.length > 0) {
    const entry = stack.pop()!;
    const v = entry.value;
    if (v === null || typeof v !== 'object') continue;
    if (entry.depth >= MAX_NESTING_DEPTH) {
      const tokens: Array<string | number> = [];
      for (let e: Entry | undefined = entry; e?.parent !== undefined; e = e.parent) tokens.unshift(e.key);
      const pointer = formatPointer(tokens);
      diag(
        'document-too-deep',
        'error',
        `document (#${pointer.slice(0, 200)}${pointer.length > 200 ? '...' : ''}): nested more than ${MAX_NESTING_DEPTH} levels deep`,
        pointer,
      );
      return true;
    }
    for (const [k, child] of Object.entries(v)) {
      if (child !== null && typeof child === 'object')
        stack.push({
          value: child,
          depth: entry.depth + 1,
          parent: entry,
          key: Array.isArray(v) ? Number(k) : k,
        });
    }
  }
  return false;
}

/** YAML problems reported one by one at most; each costs a walk of the tree (see pointerAt). */
const MAX_YAML_PROBLEMS = 20;

/**
 * One diagnostic per YAML problem up to MAX_YAML_PROBLEMS, then one summary: `[[[[...` unclosed a
 * thousand times yields a thousand errors, and placing each one made parsing quadratic.
 */
function reportYamlProblems(
  problems: readonly YAMLError[],
  severity: Diagnostic['severity'],
  doc: Document,
  at: (offset: number) => { line: number; column: number },
  url: string,
  out: Diagnostic[],
): void {
  const report = (offset: number, what: string, pointer: string): void => {
    const pos = at(offset);
    out.push({
      code: severity === 'error' ? 'yaml-syntax' : 'yaml-warning',
      severity,
      message: `YAML (line ${pos.line}, column ${pos.column}): ${what}`,
      pointer,
      file: url,
      line: pos.line,
      column: pos.column,
    });
  };
  for (const e of problems.slice(0, MAX_YAML_PROBLEMS)) {
    const what = e.message.replace(/\s+at line \d+, column \d+:?[\s\S]*$/, '').trim();
    report(e.pos[0], what, pointerAt(doc, e.pos[0]));
  }
  const rest = problems[MAX_YAML_PROBLEMS];
  if (rest === undefined) return;
  report(rest.pos[0], `${problems.length - MAX_YAML_PROBLEMS} more problem(s) from here on, not listed`, '');
}

/** JSON.parse's own message, and the offset of the first error (found by a small scanner). */
function jsonSyntaxError(text: string): { message: string; offset: number } | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch (e) {
    const raw = e instanceof Error ? e.message : String(e);
    const message = raw
      .replace(/\s*\(line \d+ column \d+\)/, '')
      .replace(/\s*in JSON at position \d+/, '')
      .replace(/, "[\s\S]*" is not valid JSON$/, '');
    return { message, offset: firstJsonErrorOffset(text) };
  }
}

/** Offset where a JSON scanner first fails (the text is known to be invalid JSON). */
function firstJsonErrorOffset(text: string): number {
  let i = 0;
  const ws = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const fail = (): never => {
    throw i;
  };
  const str = (): void => {
    if (text[i] !== '"') fail();
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text.charCodeAt(i) < 0x20) fail();
      if (text[i] === '\\') {
        i++;
        if (text[i] === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail();
          i += 4;
        } else if (!'"\\/bfnrt'.includes(text[i] ?? 'x')) fail();
      }
      i++;
    }
    if (i >= text.length) fail();
    i++;
  };
  /** After whitespace: `close` consumed (true), or anything else left for the caller (false). */
  const closes = (close: string): boolean => {
    ws();
    if (text[i] === close) {
      i++;
      return true;
    }
    return false;
  };
  const value = (depth: number): void => {
    if (depth > 1000) fail();
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      if (closes('}')) return;
      for (;;) {
        ws();
        str();
        ws();
        if (text[i] !== ':') fail();
        i++;
        value(depth + 1);
        if (closes('}')) return;
        if (text[i] !== ',') fail();
        i++;
      }
    } else if (c === '[') {
      i++;
      if (closes(']')) return;
      for (;;) {
        value(depth + 1);
        if (closes(']')) return;
        if (text[i] !== ',') fail();
        i++;
      }
    } else if (c === '"') {
      str();
    } else {
      const m = /^(true|false|null|-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?)/.exec(text.slice(i, i + 400));
      if (m === null) fail();
      i += m![0].length;
    }
  };
  try {
    value(0);
    ws();
    return i;
  } catch (at) {
    return typeof at === 'number' ? Math.min(at, text.length) : 0;
  }
}

function offsetToLineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

/** The string a map key becomes in the JS object (scalars by value; yaml's toJS does the same). */
function keyString(key: unknown): string {
  if (isScalar(key)) return key.value === null ? '' : String(key.value);
  // Never render a collection key: yaml's text for nested collection keys grows exponentially with depth
  // (`{{{{...` crashed with "Invalid string length" at about 30 levels).
  if (isCollectionKey(key)) return '?';
  if (isNode(key)) return String(key);
  return key === null || key === undefined ? '' : String(key);
}

/** A mapping or sequence used as a mapping key (YAML `? [a]` or `{{a: 1}: 2}`); JSON and Arazzo keys are strings. */
function isCollectionKey(key: unknown): key is YAMLMap | YAMLSeq {
  return isMap(key) || isSeq(key);
}

/**
 * Depth-first walk that reports duplicate keys (last one wins in the value, like JSON.parse) and keys that
 * are collections (`yaml-complex-key`: the document is refused before yaml's toJS renders them as text).
 */
function findDuplicateKeys(doc: Document, diag: Diag): void {
  const stack: Array<{ node: unknown; pointer: string }> = [{ node: doc.contents, pointer: '' }];
  while (stack.length > 0) {
    const { node, pointer } = stack.pop()!;
    if (isMap(node)) {
      const seen = new Set<string>();
      for (const pair of node.items) {
        if (isCollectionKey(pair.key)) {
          const offset = pair.key.range?.[0];
          diag(
            'yaml-complex-key',
            'error',
            `key (#${pointer}): a mapping or sequence used as a key; keys must be strings`,
            pointer,
            offset,
          );
          continue;
        }
        const k = keyString(pair.key);
        const p = childPointer(pointer, k);
        if (seen.has(k)) {
          const offset = isNode(pair.key) ? pair.key.range?.[0] : undefined;
          diag(
            'duplicate-key',
            'error',
            `key "${k}" (#${pointer}): appears more than once in the same mapping; keys must be unique`,
            p,
            offset,
          );
        }
        seen.add(k);
        stack.push({ node: pair.value, pointer: p });
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => {
        stack.push({ node: item, pointer: childPointer(pointer, i) });
      });
    }
  }
}

/** Offset of the node at `pointer` (a member's key), or of its nearest existing ancestor. */
function locateOffset(doc: Document, pointer: string): number | undefined {
  const tokens = parsePointer(pointer) ?? [];
  let node: unknown = doc.contents;
  let best: number | undefined = isNode(node) ? node.range?.[0] : undefined;
  let hops = 0;
  for (const token of tokens) {
    node = resolveAlias(doc, node);
    if (isMap(node)) {
      let found: { key: unknown; value: unknown } | undefined;
      for (const pair of node.items) if (keyString(pair.key) === token) found = pair;
      if (found === undefined) return best;
      const keyOffset = isNode(found.key) ? found.key.range?.[0] : undefined;
      const valueOffset = isNode(found.value) ? found.value.range?.[0] : undefined;
      best = keyOffset ?? valueOffset ?? best;
      node = found.value;
    } else if (isSeq(node)) {
      if (!isArrayIndex(token)) return best;
      const item = node.items[Number(token)];
      if (item === undefined) return best;
      best = isNode(item) ? (item.range?.[0] ?? best) : best;
      node = item;
    } else {
      return best;
    }
    if (++hops > 10_000) return best;
  }
  return best;
}

function resolveAlias(doc: Document, node: unknown): unknown {
  let n = node;
  for (let i = 0; i < 100 && isAlias(n); i++) n = n.resolve(doc);
  return n;
}

/** JSON Pointer of the deepest node whose range contains `offset` (used to place syntax errors). */
function pointerAt(doc: Document, offset: number): string {
  let pointer = '';
  let node: unknown = doc.contents;
  const contains = (n: unknown): boolean => {
    const r = isNode(n) ? (n as Node).range : undefined;
    return r !== undefined && r !== null && offset >= r[0] && offset <= r[2];
  };
  for (let depth = 0; depth < 1000; depth++) {
    let next: { node: unknown; token: string | number } | undefined;
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        if (contains(pair.key) || contains(pair.value))
          next = { node: pair.value, token: keyString(pair.key) };
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => {
        if (contains(item)) next = { node: item, token: i };
      });
    }
    if (next === undefined) return pointer;
    pointer = childPointer(pointer, next.token);
    node = next.node;
  }
  return pointer;
}

/**
 * A ParsedText for data that did not come from text (an object passed by the caller): no positions.
 * Example: `validateArazzo(parsedFromValue(obj, 'inline:'), { strict: false })`.
 */
export function parsedFromValue(value: unknown, url: string): ParsedText {
  return { value, diagnostics: [], url, locate: () => ({ line: 0, column: 0 }) };
}
