// JSON Pointer (RFC 6901) and its URI fragment form: src/pointer.ts, the one home every layer uses.
import { describe, expect, it } from 'vitest';
import { workflowInputsSchema } from '../src/cli/args.js';
import type { ArazzoDocument } from '../src/document/model.js';
import { runWorkflow } from '../src/engine/index.js';
import { componentInputsSchema } from '../src/engine/inputs.js';
import { readCorrelation } from '../src/engine/message-step.js';
import { isUnresolved, selectPointer } from '../src/expression/index.js';
import { stepTargetLabel } from '../src/graph/labels.js';
import { applyReplacements } from '../src/http/index.js';
import { synthesizeInputs } from '../src/mock/index.js';
import {
  childPointer,
  escapePointerToken,
  formatPointer,
  isArrayIndex,
  parseFragmentPointer,
  parsePointer,
  pointerFragment,
  pointerProblem,
  readPointer,
  unescapePointerToken,
} from '../src/pointer.js';
import { loadArazzo, validate } from '../src/sources/index.js';

describe('parsePointer (RFC 6901 section 3)', () => {
  it.each<[string, string[] | undefined]>([
    ['', []],
    ['/', ['']],
    ['/a/b', ['a', 'b']],
    ['/paths/~1pets~1{id}/get', ['paths', '/pets/{id}', 'get']],
    ['/~0', ['~']],
    ['/~01', ['~1']],
    ['/~10', ['/0']],
    ['/a//b', ['a', '', 'b']],
    ['/a%20b', ['a%20b']],
    ['/ /x', [' ', 'x']],
    ['a/b', undefined],
    ['#/a', undefined],
    ['/a~', undefined],
    ['/a~2b', undefined],
    ['/~/', undefined],
  ])('%j', (pointer, want) => {
    expect(parsePointer(pointer)).toEqual(want);
  });
});

describe('parseFragmentPointer (RFC 6901 section 6): percent-decoding, then the pointer', () => {
  it.each<[string, string[] | undefined]>([
    ['#', []],
    ['#/components/inputs/a~1b', ['components', 'inputs', 'a/b']],
    ['#/components/inputs/with%20space', ['components', 'inputs', 'with space']],
    ['#/a%7E1b/c~1d%20e', ['a/b', 'c/d e']],
    ['#/a%7E0b', ['a~b']],
    ['#/%25', ['%']],
    ['#/%2F', ['', '']],
    ['#/%', undefined],
    ['#/%E0%A4%A', undefined],
    ['#a', undefined],
    ['#/a~2', undefined],
    ['/a', undefined],
    ['', undefined],
  ])('%j', (ref, want) => {
    expect(parseFragmentPointer(ref)).toEqual(want);
  });
});

describe('pointerProblem says why, for messages', () => {
  it.each<[string, RegExp | undefined]>([
    ['/a/b', undefined],
    ['', undefined],
    ['#/a%20b', undefined],
    ['a', /must start with "\/"/],
    ['/a~2b', /bad escape in "a~2b"/],
    ['/a~', /bad escape in "a~"/],
    ['#/%', /percent-encoding is malformed/],
  ])('%j', (text, want) => {
    const problem = pointerProblem(text);
    if (want === undefined) expect(problem).toBeUndefined();
    else expect(problem).toMatch(want);
  });
});

describe('escaping round-trips', () => {
  const tokens = ['', 'a', '~', '/', '~1', '~0', '/~', 'a/b~c', '~~//', 'with space', '%20', '0', '-', 'ü'];
  it.each(tokens)('token %j', (token) => {
    expect(unescapePointerToken(escapePointerToken(token))).toBe(token);
    expect(parsePointer(`/${escapePointerToken(token)}`)).toEqual([token]);
    expect(parseFragmentPointer(pointerFragment(`/${escapePointerToken(token)}`))).toEqual([token]);
  });

  it('a list of tokens', () => {
    expect(parsePointer(formatPointer(tokens))).toEqual(tokens);
    expect(parseFragmentPointer(pointerFragment(formatPointer(tokens)))).toEqual(tokens);
  });

  it.each<[string | number, string]>([
    ['a/b~c', 'a~1b~0c'],
    ['~1', '~01'],
    [3, '3'],
  ])('escapePointerToken(%j) is %j', (token, want) => {
    expect(escapePointerToken(token)).toBe(want);
  });

  it('builds pointers and fragments', () => {
    expect(formatPointer([])).toBe('');
    expect(formatPointer(['paths', '/pets', 0])).toBe('/paths/~1pets/0');
    expect(childPointer('/workflows/0', 'steps', 2, 'a/b')).toBe('/workflows/0/steps/2/a~1b');
    expect(childPointer('')).toBe('');
    expect(pointerFragment('/components/a b/%/#')).toBe('#/components/a%20b/%25/%23');
    expect(pointerFragment('')).toBe('#');
  });
});

describe('readPointer: own properties only, array indices per RFC 6901 section 4', () => {
  const doc = {
    'a/b': { '~c': [10, 20] },
    list: [{ id: 1 }, null],
    '': { '': 'empty keys' },
    nested: { __proto__: null, x: 1 },
    zero: 0,
  };
  const inherited = Object.create({ up: 'from the prototype' }) as Record<string, unknown>;
  inherited.mine = 1;
  it.each<[string, string | readonly string[], unknown, unknown]>([
    ['the whole value', '', doc, doc],
    ['escaped keys', '/a~1b/~0c/1', doc, 20],
    ['an index then a key', '/list/0/id', doc, 1],
    ['a null member', '/list/1', doc, null],
    ['a falsy member', '/zero', doc, 0],
    ['empty keys', '//', doc, 'empty keys'],
    ['tokens, not a string', ['a/b', '~c', '0'], doc, 10],
    ['a null-prototype object', '/nested/x', doc, 1],
    ['own member of an object with a prototype', '/mine', inherited, 1],
    ['an inherited member', '/up', inherited, undefined],
    ['__proto__', '/__proto__', doc, undefined],
    ['constructor', '/constructor', doc, undefined],
    ['toString', '/toString', doc, undefined],
    ['__proto__ as a token', ['__proto__', 'constructor'], doc, undefined],
    ["an array's length", '/list/length', doc, undefined],
    ['a leading zero', '/list/01', doc, undefined],
    ['a sign', '/list/+1', doc, undefined],
    ['"-" (past the end) never reads', '/list/-', doc, undefined],
    ['past the end', '/list/2', doc, undefined],
    ['into a primitive', '/zero/x', doc, undefined],
    ['into a string', '/a~1b/~0c/0/x', doc, undefined],
    ['a missing member', '/nope', doc, undefined],
    ['an invalid pointer', 'list', doc, undefined],
    ['a bad escape', '/a~2b', doc, undefined],
  ])('%s', (_name, pointer, root, want) => {
    expect(readPointer(root, pointer)).toBe(want);
  });

  it('an own "__proto__" member is data and reads', () => {
    const data = JSON.parse('{"__proto__": {"x": 1}}') as unknown;
    expect(readPointer(data, '/__proto__/x')).toBe(1);
  });

  it.each<[string, boolean]>([
    ['0', true],
    ['10', true],
    ['01', false],
    ['-', false],
    ['-1', false],
    ['1e2', false],
    ['', false],
    [' 1', false],
  ])('isArrayIndex(%j) is %j', (token, want) => {
    expect(isArrayIndex(token)).toBe(want);
  });
});

describe('the layers read pointers through it', () => {
  it.each<[string, Record<string, string>, string]>([
    ['escapes', { operationPath: '{$sourceDescriptions.api.url}#/paths/~1pets~1{id}/get' }, 'GET /pets/{id}'],
    ['percent-encoding', { operationPath: '{$sourceDescriptions.api.url}#/paths/~1a%20b/post' }, 'POST /a b'],
    [
      'channel escapes',
      { channelPath: '{$sourceDescriptions.ev.url}#/channels/a~1b', action: 'send' },
      'send channel a/b',
    ],
  ])('graph labels: %s', (_name, step, want) => {
    expect(stepTargetLabel(step as never)).toBe(want);
  });

  it.each<[string, unknown]>([
    ['$message.payload#/a~1b/0', 5],
    ['$message.payload', { 'a/b': [5] }],
    ['$message.payload#/__proto__', undefined],
    ['$message.payload#/a~1b/-', undefined],
    ['$message.header#/X-Id', 'x~y'],
    ['$message.header#/x-id/a', undefined],
    ['$message.header#/nope', undefined],
  ])('AsyncAPI correlation %s', (location, want) => {
    expect(readCorrelation(location, { 'x-id': 'x~y' }, { 'a/b': [5] })).toEqual(want);
  });

  it('payload replacements take a pointer or its fragment form', () => {
    const payload = { 'a b': { 'c/d': 1 }, list: [1] };
    expect(applyReplacements(payload, [{ target: '#/a%20b/c~1d', value: 2 }])).toEqual({
      'a b': { 'c/d': 2 },
      list: [1],
    });
    expect(applyReplacements(payload, [{ target: '/list/-', value: 2 }])).toEqual({
      ...payload,
      list: [1, 2],
    });
    expect(() => applyReplacements(payload, [{ target: '#/%', value: 2 }])).toThrow(
      /percent-encoding is malformed/,
    );
  });

  it('selectPointer says where and why', () => {
    const v = selectPointer({ a: { b: 1 } }, '/a/c');
    expect(isUnresolved(v) && v.reason).toBe('JSON Pointer "/a/c": no member "c" at "/a"');
    const w = selectPointer({}, 'a');
    expect(isUnresolved(w) && w.reason).toBe('"a" is not a JSON Pointer: it must start with "/"');
  });
});

// A name with "~", "/" and a space: escaped "~0", "~1" and percent-encoded "%20" in the `$ref`.
const NAME = 'a~b/c d';
const REF = '#/components/inputs/a~0b~1c%20d';
const SCHEMA = { type: 'object', properties: { n: { type: 'integer' } }, required: ['n'] };

function documentWith(ref: string, where: 'components' | 'extension'): Record<string, unknown> {
  return {
    arazzo: '1.0.1',
    info: { title: 'pointer escapes', version: '1' },
    sourceDescriptions: [{ name: 'api', url: 'http://api.test/openapi.json', type: 'openapi' }],
    workflows: [
      {
        workflowId: 'w',
        inputs: { $ref: ref },
        steps: [{ stepId: 's', operationId: 'ping' }],
        outputs: { n: '$inputs.n' },
      },
    ],
    ...(where === 'components'
      ? { components: { inputs: { [NAME]: SCHEMA } } }
      : { 'x-inputs': { [NAME]: SCHEMA } }),
  };
}

const OPENAPI = JSON.stringify({
  openapi: '3.1.0',
  info: { title: 'api', version: '1' },
  paths: { '/ping': { get: { operationId: 'ping', responses: { 200: { description: 'ok' } } } } },
});

/** The OpenAPI source is served here: nothing goes to the network. */
const LOAD = { loader: async () => ({ text: OPENAPI, contentType: 'application/json' }), allowRemote: true };

describe('the resolvers of an inputs `$ref` agree on "~", "/" and percent-encoding', () => {
  const doc = documentWith(REF, 'components') as unknown as ArazzoDocument;
  const workflow = doc.workflows[0]!;

  it('the engine, the CLI and the mock inputs find the same component', () => {
    expect(componentInputsSchema(doc, REF)).toBe(SCHEMA);
    expect(workflowInputsSchema(doc, workflow)).toBe(SCHEMA);
    expect(
      synthesizeInputs(workflow.inputs, { resolveRef: (ref) => componentInputsSchema(doc, ref) }),
    ).toEqual({
      n: expect.any(Number),
    });
  });

  it.each([
    ['~0 and ~1 swapped', '#/components/inputs/a~1b~0c%20d'],
    ['the space not decoded as a token', '#/components/inputs/a~0b~1c%2520d'],
    ['a bad escape', '#/components/inputs/a~2b'],
  ])('none of them resolves %s', (_name, ref) => {
    const other = documentWith(ref, 'components') as unknown as ArazzoDocument;
    expect(componentInputsSchema(other, ref)).toBeUndefined();
    expect(workflowInputsSchema(other, other.workflows[0]!)).toEqual({ $ref: ref });
  });

  it('validate resolves the $ref (the name itself breaks the components key rule, nothing else)', async () => {
    const ok = await validate(documentWith(REF, 'components'), LOAD);
    expect(ok.diagnostics.map((d) => d.code)).toEqual(['component-key']);
    const swapped = await validate(documentWith('#/components/inputs/a~1b~0c%20d', 'components'), LOAD);
    expect(swapped.diagnostics.map((d) => d.message)).toContainEqual(
      expect.stringMatching(/\$ref "#\/components\/inputs\/a~1b~0c%20d" does not resolve/),
    );
  });

  it('runWorkflow checks the inputs against the schema the same pointer names', async () => {
    // components.inputs keys must match ^[a-zA-Z0-9.\-_]+$, so the run reads the same name from an extension.
    const ref = '#/x-inputs/a~0b~1c%20d';
    const checked = await validate(documentWith(ref, 'extension'), LOAD);
    expect(checked.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(checked.diagnostics.map((d) => d.message).join('\n')).not.toMatch(/does not resolve/);
    const loaded = await loadArazzo(documentWith(ref, 'extension'), LOAD);
    const transport = async (request: { url: string }) => ({
      statusCode: 200,
      headers: {},
      body: undefined,
      size: 0,
      durationMs: 0,
      url: request.url,
    });
    const bad = await runWorkflow(loaded, { n: 'one' }, { transport });
    expect(bad.error?.code).toBe('INPUTS_INVALID');
    expect(bad.error?.message).toContain('input "n": must be integer');
    const missing = await runWorkflow(loaded, {}, { transport });
    expect(missing.error?.message).toContain('missing required input "n"');
    const ok = await runWorkflow(loaded, { n: 1 }, { transport });
    expect(ok.status).toBe('succeeded');
    expect(ok.outputs).toEqual({ n: 1 });
  });
});
