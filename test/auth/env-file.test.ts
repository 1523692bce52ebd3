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
