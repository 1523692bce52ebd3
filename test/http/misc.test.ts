import { describe, expect, it } from 'vitest';
import { parseRetryAfter } from '../../src/http/index.js';

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
