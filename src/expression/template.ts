// Runtime Expressions: strings with embedded `{$...}` expressions, and deep evaluation of document values.

import { BoundedCache } from '../cache.js';
import { ExpressionSyntaxError } from '../errors.js';
import { setOwn } from '../own.js';
import { escapePointerToken } from '../pointer.js';
import type { ExpressionNode, TemplateNode, TextPart } from './ast.js';
import { evaluateNode, isUnresolved, unresolved } from './evaluate.js';
import { parseExpressionAt, tryParseExpressionCached } from './parser.js';
import type { ExpressionScope, Unresolved } from './types.js';

const isAlpha = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

/**
 * `{` opens an embedded expression only when followed by `$` and a letter, so JSON text, regex
 * quantifiers (`\d{2}`) and prices (`{$5}`) stay literal.
 */
function opensExpression(text: string, i: number): boolean {
  return text.charCodeAt(i) === 123 && text.charCodeAt(i + 1) === 36 && isAlpha(text.charCodeAt(i + 2));
}

export function hasEmbeddedExpression(text: string): boolean {
  let i = text.indexOf('{$');
  while (i !== -1) {
    if (opensExpression(text, i)) return true;
    i = text.indexOf('{$', i + 1);
  }
  return false;
}

function parseTemplateUncached(src: string): TemplateNode {
  const parts: Array<TextPart | ExpressionNode> = [];
  let textStart = 0;
  let i = 0;
  while (i < src.length) {
    if (!opensExpression(src, i)) {
      i++;
      continue;
    }
    if (i > textStart) parts.push({ type: 'text', value: src.slice(textStart, i), start: textStart, end: i });
    const node = parseExpressionAt(src, i + 1, 'embedded');
    if (src.charCodeAt(node.end) !== 125) {
      const found = node.end >= src.length ? 'end of string' : `character "${src[node.end]}"`;
      throw new ExpressionSyntaxError(
        `expression "${src}": unexpected ${found} in embedded expression at offset ${node.end}; expected "}"`,
        src,
        node.end,
        ['"}"'],
      );
    }
    parts.push(node);
    i = node.end + 1;
    textStart = i;
  }
  if (textStart < src.length || parts.length === 0) {
    parts.push({ type: 'text', value: src.slice(textStart), start: textStart, end: src.length });
  }
  return { type: 'template', source: src, parts };
}

const TEMPLATE_LIMIT = 2048;
const templates = new BoundedCache<string, TemplateNode | ExpressionSyntaxError>(TEMPLATE_LIMIT);

function parseTemplateFrozen(src: string): TemplateNode {
  const t = parseTemplateUncached(src);
  Object.freeze(t.parts);
  return Object.freeze(t);
}

/** Parse a string with embedded `{$...}` expressions (cached). Throws ExpressionSyntaxError. */
export function parseTemplate(src: string): TemplateNode {
  return templates.getOrParse(src, parseTemplateFrozen, ExpressionSyntaxError);
}

/**
 * Text of a value embedded in a string (1.1.0 "Runtime Expressions"): scalars as their string form,
 * strings as-is, parsed structures as JSON.
 */
export function embedText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return '';
  if (value === null || typeof value !== 'object') return String(value);
  if (value instanceof Uint8Array) return new TextDecoder().decode(value);
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return String(value);
  }
}

/** Render a template. Any unresolved embedded expression makes the whole string unresolved. */
export function renderTemplate(src: string | TemplateNode, scope: ExpressionScope): string | Unresolved {
  const t = typeof src === 'string' ? parseTemplate(src) : src;
  let out = '';
  for (const part of t.parts) {
    if (part.type === 'text') {
      out += part.value;
      continue;
    }
    const v = evaluateNode(part, scope);
    if (isUnresolved(v)) return unresolved(`"${t.source}": ${v.reason}`);
    out += embedText(v);
  }
  return out;
}

/** True when the whole string is one runtime expression. */
export function isRuntimeExpression(s: string): boolean {
  return s.charCodeAt(0) === 36 && tryParseExpressionCached(s) !== undefined;
}

/** Evaluate a string found in a document value: whole expression -> its value; template -> text. */
export function resolveString(s: string, scope: ExpressionScope): unknown {
  if (s.charCodeAt(0) === 36) {
    const node = tryParseExpressionCached(s);
    if (node !== undefined) return evaluateNode(node, scope);
  }
  if (hasEmbeddedExpression(s)) return renderTemplate(s, scope);
  return s;
}

export interface ResolveValueOptions {
  /** Drop object members and array elements whose value is unresolved. Default `true`. Example: `{ omitUnresolved: false }` keeps Unresolved markers in place. */
  omitUnresolved?: boolean;
  /** Called with a JSON Pointer (relative to the value, `''` for the value itself) for each unresolved part. */
  onUnresolved?(path: string, u: Unresolved): void;
  /**
   * Asked for each object before its members are walked: a value (or an Unresolved) replaces the object,
   * `undefined` walks it as a literal. The engine passes the 1.1.0 Selector Object evaluator (which lives in
   * criteria/, above this layer). Default: none, every object is a literal.
   */
  evaluateObject?(value: Readonly<Record<string, unknown>>): unknown;
}

function resolveAt(
  value: unknown,
  scope: ExpressionScope,
  omit: boolean,
  report: ResolveValueOptions['onUnresolved'],
  path: string,
  objects?: ResolveValueOptions['evaluateObject'],
): unknown {
  if (typeof value === 'string') {
    const v = resolveString(value, scope);
    if (isUnresolved(v)) report?.(path, v);
    return v;
  }
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (let i = 0; i < value.length; i++) {
      const v = resolveAt(value[i], scope, omit, report, `${path}/${i}`, objects);
      if (omit && isUnresolved(v)) continue;
      out.push(v);
    }
    return out;
  }
  if (typeof value === 'object' && value !== null && !isUnresolved(value) && !(value instanceof Uint8Array)) {
    if (objects !== undefined) {
      const selected = objects(value as Readonly<Record<string, unknown>>);
      if (selected !== undefined) {
        if (isUnresolved(selected)) report?.(path, selected);
        return selected;
      }
    }
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      const v = resolveAt(
        (value as Record<string, unknown>)[key],
        scope,
        omit,
        report,
        `${path}/${escapePointerToken(key)}`,
        objects,
      );
      if (omit && isUnresolved(v)) continue;
      setOwn(out, key, v);
    }
    return out;
  }
  return value;
}

/**
 * Deep-evaluate a document value (payloads, parameter values): a string that is one whole expression
 * becomes its value (type kept); a string with `{$...}` becomes text; objects and arrays are walked.
 * The input is never mutated. A top-level unresolved value is returned as the Unresolved marker.
 */
export function resolveValue(
  value: unknown,
  scope: ExpressionScope,
  options: ResolveValueOptions = {},
): unknown {
  return resolveAt(
    value,
    scope,
    options.omitUnresolved ?? true,
    options.onUnresolved,
    '',
    options.evaluateObject,
  );
}

const ROOT_WORD =
  /^\$(url|method|statusCode|request|response|inputs|outputs|steps|workflows|sourceDescriptions|components|self)\b/;

/**
 * Every runtime expression in a document value, for static checks. `source` is the expression text
 * (for embedded ones: the text inside the braces, up to the closing brace or end of string) and `offset`
 * its index in the string. Strings that start with `$` and a known source name are listed even when
 * they do not parse, so the validator can report them; other `$...` strings are literals.
 */
export function listExpressions(value: unknown): Array<{ path: string; source: string; offset: number }> {
  const found: Array<{ path: string; source: string; offset: number }> = [];
  const walk = (v: unknown, path: string): void => {
    if (typeof v === 'string') {
      if (v.charCodeAt(0) === 36 && (ROOT_WORD.test(v) || isRuntimeExpression(v))) {
        found.push({ path, source: v, offset: 0 });
        return;
      }
      let i = v.indexOf('{$');
      while (i !== -1) {
        if (opensExpression(v, i)) {
          const close = v.indexOf('}', i);
          const end = close === -1 ? v.length : close;
          found.push({ path, source: v.slice(i + 1, end), offset: i + 1 });
          i = v.indexOf('{$', end);
        } else i = v.indexOf('{$', i + 1);
      }
      return;
    }
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) walk(v[i], `${path}/${i}`);
      return;
    }
    if (typeof v === 'object' && v !== null) {
      for (const key of Object.keys(v))
        walk((v as Record<string, unknown>)[key], `${path}/${escapePointerToken(key)}`);
    }
  };
  walk(value, '');
  return found;
}
