// Regression tests from the review of the performance work: the JSON-text shortcut of Masker.value, the shared compiled
// patterns, and UTF-8 decoding with Buffer.
import { describe, expect, it } from 'vitest';
import { parseBody } from '../../src/http/transport.js';
import { Masker } from '../../src/secrets/index.js';

const SECRET = 'pa55-w0rd-xyz';

/** The string values of a value (keys are never masked, so they are left out). */
function stringsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (value === null || typeof value !== 'object') return [];
  return Object.values(value).flatMap(stringsOf);
}

describe('Masker.value(value, jsonText) agrees with the full walk', () => {
  it.each<[string, string]>([
    ['duplicate keys, secret in the one JSON.parse drops', `{"a":"${SECRET}","a":"x"}`],
    ['duplicate keys, secret in the one JSON.parse keeps', `{"a":"x","a":"${SECRET}"}`],
    ['secret as a __proto__ key value', `{"__proto__":{"k":"${SECRET}"}}`],
    ['secret as a key', `{"${SECRET}":1}`],
    ['secret inside a longer string, spaced JSON', `{ "a" : [ 1 , "x${SECRET}y" ] }`],
    ['URL-encoded form of a secret', `{"u":"${encodeURIComponent('p@ss word!x')}"}`],
    ['base64 form of a secret', `{"b":"${Buffer.from(SECRET).toString('base64')}"}`],
    ['number equal to a numeric secret', '{"n":98765432,"s":"98765432"}'],
    ['no secret', '{"a":"b","c":[true,null,1.5e3]}'],
  ])('%s', (_name, text) => {
    const fast = new Masker();
    const walk = new Masker();
    for (const m of [fast, walk]) {
      m.add(SECRET);
      m.add('p@ss word!x');
      m.add(98765432);
    }
    const value: unknown = JSON.parse(text);
    const viaText = fast.value(value, text);
    const viaWalk = walk.value(value);
    expect(viaText).toEqual(viaWalk);
    expect(JSON.stringify(stringsOf(viaText))).not.toContain(SECRET);
    if (JSON.stringify(viaWalk) === JSON.stringify(value)) expect(viaText).toBe(value);
  });

  it('generated texts without escapes: the shortcut never returns an unmasked value', () => {
    let seed = 7;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const pieces = ['a', 'b', SECRET, SECRET.slice(0, 5), 'pa55', '-', ' ', 'é', '€'];
    const str = () => Array.from({ length: rand(4) }, () => pieces[rand(pieces.length)]).join('');
    const gen = (depth: number): string => {
      const kind = depth > 2 ? rand(3) : rand(5);
      if (kind === 0) return JSON.stringify(str());
      if (kind === 1) return String(rand(1000));
      if (kind === 2) return ['true', 'null', '1e2'][rand(3)]!;
      if (kind === 3) return `[${Array.from({ length: rand(4) }, () => gen(depth + 1)).join(',')}]`;
      // Objects, sometimes with a repeated key.
      const keys = Array.from({ length: rand(4) }, () => str());
      if (keys.length > 0 && rand(2) === 0) keys.push(keys[0]!);
      return `{${keys.map((k) => `${JSON.stringify(k)}:${gen(depth + 1)}`).join(',')}}`;
    };
    const masker = new Masker();
    masker.add(SECRET);
    for (let i = 0; i < 3000; i++) {
      const text = gen(0);
      const value: unknown = JSON.parse(text);
      expect(JSON.stringify(stringsOf(masker.value(value, text)))).not.toContain(SECRET);
    }
  });
});

describe('compiled patterns shared between maskers', () => {
  it('a search left mid-way by one masker (g flag lastIndex) does not hide a secret from another', () => {
    const a = new Masker();
    const b = new Masker();
    a.add(SECRET);
    b.add(SECRET);
    // test() on a g pattern leaves lastIndex after the match; the next user must still find an early match.
    const long = `${'z'.repeat(50)}${SECRET}`;
    expect(a.value({ s: long }, JSON.stringify({ s: long }))).toEqual({ s: `${'z'.repeat(50)}***` });
    expect(b.value({ t: SECRET }, `{"t":"${SECRET}"}`)).toEqual({ t: '***' });
    expect(b.text(SECRET)).toBe('***');
    expect(a.headers({ 'x-a': `v ${SECRET}`, 'x-b': 'plain' })).toEqual({ 'x-a': 'v ***', 'x-b': 'plain' });
  });
});

describe('UTF-8 bodies decoded with Buffer, as TextDecoder does', () => {
  it.each<[string, number[]]>([
    ['lone continuation byte', [0x80]],
    ['overlong encoding', [0xc0, 0x80]],
    ['surrogate code point', [0xed, 0xa0, 0x80]],
    ['truncated 4-byte sequence', [0xf0, 0x9f, 0x98]],
    ['beyond U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
    ['BOM then invalid byte', [0xef, 0xbb, 0xbf, 0xff]],
    ['two BOMs (only the first dropped)', [0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf]],
  ])('%s', (_name, bytes) => {
    const body = new Uint8Array([...bytes, 0x61]);
    const want = new TextDecoder('utf-8').decode(body);
    expect(parseBody(body, 'text/plain; charset=UTF-8').body).toBe(want);
    expect(parseBody(body, 'text/plain; charset=utf8').body).toBe(want);
  });
});
