import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { captureIO } from './helpers.js';

const version = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

describe('main(): help, version, usage errors', () => {
  it.each<[string, { argv: string[]; code: number; stdout?: RegExp; stderr?: RegExp }]>([
    ['--help', { argv: ['--help'], code: 0, stdout: /Usage:\n {2}arazzo run <file>/ }],
    ['-h', { argv: ['-h'], code: 0, stdout: /arazzo demo/ }],
    ['help run', { argv: ['help', 'run'], code: 0, stdout: /^Usage: arazzo run <file>/ }],
    ['run --help', { argv: ['run', '--help'], code: 0, stdout: /--input <name=value>/ }],
    ['validate --help', { argv: ['validate', '--help'], code: 0, stdout: /^Usage: arazzo validate/ }],
    ['list --help', { argv: ['list', '-h'], code: 0, stdout: /^Usage: arazzo list/ }],
    ['graph --help', { argv: ['graph', '--help'], code: 0, stdout: /mermaid \(default\) or dot/ }],
    ['demo --help', { argv: ['demo', '--help'], code: 0, stdout: /--fast/ }],
    [
      '--version',
      { argv: ['--version'], code: 0, stdout: new RegExp(`^${version.replace(/\./g, '\\.')}\\n$`) },
    ],
    ['no arguments', { argv: [], code: 2, stderr: /Usage:/ }],
    ['unknown command', { argv: ['frobnicate'], code: 2, stderr: /^arazzo: unknown command "frobnicate"/ }],
    ['unknown global flag', { argv: ['--nope'], code: 2, stderr: /^arazzo: unknown option --nope/ }],
    [
      'run without file',
      { argv: ['run'], code: 2, stderr: /^arazzo: missing <file>.*\(see arazzo run --help\)\n$/ },
    ],
    ['run unknown flag', { argv: ['run', 'x.yml', '--bogus'], code: 2, stderr: /unknown option --bogus/ }],
    [
      'run bad reporter',
      { argv: ['run', 'x.yml', '-r', 'tap'], code: 2, stderr: /--reporter must be one of/ },
    ],
    [
      'validate bad reporter',
      { argv: ['validate', 'x.yml', '-r', 'junit'], code: 2, stderr: /pretty, json/ },
    ],
    ['graph bad format', { argv: ['graph', 'x.yml', '--format', 'png'], code: 2, stderr: /mermaid, dot/ }],
    [
      'unset env reference',
      {
        argv: ['run', 'x.yml', '--input', 'apiKey=env:ARAZZO_TEST_UNSET'],
        code: 2,
        stderr: /ARAZZO_TEST_UNSET is not set/,
      },
    ],
  ])('%s', async (_name, { argv, code, stdout, stderr }) => {
    const cap = captureIO();
    expect(await main(argv, cap.io)).toBe(code);
    if (stdout) expect(cap.stdout()).toMatch(stdout);
    if (stderr) expect(cap.stderr()).toMatch(stderr);
    // One clear line for errors, never a stack trace.
    expect(cap.stderr()).not.toMatch(/\n\s+at /);
  });

  it('--inputs - reads a JSON object from stdin, and rejects non-objects with exit 2', async () => {
    const cap = captureIO({ stdin: '[1,2]' });
    expect(await main(['run', 'x.yml', '--inputs', '-'], cap.io)).toBe(2);
    expect(cap.stderr()).toBe('arazzo: --inputs: stdin must hold a JSON object (see arazzo run --help)\n');
  });

  it('--inputs with a missing file is a usage error', async () => {
    const cap = captureIO();
    expect(await main(['run', 'x.yml', '--inputs', 'does-not-exist.json'], cap.io)).toBe(2);
    expect(cap.stderr()).toMatch(/cannot read does-not-exist\.json \(ENOENT\)/);
  });

  it('a secret from the environment is masked in error output', async () => {
    const cap = captureIO({ env: { MY_KEY: 'sk_very_secret_1' }, stdin: 'not json sk_very_secret_1' });
    await main(['run', 'x.yml', '--input', 'apiKey=env:MY_KEY', '--inputs', '-'], cap.io);
    expect(cap.stderr()).not.toContain('sk_very_secret_1');
  });
});
