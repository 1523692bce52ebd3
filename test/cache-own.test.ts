// The package-wide helpers every layer uses: BoundedCache (src/cache.ts) and setOwn (src/own.ts).
import { describe, expect, it, vi } from 'vitest';
import { BoundedCache } from '../src/cache.js';
import { setOwn } from '../src/own.js';

describe('BoundedCache', () => {
  it('evicts the oldest entry when full, and returns what it sets', () => {
    const cache = new BoundedCache<string, number>(2);
    expect(cache.set('a', 1)).toBe(1);
    cache.set('b', 2);
    cache.set('c', 3);
    expect([cache.get('a'), cache.get('b'), cache.get('c')]).toEqual([undefined, 2, 3]);
    expect(cache.size).toBe(2);
  });

  it('forgets every entry at most forgetAfterMs after one was added, then fills again', () => {
    vi.useFakeTimers();
    try {
      const cache = new BoundedCache<string, string>(8, 1000);
      cache.set('secret', 'forms');
      vi.advanceTimersByTime(999);
      expect(cache.get('secret')).toBe('forms');
      vi.advanceTimersByTime(1);
      expect(cache.get('secret')).toBeUndefined();
      cache.set('secret', 'again');
      vi.advanceTimersByTime(1000);
      expect(cache.size).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('BoundedCache.getOrParse: the parse, or its syntax error, cached', () => {
  class SyntaxFailure extends Error {}
  let calls = 0;
  const parse = (src: string): { n: number } => {
    calls++;
    if (src === 'bad') throw new SyntaxFailure(`cannot parse ${src}`);
    if (src === 'bug') throw new TypeError('a bug');
    return { n: src.length };
  };

  it('parses a key once and returns the same value after', () => {
    calls = 0;
    const cache = new BoundedCache<string, { n: number } | SyntaxFailure>(8);
    const first = cache.getOrParse('abc', parse, SyntaxFailure);
    expect(first).toEqual({ n: 3 });
    expect(cache.getOrParse('abc', parse, SyntaxFailure)).toBe(first);
    expect(calls).toBe(1);
  });

  it('caches a failure and rethrows the same error; getOrFailure returns it', () => {
    calls = 0;
    const cache = new BoundedCache<string, { n: number } | SyntaxFailure>(8);
    let thrown: unknown;
    try {
      cache.getOrParse('bad', parse, SyntaxFailure);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(SyntaxFailure);
    expect(() => cache.getOrParse('bad', parse, SyntaxFailure)).toThrow(thrown as Error);
    expect(cache.getOrFailure('bad', parse, SyntaxFailure)).toBe(thrown);
    expect(calls).toBe(1);
  });

  it('lets other errors through and caches nothing for them', () => {
    calls = 0;
    const cache = new BoundedCache<string, { n: number } | SyntaxFailure>(8);
    expect(() => cache.getOrParse('bug', parse, SyntaxFailure)).toThrow(TypeError);
    expect(() => cache.getOrFailure('bug', parse, SyntaxFailure)).toThrow(TypeError);
    expect(cache.size).toBe(0);
    expect(calls).toBe(2);
  });
});

describe('setOwn', () => {
  it.each<[string, unknown]>([
    ['name', 1],
    ['__proto__', { polluted: true }],
    ['constructor', 'x'],
  ])('writes %s as an own data property', (key, value) => {
    const target: Record<string, unknown> = {};
    setOwn(target, key, value);
    expect(Object.getOwnPropertyDescriptor(target, key)).toMatchObject({
      value,
      enumerable: true,
      writable: true,
    });
    expect(Object.getPrototypeOf(target)).toBe(Object.prototype);
  });
});
