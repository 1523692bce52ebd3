// Arazzo 1.0.1 "Payload Replacement Object": JSON Pointer (RFC 6901) or XPath targets applied to a request payload.
import { RequestBuildError } from '../errors.js';
import { setOwn } from '../own.js';
import {
  formatPointer,
  isArrayIndex,
  parseFragmentPointer,
  parsePointer,
  pointerProblem,
} from '../pointer.js';

/** One replacement: `target` is a JSON Pointer into the payload, `value` the evaluated replacement. */
export interface Replacement {
  target: string;
  value: unknown;
}

const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

/** Options of {@link applyReplacements}. */
export interface ReplacementOptions {
  /**
   * Applies an XPath target to an XML payload (text in, text out); the engine passes the XPath engine
   * of `criteria/`, loaded on first use. Default: none (an XML payload with targets is an error).
   * @example { xpath: replaceXPath }
   */
  xpath?: (xml: string, target: string, value: unknown) => string;
}

/**
 * Apply replacements in order and return a new payload; the input is never mutated (objects and arrays on
 * each target's path are copied). Missing members are created (an object, or an array when the next token
 * is `-` or `0`); `-` appends to an array; the target "" replaces the whole payload. A string payload is
 * parsed as JSON first; a string payload that is XML (it starts with `<`) takes XPath targets instead
 * (spec: "A JSON Pointer or XPath Expression"), through `options.xpath`. Throws RequestBuildError for a
 * malformed pointer or XPath, a path through a primitive, an array index past the end, or a
 * `__proto__`/`constructor`/`prototype` token.
 *
 * @example applyReplacements({ a: { b: 1 } }, [{ target: '/a/c', value: 2 }]) // { a: { b: 1, c: 2 } }
 */
export function applyReplacements(
  payload: unknown,
  replacements: readonly Replacement[],
  options: ReplacementOptions = {},
): unknown {
  if (replacements.length === 0) return payload;
  let root = payload;
  if (typeof root === 'string') {
    if (root.trimStart().startsWith('<')) return replaceInXml(root, replacements, options);
    try {
      root = JSON.parse(root) as unknown;
    } catch (cause) {
      throw new RequestBuildError(
        'payload replacements: the payload is a string that is neither JSON nor XML, so no target can apply',
        undefined,
        { cause },
      );
    }
  }
  for (const r of replacements) root = replaceAt(root, r.target, r.value);
  return root;
}

function replaceInXml(
  xml: string,
  replacements: readonly Replacement[],
  options: ReplacementOptions,
): string {
  const xpath = options.xpath;
  if (xpath === undefined) {
    throw new RequestBuildError('payload replacements: the payload is XML, and no XPath engine was given');
  }
  let out = xml;
  for (const r of replacements) {
    try {
      out = xpath(out, r.target, r.value);
    } catch (cause) {
      const why = cause instanceof Error ? cause.message.split('\n')[0] : String(cause);
      throw new RequestBuildError(`payload replacement target "${r.target}" (XPath): ${why}`, undefined, {
        cause,
      });
    }
  }
  return out;
}

/** The unescaped tokens of a replacement target: a JSON Pointer, or its URI fragment form '#/a/b'. */
function targetTokens(target: string): string[] {
  const tokens = target.startsWith('#') ? parseFragmentPointer(target) : parsePointer(target);
  if (tokens === undefined) {
    const hint = target.startsWith('/') ? '' : ' (XPath targets apply to XML payloads)';
    throw new RequestBuildError(
      `payload replacement target "${target}" is not a JSON Pointer: ${pointerProblem(target)}${hint}`,
    );
  }
  for (const t of tokens) {
    if (FORBIDDEN.has(t)) {
      throw new RequestBuildError(`payload replacement target "${target}": the token "${t}" is not allowed`);
    }
  }
  return tokens;
}

function copyContainer(value: object): Record<string, unknown> | unknown[] {
  return Array.isArray(value) ? [...value] : { ...(value as Record<string, unknown>) };
}

function arrayIndex(tokens: string[], i: number, arr: unknown[], target: string, forWrite: boolean): number {
  const token = tokens[i] as string;
  if (token === '-') return arr.length;
  if (!isArrayIndex(token)) {
    throw new RequestBuildError(`payload replacement target "${target}": "${token}" is not an array index`);
  }
  const index = Number(token);
  if (index > arr.length || (!forWrite && index === arr.length)) {
    throw new RequestBuildError(
      `payload replacement target "${target}": index ${index} is past the end of an array of ${arr.length}`,
    );
  }
  return index;
}

function replaceAt(root: unknown, target: string, value: unknown): unknown {
  const tokens = targetTokens(target);
  if (tokens.length === 0) return value;
  const set = (node: unknown, i: number): unknown => {
    const token = tokens[i] as string;
    const last = i === tokens.length - 1;
    let container: Record<string, unknown> | unknown[];
    if (node === undefined || node === null) {
      // Create what is missing: an array when the token indexes one, else an object.
      container = token === '-' || token === '0' ? [] : {};
    } else if (typeof node === 'object') {
      container = copyContainer(node);
    } else {
      throw new RequestBuildError(
        `payload replacement target "${target}": "${formatPointer(tokens.slice(0, i))}" is a ${typeof node}, not an object or array`,
      );
    }
    if (Array.isArray(container)) {
      const index = arrayIndex(tokens, i, container, target, true);
      container[index] = last ? value : set(container[index], i + 1);
    } else {
      const existing = Object.hasOwn(container, token) ? container[token] : undefined;
      setOwn(container, token, last ? value : set(existing, i + 1));
    }
    return container;
  };
  return set(root, 0);
}
