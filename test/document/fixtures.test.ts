import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDocumentText, validateArazzo } from '../../src/document/index.js';

interface Expected {
  note: string;
  strict: boolean;
  usable: boolean;
  /** Exact set of [severity, code] pairs the document produces. */
  diagnostics: Array<[string, string]>;
}

const root = join(import.meta.dirname, '../fixtures/documents');
const cases = readdirSync(root, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => {
    const dir = join(root, d.name);
    const file = readdirSync(dir).find((f) => f.startsWith('document.'))!;
    const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as Expected;
    return [d.name, { file: join(dir, file), expected }] as const;
  });

describe('document fixtures (one folder per diagnostic code)', () => {
  it.each(cases)('%s', (_name, { file, expected }) => {
    const parsed = parseDocumentText(readFileSync(file, 'utf8'), file);
    const result = validateArazzo(parsed, { strict: expected.strict });
    const got = [...new Set(result.diagnostics.map((d) => `${d.severity} ${d.code}`))].sort();
    const want = expected.diagnostics.map(([s, c]) => `${s} ${c}`).sort();
    expect(got, result.diagnostics.map((d) => `${d.line}:${d.column} ${d.message}`).join('\n')).toEqual(want);
    expect(result.document !== undefined).toBe(expected.usable);
    for (const d of result.diagnostics) {
      expect(d.file).toBe(file);
      expect(d.message).toMatch(/^[^:]+( \(#[^)]*\))?: /);
      expect(d.line, `${d.code} has a position`).toBeGreaterThan(0);
      expect(d.column).toBeGreaterThan(0);
    }
  });
});
