import { describe, expect, it } from 'vitest';
import { parseDocumentText } from '../../src/document/index.js';

describe('parseDocumentText', () => {
  it.each([
    [
      'yes/no/on stay strings (YAML 1.2 core)',
      {
        given: 'a: yes\nb: no\nc: on\nd: 2024-01-01\n',
        want: { a: 'yes', b: 'no', c: 'on', d: '2024-01-01' },
      },
    ],
    [
      'numbers, booleans, null',
      { given: 'a: 1\nb: 1.5\nc: true\nd: null\ne: ~\n', want: { a: 1, b: 1.5, c: true, d: null, e: null } },
    ],
    ['JSON text', { given: '{"a": [1, "x", {"b": null}]}', want: { a: [1, 'x', { b: null }] } }],
    ['empty text is null', { given: '', want: null }],
  ])('%s', (_name, { given, want }) => {
    const parsed = parseDocumentText(given, 'mem.yaml');
    expect(parsed.diagnostics).toEqual([]);
    expect(parsed.value).toEqual(want);
  });

  it.each([
    [
      'unterminated quote (reported where the parser notices)',
      { given: 'a: 1\nb: "open\nc: 2\n', code: 'yaml-syntax', line: 4 },
    ],
    ['bad indentation', { given: 'a:\n  b: 1\n c: 2\n', code: 'yaml-syntax', line: 3 }],
    ['JSON trailing comma', { given: '{\n  "a": 1,\n}\n', code: 'json-syntax', line: 3 }],
    ['JSON missing value', { given: '{\n  "a": \n}', code: 'json-syntax', line: 3 }],
    ['duplicate key', { given: 'a: 1\nb:\n  c: 1\n  c: 2\n', code: 'duplicate-key', line: 4 }],
  ])('%s reports line and column', (_name, { given, code, line }) => {
    const parsed = parseDocumentText(given, 'mem.yaml');
    const d = parsed.diagnostics.find((x) => x.code === code);
    expect(d, JSON.stringify(parsed.diagnostics)).toBeDefined();
    expect(d!.severity).toBe('error');
    expect(d!.line).toBe(line);
    expect(d!.column).toBeGreaterThan(0);
    expect(d!.file).toBe('mem.yaml');
  });

  it('names the duplicate key with its pointer', () => {
    const parsed = parseDocumentText('a: 1\nb:\n  c: 1\n  c: 2\n', 'f.yaml');
    expect(parsed.diagnostics).toEqual([
      expect.objectContaining({ code: 'duplicate-key', pointer: '/b/c', line: 4, column: 3 }),
    ]);
    expect(parsed.diagnostics[0]!.message).toBe(
      'key "c" (#/b): appears more than once in the same mapping; keys must be unique',
    );
  });

  it('JSON syntax errors give a readable message with line:column', () => {
    const parsed = parseDocumentText('{\n  "a": 1,\n  "b" 2\n}', 'f.json');
    expect(parsed.value).toBeUndefined();
    expect(parsed.diagnostics).toHaveLength(1);
    expect(parsed.diagnostics[0]).toMatchObject({ code: 'json-syntax', line: 3, column: 7 });
    expect(parsed.diagnostics[0]!.message).toMatch(/^JSON \(line 3, column 7\): /);
  });

  it.each([
    ['root', { pointer: '', want: { line: 1, column: 1 } }],
    ['member: the key', { pointer: '/workflows/0/steps/1/operationId', want: { line: 7, column: 9 } }],
    ['array item', { pointer: '/workflows/0/steps/1', want: { line: 6, column: 9 } }],
    [
      'missing member: nearest ancestor',
      { pointer: '/workflows/0/steps/1/nope/deeper', want: { line: 6, column: 9 } },
    ],
    ['escaped token', { pointer: '/paths/~1a~1b', want: { line: 9, column: 3 } }],
    ['through an alias', { pointer: '/copy/x', want: { line: 11, column: 14 } }],
  ])('locate: %s', (_name, { pointer, want }) => {
    const text = [
      'arazzo: 1.0.1',
      'workflows:',
      '  - workflowId: w',
      '    steps:',
      '      - stepId: a',
      '      - stepId: b',
      '        operationId: op',
      'paths:',
      '  /a/b: 1',
      'orig: &o',
      '  {y: 1,     x: 2}',
      'copy: *o',
    ].join('\n');
    expect(parseDocumentText(text, 'f.yaml').locate(pointer)).toEqual(want);
  });

  it('keeps __proto__ as an own data property and pollutes nothing', () => {
    const parsed = parseDocumentText(
      '__proto__:\n  polluted: true\nconstructor:\n  prototype:\n    polluted: true\n',
      'p.yaml',
    );
    const value = parsed.value as Record<string, unknown>;
    expect(Object.hasOwn(value, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getOwnPropertyDescriptor(value, '__proto__')?.value).toEqual({ polluted: true });
  });

  it('refuses alias bombs', () => {
    const rows = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (const [n, p] of [
      ['b', 'a'],
      ['c', 'b'],
      ['d', 'c'],
      ['e', 'd'],
      ['f', 'e'],
    ]) {
      rows.push(`${n}: &${n} [${Array(9).fill(`*${p}`).join(', ')}]`);
    }
    const parsed = parseDocumentText(rows.join('\n'), 'bomb.yaml');
    expect(parsed.value).toBeUndefined();
    expect(parsed.diagnostics.map((d) => d.code)).toEqual(['yaml-alias-limit']);
  });

  // A collection used as a key: yaml renders such keys as text, and nested ones grow exponentially
  // ("Invalid string length" at about 30 levels). They are refused (YAML) or located (invalid JSON) without it.
  it.each<[string, string, string[]]>([
    ['60 unclosed braces (invalid JSON)', '{'.repeat(60), ['json-syntax']],
    ['2,000 unclosed braces (invalid JSON)', '{'.repeat(2000), ['json-syntax']],
    ['nested flow-map keys (YAML)', `x: ${'{'.repeat(40)}a: 1${'}: 1'.repeat(40)}`, ['yaml-complex-key']],
    ['a block complex key (YAML)', '? [a, b]\n: 1\nc: 2\n', ['yaml-complex-key']],
  ])('collection keys: %s', (_name, text, codes) => {
    const parsed = parseDocumentText(text, 'keys.yaml');
    expect(parsed.value).toBeUndefined();
    expect(parsed.diagnostics.map((d) => d.code)).toEqual(codes);
    expect(parsed.diagnostics[0]!.line).toBeGreaterThan(0);
  });
});
