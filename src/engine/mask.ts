/**
 * Secret masking for everything a run reports (records, events, errors). Masking is applied when a
 * value leaves the engine, never to the data the run itself uses.
 */

import { BoundedCache } from '../cache.js';
import { credentialSecrets } from '../http/auth.js';
import { MIN_SECRET_LENGTH, secretForms } from '../http/mask.js';
import type { AuthCredentials } from '../http/types.js';
import { setOwn } from '../own.js';

export const MASK = '***';

/** Header names whose values are credentials whatever their content. */
const SECRET_HEADER =
  /^(authorization|proxy-authorization|cookie|set-cookie|x-api-key|api-key|apikey|x-auth-token|x-access-token|x-csrf-token)$|(token|secret|password|api[-_]?key)/i;

/** Input names that are treated as secrets (besides `format: password` / `writeOnly` in the schema). */
const SECRET_NAME =
  /(key$|api[-_]?key|token|secret|passw|pwd|passphrase|credential|cookie|session|bearer|^auth$|authorization)/i;

/** Header names repeat from step to step and run to run. */
const headerVerdicts = new BoundedCache<string, boolean>(1024);

export function isSecretHeaderName(name: string): boolean {
  return headerVerdicts.get(name) ?? headerVerdicts.set(name, SECRET_HEADER.test(name));
}

/** Declare every secret of an `auth` map (not an OAuth credential's client id, scopes or flow). */
export function declareCredentials(masker: Masker, auth: AuthCredentials | undefined): void {
  for (const credential of Object.values(auth ?? {})) {
    for (const secret of credentialSecrets(credential)) masker.add(secret);
  }
}

export function isSecretInputName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** The compiled search for one set of secret forms. */
interface SecretSearch {
  ordered: string[];
  pattern: RegExp;
  /** Every form is written unchanged by JSON.stringify, so a value's JSON text can be searched at once. */
  jsonSearchable: boolean;
}

/**
 * Searches by secret set, shared by every run: a service that runs the same workflow with the same key
 * thousands of times compiles its pattern once. Patterns are only used synchronously (lastIndex is reset
 * before each use), so sharing them is safe. The cache holds secrets: it forgets them 30 s after use.
 */
const searches = new BoundedCache<string, SecretSearch>(64, 30_000);

function searchFor(forms: ReadonlySet<string>): SecretSearch {
  const ordered = [...forms].sort((a, b) => b.length - a.length || (a < b ? -1 : a > b ? 1 : 0));
  const key = ordered.join('\u0000');
  return (
    searches.get(key) ??
    searches.set(key, {
      ordered,
      pattern: new RegExp(ordered.map(escapeRegExp).join('|'), 'g'),
      jsonSearchable: ordered.every((secret) => JSON.stringify(secret) === `"${secret}"`),
    })
  );
}

/** Values with at most this many nodes are walked rather than serialized to be searched for secrets. */
const SMALL_VALUE_NODES = 32;

export class Masker {
  private readonly secrets = new Set<string>();
  /** Compiled on first use after a change (a step may add several secrets before anything is masked). */
  private search: SecretSearch | undefined;
  private dirty = false;

  add(value: unknown): void {
    if (typeof value !== 'string' && typeof value !== 'number') return;
    const text = String(value);
    if (text.length < MIN_SECRET_LENGTH || this.secrets.has(text)) return;
    for (const form of secretForms(text)) this.secrets.add(form);
    this.dirty = true;
  }

  private compiled(): SecretSearch | undefined {
    if (this.dirty) {
      this.search = searchFor(this.secrets);
      this.dirty = false;
    }
    return this.search;
  }

  get size(): number {
    return this.secrets.size;
  }

  list(): string[] {
    return [...(this.compiled()?.ordered ?? [])];
  }

  text(value: string): string {
    if (value.length < MIN_SECRET_LENGTH) return value;
    const search = this.compiled();
    if (search === undefined) return value;
    search.pattern.lastIndex = 0;
    return value.replace(search.pattern, MASK);
  }

  /**
   * A copy of the headers with credential headers (by name) and secrets (in values) masked. Always a
   * copy: a transport may still add headers to the request it sends (signing), and an event listener may
   * edit what it is given; neither may reach the record or the run.
   */
  headers(headers: Record<string, string | string[]>): Record<string, string | string[]> {
    const out: Record<string, string | string[]> = {};
    for (const name in headers) {
      if (!Object.hasOwn(headers, name)) continue;
      const value = headers[name]!;
      const masked = isSecretHeaderName(name)
        ? MASK
        : Array.isArray(value)
          ? value.map((v) => this.text(v))
          : this.text(value);
      setOwn(out, name, masked);
    }
    return out;
  }

  /**
   * The value with every secret occurrence in strings (values and keys) replaced. A value that holds no
   * secret is returned as it is (no copy): records share response data with the run, read-only.
   */
  value(value: unknown, jsonText?: string): unknown {
    const search = this.compiled();
    if (search === undefined) return value;
    if (jsonText !== undefined && search.jsonSearchable && !jsonText.includes('\\')) {
      // The JSON text the value was parsed from (or serialized to), without a single escape: every key
      // and string of the value appears in it verbatim, so a text without a secret means a value without.
      search.pattern.lastIndex = 0;
      if (!search.pattern.test(jsonText)) return value;
    }
    if (!this.contains(value, 0, search)) return value;
    return this.copy(value, 0);
  }

  private contains(value: unknown, depth: number, search: SecretSearch): boolean {
    if (
      depth === 0 &&
      search.jsonSearchable &&
      value !== null &&
      typeof value === 'object' &&
      !(value instanceof Uint8Array)
    ) {
      // A small value (outputs, most request payloads) is walked; a big one (a response body) is
      // serialized once and scanned once, cheaper than a walk when the common answer is "no secret".
      const small = this.containsSmall(value, search, { left: SMALL_VALUE_NODES });
      if (small !== undefined) return small;
      let text: string | undefined;
      try {
        text = JSON.stringify(value);
      } catch {
        text = undefined; // cycles or BigInt: fall back to the walk
      }
      if (text !== undefined) {
        search.pattern.lastIndex = 0;
        return search.pattern.test(text);
      }
    }
    const pattern = search.pattern;
    if (typeof value === 'string') {
      pattern.lastIndex = 0;
      return value.length >= MIN_SECRET_LENGTH && pattern.test(value);
    }
    if (value === null || typeof value !== 'object' || depth > 256 || value instanceof Uint8Array)
      return false;
    if (Array.isArray(value)) return value.some((v) => this.contains(v, depth + 1, search));
    for (const [k, v] of Object.entries(value)) {
      if (this.contains(k, depth + 1, search) || this.contains(v, depth + 1, search)) return true;
    }
    return false;
  }

  /** Whether a value holds a secret, or undefined once it proves to have more than `budget.left` nodes. */
  private containsSmall(value: unknown, search: SecretSearch, budget: { left: number }): boolean | undefined {
    if (--budget.left < 0) return undefined;
    if (typeof value === 'string') {
      if (value.length < MIN_SECRET_LENGTH) return false;
      search.pattern.lastIndex = 0;
      return search.pattern.test(value);
    }
    if (value === null || typeof value !== 'object' || value instanceof Uint8Array) return false;
    if (Array.isArray(value)) {
      for (const item of value) {
        const found = this.containsSmall(item, search, budget);
        if (found !== false) return found;
      }
      return false;
    }
    for (const key in value) {
      if (!Object.hasOwn(value, key)) continue;
      const inKey = this.containsSmall(key, search, budget);
      if (inKey !== false) return inKey;
      const inValue = this.containsSmall((value as Record<string, unknown>)[key], search, budget);
      if (inValue !== false) return inValue;
    }
    return false;
  }

  private copy(value: unknown, depth: number): unknown {
    if (typeof value === 'string') return this.text(value);
    if (value === null || typeof value !== 'object' || depth > 256) return value;
    if (value instanceof Uint8Array) return value;
    if (Array.isArray(value)) return value.map((v) => this.copy(v, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      setOwn(out, this.text(k), this.copy(v, depth + 1));
    }
    return out;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
