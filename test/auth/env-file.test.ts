import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withEnvFiles } from '../../src/cli/args.js';
import { parseRunArgs } from '../../src/cli/commands/run.js';

const dir = mkdtempSync(join(tmpdir(), 'arazzo-env-'));
writeFileSync(
  join(dir, 'a.env'),
  '# shared\nCLIENT_SECRET=from-a\nexport API_KEY="key with spaces"\nONLY_A=1\n',
);
writeFileSync(join(dir, 'b.env'), "CLIENT_SECRET='from-b'\n");

describe('--env-file', () => {
  it.each([
    ['one file', ['a.env'], {}, { CLIENT_SECRET: 'from-a', API_KEY: 'key with spaces', ONLY_A: '1' }],
    ['a later file wins', ['a.env', 'b.env'], {}, { CLIENT_SECRET: 'from-b', ONLY_A: '1' }],
    [
      'the environment wins over files',
      ['a.env', 'b.env'],
      { CLIENT_SECRET: 'from-env' },
      { CLIENT_SECRET: 'from-env' },
    ],
  ])('%s', (_, files, env, want) => {
    expect(withEnvFiles(files, env, dir)).toMatchObject(want);
  });

  it('feeds env:NAME in --auth and --input, relative to the working directory', () => {
    const args = parseRunArgs(
      [
        'wf.yml',
        '--env-file',
        'a.env',
        '--auth',
        'oauth.clientId=ci',
        '--auth',
        'oauth.clientSecret=env:CLIENT_SECRET',
        '--input',
        'key=env:API_KEY',
      ],
      {},
      dir,
    );
    expect(args).not.toBe('help');
    if (args === 'help') return;
    expect(args.auth).toEqual({ oauth: { clientId: 'ci', clientSecret: 'from-a' } });
    expect(args.authSecrets).toEqual(['from-a']);
    expect(args.inputs).toEqual({ key: 'key with spaces' });
    expect(args.envInputs.has('key')).toBe(true);
  });

  it('an unreadable file is a usage error naming it', () => {
    expect(() => parseRunArgs(['wf.yml', '--env-file', 'missing.env'], {}, dir)).toThrow(
      '--env-file missing.env: cannot read it (ENOENT)',
    );
  });
});

describe('--cert, --key, --key-passphrase, --ca, --proxy and the proxy variables', () => {
  writeFileSync(join(dir, 'c.pem'), 'CERT');
  writeFileSync(join(dir, 'k.pem'), 'KEY');
  it('reads the files and masks the passphrase', () => {
    const argv = [
      'wf.yml',
      '--cert',
      'c.pem',
      '--key',
      'k.pem',
      '--key-passphrase',
      'env:PASS',
      '--ca',
      'c.pem',
    ];
    const args = parseRunArgs(argv, { PASS: 'pass-1234567' }, dir);
    if (args === 'help') throw new Error('help');
    expect(args.tls).toEqual({
      cert: Buffer.from('CERT'),
      key: Buffer.from('KEY'),
      passphrase: 'pass-1234567',
      ca: [Buffer.from('CERT')],
    });
    expect(args.authSecrets).toContain('pass-1234567');
  });

  it.each([
    [['--proxy', 'http://p:1'], {}, 'http://p:1'],
    [
      [],
      { HTTPS_PROXY: 'http://p:2', no_proxy: 'internal' },
      { httpsProxy: 'http://p:2', noProxy: 'internal' },
    ],
    [['--proxy', 'http://p:1'], { HTTP_PROXY: 'http://p:2' }, 'http://p:1'],
    [[], {}, undefined],
  ])('%j with %j', (flags, env, want) => {
    const args = parseRunArgs(['wf.yml', ...flags], env, dir);
    if (args === 'help') throw new Error('help');
    expect(args.proxy).toEqual(want);
  });

  it('an unreadable certificate is a usage error', () => {
    expect(() => parseRunArgs(['wf.yml', '--cert', 'nope.pem'], {}, dir)).toThrow(
      '--cert nope.pem: cannot read it (ENOENT)',
    );
  });
});
