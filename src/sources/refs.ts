// OpenAPI 3.1 "Reference Object" / JSON Reference: lazy, cached, cycle-safe $ref resolution.

import { isRecord } from '../own.js';
import { childPointer, escapePointerToken, pointerFragment, readPointer } from '../pointer.js';

/** Refs followed inside one another before giving up (a guard against pathological nesting). */
export const MAX_REF_DEPTH = 64;

/** A problem met while resolving; `url` is the document the pointer points into. */
export interface RefProblem {
  code: 'openapi-ref-unresolved' | 'openapi-ref-cycle' | 'openapi-ref-depth';
  message: string;
  url: string;
  pointer: string;
}

/** Parsed documents reachable from a source: the source itself and prefetched external files. */
export interface DocumentSet {
  /** Parsed value by absolute URL without fragment. */
  docs: Map<string, unknown>;
  /** Why an external document is missing, by absolute URL without fragment. */
  failures: Map<string, string>;
}

/** Keys whose values are literal data, never references (an example may well contain "$ref"). */
const LITERAL_KEYS = new Set(['example', 'enum', 'const', 'default']);

interface MemoEntry {
  value: unknown;
  problems: RefProblem[];
}

type Obj = Record<string, unknown>;

/** Split an absolute reference into its document URL and (decoded) JSON Pointer. */
export function splitRef(ref: string, base: string): { doc: string; pointer: string } | undefined {
  let url: URL;
  try {
    url = new URL(ref, base);
  } catch {
    return undefined;
  }
  const hash = url.hash;
  url.hash = '';
  let pointer = hash.startsWith('#') ? hash.slice(1) : '';
  try {
    pointer = decodeURIComponent(pointer);
  } catch {
    // keep it as written; the lookup reports it as unresolved
  }
  return { doc: url.href, pointer };
}

/**
 * Resolves $refs for one source. `deep` inlines references (shared targets stay shared objects, so
 * the result is a DAG, not a copy per use); a reference met again while its own target is being
 * resolved is kept as `{ $ref }` with an absolute (or, for the source itself, `#/...`) reference.
 */
export class RefResolver {
  private readonly memo = new Map<string, MemoEntry>();
  private readonly active = new Set<string>();

  constructor(
    private readonly set: DocumentSet,
    private readonly mainUrl: string,
  ) {}

  /** Deep-resolve `value`, which sits at `pointer` in the document at `base`. */
  deep(value: unknown, base: string, pointer: string, problems: RefProblem[]): unknown {
    return this.walk(value, base, pointer, problems, false);
  }

  /** Follow a chain of `{ $ref }` objects to the first non-reference value (not deep). */
  follow(
    value: unknown,
    base: string,
    pointer: string,
    problems: RefProblem[],
  ): { value: unknown; base: string; pointer: string } {
    let cur = { value, base, pointer };
    const seen = new Set<string>();
    for (let hops = 0; isRecord(cur.value) && typeof cur.value.$ref === 'string'; hops++) {
      const ref = cur.value.$ref;
      const target = splitRef(ref, cur.base);
      if (target === undefined) {
        problems.push(unresolved(ref, cur.base, cur.pointer, 'not a valid URI reference'));
        return cur;
      }
      const key = `${target.doc}#${target.pointer}`;
      if (seen.has(key) || hops >= MAX_REF_DEPTH) {
        problems.push(cycle(ref, cur.base, cur.pointer));
        return cur;
      }
      seen.add(key);
      const found = this.lookup(target.doc, target.pointer);
      if ('missing' in found) {
        problems.push(unresolved(ref, cur.base, cur.pointer, found.missing));
        return cur;
      }
      cur = { value: found.value, base: target.doc, pointer: target.pointer };
    }
    return cur;
  }

  private lookup(doc: string, pointer: string): { value: unknown } | { missing: string } {
    if (!this.set.docs.has(doc)) {
      const why = this.set.failures.get(doc);
      return {
        missing: `document ${doc} ${why === undefined ? 'was not loaded' : `could not be read: ${why}`}`,
      };
    }
    const value = readPointer(this.set.docs.get(doc), pointer);
    return value === undefined ? { missing: `nothing at #${pointer} in ${doc}` } : { value };
  }

  private walk(
    value: unknown,
    base: string,
    pointer: string,
    problems: RefProblem[],
    isRefTarget: boolean,
  ): unknown {
    if (Array.isArray(value)) {
      let out: unknown[] | undefined;
      for (let i = 0; i < value.length; i++) {
        const r = this.walk(value[i], base, childPointer(pointer, i), problems, false);
        if (r !== value[i] && out === undefined) out = value.slice(0, i);
        out?.push(r);
      }
      return out ?? value;
    }
    if (!isRecord(value)) return value;
    if (typeof value.$ref === 'string') return this.walkRef(value, base, pointer, problems, isRefTarget);
    let out: Obj | undefined;
    const keys = Object.keys(value);
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i] as string;
      const v = value[k];
      const r = LITERAL_KEYS.has(k) ? v : this.walk(v, base, childPointer(pointer, k), problems, false);
      if (r !== v && out === undefined) {
        out = {};
        for (let j = 0; j < i; j++) out[keys[j] as string] = value[keys[j] as string];
      }
      if (out !== undefined) out[k] = r;
    }
    return out ?? value;
  }

  private walkRef(
    value: Obj,
    base: string,
    pointer: string,
    problems: RefProblem[],
    isRefTarget: boolean,
  ): unknown {
    const ref = value.$ref as string;
    const target = splitRef(ref, base);
    if (target === undefined) {
      problems.push(unresolved(ref, base, pointer, 'not a valid URI reference'));
      return value;
    }
    const key = `${target.doc}#${target.pointer}`;
    let resolved: unknown;
    const memo = this.memo.get(key);
    if (memo !== undefined) {
      problems.push(...memo.problems);
      resolved = memo.value;
    } else if (this.active.has(key)) {
      // A reference to itself only through other references can never become a value.
      if (isRefTarget) problems.push(cycle(ref, base, pointer));
      return { $ref: this.absoluteRef(target.doc, target.pointer) };
    } else if (this.active.size >= MAX_REF_DEPTH) {
      problems.push({
        code: 'openapi-ref-depth',
        message: `$ref "${ref}" (#${pointer}): more than ${MAX_REF_DEPTH} references nested inside one another; left unresolved`,
        url: base,
        pointer,
      });
      return value;
    } else {
      const found = this.lookup(target.doc, target.pointer);
      if ('missing' in found) {
        problems.push(unresolved(ref, base, pointer, found.missing));
        return value;
      }
      const local: RefProblem[] = [];
      this.active.add(key);
      try {
        resolved = this.walk(found.value, target.doc, target.pointer, local, true);
      } finally {
        this.active.delete(key);
      }
      this.memo.set(key, { value: resolved, problems: local });
      problems.push(...local);
    }
    const keys = Object.keys(value);
    if (keys.length === 1 || !isRecord(resolved)) return resolved;
    // Siblings of $ref (OpenAPI 3.1 summary/description, JSON Schema 2020-12 keywords) are laid over the target.
    const merged: Obj = { ...resolved };
    for (const k of keys) {
      if (k === '$ref') continue;
      merged[k] = LITERAL_KEYS.has(k)
        ? value[k]
        : this.walk(value[k], base, childPointer(pointer, k), problems, false);
    }
    return merged;
  }

  private absoluteRef(doc: string, pointer: string): string {
    const fragment = pointerFragment(pointer);
    return doc === this.mainUrl ? fragment : `${doc}${fragment}`;
  }
}

function unresolved(ref: string, base: string, pointer: string, why: string): RefProblem {
  return {
    code: 'openapi-ref-unresolved',
    message: `$ref "${ref}" (#${pointer}): cannot be resolved: ${why}`,
    url: base,
    pointer,
  };
}

function cycle(ref: string, base: string, pointer: string): RefProblem {
  return {
    code: 'openapi-ref-cycle',
    message: `$ref "${ref}" (#${pointer}): refers back to itself through other references; it never reaches a value`,
    url: base,
    pointer,
  };
}

/** JSON Pointer for a path item operation: '/paths/~1pets~1{id}/get'. */
export function operationPointer(path: string, method: string): string {
  return `/paths/${escapePointerToken(path)}/${method}`;
}
