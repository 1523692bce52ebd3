import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createOpenApiSource, parseSourceText } from '../../src/sources/index.js';
import type { OpenApiSource, ResolvedOperation } from '../../src/sources/types.js';

export const fixtures = fileURLToPath(new URL('../fixtures/mock/', import.meta.url));

/** An OpenAPI source from a fixture file, e.g. 'petstore-3.0/openapi.yaml'. */
export function fixtureSource(file: string, name = 'api'): OpenApiSource {
  const path = `${fixtures}${file}`;
  const url = pathToFileURL(path).href;
  const parsed = parseSourceText(readFileSync(path, 'utf8'));
  if ('error' in parsed) throw new Error(parsed.error);
  const { source, diagnostics } = createOpenApiSource({
    name,
    url,
    displayUrl: path,
    raw: parsed.value,
    documents: { docs: new Map([[url, parsed.value]]), failures: new Map() },
  });
  if (source === undefined) throw new Error(diagnostics.map((d) => d.message).join('; '));
  return source;
}

export function operation(source: OpenApiSource, id: string): ResolvedOperation {
  const op = id.includes(' ')
    ? source.allOperations().find((o) => `${o.method} ${o.path}` === id)
    : source.getOperationById(id);
  if (op === undefined) throw new Error(`no operation ${id}`);
  return op;
}

export function readFixture(file: string): string {
  return readFileSync(`${fixtures}${file}`, 'utf8');
}
