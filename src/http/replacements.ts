// Arazzo "Payload Replacement Object": JSON Pointer (RFC 6901) targets applied to a request payload.
import { RequestBuildError } from '../errors.js';
import { setOwn } from '../own.js';

/** One replacement: `target` is a JSON Pointer into the payload, `value` the evaluated replacement. */
export interface Replacement {
  target: string;
  value: unknown;
}

const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Apply replacements in order and return a new payload; the input is never mutated (objects and arrays on
 * each target's path are copied). Missing members are created (an object, or an array when the next token
 * is `-` or `0`); `-` appends to an array; the target "" replaces the whole payload. A string payload is
 * parsed as JSON first. Throws RequestBuildError for a malformed pointer, an XPath target, a path through
 * a primitive, an array index past the end, or a `__proto__`/`constructor`/`prototype` token.
 *
 * @example applyReplacements({ a: { b: 1 } }, [{ target: '/a/c', value: 2 }]) // { a: { b: 1, c: 2 } }
 */
export function applyReplacements(payload: unknown, replacements: readonly Replacement[]): unknown {
  if (replacements.length === 0) return payload;
  let root = payload;
  if (typeof root === 'string') {
    try {
      root = JSON.parse(root) as unknown;
    } catch (cause) {
      throw new RequestBuildError(
        'payload replacements: the payload is a string that is not JSON, so JSON Pointer targets cannot apply',
        undefined,
        { cause },
      );
    }
  }
  for (const r of replacements) root = replaceAt(root, r.target, r.value);
  return root;
}

/** Split an RFC 6901 pointer into unescaped tokens. Accepts the URI fragment form '#/a/b' too. */
export function parsePointer(pointer: string): string[] {
  let p = pointer;
  if (p.startsWith('#')) {
    try {
      p = decodeURIComponent(p.slice(1));
    } catch (cause) {
      throw new RequestBuildError(
        `payload replacement target "${pointer}" is not a valid JSON Pointer`,
        undefined,
        {
          cause,
        },
      );
    }
  }
  if (p === '') return [];
  if (!p.startsWith('/')) {
    throw new RequestBuildError(
      `payload replacement target "${pointer}" is not a JSON Pointer (XPath targets for XML payloads are not supported)`,
    );
  }
  return p
    .slice(1)
    .split('/')
    .map((token) => {
      if (/~[^01]|~$/.test(token)) {
        throw new RequestBuildError(`payload replacement target "${pointer}": bad escape in "${token}"`);
      }
      const t = token.replace(/~1/g, '/').replace(/~0/g, '~');
      if (FORBIDDEN.has(t)) {
        throw new RequestBuildError(
          `payload replacement target "${pointer}": the token "${t}" is not allowed`,
        );
      }
      return t;
    });
}

function copyContainer(value: object): Record<string, unknown> | unknown[] {
  return Array.isArray(value) ? [...value] : { ...(value as Record<string, unknown>) };
}

function arrayIndex(tokens: string[], i: number, arr: unknown[], target: string, forWrite: boolean): number {
  const token = tokens[i] as string;
  if (token === '-') return arr.length;
  if (!/^(0|[1-9][0-9]*)$/.test(token)) {
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
  const tokens = parsePointer(target);
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
        `payload replacement target "${target}": "/${tokens.slice(0, i).join('/')}" is a ${typeof node}, not an object or array`,
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
