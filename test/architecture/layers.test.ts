// The layering of docs/ARCHITECTURE.md, read from the imports themselves: each top-level module of src/
// may import only the modules listed for it (static imports, `import type`, and dynamic `import()` alike).
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

const BASE = ['cache', 'own', 'errors', 'pointer'];
/** Module -> the modules it may import. `*` stands for any. */
const ALLOWED: Record<string, readonly string[]> = {
  cache: [],
  own: [],
  errors: [],
  pointer: ['own', 'errors'],
  specs: [],
  secrets: [...BASE],
  net: ['secrets', ...BASE],
  expression: [...BASE],
  criteria: ['expression', ...BASE],
  document: ['criteria', 'expression', ...BASE],
  sources: ['document', 'expression', 'net', ...BASE],
  async: ['sources', 'document', 'secrets', ...BASE],
  http: ['sources', 'document', 'criteria', 'expression', 'secrets', 'net', ...BASE],
  contract: ['http', 'sources', 'document', ...BASE],
  engine: [
    'http',
    'sources',
    'criteria',
    'document',
    'expression',
    'contract',
    'async',
    'secrets',
    'net',
    ...BASE,
  ],
  mock: ['http', 'sources', 'document', 'expression', 'async', 'secrets', ...BASE],
  graph: ['document', 'expression', ...BASE],
  simulator: ['secrets', ...BASE],
  har: ['engine', 'http', 'sources', 'document', 'secrets', ...BASE],
  queue: ['engine', 'http', 'sources', 'document', 'secrets', ...BASE],
  mcp: ['engine', 'http', 'sources', 'document', 'expression', 'secrets', ...BASE],
  cli: ['*'],
  index: ['*'],
};

interface Edge {
  file: string;
  from: string;
  to: string;
}

function moduleOf(pathInSrc: string): string {
  const first = pathInSrc.split(sep)[0] ?? pathInSrc;
  return first.replace(/\.(ts|js)$/, '');
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : /\.(ts|js)$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

const IMPORT = /(?:from\s+|import\s*\(\s*|import\s+)['"](\.{1,2}\/[^'"]+)['"]/g;

/** Every relative import of a file under src/, as an edge between top-level modules. */
function edgesOf(file: string, text: string): Edge[] {
  const from = moduleOf(relative(SRC, file));
  const out: Edge[] = [];
  for (const m of text.matchAll(IMPORT)) {
    const target = relative(SRC, join(file, '..', m[1]!));
    if (target.startsWith('..')) continue;
    const to = moduleOf(target);
    if (to !== from) out.push({ file: relative(SRC, file), from, to });
  }
  return out;
}

function violations(edges: readonly Edge[]): string[] {
  return edges
    .filter((e) => {
      const allowed = ALLOWED[e.from];
      return allowed === undefined || !(allowed.includes('*') || allowed.includes(e.to));
    })
    .map((e) => `${e.file}: ${e.from} -> ${e.to}`);
}

describe('layers (docs/ARCHITECTURE.md): imports flow one way', () => {
  const files = sourceFiles(SRC);
  const edges = files.flatMap((f) => edgesOf(f, readFileSync(f, 'utf8')));

  it('every top-level module of src/ has a row in the table', () => {
    const modules = new Set(files.map((f) => moduleOf(relative(SRC, f))));
    expect([...modules].filter((m) => ALLOWED[m] === undefined)).toEqual([]);
  });

  it('no module imports one above it', () => {
    expect(edges.length).toBeGreaterThan(100);
    expect(violations(edges)).toEqual([]);
  });

  it('the check sees static, type-only and dynamic imports', () => {
    const file = join(SRC, 'criteria', 'x.ts');
    const text = [
      "import { a } from '../engine/run.js';",
      "import type { B } from '../mock/types.js';",
      "const c = await import('../cli/main.js');",
      "import { d } from './local.js';",
    ].join('\n');
    expect(violations(edgesOf(file, text))).toEqual([
      `criteria${sep}x.ts: criteria -> engine`,
      `criteria${sep}x.ts: criteria -> mock`,
      `criteria${sep}x.ts: criteria -> cli`,
    ]);
  });
});

/** The value (not type-only) imports of a package in a file: static, side-effect, dynamic and require. */
function valueImportsOf(text: string, pkg: string): number {
  const quoted = `['"]${pkg}(?:/[^'"]*)?['"]`;
  const statics = [...text.matchAll(new RegExp(`^import\\s+(?!type\\s)[^;]*?from\\s+${quoted}`, 'gm'))];
  const bare = [...text.matchAll(new RegExp(`^import\\s+${quoted}`, 'gm'))];
  const dynamic = [...text.matchAll(new RegExp(`(?:import|require)\\s*\\(\\s*${quoted}\\s*\\)`, 'g'))];
  return statics.length + bare.length + dynamic.length;
}

describe('one network layer (docs/ARCHITECTURE.md, net/)', () => {
  it('only net/ loads undici at run time; other modules import its types only', () => {
    const loaders = sourceFiles(SRC)
      .filter((f) => valueImportsOf(readFileSync(f, 'utf8'), 'undici') > 0)
      .map((f) => moduleOf(relative(SRC, f)));
    expect(loaders.length).toBeGreaterThan(0);
    expect([...new Set(loaders)]).toEqual(['net']);
  });

  it('the check tells value imports from type-only ones', () => {
    expect(valueImportsOf("import type { Dispatcher } from 'undici';", 'undici')).toBe(0);
    expect(valueImportsOf("import { Agent } from 'undici';", 'undici')).toBe(1);
    expect(valueImportsOf("const { fetch } = await import('undici');", 'undici')).toBe(1);
    expect(valueImportsOf("const a = require('undici/lib/dispatcher/agent.js');", 'undici')).toBe(1);
  });
});
