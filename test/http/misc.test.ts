import { describe, expect, it } from 'vitest';
import { maskSecrets, parseRetryAfter } from '../../src/http/index.js';

describe('parseRetryAfter', () => {
  const now = Date.parse('2025-01-01T00:00:00Z');
  it.each<[string, string | undefined, number | undefined]>([
    ['delta seconds', '120', 120_000],
    ['zero', '0', 0],
    ['surrounding spaces', ' 5 ', 5_000],
    ['HTTP-date in the future', 'Wed, 01 Jan 2025 00:00:30 GMT', 30_000],
    ['HTTP-date in the past', 'Tue, 31 Dec 2024 23:59:00 GMT', 0],
    ['obsolete RFC 850 date', 'Wednesday, 01-Jan-25 00:01:00 GMT', 60_000],
    ['fraction', '1.5', undefined],
    ['negative', '-3', undefined],
    ['garbage', 'soon', undefined],
    ['empty', '', undefined],
    ['absent', undefined, undefined],
  ])('%s', (_name, value, want) => {
    expect(parseRetryAfter(value, now)).toBe(want);
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
