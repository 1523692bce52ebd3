import { describe, expect, it } from 'vitest';
import {
  isDeclaredSecretHeader,
  looksLikeCredential,
  Masker,
  maskerFor,
  maskSecrets,
} from '../../src/secrets/index.js';

const SECRET = 'sk_live_12345';

describe('Masker.value with the JSON text the value came from', () => {
  it.each<[string, { value: unknown; text: string | undefined; want: unknown }]>([
    [
      'no secret in the text: the same object back',
      { value: { a: 'x', b: ['y'] }, text: '{"a":"x","b":["y"]}', want: 'same' },
    ],
    [
      'secret in a string value',
      { value: { a: `key ${SECRET}` }, text: `{"a":"key ${SECRET}"}`, want: { a: 'key ***' } },
    ],
    // Keys are never masked (issue 15): masking one changed the shape of outputs and reports.
    ['secret as a key: kept', { value: { [SECRET]: 1 }, text: `{"${SECRET}":1}`, want: 'same' }],
    [
      'secret hidden behind JSON escapes: the text is not trusted, the value is walked',
      {
        value: { a: SECRET },
        text: `{"a":"${SECRET.replace('k', '\\u006b')}"}`,
        want: { a: '***' },
      },
    ],
    ['no text given: the value is walked', { value: { a: [SECRET] }, text: undefined, want: { a: ['***'] } }],
    ['a string value', { value: `Bearer ${SECRET}`, text: `Bearer ${SECRET}`, want: 'Bearer ***' }],
  ])('%s', (_name, { value, text, want }) => {
    const m = new Masker();
    m.add(SECRET);
    const out = m.value(value, text);
    if (want === 'same') expect(out).toBe(value);
    else expect(out).toEqual(want);
  });

  it('masks nothing before a secret is added, and everything added later', () => {
    const m = new Masker();
    const body = { token: 'abcd-efgh' };
    expect(m.value(body, JSON.stringify(body))).toBe(body);
    m.add('abcd-efgh');
    expect(m.value(body, JSON.stringify(body))).toEqual({ token: '***' });
    expect(m.text('x abcd-efgh y')).toBe('x *** y');
  });

  it('two runs with the same secrets mask alike (the compiled search is shared)', () => {
    const a = new Masker();
    const b = new Masker();
    a.add('first-secret');
    a.add('second-secret');
    b.add('second-secret');
    b.add('first-secret');
    expect(a.list()).toEqual(b.list());
    expect(a.text('first-secret second-secret')).toBe('*** ***');
    expect(b.text('second-secret/first-secret')).toBe('***/***');
  });
});

describe('Masker.value without a JSON text: small values walked, big ones serialized', () => {
  const secret = 'walk-secret-9876';
  const big = (at: 'key' | 'value') => {
    const value: Record<string, unknown> = {};
    for (let i = 0; i < 100; i++) value[`k${i}`] = `v${i}`;
    if (at === 'key') value[secret] = 1;
    else value.k99 = `x ${secret}`;
    return value;
  };
  it.each<[string, { value: unknown; masked: boolean }]>([
    ['small, secret in a value', { value: { a: 'x', b: `y ${secret}` }, masked: true }],
    ['small, secret as a key after a clean value: kept', { value: { a: 'x', [secret]: 'z' }, masked: false }],
    ['small, secret in a nested array', { value: { a: [{ b: ['q', secret] }] }, masked: true }],
    ['small, no secret', { value: { a: 'x', b: ['y', 1, null, true] }, masked: false }],
    ['big (over the walk budget), secret in the last value', { value: big('value'), masked: true }],
    ['big, secret as a key: kept', { value: big('key'), masked: false }],
  ])('%s', (_name, { value, masked }) => {
    const m = new Masker();
    m.add(secret);
    const out = m.value(value);
    expect(JSON.stringify(Object.values(out as object)).includes(secret)).toBe(false);
    if (masked) expect(out).not.toBe(value);
    else expect(out).toBe(value);
  });
});

describe('maskSecrets', () => {
  it.each<[string, { text: string; secrets: string[]; want: string }]>([
    ['plain', { text: 'token=abc123 sent', secrets: ['abc123'], want: 'token=*** sent' }],
    ['URL-encoded form', { text: '/x?key=a%20b%26c', secrets: ['a b&c'], want: '/x?key=***' }],
    ['form-encoded space', { text: 'key=a+b%26c', secrets: ['a b&c'], want: 'key=***' }],
    ['RFC 3986 sub-delims', { text: 'k=it%27s%21', secrets: ["it's!"], want: 'k=***' }],
    [
      'longest first',
      { text: 'Bearer secret-token', secrets: ['secret', 'Bearer secret-token'], want: '***' },
    ],
    ['every occurrence', { text: 'pw pw-x pw', secrets: ['pw-x', 'pw'], want: 'pw *** pw' }],
    ['short secrets ignored', { text: 'id=ab', secrets: ['ab', ''], want: 'id=ab' }],
    ['three characters are too short', { text: 'id=abc', secrets: ['abc'], want: 'id=abc' }],
    ['four characters masked', { text: 'id=abcd', secrets: ['abcd'], want: 'id=***' }],
    ['JSON-escaped form', { text: '{"k":"a\\"b\\\\c"}', secrets: ['a"b\\c'], want: '{"k":"***"}' }],
  ])('%s', (_name, { text, secrets, want }) => {
    expect(maskSecrets(text, secrets)).toBe(want);
  });
});

describe('the one list of names', () => {
  it.each<[string, { credential: boolean; declared: boolean }]>([
    ['Authorization', { credential: true, declared: true }],
    ['proxy-authorization', { credential: true, declared: true }],
    ['Cookie', { credential: true, declared: true }],
    ['Set-Cookie', { credential: true, declared: false }],
    ['X-API-Key', { credential: true, declared: false }],
    ['X-Session-Token', { credential: true, declared: false }],
    ['api_key', { credential: true, declared: false }],
    ['sig', { credential: true, declared: false }],
    ['author', { credential: false, declared: false }],
    ['authority', { credential: false, declared: false }],
    ['sortKey', { credential: false, declared: false }],
    ['content-type', { credential: false, declared: false }],
  ])('%s', (name, { credential, declared }) => {
    expect(looksLikeCredential(name)).toBe(credential);
    expect(isDeclaredSecretHeader(name)).toBe(declared);
  });
});

describe('Masker.url: what a displayed URL hides', () => {
  it.each<[string, { secrets: string[]; url: string; want: string }]>([
    [
      'credential-named query values, whatever the value',
      { secrets: [], url: 'http://h/x?api_key=abc&page=2', want: 'http://h/x?api_key=***&page=2' },
    ],
    [
      'a query value that is a secret, even a short one',
      { secrets: ['rex'], url: 'http://h/x?name=rex&id=1', want: 'http://h/x?name=***&id=1' },
    ],
    [
      'an encoded secret value',
      { secrets: ['a b&c'], url: 'http://h/x?q=a%20b%26c', want: 'http://h/x?q=***' },
    ],
    [
      'a path segment that is a secret',
      { secrets: ['u-1234'], url: 'http://h/users/u-1234/x', want: 'http://h/users/***/x' },
    ],
    [
      'a short secret inside a longer value is kept',
      { secrets: ['name'], url: 'http://h/x?sort=name,asc', want: 'http://h/x?sort=name,asc' },
    ],
    [
      'a long secret inside a longer value is masked',
      { secrets: ['s3cr3t-long'], url: 'http://h/x?q=pre-s3cr3t-long', want: 'http://h/x?q=pre-***' },
    ],
    [
      'the fragment is kept',
      { secrets: [], url: 'http://h/x?token=t#top', want: 'http://h/x?token=***#top' },
    ],
  ])('%s', (_name, { secrets, url, want }) => {
    expect(maskerFor(secrets).url(url)).toBe(want);
  });
});

describe('Masker.value never touches keys or numbers, nor short secrets inside longer strings', () => {
  it.each<[string, { secret: string; value: unknown; want: unknown }]>([
    ['a key equal to the secret', { secret: 'status', value: { status: 'ok' }, want: { status: 'ok' } }],
    [
      'a number equal to the secret',
      { secret: '1000', value: { id: 1000, s: '1000' }, want: { id: 1000, s: '***' } },
    ],
    [
      'a short secret inside a string',
      { secret: 'name', value: { sort: 'name asc' }, want: { sort: 'name asc' } },
    ],
    ['a short secret as a whole value', { secret: 'rex', value: { name: 'rex' }, want: { name: '***' } }],
  ])('%s', (_name, { secret, value, want }) => {
    const m = new Masker();
    m.add(secret);
    expect(m.value(value)).toEqual(want);
  });
});
