/** The one cache shape of the package: values derived from document text, options or secrets, bounded. */

/** The class of the errors a parse cache keeps (getOrParse). */
type ErrorClass<E> = abstract new (...args: never[]) => E;

/**
 * A Map bounded in size: adding an entry to a full cache evicts the oldest one (documents reuse a small
 * set of strings, so the oldest entries are the coldest). With `forgetAfterMs`, every entry is dropped
 * at most that long after it was added, for caches that hold secrets; the cache fills again on use.
 *
 * @example const parsed = new BoundedCache<string, Ast>(2048); parsed.get(src) ?? parsed.set(src, parse(src))
 */
export class BoundedCache<K, V> {
  private readonly entries = new Map<K, V>();
  private forgetting: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly limit: number,
    private readonly forgetAfterMs?: number,
  ) {}

  get(key: K): V | undefined {
    return this.entries.get(key);
  }

  /** Remember `value` under `key` (callers set on a miss) and return it. */
  set(key: K, value: V): V {
    if (this.entries.size >= this.limit) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, value);
    if (this.forgetAfterMs !== undefined && this.forgetting === undefined) {
      this.forgetting = setTimeout(() => {
        this.forgetting = undefined;
        this.entries.clear();
      }, this.forgetAfterMs);
      // Never keeps a process alive.
      this.forgetting.unref?.();
    }
    return value;
  }

  /**
   * The value `parse(key)` gives, parsed once per key. A parse that throws a `failure` (a syntax error:
   * the same text always fails the same way) caches the error, which is rethrown on every call for the
   * key; any other error is a bug and propagates uncached. Pass a module-level `parse`, so a call makes
   * no closure.
   * @example const ast = expressions.getOrParse(src, parseWhole, ExpressionSyntaxError)
   */
  getOrParse<T extends V, E extends V>(key: K, parse: (key: K) => T, failure: ErrorClass<E>): T {
    const hit = this.getOrFailure(key, parse, failure);
    if (hit instanceof failure) throw hit;
    return hit as T;
  }

  /** Like getOrParse, but a cached `failure` is returned instead of thrown. */
  getOrFailure<T extends V, E extends V>(key: K, parse: (key: K) => T, failure: ErrorClass<E>): T | E {
    let hit = this.entries.get(key);
    if (hit === undefined) {
      try {
        hit = parse(key);
      } catch (err) {
        if (!(err instanceof failure)) throw err;
        hit = err;
      }
      this.set(key, hit);
    }
    return hit as T | E;
  }

  get size(): number {
    return this.entries.size;
  }
}
