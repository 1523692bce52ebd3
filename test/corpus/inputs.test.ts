import { describe, expect, it } from 'vitest';
import { dummyAuth, synthesizeInputs } from '../../src/mock/inputs.js';
import type { LoadedSource } from '../../src/sources/types.js';

describe('synthesizeInputs', () => {
  it.each([
    ['not a schema', { given: undefined, options: {}, want: {} }],
    [
      'default, const, enum, example, examples',
      {
        given: {
          type: 'object',
          properties: {
            d: { type: 'integer', default: 5 },
            c: { const: 'fixed' },
            e: { type: 'string', enum: [null, 'b', 'c'] },
            x: { type: 'string', example: 'from-example' },
            xs: { type: 'number', examples: [2.5, 3] },
          },
        },
        options: {},
        want: { d: 5, c: 'fixed', e: 'b', x: 'from-example', xs: 2.5 },
      },
    ],
    [
      'formats',
      {
        given: {
          type: 'object',
          properties: {
            mail: { type: 'string', format: 'email' },
            id: { type: 'string', format: 'uuid' },
            at: { type: 'string', format: 'date-time' },
            day: { type: 'string', format: 'date' },
            link: { type: 'string', format: 'uri' },
            ip: { type: 'string', format: 'ipv4' },
          },
        },
        options: {},
        want: {
          mail: 'user@example.com',
          id: '123e4567-e89b-42d3-a456-426614174000',
          at: '2024-01-02T03:04:05Z',
          day: '2024-01-02',
          link: 'https://example.com/resource',
          ip: '192.0.2.1',
        },
      },
    ],
    [
      'types and bounds',
      {
        given: {
          type: 'object',
          properties: {
            n: { type: 'integer', minimum: 10 },
            m: { type: 'number', exclusiveMaximum: 0 },
            b: { type: 'boolean' },
            s: { type: 'string', minLength: 12 },
            short: { type: 'string', maxLength: 3 },
            nul: { type: ['null', 'string'] },
          },
        },
        options: {},
        want: { n: 10, m: -0.5, b: true, s: 'sample-sxxxx', short: 'sam', nul: 'sample-nul' },
      },
    ],
    [
      'nested objects and arrays',
      {
        given: {
          type: 'object',
          required: ['user'],
          properties: {
            user: {
              type: 'object',
              required: ['name'],
              properties: {
                name: { type: 'string' },
                tags: { type: 'array', items: { type: 'string' }, minItems: 2 },
              },
            },
            ids: { type: 'array', items: { type: 'integer' } },
          },
        },
        options: {},
        want: { user: { name: 'sample-name', tags: ['sample-tags', 'sample-tags'] }, ids: [1] },
      },
    ],
    [
      'only required (and declared) values',
      {
        given: {
          type: 'object',
          required: ['a', 'undeclared'],
          properties: { a: { type: 'string' }, b: { type: 'string' }, c: { type: 'string', default: 'dc' } },
        },
        options: { optional: false },
        want: { a: 'sample-a', c: 'dc', undeclared: 'sample-undeclared' },
      },
    ],
    [
      'allOf merged, first oneOf branch',
      {
        given: {
          allOf: [
            { type: 'object', properties: { a: { type: 'string' } } },
            { properties: { b: { oneOf: [{ type: 'null' }, { type: 'integer' }] } } },
          ],
        },
        options: {},
        want: { a: 'sample-a', b: 1 },
      },
    ],
    [
      '$ref through resolveRef',
      {
        given: { $ref: '#/components/inputs/page' },
        options: {
          resolveRef: (ref: string) =>
            ref === '#/components/inputs/page'
              ? { type: 'object', properties: { size: { type: 'integer', default: 20 } } }
              : undefined,
        },
        want: { size: 20 },
      },
    ],
    [
      'email and url guessed from names',
      {
        given: {
          type: 'object',
          properties: { userEmail: { type: 'string' }, callbackUrl: { type: 'string' } },
        },
        options: {},
        want: { userEmail: 'user@example.com', callbackUrl: 'https://example.com/resource' },
      },
    ],
  ])('%s', (_name, { given, options, want }) => {
    expect(synthesizeInputs(given, options)).toEqual(want);
  });

  it('returns copies of declared values', () => {
    const schema = { type: 'object', properties: { o: { type: 'object', default: { k: [1] } } } };
    const a = synthesizeInputs(schema);
    (a.o as { k: number[] }).k.push(2);
    expect(synthesizeInputs(schema)).toEqual({ o: { k: [1] } });
  });
});

describe('dummyAuth', () => {
  const source = (raw: unknown): LoadedSource =>
    ({ kind: 'openapi', name: 's', url: 'file:///s.yaml', version: '3.0', raw }) as unknown as LoadedSource;
  it.each([
    [
      'OpenAPI 3 schemes',
      {
        given: [
          source({
            components: {
              securitySchemes: {
                key: { type: 'apiKey', name: 'X-Key', in: 'header' },
                basic: { type: 'http', scheme: 'basic' },
                bearer: { type: 'http', scheme: 'bearer' },
                oauth: { type: 'oauth2', flows: {} },
                oidc: { type: 'openIdConnect', openIdConnectUrl: 'https://x' },
                tls: { type: 'mutualTLS' },
              },
            },
          }),
        ],
        want: {
          key: { value: 'mock-token' },
          basic: { username: 'mock-user', password: 'mock-token' },
          bearer: { token: 'mock-token' },
          oauth: { token: 'mock-token' },
          oidc: { token: 'mock-token' },
        },
      },
    ],
    [
      'Swagger 2 securityDefinitions',
      {
        given: [
          source({
            securityDefinitions: { b: { type: 'basic' }, k: { type: 'apiKey', name: 'k', in: 'query' } },
          }),
        ],
        want: { b: { username: 'mock-user', password: 'mock-token' }, k: { value: 'mock-token' } },
      },
    ],
    ['no schemes', { given: [source({ openapi: '3.0.0' })], want: {} }],
  ])('%s', (_name, { given, want }) => {
    expect(dummyAuth(given)).toEqual(want);
  });
});
