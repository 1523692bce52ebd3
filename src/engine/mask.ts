/**
 * Secret masking for everything a run reports (records, events, errors). Masking is applied when a
 * value leaves the engine, never to the data the run itself uses.
 */
import { MIN_SECRET_LENGTH, secretForms } from '../http/mask.js';

export const MASK = '***';

/** Header names whose values are credentials whatever their content. */
const SECRET_HEADER =
  /^(authorization|proxy-authorization|cookie|set-cookie|x-api-key|api-key|apikey|x-auth-token|x-access-token|x-csrf-token)$|(token|secret|password|api[-_]?key)/i;

/** Input names that are treated as secrets (besides `format: password` / `writeOnly` in the schema). */
const SECRET_NAME =
  /(key$|api[-_]?key|token|secret|passw|pwd|passphrase|credential|cookie|session|bearer|^auth$|authorization)/i;

export function isSecretHeaderName(name: string): boolean {
  return SECRET_HEADER.test(name);
}

export function isSecretInputName(name: string): boolean {
  return SECRET_NAME.test(name);
}

export class Masker {
  private readonly secrets = new Set<string>();
  private ordered: string[] = [];
  private pattern: RegExp | undefined;
  private jsonSearchable = true;

  add(value: unknown): void {
    if (typeof value !== 'string' && typeof value !== 'number') return;
    const text = String(value);
    if (text.length < MIN_SECRET_LENGTH || this.secrets.has(text)) return;
    for (const form of secretForms(text)) this.secrets.add(form);
    this.ordered = [...this.secrets].sort((a, b) => b.length - a.length);
    // A secret JSON.stringify writes unchanged can be searched for in a value's JSON text at once.
    this.jsonSearchable = this.ordered.every((secret) => JSON.stringify(secret) === `"${secret}"`);
    this.pattern = new RegExp(this.ordered.map(escapeRegExp).join('|'), 'g');
  }

  get size(): number {
    return this.secrets.size;
  }

  list(): string[] {
    return [...this.ordered];
  }

  text(value: string): string {
    if (this.pattern === undefined || value.length < MIN_SECRET_LENGTH) return value;
    this.pattern.lastIndex = 0;
    return value.replace(this.pattern, MASK);
  }

  headers(headers: Record<string, string | string[]>): Record<string, string | string[]> {
    const out: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(headers)) {
      if (isSecretHeaderName(name)) out[name] = MASK;
      else out[name] = Array.isArray(value) ? value.map((v) => this.text(v)) : this.text(value);
    }
    return out;
  }

  /**
   * The value with every secret occurrence in strings (values and keys) replaced. A value that holds no
   * secret is returned as it is (no copy): records share response data with the run, read-only.
   */
  value(value: unknown): unknown {
    if (this.pattern === undefined || !this.contains(value, 0)) return value;
    return this.copy(value, 0);
  }

  private contains(value: unknown, depth: number): boolean {
    if (
      depth === 0 &&
      this.jsonSearchable &&
      value !== null &&
      typeof value === 'object' &&
      !(value instanceof Uint8Array)
    ) {
      // One native serialization and one scan instead of a walk: the common case is a body with no secret.
      let text: string | undefined;
      try {
        text = JSON.stringify(value);
      } catch {
        text = undefined; // cycles or BigInt: fall back to the walk
      }
      if (text !== undefined) {
        this.pattern!.lastIndex = 0;
        return this.pattern!.test(text);
      }
    }
    const pattern = this.pattern!;
    if (typeof value === 'string') {
      pattern.lastIndex = 0;
      return value.length >= MIN_SECRET_LENGTH && pattern.test(value);
    }
    if (value === null || typeof value !== 'object' || depth > 256 || value instanceof Uint8Array)
      return false;
    if (Array.isArray(value)) return value.some((v) => this.contains(v, depth + 1));
    for (const [k, v] of Object.entries(value)) {
      if (this.contains(k, depth + 1) || this.contains(v, depth + 1)) return true;
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
      Object.defineProperty(out, this.text(k), {
        value: this.copy(v, depth + 1),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
