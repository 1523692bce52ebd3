/**
 * The one masker: what a record, event, error message or report shows in place of a secret. Masking
 * is applied to what is displayed, never to the data a run uses or returns (`RunResult.outputs`).
 */
import { BoundedCache } from '../cache.js';
import { setOwn } from '../own.js';
import { MIN_EMBEDDED_SECRET_LENGTH, MIN_SECRET_LENGTH, secretForms } from './forms.js';
import { looksLikeCredential } from './names.js';

export const MASK = '***';

/** The compiled search for one set of secret forms. */
interface SecretSearch {
  /** Every form, longest first. */
  ordered: string[];
  /** A string value equal to one of these is a secret, whatever its length. */
  exact: ReadonlySet<string>;
  /** Every form: a text without a match holds no secret, as a value or inside one. */
  any: RegExp;
  /** Forms free text masks wherever they occur. */
  inText: RegExp | undefined;
  /** Forms a string value masks inside a longer string. */
  embedded: RegExp | undefined;
  /** Every form is written unchanged by JSON.stringify, so a value's JSON text can be searched at once. */
  jsonSearchable: boolean;
}

/**
 * Searches by secret set, shared by every run: a service that runs the same workflow with the same key
 * thousands of times compiles its patterns once. Patterns are only used synchronously (lastIndex is
 * reset before each use), so sharing them is safe. The cache holds secrets: it forgets them 30 s after use.
 */
const searches = new BoundedCache<string, SecretSearch>(64, 30_000);

function searchFor(forms: ReadonlySet<string>): SecretSearch {
  const ordered = [...forms].sort((a, b) => b.length - a.length || (a < b ? -1 : a > b ? 1 : 0));
  const key = ordered.join('\u0000');
  return (
    searches.get(key) ??
    searches.set(key, {
      ordered,
      exact: new Set(ordered),
      any: alternation(ordered) as RegExp,
      inText: alternation(ordered.filter((f) => f.length >= MIN_SECRET_LENGTH)),
      embedded: alternation(ordered.filter((f) => f.length >= MIN_EMBEDDED_SECRET_LENGTH)),
      jsonSearchable: ordered.every((secret) => JSON.stringify(secret) === `"${secret}"`),
    })
  );
}

function alternation(forms: readonly string[]): RegExp | undefined {
  return forms.length === 0 ? undefined : new RegExp(forms.map(escapeRegExp).join('|'), 'g');
}

/** Values with at most this many nodes are walked rather than serialized to be searched for secrets. */
const SMALL_VALUE_NODES = 32;

/**
 * The declared secrets of a run (or of a CLI invocation) and how they are shown. Strings are masked;
 * keys and numbers never are: masking must not change the shape of what is reported.
 *
 * @example const m = new Masker(); m.add('sk_live_1234'); m.value({ key: 'sk_live_1234', n: 1 }) // { key: '***', n: 1 }
 */
export class Masker {
  private readonly declared = new Set<string>();
  private readonly forms = new Set<string>();
  /** Compiled on first use after a change (a step may add several secrets before anything is masked). */
  private search: SecretSearch | undefined;
  private dirty = false;

  /** Declare a value secret (a number is declared by its decimal text). */
  add(value: unknown): void {
    if (typeof value !== 'string' && typeof value !== 'number') return;
    const text = String(value);
    if (text.length === 0 || this.declared.has(text)) return;
    this.declared.add(text);
    for (const form of secretForms(text)) this.forms.add(form);
    this.dirty = true;
  }

  private compiled(): SecretSearch | undefined {
    if (this.dirty) {
      this.search = searchFor(this.forms);
      this.dirty = false;
    }
    return this.search;
  }

  /** How many secrets were declared. */
  get size(): number {
    return this.declared.size;
  }

  /** The declared secrets, as added (to pass on to another masker or run). */
  list(): string[] {
    return [...this.declared].sort();
  }

  /** Free text (a message, a warning): every secret form of at least MIN_SECRET_LENGTH characters replaced. */
  text(value: string): string {
    const search = this.compiled();
    if (search === undefined) return value;
    if (search.inText === undefined || value.length < MIN_SECRET_LENGTH) return value;
    search.inText.lastIndex = 0;
    return value.replace(search.inText, MASK);
  }

  /**
   * A copy of the headers with credential headers (by name) and secret values masked. Always a copy: a
   * transport may still add headers to the request it sends (signing), and an event listener may edit
   * what it is given; neither may reach the record or the run.
   */
  headers(headers: Record<string, string | string[]>): Record<string, string | string[]> {
    const search = this.compiled();
    const out: Record<string, string | string[]> = {};
    for (const name in headers) {
      if (!Object.hasOwn(headers, name)) continue;
      const value = headers[name]!;
      // The credential-like names include Authorization, Proxy-Authorization and Cookie.
      const masked = looksLikeCredential(name)
        ? MASK
        : search === undefined
          ? value
          : Array.isArray(value)
            ? value.map((v) => maskString(v, search))
            : maskString(value, search);
      setOwn(out, name, masked);
    }
    return out;
  }

  /**
   * A URL for display: query values whose name looks like a credential or whose value is a secret, and
   * path segments that are secrets, become `***`.
   */
  url(url: string): string {
    const search = this.compiled();
    const hashAt = url.indexOf('#');
    const main = hashAt < 0 ? url : url.slice(0, hashAt);
    const fragment = hashAt < 0 ? '' : url.slice(hashAt);
    const queryAt = main.indexOf('?');
    const path = queryAt < 0 ? main : main.slice(0, queryAt);
    const isSecret = (part: string): boolean =>
      search !== undefined && (search.exact.has(part) || search.exact.has(decodeForm(part)));
    let out =
      search === undefined
        ? path
        : path
            .split('/')
            .map((s) => (isSecret(s) ? MASK : s))
            .join('/');
    if (queryAt >= 0) {
      const pairs = main.slice(queryAt + 1).split('&');
      out += `?${pairs
        .map((pair) => {
          const eq = pair.indexOf('=');
          if (eq < 0) return pair;
          const name = pair.slice(0, eq);
          return looksLikeCredential(decodeForm(name)) || isSecret(pair.slice(eq + 1))
            ? `${name}=${MASK}`
            : pair;
        })
        .join('&')}`;
    }
    out += fragment;
    if (search?.embedded === undefined) return out;
    search.embedded.lastIndex = 0;
    return out.replace(search.embedded, MASK);
  }

  /**
   * The value with every string that is a secret, or holds a long one, masked; keys and numbers kept.
   * Unchanged parts are shared, and a value that holds no secret is returned as it is (no copy): records
   * share response data with the run, read-only. `jsonText` is the JSON text the value was parsed from
   * (or serialized to), searched at once instead of walking the value.
   */
  value(value: unknown, jsonText?: string): unknown {
    const search = this.compiled();
    if (search === undefined) return value;
    if (jsonText !== undefined && search.jsonSearchable && !jsonText.includes('\\')) {
      // Without a single escape, every string of the value appears in its JSON text verbatim: a text
      // without a secret form means a value without one.
      search.any.lastIndex = 0;
      if (!search.any.test(jsonText)) return value;
    } else if (
      search.jsonSearchable &&
      value !== null &&
      typeof value === 'object' &&
      !(value instanceof Uint8Array)
    ) {
      // A small value (outputs, most request payloads) is walked; a big one (a response body) is
      // serialized once and scanned once, cheaper than a walk when the common answer is "no secret".
      const small = containsSmall(value, search, { left: SMALL_VALUE_NODES });
      if (small === false) return value;
      if (small === undefined && !serializedHolds(value, search)) return value;
    }
    return copy(value, 0, search);
  }
}

/** A masker for a list of secrets (the transport's `req.secrets`); compiled patterns are shared. */
export function maskerFor(secrets: readonly string[]): Masker {
  const masker = new Masker();
  for (const secret of secrets) masker.add(secret);
  return masker;
}

/**
 * Free text with every secret, in every form, replaced by `***` (longest forms first, so a secret
 * containing another is masked whole).
 *
 * @example maskSecrets('GET /x?key=s3cret', ['s3cret']) // 'GET /x?key=***'
 */
export function maskSecrets(text: string, secrets: readonly string[]): string {
  return maskerFor(secrets).text(text);
}

function maskString(value: string, search: SecretSearch): string {
  if (search.exact.has(value)) return MASK;
  if (search.embedded === undefined || value.length < MIN_EMBEDDED_SECRET_LENGTH) return value;
  search.embedded.lastIndex = 0;
  return value.replace(search.embedded, MASK);
}

function holdsSecret(value: string, search: SecretSearch): boolean {
  if (search.exact.has(value)) return true;
  if (search.embedded === undefined || value.length < MIN_EMBEDDED_SECRET_LENGTH) return false;
  search.embedded.lastIndex = 0;
  return search.embedded.test(value);
}

/** False when the serialized value has no secret form anywhere (then no string of it holds one). */
function serializedHolds(value: object, search: SecretSearch): boolean {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch {
    return true; // cycles or BigInt: the walk decides
  }
  if (text === undefined) return true;
  search.any.lastIndex = 0;
  return search.any.test(text);
}

/** Whether a value holds a secret, or undefined once it proves to have more than `budget.left` nodes. */
function containsSmall(value: unknown, search: SecretSearch, budget: { left: number }): boolean | undefined {
  if (--budget.left < 0) return undefined;
  if (typeof value === 'string') return holdsSecret(value, search);
  if (value === null || typeof value !== 'object' || value instanceof Uint8Array) return false;
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = containsSmall(item, search, budget);
      if (found !== false) return found;
    }
    return false;
  }
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    const found = containsSmall((value as Record<string, unknown>)[key], search, budget);
    if (found !== false) return found;
  }
  return false;
}

/** The value with its strings masked; a part with nothing to mask is the same object. */
function copy(value: unknown, depth: number, search: SecretSearch): unknown {
  if (typeof value === 'string') return maskString(value, search);
  if (value === null || typeof value !== 'object' || depth > 256 || value instanceof Uint8Array) return value;
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      const masked = copy(item, depth + 1, search);
      if (out === undefined && masked !== item) out = value.slice(0, i);
      out?.push(masked);
    }
    return out ?? value;
  }
  const source = value as Record<string, unknown>;
  const keys = Object.keys(source);
  let out: Record<string, unknown> | undefined;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const item = source[key];
    const masked = copy(item, depth + 1, search);
    if (out === undefined && masked !== item) {
      out = {};
      for (let j = 0; j < i; j++) setOwn(out, keys[j]!, source[keys[j]!]);
    }
    if (out !== undefined) setOwn(out, key, masked);
  }
  return out ?? value;
}

function decodeForm(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
