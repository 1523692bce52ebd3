import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generate, TARGETS } from '../../scripts/gen-schema-validator.mjs';
import {
  arazzoSchemaValidator,
  compileArazzoSchema,
  preloadSchemaValidator,
  repairSchema,
  repairSchema11,
} from '../../src/document/schema.js';

describe('the precompiled Arazzo schema validators', () => {
  it.each([
    ['1.0', repairSchema],
    ['1.1', repairSchema11],
  ] as const)(
    '%s is what the generator produces from the current schema and repairs (run scripts/gen-schema-validator.mjs)',
    async (version, repair) => {
      const committed = readFileSync(new URL(`../../${TARGETS[version].out}`, import.meta.url), 'utf8');
      expect(committed).toBe(await generate(repair, version));
    },
  );

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

  it.each<[string, unknown, boolean]>([
    ['an empty object', {}, false],
    [
      'a 1.1 document with every step kind',
      {
        arazzo: '1.1.0',
        $self: 'https://example.com/a.arazzo.yaml',
        info: { title: 't', version: '1' },
        sourceDescriptions: [
          { name: 's', url: 'x' },
          { name: 'q', url: 'y', type: 'asyncapi' },
        ],
        workflows: [
          {
            workflowId: 'w',
            steps: [
              {
                stepId: 'a',
                operationId: 'o',
                timeout: 100,
                parameters: [{ name: 'q', in: 'querystring', value: 'a=1' }],
              },
              {
                stepId: 'b',
                channelPath: '{$sourceDescriptions.q.url}#/channels/c',
                action: 'receive',
                correlationId: '$inputs.id',
                dependsOn: ['a'],
              },
              { stepId: 'c', workflowId: 'w2', parameters: [{ name: 'p', value: { k: 1 } }] },
            ],
            outputs: { x: { context: '$response.body', selector: '$.x', type: 'jsonpath' } },
          },
        ],
      },
      true,
    ],
    [
      'a 1.1 step with a bad timeout and an unknown field',
      {
        arazzo: '1.1.0',
        info: { title: 't', version: '1' },
        sourceDescriptions: [{ name: 's', url: 'x' }],
        workflows: [
          { workflowId: 'w', steps: [{ stepId: 'a', operationId: 'o', timeout: 'soon', retry: 1 }] },
        ],
      },
      false,
    ],
  ])('1.1 agrees with the run-time compiled schema on %s', async (_name, doc, valid) => {
    await preloadSchemaValidator('1.1');
    const generated = arazzoSchemaValidator('1.1');
    expect(generated).not.toBe(compileArazzoSchema('1.1'));
    const compiled = compileArazzoSchema('1.1');
    expect(generated(doc)).toBe(valid);
    expect(compiled(doc)).toBe(valid);
    expect(generated.errors ?? []).toEqual(compiled.errors ?? []);
  });
});
