import { describe, expect, it } from 'vitest';
import { loadArazzo } from '../../src/sources/index.js';
import type { OpenApiSource, ResolvedOperation } from '../../src/sources/types.js';
import { codes, fixture } from './helpers.js';

async function source(dir: string, name: string): Promise<OpenApiSource> {
  const loaded = await loadArazzo(fixture(dir, 'arazzo.yaml'));
  const src = loaded.sources.get(name);
  if (src?.kind !== 'openapi') throw new Error(`no openapi source ${name}`);
  return src;
}

function op(src: OpenApiSource, id: string): ResolvedOperation {
  const found = src.getOperationById(id);
  if (found === undefined) throw new Error(`no operation ${id}`);
  return found;
}

describe('OpenAPI 3.0 index', () => {
  it.each([
    [
      'document servers with variables',
      {
        id: 'getPet',
        want: [
          {
            url: 'https://{env}.example.com/v1',
            variables: { env: { default: 'api', enum: ['api', 'sandbox'] } },
          },
        ],
      },
    ],
    ['path item servers, kept relative', { id: 'listPets', want: [{ url: '/relative/v1' }] }],
    ['operation servers win', { id: 'createPet', want: [{ url: 'https://upload.example.com' }] }],
  ])('servers: %s', async (_name, { id, want }) => {
    expect(op(await source('oas30', 'pets'), id).servers).toEqual(want);
  });

  it('merges path-item and operation parameters by name+in, operation wins (header names ignore case)', async () => {
    const getPet = op(await source('oas30', 'pets'), 'getPet');
    expect(getPet.parameters).toEqual([
      { name: 'petId', in: 'path', required: true, schema: { type: 'string' } },
      { name: 'x-trace', in: 'header', required: false, schema: { type: 'integer' } },
      {
        name: 'fields',
        in: 'query',
        required: false,
        style: 'form',
        explode: false,
        schema: { type: 'array', items: { type: 'string' } },
      },
    ]);
    expect(getPet).toMatchObject({
      method: 'GET',
      path: '/pets/{petId}',
      pointer: '/paths/~1pets~1{petId}/get',
      sourceName: 'pets',
    });
  });

  it('resolves $refs in parameters, request bodies and responses; a recursive schema keeps its $ref', async () => {
    const src = await source('oas30', 'pets');
    expect(op(src, 'listPets').parameters).toEqual([
      { name: 'limit', in: 'query', required: false, schema: { type: 'integer', default: 20 } },
    ]);
    const create = op(src, 'createPet');
    const petSchema = create.requestBody?.content['application/json']?.schema;
    expect(create.requestBody?.required).toBe(true);
    expect(petSchema).toEqual({
      type: 'object',
      properties: { name: { type: 'string' }, parent: { $ref: '#/components/schemas/Pet' } },
    });
    expect(create.responses['201']).toEqual({
      description: 'created',
      headers: { Location: { schema: { type: 'string' } } },
    });
    expect(src.resolveSchema({ $ref: '#/components/schemas/Pet' })).toEqual(petSchema);
  });

  it.each([
    ['document-level security', { id: 'getPet', want: [{ apiKey: [] }] }],
    ['operation-level security: [] means none', { id: 'createPet', want: [] }],
  ])('%s', async (_name, { id, want }) => {
    const o = op(await source('oas30', 'pets'), id);
    expect(o.security).toEqual(want);
    expect(o.securitySchemes).toEqual({
      apiKey: { type: 'apiKey', name: 'X-Api-Key', in: 'header' },
      bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
    });
  });

  it('looks operations up by pointer, with any equivalent escaping', async () => {
    const src = await source('oas30', 'pets');
    expect(src.getOperationByPointer('/paths/~1pets~1{petId}/delete')?.method).toBe('DELETE');
    expect(src.getOperationByPointer('/paths/~1pets~1{petId}/DELETE')?.method).toBe('DELETE');
    expect(src.getOperationByPointer('/paths/~1nope/get')).toBeUndefined();
    expect(src.operationIds().sort()).toEqual(['createPet', 'getPet', 'listPets']);
    expect(src.allOperations().map((o) => `${o.method} ${o.path}`)).toEqual([
      'GET /pets',
      'POST /pets',
      'GET /pets/{petId}',
      'DELETE /pets/{petId}',
    ]);
    expect(src.version).toBe('3.0');
  });

  it('returns the same object for repeated lookups (cached)', async () => {
    const src = await source('oas30', 'pets');
    expect(src.getOperationById('getPet')).toBe(src.getOperationById('getPet'));
  });
});

describe('OpenAPI 3.1 index', () => {
  it('lays $ref siblings over the target and defaults servers to "/"', async () => {
    const order = op(await source('oas31', 'store'), 'placeOrder');
    expect(order.requestBody?.content['application/json']?.schema).toEqual({
      type: 'object',
      properties: { qty: { type: 'integer' } },
      description: 'the order to place',
    });
    expect(order.servers).toEqual([{ url: '/' }]);
    expect(order.security).toEqual([{ oidc: ['read'] }]);
    expect(order.securitySchemes).toEqual({
      mtls: { type: 'mutualTLS' },
      oidc: { type: 'openIdConnect', openIdConnectUrl: 'https://id.example.com/.well-known' },
    });
  });

  it('follows a path item $ref into another file, resolving refs relative to that file', async () => {
    const src = await source('oas31', 'store');
    const pet = op(src, 'getPetExternal');
    expect(pet.path).toBe('/pets/{id}');
    expect(pet.pointer).toBe('/paths/~1pets~1{id}/get');
    expect(pet.parameters).toEqual([{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }]);
    expect(pet.responses['200']?.content?.['application/json']?.schema).toEqual({
      type: 'object',
      properties: { qty: { type: 'integer' } },
    });
    expect(pet.diagnostics).toBeUndefined();
    expect(src.version).toBe('3.1');
  });
});

describe('Swagger 2.0 normalization', () => {
  it('builds servers from schemes, host and basePath (https first)', async () => {
    const add = op(await source('swagger2', 'legacy'), 'addPet');
    expect(add.servers).toEqual([
      { url: 'https://legacy.example.com/v2' },
      { url: 'http://legacy.example.com/v2' },
    ]);
  });

  it('turns `in: body` into a requestBody for every consumes type, responses into content', async () => {
    const add = op(await source('swagger2', 'legacy'), 'addPet');
    const pet = { type: 'object', required: ['name'], properties: { name: { type: 'string' } } };
    expect(add.parameters).toEqual([]);
    expect(add.requestBody).toEqual({
      required: true,
      content: { 'application/json': { schema: pet }, 'application/xml': { schema: pet } },
    });
    expect(add.responses['200']).toEqual({
      description: 'ok',
      headers: { 'X-Rate': { schema: { type: 'integer' } } },
      content: { 'application/json': { schema: pet, example: { name: 'rex' } } },
    });
  });

  it('turns formData into a multipart requestBody (file -> binary string)', async () => {
    const upload = op(await source('swagger2', 'legacy'), 'uploadFile');
    expect(upload.parameters).toEqual([
      { name: 'petId', in: 'path', required: true, schema: { type: 'integer' } },
    ]);
    expect(upload.requestBody).toEqual({
      required: true,
      content: {
        'multipart/form-data': {
          schema: {
            type: 'object',
            properties: { meta: { type: 'string' }, file: { type: 'string', format: 'binary' } },
            required: ['meta'],
          },
        },
      },
    });
  });

  it.each([
    ['pipes', { name: 'tags', want: { style: 'pipeDelimited', explode: false, collectionFormat: 'pipes' } }],
    ['csv by default', { name: 'status', want: { style: 'form', explode: false, collectionFormat: 'csv' } }],
    ['multi', { name: 'ids', want: { style: 'form', explode: true, collectionFormat: 'multi' } }],
  ])('collectionFormat %s -> style/explode', async (_n, { name, want }) => {
    const find = op(await source('swagger2', 'legacy'), 'findPets');
    expect(find.parameters.find((p) => p.name === name)).toMatchObject({ in: 'query', ...want });
  });

  it('maps securityDefinitions and keeps operation-level security', async () => {
    const src = await source('swagger2', 'legacy');
    expect(op(src, 'findPets').security).toEqual([]);
    expect(op(src, 'addPet').security).toEqual([{ key: [] }]);
    expect(op(src, 'addPet').securitySchemes).toEqual({
      basicAuth: { type: 'http', scheme: 'basic' },
      key: { type: 'apiKey', name: 'api_key', in: 'header' },
      oauth: {
        type: 'oauth2',
        flows: {
          authorizationCode: {
            scopes: { read: 'read things' },
            authorizationUrl: 'https://a.example.com/auth',
            tokenUrl: 'https://a.example.com/token',
          },
        },
      },
    });
    expect(src.version).toBe('2.0');
  });
});

describe('$ref cycles', () => {
  it('reports a reference loop in a used operation and does not hang', async () => {
    const err = await loadArazzo(fixture('refcycle', 'arazzo.yaml')).catch((e: unknown) => e);
    const diagnostics = (err as { diagnostics: Array<{ code: string; pointer: string; severity: string }> })
      .diagnostics;
    expect(codes(diagnostics.filter((d) => d.severity === 'error') as never)).toEqual([
      'openapi-ref-cycle@/components/parameters/B',
    ]);
  });
});
