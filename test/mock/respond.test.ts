import { describe, expect, it } from 'vitest';
import type { TransportContext } from '../../src/engine/options.js';
import type { PreparedRequest } from '../../src/http/types.js';
import { chooseStatus, createMockTransport, loadScenario } from '../../src/mock/index.js';
import { fixtureSource, operation } from './helpers.js';

const pets = fixtureSource('petstore-3.0/openapi.yaml');

function request(pathParams: Record<string, unknown> = {}): PreparedRequest {
  return { method: 'GET', url: 'http://mock.test/x', headers: {}, pathParams, queryParams: {}, secrets: [] };
}
function context(op: string, extra: Partial<TransportContext> = {}): TransportContext {
  return {
    workflowId: 'w',
    stepId: 's',
    attempt: 1,
    operation: operation(pets, op),
    signal: new AbortController().signal,
    ...extra,
  };
}

describe('chooseStatus', () => {
  it.each([
    ['lowest declared 2xx', { op: 'createPet', expected: undefined, want: 201 }],
    ['an expected status the operation declares', { op: 'createPet', expected: [400], want: 400 }],
    ['first declared of several expected', { op: 'getPet', expected: [418, 404, 200], want: 404 }],
    ['an undeclared expected status is passed over', { op: 'getPet', expected: [418], want: 200 }],
    ['a 2XX range', { op: 'petCard', expected: undefined, want: 200 }],
    ['an expected status inside a 2XX range', { op: 'petCard', expected: [203], want: 203 }],
    ['default only', { op: 'GET /health', expected: undefined, want: 200 }],
    ['the lowest 2xx, not the first written', { op: 'events', expected: undefined, want: 200 }],
    ['204 without content', { op: 'deletePet', expected: undefined, want: 204 }],
  ])('%s', (_name, { op, expected, want }) => {
    expect(chooseStatus(operation(pets, op), expected)).toBe(want);
  });
});

interface AnswerCase {
  op: string;
  params: Record<string, unknown>;
  expected?: number[];
  want: { status: number; type?: string; headers?: Record<string, string>; body?: unknown };
}

describe('createMockTransport answers from the description', () => {
  it.each<[string, AnswerCase]>([
    [
      'JSON is preferred over the XML listed first; headers are sampled',
      {
        op: 'listPets',
        params: {},
        want: {
          status: 200,
          type: 'application/json',
          headers: { 'x-total-count': '3', 'x-next': 'http://example.com' },
        },
      },
    ],
    [
      'a media-type example wins over the schema',
      {
        op: 'myPets',
        params: {},
        want: { status: 200, body: [{ id: 7, name: 'Rex', tag: null, password: 'x' }] },
      },
    ],
    [
      'the first named example, path parameter echoed',
      {
        op: 'getOwner',
        params: { ownerId: 'o-9' },
        want: { status: 200, body: { ownerId: 'o-9', id: 'o-9', name: 'Alice' } },
      },
    ],
    [
      'text/plain example',
      { op: 'petCard', params: {}, want: { status: 200, type: 'text/plain', body: 'Rex (dog)' } },
    ],
    [
      'no content: no body, no content type',
      { op: 'deletePet', params: {}, want: { status: 204, body: undefined } },
    ],
    [
      'problem+json for an expected 400',
      {
        op: 'createPet',
        params: {},
        expected: [400],
        want: { status: 400, type: 'application/problem+json', body: { title: 'string', status: 0 } },
      },
    ],
  ])('%s', async (_name, { op, params, expected, want }) => {
    const transport = createMockTransport();
    const res = await transport(
      request(params),
      context(op, expected === undefined ? {} : { expectedStatus: expected }),
    );
    expect(res.statusCode).toBe(want.status);
    if ('type' in want) expect(res.contentType).toBe(want.type);
    if (want.headers !== undefined) expect(res.headers).toMatchObject(want.headers);
    if ('body' in want) expect(res.body).toEqual(want.body);
    if (want.body === undefined && 'body' in want) expect(res.headers['content-type']).toBeUndefined();
    expect(res.url).toBe('http://mock.test/x');
  });

  it('samples the schema: integer path parameter echoed as a number, ids left when not placeholders', async () => {
    const res = await createMockTransport()(request({ petId: '42' }), context('getPet'));
    const body = res.body as Record<string, unknown>;
    expect(body.id).toBe(42);
    expect(body.name).toBe('string');
    expect(body.birthday).toMatch(/^\d{4}-\d\d-\d\d$/);
    expect(body.owner).toMatchObject({ ownerName: 'Alice' });
    expect((body.owner as Record<string, unknown>).owner_id).toMatch(/^mock_[0-9a-z]{10}$/);
    expect(res.size).toBe(JSON.stringify(body).length);
  });

  it('follows a $ref cycle when the sources are given, and stops at the sampler depth', async () => {
    const res = await createMockTransport({ sources: [pets] })(request(), context('getTree'));
    const body = res.body as { name: string; children: Array<{ name: string }> };
    expect(body.name).toBe('string');
    expect(body.children[0]?.name).toBe('string');
  });

  it('generated ids are deterministic per seed and differ per call and per seed', async () => {
    const ids = async (seed: number) => {
      const t = createMockTransport({ seed });
      const out: unknown[] = [];
      for (let i = 0; i < 2; i++)
        out.push(
          ((await t(request(), context('getPet'))).body as { owner: { owner_id: string } }).owner.owner_id,
        );
      return out;
    };
    const a = await ids(1);
    expect(await ids(1)).toEqual(a);
    expect(a[0]).not.toBe(a[1]);
    expect(await ids(2)).not.toEqual(a);
  });

  it('applies scenario entries: status, merge into the generated body, body, headers, per step', async () => {
    const scenario = loadScenario({
      operations: {
        getPet: [{ merge: { status: 'sold', owner: { ownerName: 'Bo' } } }, { status: 404 }],
        'POST /pets': { status: 500, body: { title: 'boom' }, headers: { 'Retry-After': 1 } },
      },
      steps: { 'w/special': { status: 200, body: [] } },
    });
    const t = createMockTransport({ scenario });
    const first = await t(request({ petId: 1 }), context('getPet'));
    expect(first.body).toMatchObject({ id: 1, status: 'sold', owner: { ownerName: 'Bo' } });
    expect((first.body as { owner: { owner_id: string } }).owner.owner_id).toMatch(/^mock_/);
    const second = await t(request(), context('getPet'));
    expect([second.statusCode, second.body]).toEqual([404, { title: 'string', status: 0 }]);
    const third = await t(request(), context('getPet'));
    expect(third.statusCode).toBe(404);
    const special = await t(request(), context('getPet', { stepId: 'special' }));
    expect([special.statusCode, special.body]).toEqual([200, []]);
    const created = await t(request(), context('createPet'));
    expect([created.statusCode, created.body, created.headers['retry-after']]).toEqual([
      500,
      { title: 'boom' },
      '1',
    ]);
  });

  it('delayMs waits and honours the abort signal', async () => {
    const t = createMockTransport({ scenario: loadScenario({ operations: { getPet: { delayMs: 5000 } } }) });
    const controller = new AbortController();
    const pending = t(request(), context('getPet', { signal: controller.signal }));
    controller.abort(new Error('stop'));
    await expect(pending).rejects.toThrow('stop');
  });
});
