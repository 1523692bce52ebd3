import type { Dispatcher } from 'undici';

/**
 * A WHATWG `fetch` that goes through `dispatcher` (mTLS, proxies, a test's MockAgent), for libraries that
 * take a custom fetch (the OAuth client). undici's fetch loads on the first call.
 */
export function fetchThrough(dispatcher: Dispatcher): (url: string, init: object) => Promise<Response> {
  return async (url, init) => {
    const { fetch } = await import('undici');
    const response = await fetch(url, { ...(init as object), dispatcher } as Parameters<typeof fetch>[1]);
    return response as unknown as Response;
  };
}
