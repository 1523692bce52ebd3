/** Snapshot of the built-in prototypes and the global object, to prove nothing was added or changed. */

function describeObject(target: object): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Reflect.ownKeys(target)) {
    const d = Object.getOwnPropertyDescriptor(target, key);
    const name = typeof key === 'symbol' ? key.toString() : key;
    if (d === undefined) continue;
    const kind = 'value' in d ? typeof d.value : 'accessor';
    out[name] = `${kind}${d.writable ? ' w' : ''}${d.enumerable ? ' e' : ''}${d.configurable ? ' c' : ''}`;
  }
  return out;
}

export interface PrototypeSnapshot {
  object: Record<string, string>;
  array: Record<string, string>;
  function: Record<string, string>;
  string: Record<string, string>;
  globals: string[];
  /** Whether a fresh object literal sees any inherited enumerable key (a polluted prototype would add one). */
  inherited: string[];
}

export function prototypeSnapshot(): PrototypeSnapshot {
  const inherited: string[] = [];
  for (const k in {}) inherited.push(k);
  return {
    object: describeObject(Object.prototype),
    array: describeObject(Array.prototype),
    function: describeObject(Function.prototype),
    string: describeObject(String.prototype),
    globals: Reflect.ownKeys(globalThis)
      .map(String)
      .filter((k) => !IGNORED_GLOBALS.has(k))
      .sort(),
    inherited,
  };
}

/** Globals a test runner or Node itself may add lazily while tests run (not the code under test). */
const IGNORED_GLOBALS = new Set(['__vitest_worker__', '__vitest_index__', '__VITEST_RESULT__']);
