import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { workflowOutputSchema } from '../../src/mcp/output-schema.js';
import { loadArazzo } from '../../src/sources/index.js';

const DOC = fileURLToPath(new URL('./fixtures/own-outputs/things.arazzo.yaml', import.meta.url));

describe('workflowOutputSchema reads only own schema properties', () => {
  it.each([
    ['a declared property', 'id', { type: ['integer', 'null'] }],
    // Object.prototype.constructor is a property of every object: it must not stand for the schema's.
    ['`constructor`, declared in an allOf member', 'ctor', { type: ['string', 'null'] }],
    ['`toString`, declared in an allOf member', 'str', { type: ['boolean', 'null'] }],
    ['`__proto__`, declared in an allOf member', 'proto', { type: ['integer', 'null'] }],
    ['a path through the prototype (`constructor/name`): untyped', 'ctorName', {}],
  ])('%s', async (_name, output, want) => {
    const loaded = await loadArazzo(DOC);
    const schema = workflowOutputSchema(loaded, loaded.document.workflows[0]!);
    expect((schema.properties as Record<string, unknown>)[output]).toEqual(want);
  });
});
