import { describe, expect, it } from 'vitest';
import { isRequestBuildError } from '../../src/errors.js';
import type { BodyEncoding } from '../../src/http/index.js';
import { encodeBody, encodeRequestBody, pickRequestContentType, toXml } from '../../src/http/index.js';

const text = (b: string | Uint8Array | Blob) =>
  typeof b === 'string' ? b : new TextDecoder().decode(b as Uint8Array);

describe('encodeBody', () => {
  it.each<[string, { contentType: string; value: unknown; encoding?: BodyEncoding; want: string }]>([
    [
      'JSON object',
      { contentType: 'application/json', value: { a: 1, b: [true, null] }, want: '{"a":1,"b":[true,null]}' },
    ],
    [
      '+json media type',
      { contentType: 'application/merge-patch+json', value: { a: null }, want: '{"a":null}' },
    ],
    ['JSON number', { contentType: 'application/json', value: 42, want: '42' }],
    [
      'JSON string payload is JSON text already',
      { contentType: 'application/json', value: '{"x":1}', want: '{"x":1}' },
    ],
    [
      'form: primitives',
      {
        contentType: 'application/x-www-form-urlencoded',
        value: { name: 'a b', n: 1, ok: true },
        want: 'name=a%20b&n=1&ok=true',
      },
    ],
    [
      'form: arrays explode by default',
      { contentType: 'application/x-www-form-urlencoded', value: { tag: ['x', 'y'] }, want: 'tag=x&tag=y' },
    ],
    [
      'form: encoding explode=false',
      {
        contentType: 'application/x-www-form-urlencoded',
        value: { tag: ['x', 'y'] },
        encoding: { tag: { explode: false } },
        want: 'tag=x,y',
      },
    ],
    [
      'form: encoding deepObject',
      {
        contentType: 'application/x-www-form-urlencoded',
        value: { f: { a: 1 } },
        encoding: { f: { style: 'deepObject', explode: true } },
        want: 'f[a]=1',
      },
    ],
    [
      'form: encoding pipeDelimited',
      {
        contentType: 'application/x-www-form-urlencoded',
        value: { ids: [1, 2] },
        encoding: { ids: { style: 'pipeDelimited', explode: false } },
        want: 'ids=1|2',
      },
    ],
    [
      'form: string sent as is',
      { contentType: 'application/x-www-form-urlencoded', value: 'a=1&b=2', want: 'a=1&b=2' },
    ],
    ['text/plain string', { contentType: 'text/plain', value: 'hello', want: 'hello' }],
    ['text/plain number', { contentType: 'text/plain; charset=utf-8', value: 12.5, want: '12.5' }],
    ['text/plain object as JSON', { contentType: 'text/plain', value: { a: 1 }, want: '{"a":1}' }],
    ['XML string as is', { contentType: 'application/xml', value: '<a>1</a>', want: '<a>1</a>' }],
    [
      'XML object with a single root',
      {
        contentType: 'application/xml',
        value: { pet: { name: 'Rex & Co', tags: ['a', 'b'] } },
        want: '<?xml version="1.0" encoding="UTF-8"?><pet><name>Rex &amp; Co</name><tags>a</tags><tags>b</tags></pet>',
      },
    ],
    [
      'XML object with several members wrapped in root',
      {
        contentType: 'text/xml',
        value: { a: 1, b: null },
        want: '<?xml version="1.0" encoding="UTF-8"?><root><a>1</a><b/></root>',
      },
    ],
    [
      'XML attributes and text',
      {
        contentType: 'application/atom+xml',
        value: { e: { '@id': '7"', '#text': 'x<y' } },
        want: '<?xml version="1.0" encoding="UTF-8"?><e id="7&quot;">x&lt;y</e>',
      },
    ],
    ['octet-stream string', { contentType: 'application/octet-stream', value: 'raw', want: 'raw' }],
  ])('%s', (_name, { contentType, value, encoding, want }) => {
    expect(text(encodeBody(contentType, value, encoding))).toBe(want);
  });

  it('bytes are sent unchanged', () => {
    const bytes = new Uint8Array([0, 255, 10]);
    expect(encodeBody('application/octet-stream', bytes)).toBe(bytes);
    expect(encodeBody('application/json', bytes)).toBe(bytes);
  });

  it.each<[string, { contentType: string; value: unknown; message: RegExp }]>([
    [
      'object as octet-stream',
      {
        contentType: 'application/octet-stream',
        value: { a: 1 },
        message: /cannot encode an object as "application\/octet-stream"/,
      },
    ],
    [
      'form with an array payload',
      { contentType: 'application/x-www-form-urlencoded', value: [1], message: /needs an object payload/ },
    ],
    [
      'multipart with a primitive',
      { contentType: 'multipart/form-data', value: 3, message: /needs an object payload/ },
    ],
    [
      'bad XML element name',
      {
        contentType: 'application/xml',
        value: { 'a b': 1 },
        message: /"a b" is not a valid XML element name/,
      },
    ],
  ])('refuses %s', (_name, { contentType, value, message }) => {
    let error: unknown;
    try {
      encodeBody(contentType, value);
    } catch (e) {
      error = e;
    }
    expect(isRequestBuildError(error)).toBe(true);
    expect((error as Error).message).toMatch(message);
  });
});

describe('multipart/form-data', () => {
  it('encodes text, JSON, bytes and repeated parts with the given boundary', () => {
    const { body, contentType } = encodeRequestBody(
      'multipart/form-data; boundary=XyZ',
      { name: 'Rex', meta: { age: 3 }, file: new Uint8Array([104, 105]), tags: ['a', 'b'], skip: undefined },
      { meta: { contentType: 'application/vnd.meta+json' } },
    );
    expect(contentType).toBe('multipart/form-data; boundary=XyZ');
    expect(text(body)).toBe(
      [
        '--XyZ',
        'Content-Disposition: form-data; name="name"',
        '',
        'Rex',
        '--XyZ',
        'Content-Disposition: form-data; name="meta"',
        'Content-Type: application/vnd.meta+json',
        '',
        '{"age":3}',
        '--XyZ',
        'Content-Disposition: form-data; name="file"; filename="file"',
        'Content-Type: application/octet-stream',
        '',
        'hi',
        '--XyZ',
        'Content-Disposition: form-data; name="tags"',
        '',
        'a',
        '--XyZ',
        'Content-Disposition: form-data; name="tags"',
        '',
        'b',
        '--XyZ--',
        '',
      ].join('\r\n'),
    );
  });

  it('generates a boundary and returns a Blob when a part is a Blob', async () => {
    const file = new File(['<svg/>'], 'logo.svg', { type: 'image/svg+xml' });
    const { body, contentType } = encodeRequestBody('multipart/form-data', { logo: file });
    const boundary = /boundary=(.+)$/.exec(contentType)?.[1];
    expect(boundary).toMatch(/^----arazzo-runtime-[0-9a-f]{24}$/);
    expect(body).toBeInstanceOf(Blob);
    expect(await (body as Blob).text()).toBe(
      `--${boundary}\r\nContent-Disposition: form-data; name="logo"; filename="logo.svg"\r\nContent-Type: image/svg+xml\r\n\r\n<svg/>\r\n--${boundary}--\r\n`,
    );
  });
});

describe('pickRequestContentType', () => {
  it.each<[string, string[] | undefined, string | undefined]>([
    [
      'application/json first',
      ['application/xml', 'application/json; charset=utf-8', 'application/vnd.a+json'],
      'application/json; charset=utf-8',
    ],
    ['then any +json', ['application/xml', 'application/vnd.a+json'], 'application/vnd.a+json'],
    ['then the first', ['application/xml', 'text/plain'], 'application/xml'],
    ['no request body', undefined, undefined],
    ['a concrete type before a range', ['*/*', 'application/xml'], 'application/xml'],
    ['only */*: an object payload is JSON', ['*/*'], 'application/json'],
    ['only application/*: an object payload is JSON', ['application/*'], 'application/json'],
  ])('%s', (_name, types, want) => {
    const content = types === undefined ? undefined : Object.fromEntries(types.map((t) => [t, {}]));
    expect(pickRequestContentType(content, { a: 1 })).toBe(want);
  });
});

it('toXml of a primitive wraps it in root', () => {
  expect(toXml('a<b')).toBe('<?xml version="1.0" encoding="UTF-8"?><root>a&lt;b</root>');
});
