/**
 * Secret masking for everything a run reports (records, events, errors). Masking is applied when a
 * value leaves the engine, never to the data the run itself uses.
 */

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

/** Minimum length of a value masked wherever it appears in text; shorter values are masked only by field. */
const MIN_FREE_TEXT_SECRET = 4;

export class Masker {
  private readonly secrets = new Set<string>();
  private ordered: string[] = [];
  private pattern: RegExp | undefined;

  add(value: unknown): void {
    if (typeof value !== 'string' && typeof value !== 'number') return;
    const text = String(value);
    if (text.length < MIN_FREE_TEXT_SECRET || this.secrets.has(text)) return;
    this.secrets.add(text);
    for (const variant of [encodeURIComponent(text), Buffer.from(text).toString('base64')]) {
      if (variant !== text && variant.length >= MIN_FREE_TEXT_SECRET) this.secrets.add(variant);
    }
    this.ordered = [...this.secrets].sort((a, b) => b.length - a.length);
    this.pattern = new RegExp(this.ordered.map(escapeRegExp).join('|'), 'g');
  }

  get size(): number {
    return this.secrets.size;
  }

  list(): string[] {
    return [...this.ordered];
  }

  text(value: string): string {
    if (this.pattern === undefined || value.length < MIN_FREE_TEXT_SECRET) return value;
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

  /** Deep copy with every secret occurrence in strings (values and keys) replaced. */
  value(value: unknown, depth = 0): unknown {
    if (typeof value === 'string') return this.text(value);
    if (value === null || typeof value !== 'object' || depth > 64) return value;
    if (value instanceof Uint8Array) return value;
    if (Array.isArray(value)) return value.map((v) => this.value(v, depth + 1));
    if (this.pattern === undefined && depth > 0) return value;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      Object.defineProperty(out, this.text(k), {
        value: this.value(v, depth + 1),
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
