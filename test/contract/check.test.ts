import { describe, expect, it } from 'vitest';
import { type ContractCheck, checkResponse, createContractChecker } from '../../src/contract/index.js';
import type { HttpResponse } from '../../src/http/types.js';
import type { OpenApiSource, ResolvedOperation } from '../../src/sources/types.js';
import { fixtureSource, operation } from '../mock/helpers.js';

const v30 = fixtureSource('petstore-3.0/openapi.yaml');
const v31 = fixtureSource('petstore-3.1/openapi.yaml');
const v20 = fixtureSource('petstore-2.0/swagger.yaml');

function response(
  statusCode: number,
  body: unknown,
  contentType: string | null = 'application/json',
): HttpResponse {
  return {
    statusCode,
    headers: contentType === null ? {} : { 'content-type': contentType },
    body,
    ...(contentType === null ? {} : { contentType }),
    size: 0,
    durationMs: 0,
    url: 'http://api.test/x',
  };
}

const pet = { id: 1, name: 'Rex', password: 'x' };

/** Failed checks as [check, message, pointer]. */
function failures(checks: ContractCheck[]): Array<[string, string, string | undefined]> {
  return checks.filter((c) => !c.passed).map((c) => [c.check, c.message, c.pointer]);
}

interface Case {
  source: OpenApiSource;
  op: string;
  res: HttpResponse;
  want: Array<[string, string, string | undefined]>;
}

describe('checkResponse (OpenAPI 3.0)', () => {
  it.each<[string, Case]>([
    ['a valid body passes', { source: v30, op: 'getPet', res: response(200, pet), want: [] }],
    [
      'a wrong status',
      {
        source: v30,
        op: 'getPet',
        res: response(500, {}),
        want: [['status', 'status 500 is not declared by getPet (declared: 200, 404)', undefined]],
      },
    ],
    [
      'a missing required field',
      {
        source: v30,
        op: 'getPet',
        res: response(200, { id: 1, password: 'x' }),
        want: [['schema', "response body: must have required property 'name'", '']],
      },
    ],
    [
      'a wrong type, nested',
      {
        source: v30,
        op: 'listPets',
        res: response(200, [pet, { ...pet, id: 'two' }]),
        want: [['schema', 'response body /1/id: must be integer', '/1/id']],
      },
    ],
    [
      'nullable: null accepted',
      { source: v30, op: 'getPet', res: response(200, { ...pet, tag: null, status: null }), want: [] },
    ],
    [
      'nullable enum still checks its values',
      {
        source: v30,
        op: 'getPet',
        res: response(200, { ...pet, status: 'lost' }),
        want: [
          [
            'schema',
            'response body /status: must be equal to one of the allowed values: "available", "sold", null',
            '/status',
          ],
        ],
      },
    ],
    [
      'nullable allOf: null accepted',
      { source: v30, op: 'getPet', res: response(200, { ...pet, owner: null }), want: [] },
    ],
    [
      'nullable allOf: the object is still checked',
      {
        source: v30,
        op: 'getPet',
        res: response(200, { ...pet, owner: {} }),
        want: [['schema', "response body /owner: must have required property 'owner_id'", '/owner']],
      },
    ],
    [
      'a non-nullable field rejects null',
      {
        source: v30,
        op: 'getPet',
        res: response(200, { ...pet, name: null }),
        want: [['schema', 'response body /name: must be string', '/name']],
      },
    ],
    [
      'an unknown format is not an error',
      { source: v30, op: 'getPet', res: response(200, { ...pet, chip: 'anything' }), want: [] },
    ],
    [
      'a known format is checked',
      {
        source: v30,
        op: 'getPet',
        res: response(200, { ...pet, birthday: 'soon' }),
        want: [['schema', 'response body /birthday: must match format "date"', '/birthday']],
      },
    ],
    [
      'boolean exclusiveMinimum (3.0) is honoured',
      {
        source: v30,
        op: 'getPet',
        res: response(200, { ...pet, weight: 0 }),
        want: [['schema', 'response body /weight: must be > 0', '/weight']],
      },
    ],
    [
      'writeOnly properties are not required in responses',
      { source: v30, op: 'getPet', res: response(200, { id: 1, name: 'Rex' }), want: [] },
    ],
    [
      'a 2XX range covers 203',
      { source: v30, op: 'petCard', res: response(203, 'Rex', 'text/plain; charset=utf-8'), want: [] },
    ],
    [
      'default covers anything',
      { source: v30, op: 'GET /health', res: response(503, { ok: false }), want: [] },
    ],
    [
      'an undeclared content type',
      {
        source: v30,
        op: 'getPet',
        res: response(200, '<pet/>', 'application/xml'),
        want: [
          [
            'content-type',
            'content type application/xml is not declared for 200 (declared: application/json)',
            undefined,
          ],
        ],
      },
    ],
    [
      'no content type where content is declared',
      {
        source: v30,
        op: 'getPet',
        res: response(200, undefined, null),
        want: [
          ['content-type', 'response has no content type (declared for 200: application/json)', undefined],
        ],
      },
    ],
    [
      'a body that is not JSON',
      {
        source: v30,
        op: 'getPet',
        res: { ...response(200, '{oops'), bodyParseError: 'Unexpected token o' },
        want: [['schema', 'response body is not valid JSON: Unexpected token o', '']],
      },
    ],
    [
      'a declared response without content gets only the status check',
      { source: v30, op: 'deletePet', res: response(204, undefined, null), want: [] },
    ],
    [
      'a $ref cycle is validated at depth',
      {
        source: v30,
        op: 'getTree',
        res: response(200, { name: 'a', children: [{ name: 'b', children: [{ name: 3 }] }] }),
        want: [
          [
            'schema',
            'response body /children/0/children/0/name: must be string',
            '/children/0/children/0/name',
          ],
        ],
      },
    ],
  ])('%s', (_name, { source, op, res, want }) => {
    expect(failures(checkResponse(operation(source, op), res, source))).toEqual(want);
  });
});

describe('checkResponse (OpenAPI 3.1, Swagger 2.0)', () => {
  it.each<[string, Case]>([
    [
      '3.1: type array with null',
      { source: v31, op: 'getPet', res: response(200, { id: 'a', tag: null, kind: 'pet' }), want: [] },
    ],
    [
      '3.1: numeric exclusiveMinimum and const',
      {
        source: v31,
        op: 'getPet',
        res: response(200, { id: 'a', tag: 't', age: 0, kind: 'cat' }),
        want: [
          ['schema', 'response body /age: must be > 0', '/age'],
          ['schema', 'response body /kind: must be equal to constant', '/kind'],
        ],
      },
    ],
    [
      '2.0: x-nullable',
      { source: v20, op: 'getPet', res: response(200, { id: 'p', name: 'Rex', tag: null }), want: [] },
    ],
    [
      '2.0: a wrong type and boolean exclusiveMinimum',
      {
        source: v20,
        op: 'getPet',
        res: response(200, { id: 1, name: 'Rex', age: 0 }),
        want: [
          ['schema', 'response body /id: must be string', '/id'],
          ['schema', 'response body /age: must be > 0', '/age'],
        ],
      },
    ],
  ])('%s', (_name, { source, op, res, want }) => {
    expect(failures(checkResponse(operation(source, op), res, source))).toEqual(want);
  });
});

describe('checkResponse options and records', () => {
  it('passed checks are listed too', () => {
    expect(checkResponse(operation(v30, 'getPet'), response(200, pet), v30)).toEqual([
      { check: 'status', passed: true, severity: 'error', message: 'status 200 is declared' },
      {
        check: 'content-type',
        passed: true,
        severity: 'error',
        message: 'content type application/json is declared',
      },
      {
        check: 'schema',
        passed: true,
        severity: 'error',
        message: 'response body matches the schema',
        pointer: '',
      },
    ]);
  });

  it.each([
    ['one severity for all', { severity: 'warning' as const, want: ['warning', 'warning'] }],
    [
      'per kind, the rest stay errors',
      { severity: { schema: 'warning' as const }, want: ['error', 'warning'] },
    ],
  ])('severity: %s', (_name, { severity, want }) => {
    const check = createContractChecker({ severity });
    const checks = check(operation(v30, 'getPet'), response(200, { id: 'x', name: 'Rex' }), v30);
    expect(checks.map((c) => c.severity)).toEqual(want.length === 2 ? [want[0], want[0], want[1]] : want);
  });

  it('caps schema errors', () => {
    const many = Array.from({ length: 5 }, () => ({ ...pet, id: 'x' }));
    const checks = checkResponse(operation(v30, 'listPets'), response(200, many), v30, {
      maxSchemaErrors: 2,
    });
    expect(failures(checks).map(([, m]) => m)).toEqual([
      'response body /0/id: must be integer',
      'response body /1/id: must be integer',
      'response body: 3 more schema errors',
    ]);
  });

  it('without the source, a cyclic $ref accepts anything below the cut', () => {
    const res = response(200, { name: 'a', children: [{ name: 'b', children: [{ name: 3 }] }] });
    expect(
      failures(checkResponse(operation(fixtureSource('petstore-3.0/openapi.yaml'), 'getTree'), res)),
    ).toEqual([]);
  });

  it('a schema that cannot be compiled is a warning naming the response', () => {
    const op: ResolvedOperation = {
      sourceName: 'api',
      method: 'GET',
      path: '/p',
      pointer: '/paths/~1p/get',
      servers: [],
      parameters: [],
      responses: {
        '200': { description: 'ok', content: { 'application/json': { schema: { type: 'nonsense' } } } },
      },
      security: [],
      securitySchemes: {},
      documentUrl: 'http://api.test/openapi.json',
    };
    expect(failures(checkResponse(op, response(200, 1)))).toEqual([
      [
        'schema',
        'response schema of GET /p 200 cannot be compiled: type must be JSONType or JSONType[]: nonsense',
        undefined,
      ],
    ]);
    expect(checkResponse(op, response(200, 1)).at(-1)?.severity).toBe('warning');
  });
});
