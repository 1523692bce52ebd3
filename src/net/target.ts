/** Where a request goes: the origin and path undici is given for a URL, and URLs as messages show them. */
import { maskerFor } from '../secrets/index.js';
import { NetFailure } from './failure.js';

/** A URL with every secret (and its encoded forms) replaced by `***`: the only form put in messages. */
export function maskUrl(url: string, secrets: readonly string[]): string {
  const masker = maskerFor(secrets);
  return masker.text(masker.url(url));
}

/** The origin and path for an http(s) URL: split by hand when plain, else parsed. Throws NetFailure. */
export function requestTarget(url: string): { origin: string; path: string } {
  const target = plainHttpTarget(url);
  if (target !== undefined) return target;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (cause) {
    throw new NetFailure('OTHER', 'not a valid absolute URL', { cause });
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new NetFailure('OTHER', `unsupported protocol ${parsed.protocol}`);
  }
  return { origin: parsed.origin, path: `${parsed.pathname}${parsed.search}` };
}

/**
 * Characters a path (1) or a query (1 or 2) may hold for WHATWG URL parsing to leave them as they are:
 * unreserved, sub-delimiters except `'`, `:`, `@`, `%` and `/`; a query also `?`.
 */
const URL_CHARS = new Uint8Array(128);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&()*+,;=:@%/') {
  URL_CHARS[c.charCodeAt(0)] = 1;
}
URL_CHARS['?'.charCodeAt(0)] = 2;

/** `text[start, end)` is four dot-separated decimal octets, 0-255, without leading zeros. */
function isCanonicalIpv4(text: string, start: number, end: number): boolean {
  let octets = 0;
  let value = 0;
  let digits = 0;
  for (let i = start; i <= end; i++) {
    const c = i < end ? text.charCodeAt(i) : 46;
    if (c === 46) {
      if (digits === 0 || value > 255) return false;
      octets++;
      value = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57) {
      if (digits === 1 && value === 0) return false;
      value = value * 10 + (c - 48);
      digits++;
      if (digits > 3) return false;
    } else {
      return false;
    }
  }
  return octets === 4;
}

const isLowerAlnum = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 48 && c <= 57);

/**
 * The origin and path undici is given for a URL, without a WHATWG URL parse when the string is already
 * in the form parsing would give (the usual case: a parse allocates an object and half a dozen strings
 * per request): a lower-case http(s) scheme, a lower-case host name or canonical dotted IPv4, no default
 * or zero-padded port, a path and query of characters parsing leaves alone, no dot segments (also
 * percent-encoded), no fragment, no user info. Anything else returns undefined and is parsed. Never
 * changes what is sent; differential test: test/http/url-target.test.ts.
 */
export function plainHttpTarget(url: string): { origin: string; path: string } | undefined {
  let i: number;
  let defaultPort: number;
  if (url.startsWith('http://')) {
    i = 7;
    defaultPort = 80;
  } else if (url.startsWith('https://')) {
    i = 8;
    defaultPort = 443;
  } else {
    return undefined;
  }
  const n = url.length;
  // Host: labels of [a-z0-9-], each starting and ending with [a-z0-9], separated by single dots.
  const hostStart = i;
  let labelStart = i;
  let lastLabelNumeric = true;
  for (; i < n; i++) {
    const c = url.charCodeAt(i);
    if (c === 46 /* . */) {
      if (i === labelStart || url.charCodeAt(i - 1) === 45) return undefined;
      labelStart = i + 1;
      lastLabelNumeric = true;
      continue;
    }
    if (c === 58 /* : */ || c === 47 /* / */ || c === 63 /* ? */) break;
    if (c === 45 /* - */) {
      if (i === labelStart) return undefined;
    } else if (!isLowerAlnum(c)) {
      return undefined;
    }
    if (c < 48 || c > 57) lastLabelNumeric = false;
  }
  if (i === labelStart || url.charCodeAt(i - 1) === 45) return undefined;
  const hostEnd = i;
  // Punycode labels are validated (and may be refused) by URL parsing.
  const punycode = url.indexOf('xn--', hostStart);
  if (punycode >= 0 && punycode < hostEnd) return undefined;
  // A host ending in a numeric or hex-looking label is an IPv4 address to URL parsing (127.1, 0x7f.1,
  // 010.0.0.1 are rewritten): only the canonical dotted form passes as it is.
  const hexLooking = url.charCodeAt(labelStart) === 48 && url.charCodeAt(labelStart + 1) === 120;
  if ((lastLabelNumeric || hexLooking) && !isCanonicalIpv4(url, hostStart, hostEnd)) return undefined;
  let originEnd = i;
  if (i < n && url.charCodeAt(i) === 58) {
    const portStart = ++i;
    for (; i < n; i++) {
      const c = url.charCodeAt(i);
      if (c < 48 || c > 57) break;
    }
    const digits = i - portStart;
    if (digits === 0 || digits > 5 || url.charCodeAt(portStart) === 48) return undefined;
    const port = Number(url.slice(portStart, i));
    if (port > 65535 || port === defaultPort) return undefined;
    originEnd = i;
  }
  if (i < n && url.charCodeAt(i) !== 47 && url.charCodeAt(i) !== 63) return undefined;
  // Path, then query: allowed characters only; no dot segment in the path.
  const pathStart = i;
  let queryStart = -1;
  for (; i < n; i++) {
    const c = url.charCodeAt(i);
    const kind = c < 128 ? URL_CHARS[c] : 0;
    if (kind === 0) return undefined;
    if (queryStart >= 0) continue;
    if (kind === 2) {
      queryStart = i;
      continue;
    }
    if (c === 46 /* . */ && url.charCodeAt(i - 1) === 47) return undefined;
    if (c === 37 /* % */ && url.charCodeAt(i + 1) === 50 && (url.charCodeAt(i + 2) | 32) === 101)
      return undefined;
  }
  const pathEnd = queryStart >= 0 ? queryStart : n;
  const path = pathEnd > pathStart ? url.slice(pathStart, pathEnd) : '/';
  const query = queryStart >= 0 && n - queryStart > 1 ? url.slice(queryStart) : '';
  return { origin: url.slice(0, originEnd), path: query === '' ? path : `${path}${query}` };
}
