import { readFileSync } from 'node:fs';
import { it } from 'vitest';
import { parseDocumentText, validateArazzo } from '/work/main/src/document/index.js';

it('show', () => {
  const f = process.env.F!;
  const r = validateArazzo(parseDocumentText(readFileSync(f, 'utf8'), f), { strict: process.env.S === '1' });
  for (const d of r.diagnostics)
    console.log(`${d.severity} ${d.code} ${d.line}:${d.column} ${d.pointer} | ${d.message}`);
  console.log('usable', r.document !== undefined);
});
