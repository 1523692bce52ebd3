import { describe, expect, it } from 'vitest';
import { isRequestBuildError } from '../../src/errors.js';
import type { AuthCredentials, BuildRequestInput, ParameterInput } from '../../src/http/index.js';
import { buildRequest } from '../../src/http/index.js';
import { maskSecrets } from '../../src/secrets/index.js';
import type { ResolvedOperation } from '../../src/sources/types.js';
import { makeOperation } from './helpers.js';

const base = 'https://api.example.com/v1';

function build(op: ResolvedOperation, parameters: ParameterInput[], extra: Partial<BuildRequestInput> = {}) {
  return buildRequest({ operation: op, baseUrl: base, parameters, ...extra });
}

describe('buildRequest: parameters', () => {
  it('serializes declared parameters by their style and records path/query values', () => {
    const op = makeOperation({
      path: '/pets/{petId}/photos{coords}',
      parameters: [
        { name: 'petId', in: 'path', required: true },
        { name: 'coords', in: 'path', required: true, style: 'matrix', explode: true },
        { name: 'tags', in: 'query', required: false, style: 'pipeDelimited', explode: false },
        { name: 'X-Trace', in: 'header', required: false },
        { name: 'session', in: 'cookie', required: false },
      ],
    });
    const req = build(op, [
      { name: 'petId', in: 'path', value: 'a/b' },
      { name: 'coords', in: 'path', value: { x: 1, y: 2 } },
      { name: 'tags', in: 'query', value: ['cat', 'dog'] },
      { name: 'X-Trace', in: 'header', value: ['t1', 't2'] },
      { name: 'session', in: 'cookie', value: 'abc' },
      { name: 'theme', in: 'cookie', value: 'dark' },
    ]);
    expect(req.method).toBe('GET');
    expect(req.url).toBe('https://api.example.com/v1/pets/a%2Fb/photos;x=1;y=2?tags=cat|dog');
    expect(req.headers).toEqual({ 'X-Trace': 't1,t2', Cookie: 'session=abc; theme=dark' });
    expect(req.pathParams).toEqual({ petId: 'a/b', coords: { x: 1, y: 2 } });
    expect(req.queryParams).toEqual({ tags: ['cat', 'dog'] });
    expect(req.body).toBeUndefined();
    expect(req.secrets).toEqual([]);
  });

  it('sends undeclared parameters with the default style of their location and skips undefined values', () => {
    const op = makeOperation({ path: '/pets', parameters: [] });
    const req = build(op, [
      { name: 'ids', in: 'query', value: [1, 2] },
      { name: 'filter', in: 'query', value: { kind: 'cat' } },
      { name: 'gone', in: 'query', value: undefined },
      { name: 'X-Ids', in: 'header', value: { a: 1 } },
    ]);
    expect(req.url).toBe('https://api.example.com/v1/pets?ids=1&ids=2&kind=cat');
    expect(req.headers).toEqual({ 'X-Ids': 'a,1' });
  });

  it('header names are case-insensitive: one value per name, the last step value wins', () => {
    const op = makeOperation({ path: '/pets' });
    const req = build(op, [
      { name: 'x-request-id', in: 'header', value: 'first' },
      { name: 'X-Request-ID', in: 'header', value: 'second' },
    ]);
    expect(req.headers).toEqual({ 'X-Request-ID': 'second' });
  });

  it('path parameter declared at the operation with a different case header does not collide', () => {
    const op = makeOperation({
      path: '/pets',
      parameters: [{ name: 'X-Mode', in: 'header', required: false, style: 'simple', explode: true }],
    });
    expect(build(op, [{ name: 'x-mode', in: 'header', value: { a: 1, b: 2 } }]).headers).toEqual({
      'x-mode': 'a=1,b=2',
    });
  });

  it.each<[string, { op: ResolvedOperation; params: ParameterInput[]; message: RegExp }]>([
    [
      'required path parameter missing',
      {
        op: makeOperation({ parameters: [{ name: 'petId', in: 'path', required: true }] }),
        params: [],
        message: /required path parameter "petId" has no value/,
      },
    ],
    [
      'template placeholder without value',
      {
        op: makeOperation({ parameters: [] }),
        params: [],
        message: /path parameter "petId" in "\/pets\/\{petId\}" has no value/,
      },
    ],
    [
      'path parameter not in the template',
      {
        op: makeOperation({ path: '/pets' }),
        params: [{ name: 'petId', in: 'path', value: 1 }],
        message: /path parameter "petId" does not appear in "\/pets"/,
      },
    ],
    [
      'invalid header name',
      {
        op: makeOperation({ path: '/pets' }),
        params: [{ name: 'Bad Header', in: 'header', value: 'x' }],
        message: /header name "Bad Header"/,
      },
    ],
  ])('error: %s', (_name, { op, params, message }) => {
    let error: unknown;
    try {
      build(op, params);
    } catch (e) {
      error = e;
    }
    expect(isRequestBuildError(error)).toBe(true);
    expect((error as Error).message).toMatch(message);
  });
});

describe('buildRequest: bodies', () => {
  const post = (content?: Record<string, object>) =>
    makeOperation({
      method: 'POST',
      path: '/pets',
      ...(content === undefined ? {} : { requestBody: { required: true, content } }),
    });

  it.each<
    [
      string,
      {
        op: ResolvedOperation;
        body: BuildRequestInput['body'];
        headers?: ParameterInput[];
        wantType: string;
        wantBody: string;
      },
    ]
  >([
    [
      'operation JSON preferred',
      {
        op: post({ 'application/xml': {}, 'application/json': {} }),
        body: { value: { a: 1 } },
        wantType: 'application/json',
        wantBody: '{"a":1}',
      },
    ],
    [
      'step contentType wins',
      {
        op: post({ 'application/json': {} }),
        body: { contentType: 'application/xml', value: { a: 1 } },
        wantType: 'application/xml',
        wantBody: '<?xml version="1.0" encoding="UTF-8"?><a>1</a>',
      },
    ],
    [
      'form encoding from the operation',
      {
        op: post({ 'application/x-www-form-urlencoded': { encoding: { tags: { explode: false } } } }),
        body: { value: { tags: ['a', 'b'], n: 'x y' } },
        wantType: 'application/x-www-form-urlencoded',
        wantBody: 'tags=a,b&n=x%20y',
      },
    ],
    [
      'no request body declared: object -> JSON',
      { op: post(), body: { value: { a: 1 } }, wantType: 'application/json', wantBody: '{"a":1}' },
    ],
    [
      'no request body declared: string -> text/plain',
      { op: post(), body: { value: 'hi' }, wantType: 'text/plain', wantBody: 'hi' },
    ],
    [
      'operation accepts */*: object -> JSON',
      {
        op: post({ '*/*': {} }),
        body: { value: { a: 1 } },
        wantType: 'application/json',
        wantBody: '{"a":1}',
      },
    ],
    [
      'operation accepts application/*: array -> JSON',
      {
        op: post({ 'application/*': {} }),
        body: { value: [1] },
        wantType: 'application/json',
        wantBody: '[1]',
      },
    ],
    [
      'operation accepts */*: string -> text/plain',
      { op: post({ '*/*': {} }), body: { value: 'hi' }, wantType: 'text/plain', wantBody: 'hi' },
    ],
    [
      'operation accepts text/*: object -> text/plain JSON text',
      { op: post({ 'text/*': {} }), body: { value: { a: 1 } }, wantType: 'text/plain', wantBody: '{"a":1}' },
    ],
    [
      'a concrete type wins over a range',
      {
        op: post({ '*/*': {}, 'application/xml': {} }),
        body: { value: { a: 1 } },
        wantType: 'application/xml',
        wantBody: '<?xml version="1.0" encoding="UTF-8"?><a>1</a>',
      },
    ],
    [
      'step Content-Type header is used and kept',
      {
        op: post({ 'application/json': {} }),
        body: { value: { a: 1 } },
        headers: [{ name: 'content-type', in: 'header', value: 'application/vnd.x+json' }],
        wantType: 'application/vnd.x+json',
        wantBody: '{"a":1}',
      },
    ],
  ])('%s', (_name, { op, body, headers, wantType, wantBody }) => {
    const req = build(op, headers ?? [], body === undefined ? {} : { body });
    expect(req.contentType).toBe(wantType);
    const typeHeader = Object.entries(req.headers).find(([k]) => k.toLowerCase() === 'content-type');
    expect(typeHeader?.[1]).toBe(wantType);
    expect(req.body).toBe(wantBody);
    expect(req.bodyValue).toEqual(body?.value);
  });

  it('multipart gets a boundary in its Content-Type', () => {
    const req = build(post({ 'multipart/form-data': {} }), [], { body: { value: { a: 'x' } } });
    expect(req.headers['Content-Type']).toMatch(
      /^multipart\/form-data; boundary=----arazzo-runtime-[0-9a-f]{24}$/,
    );
    const boundary = req.headers['Content-Type']!.split('boundary=')[1];
    expect(new TextDecoder().decode(req.body as Uint8Array)).toBe(
      `--${boundary}\r\nContent-Disposition: form-data; name="a"\r\n\r\nx\r\n--${boundary}--\r\n`,
    );
  });

  it('multipart with a Blob part sets bodyBlob, not body', async () => {
    const req = build(post({ 'multipart/form-data': {} }), [], { body: { value: { f: new Blob(['zz']) } } });
    expect(req.body).toBeUndefined();
    expect(await req.bodyBlob?.text()).toContain('zz');
  });
});

describe('buildRequest: auth', () => {
  const schemes: ResolvedOperation['securitySchemes'] = {
    headerKey: { type: 'apiKey', name: 'X-API-Key', in: 'header' },
    queryKey: { type: 'apiKey', name: 'api_key', in: 'query' },
    cookieKey: { type: 'apiKey', name: 'sid', in: 'cookie' },
    basic: { type: 'http', scheme: 'basic' },
    bearer: { type: 'http', scheme: 'Bearer', bearerFormat: 'JWT' },
    oauth: { type: 'oauth2' },
  };
  const op = (security: ResolvedOperation['security']) =>
    makeOperation({ path: '/me', security, securitySchemes: schemes });

  it.each<
    [
      string,
      {
        security: ResolvedOperation['security'];
        auth: AuthCredentials;
        params?: ParameterInput[];
        url: string;
        headers: Record<string, string>;
        secrets: string[];
      },
    ]
  >([
    [
      'apiKey in header',
      {
        security: [{ headerKey: [] }],
        auth: { headerKey: 'k-123' },
        url: `${base}/me`,
        headers: { 'X-API-Key': 'k-123' },
        secrets: ['k-123'],
      },
    ],
    [
      'apiKey in query, encoded',
      {
        security: [{ queryKey: [] }],
        auth: { queryKey: { value: 'a b&c' } },
        url: `${base}/me?api_key=a%20b%26c`,
        headers: {},
        secrets: ['a b&c', 'a%20b%26c'],
      },
    ],
    [
      'apiKey in cookie',
      {
        security: [{ cookieKey: [] }],
        auth: { cookieKey: 'sess1' },
        url: `${base}/me`,
        headers: { Cookie: 'sid=sess1' },
        secrets: ['sess1'],
      },
    ],
    [
      'basic from an object',
      {
        security: [{ basic: [] }],
        auth: { basic: { username: 'aladdin', password: 'opensesame' } },
        url: `${base}/me`,
        headers: { Authorization: 'Basic YWxhZGRpbjpvcGVuc2VzYW1l' },
        secrets: [
          'aladdin:opensesame',
          'opensesame',
          'YWxhZGRpbjpvcGVuc2VzYW1l',
          'Basic YWxhZGRpbjpvcGVuc2VzYW1l',
        ],
      },
    ],
    [
      'basic from "user:pass"',
      {
        security: [{ basic: [] }],
        auth: { basic: 'aladdin:opensesame' },
        url: `${base}/me`,
        headers: { Authorization: 'Basic YWxhZGRpbjpvcGVuc2VzYW1l' },
        secrets: [
          'aladdin:opensesame',
          'opensesame',
          'YWxhZGRpbjpvcGVuc2VzYW1l',
          'Basic YWxhZGRpbjpvcGVuc2VzYW1l',
        ],
      },
    ],
    [
      'bearer from {token}',
      {
        security: [{ bearer: [] }],
        auth: { bearer: { token: 'tok.en' } },
        url: `${base}/me`,
        headers: { Authorization: 'Bearer tok.en' },
        secrets: ['tok.en', 'Bearer tok.en'],
      },
    ],
    [
      'bearer from a string',
      {
        security: [{ bearer: [] }],
        auth: { bearer: 'tok.en' },
        url: `${base}/me`,
        headers: { Authorization: 'Bearer tok.en' },
        secrets: ['tok.en', 'Bearer tok.en'],
      },
    ],
    [
      'oauth2 token as Bearer',
      {
        security: [{ oauth: ['read'] }],
        auth: { oauth: { token: 'oa-tok' } },
        url: `${base}/me`,
        headers: { Authorization: 'Bearer oa-tok' },
        secrets: ['oa-tok', 'Bearer oa-tok'],
      },
    ],
    [
      'first satisfiable requirement is used',
      {
        security: [{ bearer: [], headerKey: [] }, { queryKey: [] }],
        auth: { bearer: 'b-tok', queryKey: 'q-key' },
        url: `${base}/me?api_key=q-key`,
        headers: {},
        secrets: ['q-key'],
      },
    ],
    [
      'all schemes of a requirement applied',
      {
        security: [{ bearer: [], headerKey: [] }],
        auth: { bearer: 'b-tok', headerKey: 'h-key' },
        url: `${base}/me`,
        headers: { Authorization: 'Bearer b-tok', 'X-API-Key': 'h-key' },
        secrets: ['b-tok', 'Bearer b-tok', 'h-key'],
      },
    ],
    [
      'optional auth {} with no credentials',
      { security: [{}, { bearer: [] }], auth: {}, url: `${base}/me`, headers: {}, secrets: [] },
    ],
    [
      'optional auth {} first, credentials given: applied',
      {
        security: [{}, { bearer: [] }],
        auth: { bearer: 'b-tok' },
        url: `${base}/me`,
        headers: { Authorization: 'Bearer b-tok' },
        secrets: ['b-tok', 'Bearer b-tok'],
      },
    ],
    [
      'explicit header parameter wins (case-insensitive)',
      {
        security: [{ headerKey: [] }],
        auth: { headerKey: 'k-123' },
        params: [{ name: 'x-api-key', in: 'header', value: 'mine' }],
        url: `${base}/me`,
        headers: { 'x-api-key': 'mine' },
        secrets: ['k-123'],
      },
    ],
    [
      'explicit Authorization wins over bearer',
      {
        security: [{ bearer: [] }],
        auth: { bearer: 'b-tok' },
        params: [{ name: 'Authorization', in: 'header', value: 'Token xyz' }],
        url: `${base}/me`,
        headers: { Authorization: 'Token xyz' },
        secrets: ['b-tok', 'Bearer b-tok'],
      },
    ],
    [
      'explicit query parameter wins',
      {
        security: [{ queryKey: [] }],
        auth: { queryKey: 'q-key' },
        params: [{ name: 'api_key', in: 'query', value: 'mine' }],
        url: `${base}/me?api_key=mine`,
        headers: {},
        secrets: ['q-key'],
      },
    ],
    [
      'no auth given: nothing applied',
      { security: [{ bearer: [] }], auth: {}, url: `${base}/me`, headers: {}, secrets: [] },
    ],
  ])('%s', (_name, { security, auth, params, url, headers, secrets }) => {
    const req = build(op(security), params ?? [], { auth });
    expect(req.url).toBe(url);
    expect(req.headers).toEqual(headers);
    expect(req.secrets).toEqual(secrets);
    expect(maskSecrets(`${req.url} ${JSON.stringify(req.headers)}`, req.secrets)).not.toMatch(
      /k-123|q-key|b-tok|opensesame|YWxh|oa-tok|tok\.en|sess1/,
    );
  });
});
