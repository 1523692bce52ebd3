/** Own-property writes for data: the one rule the whole package follows for keys that come from documents. */

/**
 * Set `key` on `target` as an own, enumerable, writable data property. Plain assignment, except for the
 * key `__proto__`, whose assignment would replace the prototype instead of adding a member: data stays data.
 *
 * @example setOwn(out, '__proto__', { x: 1 }); Object.hasOwn(out, '__proto__') // true
 */
export function setOwn(target: object, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    (target as Record<string, unknown>)[key] = value;
  }
}

/**
 * A plain data object (not null, not an array): the one object guard for document data.
 * @example isRecord({ a: 1 }) // true; isRecord([1]) // false
 */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
