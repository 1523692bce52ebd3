// The request target (origin + path) given to undici without a URL parse must equal what WHATWG URL
// parsing gives, for every string the fast path accepts.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { plainHttpTarget } from '../../src/net/index.js';

function parsed(url: string): { origin: string; path: string } | 'invalid' {
  try {
    const u = new URL(url);
    return { origin: u.origin, path: `${u.pathname}${u.search}` };
  } catch {
    return 'invalid';
  }
}

describe('plainHttpTarget', () => {
  it.each<[string, { url: string; fast: boolean }]>([
    ['loopback with port', { url: 'http://127.0.0.1:40531/api/v3/connected_accounts/ca_1', fast: true }],
    ['https host, no port', { url: 'https://backend.composio.dev/api/v3/auth_configs', fast: true }],
    ['query kept', { url: 'http://a.example/x?y=1&z=%20q', fast: true }],
    ['no path', { url: 'http://a.example', fast: true }],
    ['query without a path', { url: 'http://a.example?x=1', fast: true }],
    ['a lone ?', { url: 'http://a.example/p?', fast: true }],
    ['double slashes kept', { url: 'http://a.example//p//q', fast: true }],
    ['percent-encoded path', { url: 'http://a.example/p%2Fq/%C3%A9', fast: true }],
    ['default http port', { url: 'http://a.example:80/p', fast: false }],
    ['default https port', { url: 'https://a.example:443/p', fast: false }],
    ['zero-padded port', { url: 'http://a.example:08080/p', fast: false }],
    ['upper-case host', { url: 'http://A.example/p', fast: false }],
    ['upper-case scheme', { url: 'HTTP://a.example/p', fast: false }],
    ['short IPv4', { url: 'http://127.1/p', fast: false }],
    ['hex IPv4', { url: 'http://0x7f.0.0.1/p', fast: false }],
    ['octal-looking IPv4', { url: 'http://010.0.0.1/p', fast: false }],
    ['IPv6', { url: 'http://[::1]:8080/p', fast: false }],
    ['octet over 255', { url: 'http://256.0.0.1/p', fast: false }],
    ['zero-padded octet', { url: 'http://1.2.3.04/p', fast: false }],
    ['three octets', { url: 'http://1.2.3/p', fast: false }],
    ['zero octets', { url: 'http://0.0.0.0:8080/p', fast: true }],
    ['hex-looking last label', { url: 'http://a.0xff/p', fast: false }],
    ['name with digits and a hyphen', { url: 'http://api-2.example.com:8443/v1', fast: true }],
    ['label ending in a hyphen', { url: 'http://a-.example/p', fast: false }],
    ['dot segment', { url: 'http://a.example/a/../b', fast: false }],
    ['encoded dot segment', { url: 'http://a.example/a/%2e%2e/b', fast: false }],
    ['fragment', { url: 'http://a.example/p#f', fast: false }],
    ['user info', { url: 'http://u:p@a.example/p', fast: false }],
    ['space in path', { url: 'http://a.example/a b', fast: false }],
    ['quote in query', { url: "http://a.example/p?q='x'", fast: false }],
    ['punycode label', { url: 'http://xn--nxasmq6b.example/p', fast: false }],
    ['not http', { url: 'ftp://a.example/p', fast: false }],
  ])('%s', (_name, { url, fast }) => {
    const got = plainHttpTarget(url);
    if (!fast) {
      expect(got).toBeUndefined();
      return;
    }
    expect(got).toEqual(parsed(url));
  });

  it('agrees with URL parsing on every generated URL it accepts', () => {
    const pick = (chars: string) => fc.constantFrom(...chars.split(''));
    const text = (chars: string, max: number) =>
      fc.array(pick(chars), { maxLength: max }).map((a) => a.join(''));
    const label = fc.oneof(
      text('abz0189-', 6),
      fc.integer({ min: 0, max: 300 }).map(String),
      fc.constantFrom('0x7f', 'xn--abc', 'A', '010'),
    );
    const host = fc.array(label, { minLength: 1, maxLength: 4 }).map((l) => l.join('.'));
    const url = fc
      .tuple(
        fc.constantFrom('http', 'https', 'http', 'https', 'HTTP', 'ftp'),
        host,
        fc.option(fc.oneof(fc.integer({ min: 0, max: 70000 }).map(String), text('0123456789', 6)), {
          nil: undefined,
        }),
        fc.oneof(text('abZ09-._~!$&()*+,;=:@%/?', 24), text("abZ09-._~!$&'()*+,;=:@%/?#[] .2eE", 24)),
      )
      .map(
        ([scheme, h, port, rest]) =>
          `${scheme}://${h}${port === undefined ? '' : `:${port}`}${rest.startsWith('/') || rest.startsWith('?') || rest === '' ? rest : `/${rest}`}`,
      );
    let accepted = 0;
    fc.assert(
      fc.property(url, (u) => {
        const got = plainHttpTarget(u);
        if (got === undefined) return true;
        accepted++;
        expect(got).toEqual(parsed(u));
        return true;
      }),
      { numRuns: 20_000, seed: 8 },
    );
    // The generator must exercise the fast path, not only the fallback.
    expect(accepted).toBeGreaterThan(500);
  });
});
