import { isTransportError, type TransportError } from '../../src/errors.js';
import type { PreparedRequest, SendOptions } from '../../src/http/index.js';
import { sendRequest } from '../../src/http/index.js';
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

/** A GET PreparedRequest for `origin` + `path`; override any field. */
export function getRequest(
  origin: string,
  path: string,
  extra: Partial<PreparedRequest> = {},
): PreparedRequest {
  return {
    method: 'GET',
    url: `${origin}${path}`,
    headers: {},
    pathParams: {},
    queryParams: {},
    secrets: [],
    ...extra,
  };
}

/** The TransportError `sendRequest` rejects with; fails the test if it resolves or throws anything else. */
export async function sendFailure(req: PreparedRequest, options: SendOptions): Promise<TransportError> {
  try {
    await sendRequest(req, options);
  } catch (e) {
    if (isTransportError(e)) return e;
    throw e;
  }
  throw new Error('expected a TransportError');
}
