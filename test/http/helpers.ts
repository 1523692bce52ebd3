import type { ResolvedOperation } from '../../src/sources/types.js';

/** A ResolvedOperation with test defaults; override any field. */
export function makeOperation(overrides: Partial<ResolvedOperation> = {}): ResolvedOperation {
  return {
    sourceName: 'petStore',
    operationId: 'getPet',
    method: 'GET',
    path: '/pets/{petId}',
    pointer: '/paths/~1pets~1{petId}/get',
    servers: [{ url: 'https://api.example.com/v1' }],
    parameters: [],
    responses: {},
    security: [],
    securitySchemes: {},
    documentUrl: 'https://api.example.com/openapi.yaml',
    ...overrides,
  };
}
