import { describe, expect, it } from 'vitest';
import { declareCredentials } from '../../src/http/auth.js';
import { Masker } from '../../src/secrets/index.js';

describe('declareCredentials', () => {
  it.each([
    ['a plain token', { k: 'tok-123456' }, ['tok-123456'], []],
    ['basic', { b: { username: 'ann-user', password: 'pw-123456' } }, ['ann-user', 'pw-123456'], []],
    [
      'an OAuth credential: secrets, not its id, scopes, flow or redirect URI',
      {
        o: {
          clientId: 'client-app',
          clientSecret: 'cs-123456',
          password: 'pw-654321',
          refreshToken: 'rt-123456',
          scopes: ['read', 'write'],
          flow: 'password' as const,
          redirectUri: 'http://127.0.0.1/callback',
        },
      },
      ['cs-123456', 'pw-654321', 'rt-123456'],
      ['client-app', 'read', 'password', 'http://127.0.0.1/callback'],
    ],
  ])('%s', (_, auth, masked, kept) => {
    const masker = new Masker();
    declareCredentials(masker, auth);
    for (const secret of masked) expect(masker.text(`x ${secret} y`)).toBe('x *** y');
    for (const plain of kept) expect(masker.text(`x ${plain} y`)).toBe(`x ${plain} y`);
  });
});
