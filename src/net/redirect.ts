/** Redirects followed by hand (RFC 9110 section 15.4): which answers redirect, and what the next hop sends. */
import { isDeclaredSecretHeader, looksLikeCredential, maskSecrets } from '../secrets/index.js';
import { headerValue } from './body.js';
import { NetFailure } from './failure.js';
import { maskUrl } from './target.js';

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** What a hop sends, changed by each redirect followed; `sendFollowing` (net/request.ts) updates it. */
export interface Hop {
  url: string;
  method: string;
  headers: Record<string, string>;
  /** Whether `headers` is ours to change (else it is the caller's, copied before a redirect changes it). */
  ownHeaders: boolean;
  body: string | Uint8Array | undefined;
  /** The URLs redirected to, in order; undefined until the first redirect. */
  redirects: string[] | undefined;
  /** `METHOD url` of every hop so far, to refuse a loop; undefined until the first redirect. */
  visited: Set<string> | undefined;
}

/** How the redirects of one request are followed. */
export interface RedirectRules {
  /** Hops followed at most; 0 returns the redirect itself as the response. */
  readonly maxRedirects: number;
  /**
   * A hop to another origin: `refuse` (CROSS_ORIGIN_REDIRECT), `strip-credentials` (followed without
   * credential headers and query parameters), `follow` (as it is: nothing secret is sent).
   */
  readonly crossOrigin: 'refuse' | 'strip-credentials' | 'follow';
  /** Values masked in messages and dropped on a cross-origin hop. */
  readonly secrets: readonly string[];
}

/** The Location to follow when the response is a redirect and the rules follow redirects at all. */
export function redirectLocation(
  res: { statusCode: number; headers: Record<string, string | string[] | undefined> },
  maxRedirects: number,
): string | undefined {
  const location = headerValue(res.headers.location);
  return REDIRECT_STATUSES.has(res.statusCode) && location !== undefined && maxRedirects > 0
    ? location
    : undefined;
}

/**
 * Move `hop` to the redirect's target: same origin unless the rules allow another (then credentials are
 * dropped if they say so), a method change drops the body, a loop or one hop too many is refused.
 * Throws NetFailure; `hop` is changed only when the redirect is followed.
 */
export function followRedirect(hop: Hop & RedirectRules, statusCode: number, location: string): void {
  const current = new URL(hop.url);
  const next = resolveLocation(location, current);
  if ((hop.redirects?.length ?? 0) >= hop.maxRedirects) {
    throw new NetFailure('TOO_MANY_REDIRECTS', `more than ${hop.maxRedirects} redirects`);
  }
  if (next.protocol !== 'http:' && next.protocol !== 'https:') {
    throw new NetFailure('OTHER', `redirect to a non-HTTP URL (${next.protocol})`);
  }
  const method = redirectMethod(statusCode, hop.method);
  hop.visited ??= new Set<string>([`${hop.method} ${hop.url}`]);
  if (!hop.ownHeaders) {
    hop.headers = { ...hop.headers };
    hop.ownHeaders = true;
  }
  if (method !== hop.method) dropBody(hop);
  if (next.origin !== current.origin) crossOrigin(hop, next);
  const visit = `${method} ${next.href}`;
  if (hop.visited.has(visit)) {
    throw new NetFailure('REDIRECT_LOOP', `redirect loop back to ${maskUrl(next.href, hop.secrets)}`);
  }
  hop.visited.add(visit);
  hop.redirects ??= [];
  hop.redirects.push(next.href);
  hop.method = method;
  hop.url = next.href;
}

function resolveLocation(location: string, current: URL): URL {
  try {
    return new URL(location, current);
  } catch (cause) {
    throw new NetFailure('OTHER', `redirect to an invalid Location "${location}"`, { cause });
  }
}

/** 303 turns anything but HEAD into GET; 301 and 302 turn POST into GET (as browsers do). */
function redirectMethod(statusCode: number, method: string): string {
  return (statusCode === 303 && method !== 'HEAD') ||
    ((statusCode === 301 || statusCode === 302) && method === 'POST')
    ? 'GET'
    : method;
}

/** A hop that changes the method sends no body, and no header describing one. */
function dropBody(hop: Hop): void {
  hop.body = undefined;
  for (const name of Object.keys(hop.headers)) {
    if (/^content-(type|length|encoding|language|location)$/i.test(name)) delete hop.headers[name];
  }
}

function crossOrigin(hop: Hop & RedirectRules, next: URL): void {
  if (hop.crossOrigin === 'refuse') {
    throw new NetFailure(
      'CROSS_ORIGIN_REDIRECT',
      `redirect to another origin (${maskUrl(next.origin, hop.secrets)}) refused; allow it with allowCrossOriginRedirects`,
    );
  }
  if (hop.crossOrigin === 'strip-credentials') stripCredentials(hop.headers, next, hop.secrets);
}

function containsSecret(text: string, secrets: readonly string[]): boolean {
  return maskSecrets(text, secrets) !== text;
}

/**
 * Cross-origin hop: drop credential headers (by name or because they carry a secret) and query parameters
 * with credential names or secret values.
 */
function stripCredentials(headers: Record<string, string>, next: URL, secrets: readonly string[]): void {
  for (const [name, value] of Object.entries(headers)) {
    if (isDeclaredSecretHeader(name) || looksLikeCredential(name) || containsSecret(value, secrets))
      delete headers[name];
  }
  const kept = [...next.searchParams].filter(
    ([k, v]) => !looksLikeCredential(k) && !containsSecret(v, secrets) && !containsSecret(k, secrets),
  );
  if (kept.length !== [...next.searchParams].length) {
    next.search = new URLSearchParams(kept).toString();
  }
}
