import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generate } from '../../scripts/gen-schema-validator.mjs';
import { arazzoSchemaValidator, compileArazzoSchema, repairSchema } from '../../src/document/schema.js';

describe('the precompiled Arazzo schema validator', () => {
  it('is what the generator produces from the current schema and repairs (run scripts/gen-schema-validator.mjs)', async () => {
    const committed = readFileSync(
      new URL('../../src/document/arazzo-schema.generated.js', import.meta.url),
      'utf8',
    );
    expect(committed).toBe(await generate(repairSchema));
  });

  it.each<[string, unknown]>([
    ['an empty object', {}],
    [
      'a minimal document',
      {
        arazzo: '1.0.1',
        info: { title: 't', version: '1' },
        sourceDescriptions: [{ name: 's', url: 'x' }],
        workflows: [{ workflowId: 'w', steps: [{ stepId: 'a', operationId: 'o' }] }],
      },
    ],
    [
      'a bad step',
      {
        arazzo: '1.0.1',
        info: { title: 't', version: '1' },
        sourceDescriptions: [{ name: 's', url: 'x' }],
        workflows: [{ workflowId: 'w', steps: [{ operationId: 1 }] }],
      },
    ],
  ])('agrees with the run-time compiled schema on %s', (_name, doc) => {
    const generated = arazzoSchemaValidator();
    const compiled = compileArazzoSchema();
    expect(generated(doc)).toBe(compiled(doc));
    expect(generated.errors ?? []).toEqual(compiled.errors ?? []);
  });
});
