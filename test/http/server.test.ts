import { describe, expect, it } from 'vitest';
import { isArazzoError } from '../../src/errors.js';
import type { ServerUrlOptions } from '../../src/http/index.js';
import { joinUrl, resolveServerUrl } from '../../src/http/index.js';
import type { ServerObject } from '../../src/sources/types.js';
import { makeOperation } from './helpers.js';

describe('resolveServerUrl', () => {
  it.each<
    [string, { servers: ServerObject[]; documentUrl?: string; options?: ServerUrlOptions; want: string }]
  >([
    [
      'absolute server, trailing slash removed',
      { servers: [{ url: 'https://api.example.com/v1/' }], want: 'https://api.example.com/v1' },
    ],
    [
      'first server wins',
      {
        servers: [{ url: 'https://a.example.com' }, { url: 'https://b.example.com' }],
        want: 'https://a.example.com',
      },
    ],
    [
      'variable defaults',
      {
        servers: [
          {
            url: 'https://{env}.example.com/{version}',
            variables: { env: { default: 'prod' }, version: { default: 'v2', enum: ['v1', 'v2'] } },
          },
        ],
        want: 'https://prod.example.com/v2',
      },
    ],
    [
      'given variables win over defaults',
      {
        servers: [
          {
            url: 'https://{env}.example.com/{version}',
            variables: { env: { default: 'prod' }, version: { default: 'v2', enum: ['v1', 'v2'] } },
          },
        ],
        options: { variables: { env: 'staging', version: 'v1' } },
        want: 'https://staging.example.com/v1',
      },
    ],
    [
      'relative server against an http document',
      {
        servers: [{ url: '/api/v3' }],
        documentUrl: 'https://petstore.example.com/specs/openapi.json',
        want: 'https://petstore.example.com/api/v3',
      },
    ],
    [
      'relative server without slash resolves against the document folder',
      {
        servers: [{ url: 'v1' }],
        documentUrl: 'http://127.0.0.1:8080/specs/openapi.json',
        want: 'http://127.0.0.1:8080/specs/v1',
      },
    ],
    [
      'no servers: OpenAPI default "/" on the document host',
      { servers: [], documentUrl: 'http://127.0.0.1:9999/openapi.json', want: 'http://127.0.0.1:9999' },
    ],
    [
      'override replaces everything including the base path',
      {
        servers: [{ url: 'https://api.example.com/v1' }],
        options: { override: 'http://127.0.0.1:4010/mock/' },
        want: 'http://127.0.0.1:4010/mock',
      },
    ],
    [
      'override works for a file: document with a relative server',
      {
        servers: [{ url: '/api' }],
        documentUrl: 'file:///specs/openapi.yaml',
        options: { override: 'http://localhost:3000/api' },
        want: 'http://localhost:3000/api',
      },
    ],
  ])('%s', (_name, { servers, documentUrl, options, want }) => {
    const op = makeOperation(documentUrl === undefined ? { servers } : { servers, documentUrl });
    expect(resolveServerUrl(op, options)).toBe(want);
  });

  it.each<
    [
      string,
      {
        servers: ServerObject[];
        documentUrl?: string;
        options?: ServerUrlOptions;
        code: string;
        message: RegExp;
      },
    ]
  >([
    [
      'relative server in a file: document',
      {
        servers: [{ url: '/api' }],
        documentUrl: 'file:///specs/openapi.yaml',
        code: 'REQUEST_BUILD',
        message: /give a server with --server petStore=<url>/,
      },
    ],
    [
      'no servers in a file: document',
      {
        servers: [],
        documentUrl: 'file:///specs/openapi.yaml',
        code: 'REQUEST_BUILD',
        message: /declares no servers; give a server with --server petStore=<url>/,
      },
    ],
    [
      'variable outside its enum',
      {
        servers: [
          {
            url: 'https://{env}.example.com',
            variables: { env: { default: 'prod', enum: ['prod', 'staging'] } },
          },
        ],
        options: { variables: { env: 'dev' } },
        code: 'REQUEST_BUILD',
        message: /server variable "env" is "dev", expected one of "prod", "staging"/,
      },
    ],
    [
      'undeclared variable without value',
      {
        servers: [{ url: 'https://{region}.example.com' }],
        code: 'REQUEST_BUILD',
        message: /server variable "region".*has no value/,
      },
    ],
    [
      'relative override',
      {
        servers: [{ url: 'https://api.example.com' }],
        options: { override: '/api' },
        code: 'OPTIONS_INVALID',
        message: /not an absolute URL/,
      },
    ],
    [
      'non-http override',
      {
        servers: [{ url: 'https://api.example.com' }],
        options: { override: 'ftp://x.example.com' },
        code: 'OPTIONS_INVALID',
        message: /must be http: or https:/,
      },
    ],
  ])('error: %s', (_name, { servers, documentUrl, options, code, message }) => {
    const op = makeOperation(documentUrl === undefined ? { servers } : { servers, documentUrl });
    let error: unknown;
    try {
      resolveServerUrl(op, options);
    } catch (e) {
      error = e;
    }
    expect(isArazzoError(error)).toBe(true);
    expect((error as { code: string }).code).toBe(code);
    expect((error as Error).message).toMatch(message);
  });
});

describe('joinUrl', () => {
  it.each([
    ['https://a.example.com/v1', '/pets', 'https://a.example.com/v1/pets'],
    ['https://a.example.com/v1/', '/pets', 'https://a.example.com/v1/pets'],
    ['https://a.example.com/v1//', 'pets', 'https://a.example.com/v1/pets'],
    ['https://a.example.com', '/', 'https://a.example.com/'],
  ])('%s + %s', (base, path, want) => {
    expect(joinUrl(base, path)).toBe(want);
  });
});
