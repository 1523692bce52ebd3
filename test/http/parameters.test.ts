import { describe, expect, it } from 'vitest';
import { isRequestBuildError } from '../../src/errors.js';
import type { ParameterLocation, SerializedParameter } from '../../src/http/index.js';
import { encodeAllowReserved, serializeParameter } from '../../src/http/index.js';
import type { OperationParameter } from '../../src/sources/types.js';

const primitive = 'blue';
const array = ['blue', 'black', 'brown'];
const object = { R: 100, G: 200, B: 150 };

function param(
  location: ParameterLocation,
  style: string | undefined,
  explode: boolean | undefined,
): OperationParameter {
  const p: OperationParameter = { name: 'color', in: location, required: false };
  if (style !== undefined) p.style = style;
  if (explode !== undefined) p.explode = explode;
  return p;
}

function flat(s: SerializedParameter): string {
  if (s.kind === 'path' || s.kind === 'header') return s.value;
  return s.pairs.join(s.kind === 'query' ? '&' : '; ');
}

// Rows follow the OpenAPI 3.1 "Style Examples" table (color = "" / "blue" / [blue,black,brown] / {R,G,B}).
// spaceDelimited/pipeDelimited carry the parameter name as OpenAPI 3.1.1 clarified.
type Row = [
  string,
  {
    location: ParameterLocation;
    style?: string;
    explode?: boolean;
    empty?: string;
    primitive?: string;
    array: string;
    object: string;
  },
];
const table: Row[] = [
  [
    'path simple explode=false',
    {
      location: 'path',
      style: 'simple',
      explode: false,
      empty: '',
      primitive: 'blue',
      array: 'blue,black,brown',
      object: 'R,100,G,200,B,150',
    },
  ],
  [
    'path simple explode=true',
    {
      location: 'path',
      style: 'simple',
      explode: true,
      primitive: 'blue',
      array: 'blue,black,brown',
      object: 'R=100,G=200,B=150',
    },
  ],
  [
    'path default (simple, explode=false)',
    { location: 'path', primitive: 'blue', array: 'blue,black,brown', object: 'R,100,G,200,B,150' },
  ],
  [
    'path label explode=false',
    {
      location: 'path',
      style: 'label',
      explode: false,
      empty: '.',
      primitive: '.blue',
      array: '.blue,black,brown',
      object: '.R,100,G,200,B,150',
    },
  ],
  [
    'path label explode=true',
    {
      location: 'path',
      style: 'label',
      explode: true,
      empty: '.',
      primitive: '.blue',
      array: '.blue.black.brown',
      object: '.R=100.G=200.B=150',
    },
  ],
  [
    'path matrix explode=false',
    {
      location: 'path',
      style: 'matrix',
      explode: false,
      empty: ';color',
      primitive: ';color=blue',
      array: ';color=blue,black,brown',
      object: ';color=R,100,G,200,B,150',
    },
  ],
  [
    'path matrix explode=true',
    {
      location: 'path',
      style: 'matrix',
      explode: true,
      empty: ';color',
      primitive: ';color=blue',
      array: ';color=blue;color=black;color=brown',
      object: ';R=100;G=200;B=150',
    },
  ],
  [
    'query form explode=false',
    {
      location: 'query',
      style: 'form',
      explode: false,
      empty: 'color=',
      primitive: 'color=blue',
      array: 'color=blue,black,brown',
      object: 'color=R,100,G,200,B,150',
    },
  ],
  [
    'query form explode=true',
    {
      location: 'query',
      style: 'form',
      explode: true,
      empty: 'color=',
      primitive: 'color=blue',
      array: 'color=blue&color=black&color=brown',
      object: 'R=100&G=200&B=150',
    },
  ],
  [
    'query default (form, explode=true)',
    {
      location: 'query',
      empty: 'color=',
      primitive: 'color=blue',
      array: 'color=blue&color=black&color=brown',
      object: 'R=100&G=200&B=150',
    },
  ],
  [
    'query spaceDelimited explode=false',
    {
      location: 'query',
      style: 'spaceDelimited',
      explode: false,
      array: 'color=blue%20black%20brown',
      object: 'color=R%20100%20G%20200%20B%20150',
    },
  ],
  [
    'query spaceDelimited explode=true',
    {
      location: 'query',
      style: 'spaceDelimited',
      explode: true,
      array: 'color=blue&color=black&color=brown',
      object: 'R=100&G=200&B=150',
    },
  ],
  [
    'query pipeDelimited explode=false',
    {
      location: 'query',
      style: 'pipeDelimited',
      explode: false,
      array: 'color=blue|black|brown',
      object: 'color=R|100|G|200|B|150',
    },
  ],
  [
    'query pipeDelimited explode=true',
    {
      location: 'query',
      style: 'pipeDelimited',
      explode: true,
      array: 'color=blue&color=black&color=brown',
      object: 'R=100&G=200&B=150',
    },
  ],
  [
    'query deepObject explode=true',
    {
      location: 'query',
      style: 'deepObject',
      explode: true,
      array: 'color=blue&color=black&color=brown',
      object: 'color[R]=100&color[G]=200&color[B]=150',
    },
  ],
  [
    'header simple explode=false',
    {
      location: 'header',
      style: 'simple',
      explode: false,
      empty: '',
      primitive: 'blue',
      array: 'blue,black,brown',
      object: 'R,100,G,200,B,150',
    },
  ],
  [
    'header simple explode=true',
    {
      location: 'header',
      style: 'simple',
      explode: true,
      primitive: 'blue',
      array: 'blue,black,brown',
      object: 'R=100,G=200,B=150',
    },
  ],
  [
    'cookie form explode=false',
    {
      location: 'cookie',
      style: 'form',
      explode: false,
      empty: 'color=',
      primitive: 'color=blue',
      array: 'color=blue,black,brown',
      object: 'color=R,100,G,200,B,150',
    },
  ],
  [
    'cookie form explode=true',
    {
      location: 'cookie',
      style: 'form',
      explode: true,
      primitive: 'color=blue',
      array: 'color=blue; color=black; color=brown',
      object: 'R=100; G=200; B=150',
    },
  ],
];

describe('serializeParameter: OpenAPI style table', () => {
  it.each(table)('%s', (_name, want) => {
    const p = param(want.location, want.style, want.explode);
    if (want.empty !== undefined)
      expect(flat(serializeParameter(p, want.location, 'color', ''))).toBe(want.empty);
    if (want.primitive !== undefined) {
      expect(flat(serializeParameter(p, want.location, 'color', primitive))).toBe(want.primitive);
    }
    expect(flat(serializeParameter(p, want.location, 'color', array))).toBe(want.array);
    expect(flat(serializeParameter(p, want.location, 'color', object))).toBe(want.object);
  });
});

describe('serializeParameter: percent-encoding', () => {
  it.each([
    [
      'path segment encodes reserved characters',
      { location: 'path' as const, p: undefined, value: 'a/b c?#&', want: 'a%2Fb%20c%3F%23%26' },
    ],
    [
      'path array items encoded, commas literal',
      { location: 'path' as const, p: undefined, value: ['a,b', 'c'], want: 'a%2Cb,c' },
    ],
    [
      'query encodes reserved characters and spaces as %20',
      { location: 'query' as const, p: undefined, value: 'a b&c=d+e', want: 'q=a%20b%26c%3Dd%2Be' },
    ],
    [
      'query name is encoded too',
      { location: 'query' as const, p: undefined, name: 'a b', value: 'x', want: 'a%20b=x' },
    ],
    [
      'query allowReserved keeps reserved characters',
      {
        location: 'query' as const,
        p: { allowReserved: true },
        value: 'a/b?c=d&e:f@g',
        want: 'q=a/b?c=d&e:f@g',
      },
    ],
    [
      'query allowReserved still encodes space, # and brackets; keeps %XX',
      {
        location: 'query' as const,
        p: { allowReserved: true },
        value: 'a b#[x]%41',
        want: 'q=a%20b%23%5Bx%5D%41',
      },
    ],
    [
      'unicode is UTF-8 percent-encoded',
      { location: 'query' as const, p: undefined, value: 'é✓', want: 'q=%C3%A9%E2%9C%93' },
    ],
    [
      'numbers and booleans as text',
      { location: 'query' as const, p: undefined, value: [1, true, null], want: 'q=1&q=true&q=' },
    ],
    [
      'nested objects inside arrays are JSON text',
      { location: 'query' as const, p: { explode: false }, value: [{ a: 1 }], want: 'q=%7B%22a%22%3A1%7D' },
    ],
    [
      'deepObject nests',
      {
        location: 'query' as const,
        p: { style: 'deepObject', explode: true },
        value: { a: { b: 'x y' } },
        want: 'q[a][b]=x%20y',
      },
    ],
    [
      'header values are not encoded',
      { location: 'header' as const, p: undefined, value: 'a b/c', want: 'a b/c' },
    ],
    [
      'cookie values encode ; , and space',
      { location: 'cookie' as const, p: undefined, value: 'a;b c', want: 'q=a%3Bb%20c' },
    ],
    [
      'content parameter: JSON text',
      {
        location: 'query' as const,
        p: { content: { 'application/json': {} } },
        value: { a: 1 },
        want: 'q=%7B%22a%22%3A1%7D',
      },
    ],
    [
      'content parameter in a header',
      {
        location: 'header' as const,
        p: { content: { 'application/json': {} } },
        value: { a: [1] },
        want: '{"a":[1]}',
      },
    ],
  ])('%s', (_name, { location, p, value, want, ...rest }) => {
    const name = 'name' in rest ? (rest.name as string) : 'q';
    const declared: OperationParameter | undefined =
      p === undefined ? undefined : { name, in: location, required: false, ...p };
    expect(flat(serializeParameter(declared, location, name, value))).toBe(want);
  });

  it('encodeAllowReserved keeps sub-delims and pct-triplets, encodes a lone %', () => {
    expect(encodeAllowReserved("!$'()*+,;=%2F%zz")).toBe("!$'()*+,;=%2F%25zz");
  });
});

describe('serializeParameter: errors', () => {
  it.each([
    [
      'style not allowed in location',
      {
        location: 'query' as const,
        p: { style: 'matrix' },
        value: 'x',
        message: /style "matrix" is not allowed in query/,
      },
    ],
    [
      'header injection',
      { location: 'header' as const, p: undefined, value: 'a\r\nX-Evil: 1', message: /CR, LF/ },
    ],
    [
      'bad cookie name',
      { location: 'cookie' as const, p: undefined, value: 'x', name: 'a b', message: /cookie name "a b"/ },
    ],
  ])('%s', (_name, { location, p, value, message, ...rest }) => {
    const name = 'name' in rest ? (rest.name as string) : 'q';
    const declared: OperationParameter | undefined =
      p === undefined ? undefined : { name, in: location, required: false, ...p };
    let error: unknown;
    try {
      serializeParameter(declared, location, name, value);
    } catch (e) {
      error = e;
    }
    expect(isRequestBuildError(error)).toBe(true);
    expect((error as Error).message).toMatch(message);
  });
});
