import { describe, expect, it } from 'vitest';
import {
  collectPairs,
  inputProperties,
  parseIntegerFlag,
  readEnvRef,
  splitPair,
  typeInputValue,
  UsageError,
} from '../../src/cli/args.js';
import { buildInputs, parseRunArgs } from '../../src/cli/commands/run.js';
import type { ArazzoDocument, JsonValue } from '../../src/document/model.js';
import { isSecretSchema } from '../../src/secrets/index.js';

describe('typeInputValue', () => {
  it.each<[string, { raw: string; schema: JsonValue | undefined; want: unknown }]>([
    ['no schema keeps the string', { raw: '42', schema: undefined, want: '42' }],
    ['string stays string', { raw: '42', schema: { type: 'string' }, want: '42' }],
    ['integer', { raw: '42', schema: { type: 'integer' }, want: 42 }],
    ['negative integer', { raw: '-7', schema: { type: 'integer' }, want: -7 }],
    ['integer rejects a fraction (passed through)', { raw: '4.5', schema: { type: 'integer' }, want: '4.5' }],
    ['number with fraction', { raw: '4.5', schema: { type: 'number' }, want: 4.5 }],
    ['number with exponent', { raw: '1e3', schema: { type: 'number' }, want: 1000 }],
    ['number rejects text', { raw: 'abc', schema: { type: 'number' }, want: 'abc' }],
    ['boolean true', { raw: 'true', schema: { type: 'boolean' }, want: true }],
    ['boolean false', { raw: 'false', schema: { type: 'boolean' }, want: false }],
    ['boolean rejects yes', { raw: 'yes', schema: { type: 'boolean' }, want: 'yes' }],
    ['object as JSON', { raw: '{"a":[1,2]}', schema: { type: 'object' }, want: { a: [1, 2] } }],
    ['array as JSON', { raw: '[1,"x"]', schema: { type: 'array' }, want: [1, 'x'] }],
    ['array rejects an object', { raw: '{}', schema: { type: 'array' }, want: '{}' }],
    ['bad JSON passed through', { raw: '{a:1}', schema: { type: 'object' }, want: '{a:1}' }],
    ['null', { raw: 'null', schema: { type: 'null' }, want: null }],
    ['type list prefers non-string', { raw: '5', schema: { type: ['string', 'integer'] }, want: 5 }],
    [
      'type list falls back to string',
      { raw: 'five', schema: { type: ['integer', 'string'] }, want: 'five' },
    ],
    ['nullable integer', { raw: 'null', schema: { type: ['integer', 'null'] }, want: null }],
    ['enum of numbers implies number', { raw: '2', schema: { enum: [1, 2, 3] }, want: 2 }],
    ['value with = kept whole', { raw: 'a=b=c', schema: { type: 'string' }, want: 'a=b=c' }],
  ])('%s', (_name, { raw, schema, want }) => {
    expect(typeInputValue(raw, schema)).toEqual(want);
  });
});

describe('name=value pairs', () => {
  it.each<[string, { raw: string; want: [string, string] }]>([
    ['simple', { raw: 'a=b', want: ['a', 'b'] }],
    ['splits at the first =', { raw: 'token=abc==', want: ['token', 'abc=='] }],
    ['empty value', { raw: 'a=', want: ['a', ''] }],
    ['basic auth value', { raw: 'basic=user:pa=ss', want: ['basic', 'user:pa=ss'] }],
  ])('%s', (_name, { raw, want }) => {
    expect(splitPair(raw, '--input')).toEqual(want);
  });

  it.each([['novalue'], ['=value']])('rejects %s', (raw) => {
    expect(() => splitPair(raw, '--input')).toThrow(UsageError);
  });

  it('a later flag wins', () => {
    expect(collectPairs(['a=1', 'b=2', 'a=3'], '--input')).toEqual({ a: '3', b: '2' });
  });
});

describe('env: references', () => {
  it.each<[string, { raw: string; env: Record<string, string>; want: string | undefined }]>([
    ['reads the variable', { raw: 'env:KEY', env: { KEY: 'secret' }, want: 'secret' }],
    ['not a reference', { raw: 'plain', env: {}, want: undefined }],
    ['env: prefix inside a value is literal', { raw: 'env:not valid', env: {}, want: undefined }],
  ])('%s', (_name, { raw, env, want }) => {
    expect(readEnvRef(raw, env, '--input x')).toBe(want);
  });

  it('an unset variable is a usage error naming it', () => {
    expect(() => readEnvRef('env:MISSING_VAR', {}, '--input apiKey')).toThrow(/MISSING_VAR is not set/);
  });
});

describe('integer flags', () => {
  it.each<[string, { raw: string | undefined; min: number; want: number | undefined }]>([
    ['absent', { raw: undefined, min: 1, want: undefined }],
    ['valid', { raw: '50', min: 1, want: 50 }],
    ['zero allowed when min 0', { raw: '0', min: 0, want: 0 }],
  ])('%s', (_name, { raw, min, want }) => {
    expect(parseIntegerFlag(raw, '--max-steps', min)).toBe(want);
  });
  it.each([['abc'], ['-1'], ['1.5'], ['0']])('rejects %s', (raw) => {
    expect(() => parseIntegerFlag(raw, '--max-steps', 1)).toThrow(UsageError);
  });
});

describe('parseRunArgs', () => {
  it('collects every flag', () => {
    const args = parseRunArgs(
      [
        'wf.yml',
        '--workflow',
        'w1',
        '--input',
        'apiKey=env:API',
        '-i',
        'count=3',
        '--inputs',
        'in.json',
        '--source',
        'api=./openapi.json',
        '--server',
        'api=http://127.0.0.1:9',
        '--auth',
        'basic=user:pass',
        '--strict',
        '--max-steps',
        '10',
        '--timeout',
        '5000',
        '--reporter',
        'junit',
        '--output',
        'out.xml',
        '--verbose',
        '--no-color',
      ],
      { API: 'k_123456' },
    );
    expect(args).toEqual({
      file: 'wf.yml',
      workflowId: 'w1',
      inputs: { apiKey: 'k_123456', count: '3' },
      envInputs: new Set(['apiKey']),
      inputsFile: 'in.json',
      sources: { api: './openapi.json' },
      servers: { api: 'http://127.0.0.1:9' },
      auth: { basic: 'user:pass' },
      authSecrets: ['user:pass'],
      strict: true,
      mock: false,
      maxSteps: 10,
      timeoutMs: 5000,
      reporter: 'junit',
      output: 'out.xml',
      verbose: true,
      noColor: true,
    });
  });

  it.each<[string, { argv: string[]; error: RegExp }]>([
    ['no file', { argv: [], error: /missing <file>/ }],
    ['two files', { argv: ['a.yml', 'b.yml'], error: /unexpected argument "b.yml"/ }],
    ['unknown flag', { argv: ['a.yml', '--nope'], error: /unknown option --nope/ }],
    ['bad reporter', { argv: ['a.yml', '--reporter', 'tap'], error: /pretty, json, junit/ }],
    ['input without =', { argv: ['a.yml', '--input', 'x'], error: /name=value/ }],
    ['relative server URL', { argv: ['a.yml', '--server', 'api=/v1'], error: /not an absolute URL/ }],
    ['bad max-steps', { argv: ['a.yml', '--max-steps', 'lots'], error: /whole number/ }],
    ['missing value', { argv: ['a.yml', '--workflow'], error: /--workflow/ }],
  ])('usage error: %s', (_name, { argv, error }) => {
    expect(() => parseRunArgs(argv, {})).toThrow(error);
  });

  it('--help wins', () => {
    expect(parseRunArgs(['--help'], {})).toBe('help');
  });
});

describe('input schema helpers', () => {
  const doc = {
    arazzo: '1.0.1',
    info: { title: 't', version: '1' },
    sourceDescriptions: [],
    components: {
      inputs: {
        creds: {
          type: 'object',
          required: ['token'],
          properties: { token: { type: 'string' }, n: { type: 'integer' } },
        },
      },
    },
    workflows: [{ workflowId: 'w', inputs: { $ref: '#/components/inputs/creds' }, steps: [] }],
  } as unknown as ArazzoDocument;

  it('follows $ref into components.inputs', () => {
    expect(inputProperties(doc, doc.workflows[0]!)).toEqual([
      { name: 'token', schema: { type: 'string' }, required: true, types: ['string'] },
      { name: 'n', schema: { type: 'integer' }, required: false, types: ['integer'] },
    ]);
  });

  // A name declares nothing (issue 15: `--input apiKey=status` turned the key "status" into ***).
  it.each<[string, { schema?: Record<string, JsonValue>; want: boolean }]>([
    ['no schema (a name like apiKey alone)', { want: false }],
    ['a plain string', { schema: { type: 'string' }, want: false }],
    ['format password', { schema: { format: 'password' }, want: true }],
    ['writeOnly', { schema: { writeOnly: true }, want: true }],
    ['x-secret', { schema: { 'x-secret': true }, want: true }],
  ])('isSecretSchema %s', (_name, { schema, want }) => {
    expect(isSecretSchema(schema)).toBe(want);
  });
});

describe('buildInputs', () => {
  const doc = {
    arazzo: '1.0.1',
    info: { title: 't', version: '1' },
    sourceDescriptions: [],
    workflows: [
      {
        workflowId: 'w',
        inputs: {
          type: 'object',
          properties: {
            apiKey: { type: 'string', format: 'password' },
            sortKey: { type: 'string' },
            count: { type: 'integer' },
            userId: { type: 'string' },
          },
        },
        steps: [],
      },
    ],
  } as unknown as ArazzoDocument;

  it.each<
    [
      string,
      {
        file: Record<string, unknown>;
        flags: Record<string, string>;
        env?: string[];
        want: Record<string, unknown>;
        secrets: string[];
      },
    ]
  >([
    [
      '--input wins over --inputs and is typed',
      {
        file: { count: 1, userId: 'u_file' },
        flags: { count: '7' },
        want: { count: 7, userId: 'u_file' },
        secrets: [],
      },
    ],
    [
      'declared secret inputs from either place are registered',
      {
        file: { apiKey: 'k_from_file' },
        flags: {},
        want: { apiKey: 'k_from_file' },
        secrets: ['k_from_file'],
      },
    ],
    [
      'a credential-like name without a declaration is no secret',
      { file: {}, flags: { sortKey: 'name' }, want: { sortKey: 'name' }, secrets: [] },
    ],
    [
      'env-sourced values are secrets whatever their name',
      {
        file: {},
        flags: { userId: 'u_env_9' },
        env: ['userId'],
        want: { userId: 'u_env_9' },
        secrets: ['u_env_9'],
      },
    ],
    [
      'unknown names pass through as strings',
      { file: {}, flags: { extra: '5' }, want: { extra: '5' }, secrets: [] },
    ],
  ])('%s', (_name, { file, flags, env, want, secrets }) => {
    const seen: string[] = [];
    const got = buildInputs(doc, doc.workflows[0]!, file, flags, new Set(env ?? []), (s) => seen.push(s));
    expect(got).toEqual(want);
    expect(seen).toEqual(secrets);
  });
});

describe('parseRunArgs --reporter (repeatable; github adds to the report)', () => {
  it.each<[string, string[], { reporter: string; github?: true }]>([
    ['none: pretty', [], { reporter: 'pretty' }],
    ['one', ['-r', 'junit'], { reporter: 'junit' }],
    ['two reports: the last, as before', ['-r', 'json', '-r', 'junit'], { reporter: 'junit' }],
    ['github alone: with the pretty report', ['-r', 'github'], { reporter: 'pretty', github: true }],
    [
      'github and a report, either order',
      ['-r', 'github', '--reporter', 'html'],
      { reporter: 'html', github: true },
    ],
  ])('%s', (_name, flags, want) => {
    const args = parseRunArgs(['wf.yml', ...flags], {});
    if (args === 'help') throw new Error('unexpected help');
    expect({ reporter: args.reporter, ...(args.github ? { github: args.github } : {}) }).toEqual(want);
  });

  it('refuses an unknown reporter, naming the choices', () => {
    expect(() => parseRunArgs(['wf.yml', '-r', 'github', '-r', 'tap'], {})).toThrow(
      '--reporter must be one of pretty, json, junit, html, github, got "tap"',
    );
  });
});
