import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';
import type { ArazzoDocument, JsonObject } from '../../src/document/model.js';
import { checkInputs } from '../../src/engine/inputs.js';
import { ANNOTATION_FORMATS, codePointLength, compileSimple } from '../../src/engine/simple-schema.js';

type AjvCtor = typeof import('ajv/dist/2020.js').default;
type AddFormats = typeof import('ajv-formats').default;

// The same configuration as inputs.ts's getAjv().
function referenceAjv() {
  const require = createRequire(import.meta.url);
  const Ajv2020 = (require('ajv/dist/2020.js') as { default: AjvCtor }).default;
  const addFormats = (require('ajv-formats') as { default: AddFormats }).default;
  const ajv = new Ajv2020({
    allErrors: true,
    strict: false,
    useDefaults: true,
    ownProperties: true,
    validateSchema: false,
    logger: false,
    validateFormats: true,
  });
  addFormats(ajv);
  for (const format of ANNOTATION_FORMATS) ajv.addFormat(format, true);
  return ajv;
}
const ajv = referenceAjv();

/** An object with an own "__proto__" key, as JSON.parse makes it. */
const withProtoKey = (json: string) => () => JSON.parse(json) as unknown;

interface Case {
  schema: JsonObject;
  /** Called once per validator, so each gets its own copy to write defaults into. */
  value: () => unknown;
}

const str = { type: 'string' };
const person: JsonObject = {
  type: 'object',
  required: ['name'],
  properties: { name: str, age: { type: 'integer', minimum: 0 } },
};

// [name, { given, want }]: `want.ok` pins the expected validity, and the test also requires the simple validator
// to agree with ajv on the value (defaults) and the exact error list.
const differential: Array<[string, { given: Case; want: { ok: boolean } }]> = [
  ['string ok', { given: { schema: str, value: () => 'x' }, want: { ok: true } }],
  ['string rejects number', { given: { schema: str, value: () => 1 }, want: { ok: false } }],
  ['number accepts 1.5', { given: { schema: { type: 'number' }, value: () => 1.5 }, want: { ok: true } }],
  [
    'number accepts NaN (strictNumbers off)',
    { given: { schema: { type: 'number' }, value: () => Number.NaN }, want: { ok: true } },
  ],
  [
    'number accepts Infinity',
    { given: { schema: { type: 'number' }, value: () => Number.POSITIVE_INFINITY }, want: { ok: true } },
  ],
  ['integer accepts 1.0', { given: { schema: { type: 'integer' }, value: () => 1.0 }, want: { ok: true } }],
  ['integer rejects 1.5', { given: { schema: { type: 'integer' }, value: () => 1.5 }, want: { ok: false } }],
  [
    'integer rejects NaN',
    { given: { schema: { type: 'integer' }, value: () => Number.NaN }, want: { ok: false } },
  ],
  [
    'integer accepts Infinity',
    { given: { schema: { type: 'integer' }, value: () => Number.POSITIVE_INFINITY }, want: { ok: true } },
  ],
  ['integer rejects "1"', { given: { schema: { type: 'integer' }, value: () => '1' }, want: { ok: false } }],
  [
    'boolean rejects "true"',
    { given: { schema: { type: 'boolean' }, value: () => 'true' }, want: { ok: false } },
  ],
  ['null ok', { given: { schema: { type: 'null' }, value: () => null }, want: { ok: true } }],
  [
    'null rejects undefined',
    { given: { schema: { type: 'null' }, value: () => undefined }, want: { ok: false } },
  ],
  [
    'type list ok',
    { given: { schema: { type: ['string', 'null'] }, value: () => null }, want: { ok: true } },
  ],
  [
    'type list error message',
    { given: { schema: { type: ['string', 'null'] }, value: () => 3 }, want: { ok: false } },
  ],
  [
    'object+array list',
    { given: { schema: { type: ['object', 'array'] }, value: () => null }, want: { ok: false } },
  ],
  ['object rejects array', { given: { schema: { type: 'object' }, value: () => [] }, want: { ok: false } }],
  ['array rejects object', { given: { schema: { type: 'array' }, value: () => ({}) }, want: { ok: false } }],
  [
    'minLength counts code points',
    { given: { schema: { type: 'string', minLength: 2 }, value: () => '😀' }, want: { ok: false } },
  ],
  [
    'maxLength counts code points',
    { given: { schema: { type: 'string', maxLength: 2 }, value: () => '😀😀' }, want: { ok: true } },
  ],
  [
    'maxLength lone surrogates',
    { given: { schema: { maxLength: 1 }, value: () => '\ud800\ud800' }, want: { ok: false } },
  ],
  [
    'length keywords on a non-string',
    { given: { schema: { minLength: 5 }, value: () => 3 }, want: { ok: true } },
  ],
  [
    'type after enum when string has keywords',
    { given: { schema: { type: 'string', minLength: 1, enum: ['a'] }, value: () => 5 }, want: { ok: false } },
  ],
  [
    'type before enum without string keywords',
    { given: { schema: { type: 'string', enum: ['a'] }, value: () => 5 }, want: { ok: false } },
  ],
  [
    'annotation format moves the type error',
    {
      given: { schema: { type: 'string', format: 'password', const: 'a' }, value: () => 5 },
      want: { ok: false },
    },
  ],
  [
    'integer 1.5 below minimum: two errors',
    { given: { schema: { type: 'integer', minimum: 3 }, value: () => 1.5 }, want: { ok: false } },
  ],
  [
    'number limits all fail',
    {
      given: {
        schema: { type: 'number', maximum: 1, minimum: 5, exclusiveMaximum: 1, exclusiveMinimum: 5 },
        value: () => 3,
      },
      want: { ok: false },
    },
  ],
  [
    'exclusive bounds at the edge',
    { given: { schema: { exclusiveMinimum: 3, exclusiveMaximum: 3 }, value: () => 3 }, want: { ok: false } },
  ],
  [
    'limits reject NaN',
    { given: { schema: { type: 'number', minimum: 0 }, value: () => Number.NaN }, want: { ok: false } },
  ],
  ['multipleOf ok', { given: { schema: { multipleOf: 0.5 }, value: () => 2.5 }, want: { ok: true } }],
  [
    'multipleOf float quirk',
    { given: { schema: { multipleOf: 0.1 }, value: () => 0.3 }, want: { ok: false } },
  ],
  ['multipleOf 0', { given: { schema: { multipleOf: 0 }, value: () => 0 }, want: { ok: false } }],
  [
    'multipleOf huge quotient',
    { given: { schema: { multipleOf: 1 }, value: () => 1e21 }, want: { ok: false } },
  ],
  [
    'enum primitives',
    { given: { schema: { enum: ['a', 1, null, true] }, value: () => 'b' }, want: { ok: false } },
  ],
  [
    'enum object deep equal',
    { given: { schema: { enum: [{ a: [1, 2] }] }, value: () => ({ a: [1, 2] }) }, want: { ok: true } },
  ],
  [
    'enum object differs',
    { given: { schema: { enum: [{ a: [1, 2] }] }, value: () => ({ a: [2, 1] }) }, want: { ok: false } },
  ],
  [
    'enum rejects a Date',
    { given: { schema: { enum: [{}] }, value: () => new Date(0) }, want: { ok: false } },
  ],
  ['const primitive', { given: { schema: { const: 3 }, value: () => 3.0 }, want: { ok: true } }],
  ['const null fails', { given: { schema: { const: null }, value: () => 0 }, want: { ok: false } }],
  [
    'const object',
    { given: { schema: { const: { k: 'v' } }, value: () => ({ k: 'v', extra: 1 }) }, want: { ok: false } },
  ],
  ['required missing', { given: { schema: person, value: () => ({}) }, want: { ok: false } }],
  [
    'required own undefined is missing',
    { given: { schema: person, value: () => ({ name: undefined }) }, want: { ok: false } },
  ],
  [
    'required inherited is missing',
    {
      given: { schema: { type: 'object', required: ['toString', 'constructor'] }, value: () => ({}) },
      want: { ok: false },
    },
  ],
  [
    'required duplicates reported twice',
    { given: { schema: { type: 'object', required: ['a', 'a'] }, value: () => ({}) }, want: { ok: false } },
  ],
  [
    'nested property errors',
    { given: { schema: person, value: () => ({ name: 1, age: -1.5 }) }, want: { ok: false } },
  ],
  [
    'undefined property is not validated',
    { given: { schema: person, value: () => ({ name: 'n', age: undefined }) }, want: { ok: true } },
  ],
  [
    'additionalProperties false',
    {
      given: {
        schema: { type: 'object', properties: { a: str }, additionalProperties: false },
        value: () => ({ a: 'x', b: 1, 'c/d': 2 }),
      },
      want: { ok: false },
    },
  ],
  [
    'additionalProperties schema',
    {
      given: {
        schema: { type: 'object', properties: { a: str }, additionalProperties: { type: 'integer' } },
        value: () => ({ a: 'x', 'b~1': 'no', c: 2, d: undefined }),
      },
      want: { ok: false },
    },
  ],
  [
    'additionalProperties with many properties',
    {
      given: {
        schema: {
          type: 'object',
          properties: Object.fromEntries('abcdefghij'.split('').map((k) => [k, str])),
          additionalProperties: false,
        },
        value: () => ({ a: 'x', z: 1 }),
      },
      want: { ok: false },
    },
  ],
  [
    'order: required, additionalProperties, properties',
    {
      given: {
        schema: { type: 'object', properties: { a: str }, required: ['r'], additionalProperties: false },
        value: () => ({ a: 1, b: 2 }),
      },
      want: { ok: false },
    },
  ],
  [
    'escaped pointers',
    {
      given: {
        schema: { type: 'object', properties: { 'a/b': str, 'c~d': str, 'e f': str } },
        value: () => ({ 'a/b': 1, 'c~d': 2, 'e f': 3 }),
      },
      want: { ok: false },
    },
  ],
  [
    'integer-like keys order',
    {
      given: {
        schema: { type: 'object', properties: { b: str, 2: str, a: str, 1: str } },
        value: () => ({ a: 0, b: 0, 1: 0, 2: 0 }),
      },
      want: { ok: false },
    },
  ],
  [
    'default fills a missing property',
    {
      given: {
        schema: { type: 'object', properties: { region: { type: 'string', default: 'eu' } } },
        value: () => ({}),
      },
      want: { ok: true },
    },
  ],
  [
    'default replaces an own undefined',
    {
      given: {
        schema: { type: 'object', properties: { n: { type: 'integer', default: 5 } } },
        value: () => ({ n: undefined }),
      },
      want: { ok: true },
    },
  ],
  [
    'default does not override a value',
    {
      given: {
        schema: { type: 'object', properties: { n: { type: 'integer', default: 5 } } },
        value: () => ({ n: 7 }),
      },
      want: { ok: true },
    },
  ],
  [
    'default does not override null',
    {
      given: {
        schema: { type: 'object', properties: { n: { type: 'integer', default: 5 } } },
        value: () => ({ n: null }),
      },
      want: { ok: false },
    },
  ],
  [
    'default satisfies required',
    {
      given: {
        schema: { type: 'object', required: ['n'], properties: { n: { default: 1 } } },
        value: () => ({}),
      },
      want: { ok: true },
    },
  ],
  [
    'default null is applied then checked',
    {
      given: {
        schema: { type: 'object', properties: { n: { type: 'string', default: null } } },
        value: () => ({}),
      },
      want: { ok: false },
    },
  ],
  [
    'object default is a fresh copy',
    {
      given: {
        schema: {
          type: 'object',
          properties: {
            o: { type: 'object', default: { list: [1, { x: 2 }] }, properties: { list: { type: 'array' } } },
          },
        },
        value: () => ({}),
      },
      want: { ok: true },
    },
  ],
  [
    'nested defaults',
    {
      given: {
        schema: {
          type: 'object',
          properties: {
            o: {
              type: 'object',
              default: {},
              properties: {
                p: { default: 'deep' },
                q: { type: 'object', properties: { r: { default: 1 } } },
              },
            },
          },
        },
        value: () => ({ o: { q: {} } }),
      },
      want: { ok: true },
    },
  ],
  [
    'defaults inside items objects',
    {
      given: {
        schema: {
          type: 'array',
          items: { type: 'object', properties: { id: { type: 'integer', default: 0 } } },
        },
        value: () => [{}, { id: 3 }, 'x'],
      },
      want: { ok: false },
    },
  ],
  [
    'defaults apply after enum on the object',
    {
      given: { schema: { type: 'object', enum: [{}], properties: { a: { default: 1 } } }, value: () => ({}) },
      want: { ok: true },
    },
  ],
  [
    'defaults apply despite a type error',
    {
      given: { schema: { type: 'string', properties: { a: { default: 1 } } }, value: () => ({}) },
      want: { ok: false },
    },
  ],
  [
    'default for an inherited name is not applied',
    {
      given: {
        schema: { type: 'object', properties: { constructor: { type: 'string', default: 'c' } } },
        value: () => ({}),
      },
      want: { ok: false },
    },
  ],
  [
    'own constructor key',
    {
      given: {
        schema: { type: 'object', properties: { constructor: str }, additionalProperties: false },
        value: () => ({ constructor: 'x' }),
      },
      want: { ok: true },
    },
  ],
  [
    'own __proto__ key is additional',
    {
      given: {
        schema: { type: 'object', properties: { a: str }, additionalProperties: false },
        value: withProtoKey('{"a":"x","__proto__":{"polluted":true}}'),
      },
      want: { ok: false },
    },
  ],
  [
    'own __proto__ key against additional schema',
    {
      given: {
        schema: { type: 'object', additionalProperties: { type: 'string' } },
        value: withProtoKey('{"__proto__":1}'),
      },
      want: { ok: false },
    },
  ],
  [
    'items',
    {
      given: {
        schema: { type: 'array', items: { type: 'integer', maximum: 3 } },
        value: () => [1, 2.5, 4, 'x'],
      },
      want: { ok: false },
    },
  ],
  [
    'items true',
    { given: { schema: { type: 'array', items: true, minItems: 1 }, value: () => [] }, want: { ok: false } },
  ],
  [
    'maxItems',
    { given: { schema: { type: 'array', maxItems: 1 }, value: () => [1, 2] }, want: { ok: false } },
  ],
  [
    'uniqueItems scalars',
    {
      given: {
        schema: { type: 'array', uniqueItems: true, items: { type: 'integer' } },
        value: () => [1, 2, 3, 2, 1],
      },
      want: { ok: false },
    },
  ],
  [
    'uniqueItems skips other types',
    {
      given: { schema: { uniqueItems: true, items: { type: 'integer' } }, value: () => ['a', 'a', 1.5, 1.5] },
      want: { ok: false },
    },
  ],
  [
    'uniqueItems string and number differ',
    {
      given: {
        schema: { uniqueItems: true, items: { type: ['string', 'number'] } },
        value: () => ['1', 1, 'x'],
      },
      want: { ok: true },
    },
  ],
  [
    'uniqueItems __proto__ quirk',
    {
      given: {
        schema: { uniqueItems: true, items: { type: 'string' } },
        value: () => ['__proto__', '__proto__'],
      },
      want: { ok: true },
    },
  ],
  [
    'uniqueItems objects',
    {
      given: { schema: { uniqueItems: true }, value: () => [{ a: 1 }, [1], { a: 1 }, [1]] },
      want: { ok: false },
    },
  ],
  [
    'uniqueItems NaN equals NaN in deep mode',
    { given: { schema: { uniqueItems: true }, value: () => [Number.NaN, Number.NaN] }, want: { ok: false } },
  ],
  [
    'uniqueItems false',
    { given: { schema: { uniqueItems: false }, value: () => [1, 1] }, want: { ok: true } },
  ],
  [
    'annotations constrain nothing',
    {
      given: {
        schema: {
          type: 'object',
          title: 't',
          description: 'd',
          $comment: 'c',
          examples: [1],
          example: 1,
          deprecated: true,
          readOnly: true,
          writeOnly: true,
          'x-secret': true,
          properties: { k: { type: 'string', format: 'int64', 'x-order': 1 } },
        },
        value: () => ({ k: 'v' }),
      },
      want: { ok: true },
    },
  ],
  [
    'Date kept as an object',
    {
      given: {
        schema: { type: 'object', required: ['a'], additionalProperties: false },
        value: () => new Date(0),
      },
      want: { ok: false },
    },
  ],
  [
    'empty type list checks nothing',
    { given: { schema: { type: [], minimum: 2 }, value: () => 1 }, want: { ok: false } },
  ],
  [
    'enum: an array is not an object',
    { given: { schema: { enum: [{}, [1]] }, value: () => [] }, want: { ok: false } },
  ],
  ['const array', { given: { schema: { const: [1, 'a'] }, value: () => [1, 'a'] }, want: { ok: true } }],
  [
    'uniqueItems booleans and nulls',
    {
      given: {
        schema: { uniqueItems: true, items: { type: ['boolean', 'null'] } },
        value: () => [true, null, false, null],
      },
      want: { ok: false },
    },
  ],
  [
    'uniqueItems integers -0 and 0',
    {
      given: { schema: { uniqueItems: true, items: { type: 'number' } }, value: () => [0, -0] },
      want: { ok: false },
    },
  ],
  [
    'deep errors in items of properties',
    {
      given: {
        schema: {
          type: 'object',
          properties: {
            list: {
              type: 'array',
              items: { type: 'object', required: ['id'], additionalProperties: { type: 'boolean' } },
            },
          },
        },
        value: () => ({ list: [{ id: 1, on: 'yes' }, {}] }),
      },
      want: { ok: false },
    },
  ],
  [
    'composio-like inputs',
    {
      given: {
        schema: {
          type: 'object',
          required: ['apiKey', 'userId'],
          properties: {
            apiKey: { type: 'string', format: 'password' },
            userId: str,
            limit: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
            verbose: { type: 'boolean', default: false },
          },
        },
        value: () => ({ apiKey: 'k', userId: 7, limit: 0 }),
      },
      want: { ok: false },
    },
  ],
];

const pick = (errors: readonly object[] | null | undefined) =>
  (errors ?? []).map((e) => {
    const { instancePath, schemaPath, keyword, params, message } = e as Record<string, unknown>;
    return { instancePath, schemaPath, keyword, params, message };
  });

describe('compileSimple agrees with ajv', () => {
  it.each(differential)('%s', (_name, { given, want }) => {
    const simple = compileSimple(given.schema);
    expect(simple).toBeDefined();
    const viaAjv = ajv.compile(given.schema);
    const ajvValue = given.value();
    const ajvOk = viaAjv(ajvValue) as boolean;
    const simpleValue = given.value();
    const result = simple!(simpleValue);
    expect(ajvOk).toBe(want.ok);
    expect(result.ok).toBe(want.ok);
    expect(result.errors).toStrictEqual(pick(viaAjv.errors));
    expect(simpleValue).toStrictEqual(ajvValue);
    expect(JSON.stringify(simpleValue)).toBe(JSON.stringify(ajvValue));
    if (!want.ok) expect(result.errors.length).toBeGreaterThan(0);
  });

  it('gives each missing property its own copy of the default', () => {
    const schema = { type: 'object', properties: { o: { default: { n: [1] } } } };
    const validate = compileSimple(schema)!;
    const first: Record<string, { n: number[] }> = {};
    const second: Record<string, { n: number[] }> = {};
    validate(first);
    validate(second);
    first.o!.n.push(2);
    expect(second.o).toEqual({ n: [1] });
    expect(schema.properties.o.default).toEqual({ n: [1] });
  });
});

// Seeded random schemas from the subset and random values, each validated by both: the table above pins the
// cases we thought of, this catches the combinations we did not.
function generator(seed: number) {
  let state = seed;
  const next = (): number => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  const pickOne = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
  const types = ['string', 'number', 'integer', 'boolean', 'null', 'object', 'array'];
  const names = ['a', 'b', 'constructor', 'toString', 'x/y', '1', 'c~d'];
  const scalar = (): unknown => pickOne(['a', '', '😀', 0, 1, 1.5, -2, 3, true, false, null, 1e21, 0.3]);
  const json = (depth: number): unknown => {
    const r = next();
    if (depth > 1 || r < 0.6) return scalar();
    if (r < 0.8) return Array.from({ length: Math.floor(next() * 3) }, () => json(depth + 1));
    return Object.fromEntries(
      Array.from({ length: Math.floor(next() * 3) }, () => [pickOne(['a', 'b']), json(depth + 1)]),
    );
  };
  const value = (depth: number): unknown => {
    const r = next();
    if (depth > 2 || r < 0.5)
      return pickOne([scalar(), scalar(), undefined, Number.NaN, Number.POSITIVE_INFINITY]);
    if (r < 0.75) return Array.from({ length: Math.floor(next() * 4) }, () => value(depth + 1));
    return Object.fromEntries(
      Array.from({ length: Math.floor(next() * 4) }, () => [pickOne(names), value(depth + 1)]),
    );
  };
  const schema = (depth: number): JsonObject => {
    const s: JsonObject = {};
    const r = next();
    if (r < 0.5) s.type = pickOne(types);
    else if (r < 0.65) s.type = [pickOne(types), pickOne(types)];
    for (let n = Math.floor(next() * 4); n > 0; n--) {
      const keyword = pickOne([
        'enum',
        'const',
        'minLength',
        'maxLength',
        'minimum',
        'maximum',
        'exclusiveMinimum',
        'exclusiveMaximum',
        'multipleOf',
        'minItems',
        'maxItems',
        'uniqueItems',
        'items',
        'properties',
        'required',
        'additionalProperties',
        'default',
        'format',
      ]);
      if (keyword === 'enum')
        s.enum = Array.from({ length: 1 + Math.floor(next() * 3) }, () => json(0)) as JsonObject[];
      else if (keyword === 'const' || keyword === 'default') s[keyword] = json(0) as JsonObject;
      else if (['minLength', 'maxLength', 'minItems', 'maxItems'].includes(keyword))
        s[keyword] = Math.floor(next() * 3);
      else if (keyword === 'multipleOf') s.multipleOf = pickOne([0.5, 1, 2, 0.1, 3]);
      else if (keyword === 'uniqueItems') s.uniqueItems = next() < 0.8;
      else if (keyword === 'items') s.items = depth > 2 || next() < 0.3 ? true : schema(depth + 1);
      else if (keyword === 'required')
        s.required = Array.from({ length: Math.floor(next() * 3) }, () => pickOne(names));
      else if (keyword === 'format') s.format = pickOne(ANNOTATION_FORMATS);
      else if (keyword === 'additionalProperties')
        s.additionalProperties =
          depth > 2 ? false : (pickOne<unknown>([false, true, schema(depth + 1)]) as JsonObject);
      else if (keyword === 'properties' && depth < 3) {
        const properties: JsonObject = {};
        for (let p = 1 + Math.floor(next() * 3); p > 0; p--) {
          const sub = schema(depth + 1);
          if (next() < 0.4) sub.default = json(0) as JsonObject;
          properties[pickOne(names)] = sub;
        }
        s.properties = properties;
      } else if (keyword !== 'properties') s[keyword] = pickOne([0, 1, 1.5, -1, 3]);
    }
    return s;
  };
  return { schema, value };
}

/** A fresh copy that keeps undefined and NaN, unlike JSON. */
function plainCopy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plainCopy);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value).map((k) => [k, plainCopy((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

describe('compileSimple agrees with ajv on generated cases', () => {
  it.each([[1], [2], [3], [4]])('seed %i: 500 schemas x 4 values', (seed) => {
    const { schema, value } = generator(seed);
    let compared = 0;
    let invalid = 0;
    for (let s = 0; s < 500; s++) {
      const given = schema(0);
      const simple = compileSimple(given);
      expect(simple, JSON.stringify(given)).toBeDefined();
      const viaAjv = ajv.compile(given);
      for (let v = 0; v < 4; v++) {
        const original = value(0);
        const ajvValue = plainCopy(original);
        const simpleValue = plainCopy(original);
        let ajvOutcome: unknown;
        let simpleOutcome: unknown;
        // Both throw alike on data ajv's deep equality cannot handle (an own non-function `toString`).
        try {
          const ok = viaAjv(ajvValue) as boolean;
          ajvOutcome = { ok, errors: pick(viaAjv.errors), value: ajvValue };
        } catch (error) {
          ajvOutcome = { threw: (error as Error).name };
        }
        try {
          const result = simple!(simpleValue);
          simpleOutcome = { ok: result.ok, errors: result.errors, value: simpleValue };
        } catch (error) {
          simpleOutcome = { threw: (error as Error).name };
        }
        // node's deep equality: vitest's strict mode trips on data with an own `constructor` key.
        if (!isDeepStrictEqual(simpleOutcome, ajvOutcome)) {
          expect(simpleOutcome, `${JSON.stringify(given)} on ${String(JSON.stringify(original))}`).toEqual(
            ajvOutcome,
          );
          expect.unreachable(`${JSON.stringify(given)}: outcomes differ`);
        }
        compared++;
        if ((ajvOutcome as { ok?: boolean }).ok === false) invalid++;
      }
    }
    expect(compared).toBe(2000);
    // The generator must exercise failures, not only schemas everything passes.
    expect(invalid).toBeGreaterThan(500);
  });
});

const mustFallBack: Array<[string, { given: unknown }]> = [
  ['format email', { given: { type: 'string', format: 'email' } }],
  [
    'format date-time nested',
    { given: { type: 'object', properties: { at: { type: 'string', format: 'date-time' } } } },
  ],
  ['format not a string', { given: { format: 1 } }],
  ['pattern', { given: { type: 'string', pattern: '^a' } }],
  ['$ref', { given: { $ref: '#/$defs/a', $defs: { a: {} } } }],
  ['$defs', { given: { $defs: { a: {} } } }],
  ['$schema', { given: { $schema: 'https://json-schema.org/draft/2020-12/schema' } }],
  ['$id', { given: { $id: 'urn:x' } }],
  ['allOf', { given: { allOf: [{ type: 'string' }] } }],
  ['anyOf', { given: { anyOf: [{ type: 'string' }] } }],
  ['oneOf', { given: { oneOf: [{ type: 'string' }] } }],
  ['not', { given: { not: { type: 'string' } } }],
  ['if/then/else', { given: JSON.parse('{"if":{"type":"string"},"then":{},"else":{}}') as unknown }],
  ['patternProperties', { given: { type: 'object', patternProperties: { '^x': {} } } }],
  ['propertyNames', { given: { propertyNames: { maxLength: 3 } } }],
  ['dependentRequired', { given: { dependentRequired: { a: ['b'] } } }],
  ['dependentSchemas', { given: { dependentSchemas: { a: {} } } }],
  ['unevaluatedProperties', { given: { unevaluatedProperties: false } }],
  ['contains', { given: { contains: { type: 'string' } } }],
  ['prefixItems', { given: { prefixItems: [{ type: 'string' }] } }],
  ['items array', { given: { items: [{ type: 'string' }] } }],
  ['items false', { given: { items: false } }],
  ['property schema false', { given: { properties: { a: false } } }],
  ['additionalProperties null', { given: { additionalProperties: null } }],
  ['minProperties', { given: { minProperties: 1 } }],
  ['nullable', { given: { type: 'string', nullable: true } }],
  ['unknown type', { given: { type: 'text' } }],
  ['empty enum', { given: { enum: [] } }],
  ['enum with NaN', { given: { enum: [Number.NaN] } }],
  ['minLength as a string', { given: { minLength: '3' } }],
  ['required not strings', { given: { required: [1] } }],
  ['uniqueItems not boolean', { given: { uniqueItems: 1 } }],
  ['default not JSON', { given: { properties: { a: { default: Number.NaN } } } }],
  [
    'default with a __proto__ key',
    { given: { properties: { a: { default: JSON.parse('{"__proto__":{}}') } } } },
  ],
  [
    'properties with a __proto__ key',
    { given: { properties: JSON.parse('{"__proto__":{"type":"string"}}') } },
  ],
  ['deep inside items', { given: { items: { properties: { a: { anyOf: [] } } } } }],
  ['deep inside additionalProperties', { given: { additionalProperties: { pattern: 'x' } } }],
  ['root boolean', { given: true }],
];

describe('compileSimple falls back to ajv', () => {
  it.each(mustFallBack)('%s', (_name, { given }) => {
    expect(compileSimple(given)).toBeUndefined();
  });
});

describe('codePointLength', () => {
  it.each([
    ['ascii', { given: 'abc', want: 3 }],
    ['surrogate pair', { given: '😀a', want: 2 }],
    ['lone high surrogate at the end', { given: 'a\ud800', want: 2 }],
    ['lone low surrogate', { given: '\udc00\udc00', want: 2 }],
  ])('%s', (_name, { given, want }) => {
    expect(codePointLength(given)).toBe(want);
  });
});

const emptyDocument = {
  arazzo: '1.0.1',
  info: {},
  sourceDescriptions: [],
  workflows: [],
} as unknown as ArazzoDocument;

describe('checkInputs', () => {
  it.each([
    [
      'missing and wrongly typed inputs',
      {
        given: { schema: person, inputs: { age: 'x' } },
        want: { ok: false, problems: ['missing required input "name"', 'input "age": must be integer'] },
      },
    ],
    [
      'unknown input',
      {
        given: { schema: { type: 'object', additionalProperties: false }, inputs: { a: 1 } },
        want: { ok: false, problems: ['inputs: unknown input "a"'] },
      },
    ],
    [
      'nested path',
      {
        given: {
          schema: { type: 'object', properties: { a: { type: 'object', properties: { b: str } } } },
          inputs: { a: { b: 1 } },
        },
        want: { ok: false, problems: ['input "a.b": must be string'] },
      },
    ],
    [
      'format email still checked (through ajv)',
      {
        given: {
          schema: { type: 'object', properties: { e: { type: 'string', format: 'email' } } },
          inputs: { e: 'nope' },
        },
        want: { ok: false, problems: ['input "e": must match format "email"'] },
      },
    ],
  ])('%s', (_name, { given, want }) => {
    const result = checkInputs(given.schema as JsonObject, emptyDocument, given.inputs);
    expect({ ok: result.ok, problems: result.problems }).toEqual(want);
  });

  it('copies plain data by hand and other objects with structuredClone, and applies defaults to the copy', () => {
    const when = new Date(0);
    const bytes = new Uint8Array([1]);
    const inputs = JSON.parse('{"__proto__":{"x":1},"list":[{"a":1}]}') as Record<string, unknown>;
    inputs.when = when;
    inputs.bytes = bytes;
    inputs.self = inputs;
    const schema = { type: 'object', properties: { region: { type: 'string', default: 'eu' } } };
    const { ok, value } = checkInputs(schema, emptyDocument, inputs);
    expect(ok).toBe(true);
    expect(value.region).toBe('eu');
    expect(Object.hasOwn(inputs, 'region')).toBe(false);
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.hasOwn(value, '__proto__')).toBe(true);
    expect(Object.getOwnPropertyDescriptor(value, '__proto__')?.value).toEqual({ x: 1 });
    expect(value.list).toEqual([{ a: 1 }]);
    expect(value.list).not.toBe(inputs.list);
    // Other objects are copied with structuredClone: equal, not shared (defaults never reach the caller's).
    expect(value.when).toEqual(when);
    expect(value.when).not.toBe(when);
    expect(value.bytes).toEqual(bytes);
    expect(value.bytes).not.toBe(bytes);
    expect(value.self).toBe(value);
  });
});

describe('ajv stays unloaded for simple schemas', () => {
  const specPath = fileURLToPath(
    new URL(
      '../../specs/composio/arazzo/composio-connect-account-via-auth-config-workflow.yml',
      import.meta.url,
    ),
  );
  const document = parse(readFileSync(specPath, 'utf8')) as ArazzoDocument;
  const workflow = document.workflows.find((w) => w.workflowId === 'connect-account-via-auth-config');

  it.each([
    [
      'the Composio workflow inputs',
      {
        given: {
          schema: workflow?.inputs,
          inputs: { apiKey: 'k', toolkitSlug: 'gmail', authType: 'use_composio_managed_auth', userId: 'u' },
        },
        want: { ok: true, ajvLoaded: false },
      },
    ],
    [
      'a schema outside the subset',
      {
        given: {
          schema: { type: 'object', properties: { e: { type: 'string', format: 'email' } } },
          inputs: {},
        },
        want: { ok: true, ajvLoaded: true },
      },
    ],
  ])('%s', async (_name, { given, want }) => {
    expect(given.schema).toBeDefined();
    vi.resetModules();
    const fresh = await import('../../src/engine/inputs.js');
    expect(fresh.ajvLoaded()).toBe(false);
    const result = fresh.checkInputs(given.schema as JsonObject, document, given.inputs);
    expect({ ok: result.ok, ajvLoaded: fresh.ajvLoaded() }).toEqual(want);
  });
});
