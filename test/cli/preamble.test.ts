import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/cli/args.js';
import { parseFileCommand } from '../../src/cli/commands/preamble.js';
import { parseLimitFlags, pickRunOptions, RUN_OPTIONS } from '../../src/cli/commands/run.js';
import { createContext } from '../../src/cli/context.js';
import { BufferWriter } from '../../src/cli/io.js';
import { createFinalReporter } from '../../src/cli/reporters/final.js';
import type { RunInfo } from '../../src/cli/reporters/types.js';
import { captureIO, result } from './helpers.js';

const SPEC = {
  command: 'list',
  options: { reporter: { type: 'string' }, help: { type: 'boolean', short: 'h' } } as const,
  usage: 'Usage: arazzo list <file>\n',
  what: 'the Arazzo document to list',
};

describe('parseFileCommand: flags, --help and the one <file>', () => {
  it('returns the flags and the file', () => {
    const c = captureIO();
    const parsed = parseFileCommand(['doc.yaml', '--reporter', 'json'], createContext(c.io), SPEC);
    expect(parsed).toEqual({ values: { reporter: 'json' }, file: 'doc.yaml' });
    expect(c.stdout()).toBe('');
  });

  it('prints the usage for --help and returns undefined', () => {
    const c = captureIO();
    expect(parseFileCommand(['-h'], createContext(c.io), SPEC)).toBeUndefined();
    expect(c.stdout()).toBe('Usage: arazzo list <file>\n');
  });

  it.each([
    [[], 'missing <file>: the Arazzo document to list'],
    [['a.yaml', 'b.yaml'], 'unexpected argument "b.yaml"'],
    [['a.yaml', '--nope'], 'unknown option --nope'],
  ])('%j is a usage error: %s', (argv, message) => {
    const ctx = createContext(captureIO().io);
    let thrown: unknown;
    try {
      parseFileCommand(argv, ctx, SPEC);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(UsageError);
    expect((thrown as UsageError).message).toBe(message);
    expect((thrown as UsageError).command).toBe('list');
  });
});

describe('run flags shared with enqueue and mcp', () => {
  it('pickRunOptions takes the named flags as run declares them', () => {
    expect(pickRunOptions('input', 'max-steps')).toEqual({
      input: RUN_OPTIONS.input,
      'max-steps': RUN_OPTIONS['max-steps'],
    });
  });

  it('parseLimitFlags reads the limits given and leaves the others out', () => {
    expect(parseLimitFlags({ 'max-steps': '5', 'max-retry-delay': '0' })).toEqual({
      maxSteps: 5,
      maxRetryDelayMs: 0,
    });
    expect(() => parseLimitFlags({ timeout: '0', 'max-steps': 'x' })).toThrow(/--max-steps/);
  });
});

describe('createFinalReporter: writes once, at the end, with what start said', () => {
  const info: RunInfo = { file: 'f.yaml', workflowId: 'wf', diagnostics: [] };
  const render = {
    finish: (r: { status: string }, i: RunInfo | undefined) => `finish ${r.status} ${i?.file}\n`,
    invalid: (d: readonly unknown[], m: string, i: RunInfo | undefined) =>
      `invalid ${d.length} ${m} ${i?.file}\n`,
    error: (code: string, m: string, i: RunInfo | undefined) => `error ${code} ${m} ${i?.workflowId}\n`,
  };

  it('ignores events and renders the result with the run info', () => {
    const out = new BufferWriter();
    const r = createFinalReporter(out, render);
    r.start(info);
    r.onEvent({ type: 'workflow-start', workflowId: 'wf', depth: 0 } as never);
    expect(out.text).toBe('');
    r.finish(result({ status: 'failed' }));
    expect(out.text).toBe('finish failed f.yaml\n');
  });

  it('renders diagnostics and errors, with no info before start', () => {
    const out = new BufferWriter();
    const r = createFinalReporter(out, render);
    r.invalid([], 'bad', undefined);
    r.error('E', 'boom');
    expect(out.text).toBe('invalid 0 bad undefined\nerror E boom undefined\n');
  });
});
