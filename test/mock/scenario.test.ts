import { describe, expect, it } from 'vitest';
import { isScenarioError, loadScenario, ScenarioCursor, type ScenarioError } from '../../src/mock/index.js';
import { fixtureSource, operation, readFixture } from './helpers.js';

const pets = fixtureSource('petstore-3.0/openapi.yaml');

function issuesOf(input: string | object): Array<[string, string]> {
  try {
    loadScenario(input);
  } catch (error) {
    if (!isScenarioError(error)) throw error;
    return (error as ScenarioError).issues.map((i) => [i.pointer, i.message]);
  }
  throw new Error('expected a ScenarioError');
}

describe('loadScenario', () => {
  it('reads YAML text: a single object is a list of one', () => {
    const s = loadScenario(
      'operations:\n  getPet: { status: 404 }\nsteps:\n  w/s:\n    - merge: { a: 1 }\n      times: 2\n',
    );
    expect(s).toEqual({
      operations: { getPet: [{ status: 404 }] },
      steps: { 'w/s': [{ merge: { a: 1 }, times: 2 }] },
    });
  });

  it('reads JSON text and objects alike', () => {
    expect(loadScenario('{"seed": 3, "operations": {"GET /pets": [{"body": null}]}}')).toEqual({
      seed: 3,
      operations: { 'GET /pets': [{ body: null }] },
      steps: {},
    });
  });

  it('reports every bad entry with its pointer', () => {
    expect(issuesOf(readFixture('scenarios/bad.yaml'))).toEqual([
      ['/extra', 'unknown field (expected seed, operations, steps)'],
      ['/operations/get ~1pets', 'an operation key is an operationId or "METHOD /path" (upper-case method)'],
      [
        '/operations/createPet/0/colour',
        'unknown field (expected one of status, headers, body, merge, contentType, delayMs, times)',
      ],
      ['/operations/createPet/0/status', 'must be an integer from 100 to 599'],
      ['/operations/createPet/0/merge', 'must be an object (it is deep-merged into the generated body)'],
      ['/operations/createPet/0/delayMs', 'must be a number of milliseconds >= 0'],
      ['/steps/a~1b~1c', 'a step key is "stepId" or "workflowId/stepId"'],
      ['/steps/pollConnection', 'needs at least one response entry'],
      ['/seed', 'must be an integer'],
    ]);
  });

  it.each([
    [
      'not an object',
      { given: '- 1', want: [['', 'a scenario must be an object with "operations" and/or "steps"']] },
    ],
    [
      'broken YAML',
      { given: 'operations: [', want: [['', expect.stringMatching(/^not valid YAML or JSON: /)]] },
    ],
    [
      'entry not an object',
      { given: { steps: { s: [1] } }, want: [['/steps/s/0', 'a response entry must be an object']] },
    ],
    [
      'bad header value',
      {
        given: { steps: { s: { headers: { a: [] } } } },
        want: [['/steps/s/headers/a', 'must be a string, number or boolean']],
      },
    ],
    [
      'bad times',
      { given: { steps: { s: { times: 0 } } }, want: [['/steps/s/times', 'must be an integer >= 1']] },
    ],
    [
      'bad content type',
      {
        given: { steps: { s: { contentType: 'json' } } },
        want: [['/steps/s/contentType', 'must be a media type such as application/json']],
      },
    ],
    [
      'section not an object',
      {
        given: { operations: [] },
        want: [['/operations', 'must be an object of operation keys to responses']],
      },
    ],
  ])('%s', (_name, { given, want }) => {
    expect(issuesOf(given)).toEqual(want);
  });

  it('the error message names the pointers', () => {
    expect(() => loadScenario({ steps: { s: { status: 'x' } } })).toThrow(
      'invalid mock scenario: /steps/s/status: must be an integer from 100 to 599',
    );
  });
});

describe('ScenarioCursor', () => {
  const getPet = operation(pets, 'getPet');

  it('consumes in order, honours times, repeats the last entry', () => {
    const cursor = new ScenarioCursor(
      loadScenario({ operations: { getPet: [{ status: 500, times: 2 }, { status: 201 }, { status: 202 }] } }),
    );
    const got = Array.from({ length: 6 }, () => cursor.next(getPet)?.status);
    expect(got).toEqual([500, 500, 201, 202, 202, 202]);
  });

  it.each([
    ['workflowId/stepId first', { keys: ['w/s', 's', 'getPet', 'GET /pets/{petId}'], want: 'w/s' }],
    ['then stepId', { keys: ['s', 'getPet', 'GET /pets/{petId}'], want: 's' }],
    ['then operationId', { keys: ['getPet', 'GET /pets/{petId}'], want: 'getPet' }],
    ['then METHOD /path', { keys: ['GET /pets/{petId}'], want: 'GET /pets/{petId}' }],
    ['another workflow does not match', { keys: ['other/s'], want: undefined }],
  ])('key precedence: %s', (_name, { keys, want }) => {
    const operations: Record<string, unknown> = {};
    const steps: Record<string, unknown> = {};
    for (const k of keys)
      (k.includes(' ') || k === 'getPet' ? operations : steps)[k] = { headers: { key: k } };
    const cursor = new ScenarioCursor(loadScenario({ operations, steps }));
    expect(cursor.next(getPet, { workflowId: 'w', stepId: 's' })?.headers?.key).toBe(want);
  });

  it('each key keeps its own position', () => {
    const cursor = new ScenarioCursor(
      loadScenario({
        operations: { getPet: [{ status: 1 + 199 }, { status: 201 }] },
        steps: { a: [{ status: 300 }, { status: 301 }] },
      }),
    );
    expect([
      cursor.next(getPet, { workflowId: 'w', stepId: 'a' })?.status,
      cursor.next(getPet, { workflowId: 'w', stepId: 'b' })?.status,
      cursor.next(getPet, { workflowId: 'w', stepId: 'a' })?.status,
      cursor.next(getPet)?.status,
    ]).toEqual([300, 200, 301, 201]);
  });
});
