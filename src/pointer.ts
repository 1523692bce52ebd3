/**
 * JSON Pointer (RFC 6901) and its URI fragment form (RFC 6901 section 6, RFC 3986 section 3.5): the one
 * home for parsing, building and reading pointers. Reads see own properties only.
 */

/** `~` not followed by `0` or `1`: the only malformed escape (RFC 6901 section 3). */
const BAD_ESCAPE = /~(?![01])/;
/** An array index (RFC 6901 section 4): `0` or digits without a leading zero; `-` is not one. */
const ARRAY_INDEX = /^(0|[1-9][0-9]*)$/;
/** Characters a URI fragment cannot hold as they are (RFC 3986 section 3.5), and `%` itself. */
const FRAGMENT_UNSAFE = /[%#\s"<>\\^`{|}]/g;

/**
 * Escape one reference token: `~` -> `~0`, then `/` -> `~1`. Array indexes may be numbers.
 * @example escapePointerToken('a/b~c') // 'a~1b~0c'
 */
export function escapePointerToken(token: string | number): string {
  const t = String(token);
  return t.includes('~') || t.includes('/') ? t.replaceAll('~', '~0').replaceAll('/', '~1') : t;
}

/**
 * Unescape one reference token: `~1` -> `/`, then `~0` -> `~` (so `~01` is `~1`). The token must be
 * well-formed (parsePointer checks that).
 * @example unescapePointerToken('a~1b~0c') // 'a/b~c'
 */
export function unescapePointerToken(token: string): string {
  return token.includes('~') ? token.replaceAll('~1', '/').replaceAll('~0', '~') : token;
}

/**
 * The unescaped reference tokens of a JSON Pointer: `''` (the whole document) gives `[]`. Undefined
 * when `pointer` is not one (it does not start with `/`, or a `~` is not followed by `0` or `1`).
 * @example parsePointer('/paths/~1pets/get') // ['paths', '/pets', 'get']
 */
export function parsePointer(pointer: string): string[] | undefined {
  if (pointer === '') return [];
  if (pointer.charCodeAt(0) !== 47) return undefined;
  const tokens = pointer.slice(1).split('/');
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as string;
    if (!t.includes('~')) continue;
    if (BAD_ESCAPE.test(t)) return undefined;
    tokens[i] = unescapePointerToken(t);
  }
  return tokens;
}

/**
 * The tokens of a same-document reference in URI fragment form (`#/components/inputs/a%20b`): the
 * fragment is percent-decoded first (RFC 6901 section 6), then parsed. Undefined when `ref` does not
 * start with `#`, its percent-encoding is malformed, or the decoded text is not a JSON Pointer.
 * @example parseFragmentPointer('#/components/inputs/a~1b%20c') // ['components', 'inputs', 'a/b c']
 */
export function parseFragmentPointer(ref: string): string[] | undefined {
  if (ref.charCodeAt(0) !== 35) return undefined;
  const decoded = decodeFragment(ref.slice(1));
  return decoded === undefined ? undefined : parsePointer(decoded);
}

function decodeFragment(fragment: string): string | undefined {
  if (!fragment.includes('%')) return fragment;
  try {
    return decodeURIComponent(fragment);
  } catch {
    return undefined;
  }
}

/**
 * Why `text` (a JSON Pointer, or a `#` fragment) is not a JSON Pointer, for a message after
 * parsePointer or parseFragmentPointer said undefined; undefined when it is one.
 * @example pointerProblem('/a~2b') // 'bad escape in "a~2b" ("~" must be followed by 0 or 1)'
 */
export function pointerProblem(text: string): string | undefined {
  const pointer = text.charCodeAt(0) === 35 ? decodeFragment(text.slice(1)) : text;
  if (pointer === undefined) return 'its percent-encoding is malformed';
  if (pointer !== '' && pointer.charCodeAt(0) !== 47) return 'it must start with "/"';
  const bad = pointer.split('/').find((t) => BAD_ESCAPE.test(t));
  return bad === undefined ? undefined : `bad escape in "${bad}" ("~" must be followed by 0 or 1)`;
}

/**
 * The JSON Pointer of a list of unescaped tokens; `[]` gives `''`.
 * @example formatPointer(['paths', '/pets', 0]) // '/paths/~1pets/0'
 */
export function formatPointer(tokens: ReadonlyArray<string | number>): string {
  let out = '';
  for (const t of tokens) out += `/${escapePointerToken(t)}`;
  return out;
}

/**
 * `pointer` extended by unescaped tokens.
 * @example childPointer('/workflows/0', 'steps', 2) // '/workflows/0/steps/2'
 */
export function childPointer(pointer: string, ...tokens: Array<string | number>): string {
  return pointer + formatPointer(tokens);
}

/**
 * A JSON Pointer in URI fragment form, `#` included: the characters a fragment cannot hold, and `%`,
 * are percent-encoded (parseFragmentPointer reverses it).
 * @example pointerFragment('/components/a b') // '#/components/a%20b'
 */
export function pointerFragment(pointer: string): string {
  return `#${pointer.replace(FRAGMENT_UNSAFE, (c) => encodeURIComponent(c))}`;
}

/**
 * Whether `token` names an array element for reading (RFC 6901 section 4): no leading zeros, no sign;
 * `-` (the element after the last) is not one.
 */
export function isArrayIndex(token: string): boolean {
  return ARRAY_INDEX.test(token);
}

/**
 * The value at a JSON Pointer (a string, or its parsed tokens) inside plain data, or undefined. Only
 * own properties are seen, so `__proto__`, `constructor` and other inherited members never resolve;
 * arrays are indexed per isArrayIndex.
 * @example readPointer({ a: [{ b: 1 }] }, '/a/0/b') // 1
 */
export function readPointer(root: unknown, pointer: string | readonly string[]): unknown {
  const tokens = typeof pointer === 'string' ? parsePointer(pointer) : pointer;
  if (tokens === undefined) return undefined;
  let node = root;
  for (const t of tokens) {
    if (Array.isArray(node)) {
      if (!ARRAY_INDEX.test(t)) return undefined;
      node = node[Number(t)];
    } else if (typeof node === 'object' && node !== null && Object.hasOwn(node, t)) {
      node = (node as Record<string, unknown>)[t];
    } else {
      return undefined;
    }
  }
  return node;
}
