// Arazzo 1.0.1 Payload Replacement Object: "A JSON Pointer or XPath Expression" - XPath on an XML payload.
import { describe, expect, it } from 'vitest';
import { replaceXPath } from '../../src/criteria/index.js';
import { isRequestBuildError } from '../../src/errors.js';
import { applyReplacements, type Replacement } from '../../src/http/index.js';

const ORDER =
  '<?xml version="1.0"?><order id="o-1"><item sku="a">1</item><item sku="b">2</item><note/></order>';

describe('XPath targets on an XML payload', () => {
  it.each<[string, Replacement[], string]>([
    [
      'an element text',
      [{ target: '/order/note', value: 'rush' }],
      '<?xml version="1.0"?><order id="o-1"><item sku="a">1</item><item sku="b">2</item><note>rush</note></order>',
    ],
    [
      'an attribute, a number value',
      [{ target: '/order/@id', value: 42 }],
      '<?xml version="1.0"?><order id="42"><item sku="a">1</item><item sku="b">2</item><note/></order>',
    ],
    [
      'every selected node, then a predicate, in order',
      [
        { target: '//item', value: 0 },
        { target: "//item[@sku='b']", value: true },
      ],
      '<?xml version="1.0"?><order id="o-1"><item sku="a">0</item><item sku="b">true</item><note/></order>',
    ],
    [
      'a text node, with characters XML must escape',
      [{ target: "/order/item[@sku='a']/text()", value: 'a<b & c' }],
      '<?xml version="1.0"?><order id="o-1"><item sku="a">a&lt;b &amp; c</item><item sku="b">2</item><note/></order>',
    ],
  ])('%s', (_name, replacements, want) => {
    expect(applyReplacements(ORDER, replacements, { xpath: replaceXPath })).toBe(want);
  });

  it.each<[string, Replacement, RegExp]>([
    [
      'a target that selects nothing',
      { target: '/order/missing', value: 'x' },
      /"\/order\/missing" \(XPath\): .*selects nothing/,
    ],
    ['an object value', { target: '/order/note', value: { a: 1 } }, /must be text, a number or a boolean/],
    ['a malformed XPath', { target: '/order/[', value: 'x' }, /"\/order\/\[" \(XPath\)/],
  ])('%s is a RequestBuildError', (_name, replacement, message) => {
    let caught: unknown;
    try {
      applyReplacements(ORDER, [replacement], { xpath: replaceXPath });
    } catch (e) {
      caught = e;
    }
    expect(isRequestBuildError(caught)).toBe(true);
    expect((caught as Error).message).toMatch(message);
  });

  it('without an XPath engine an XML payload with targets is refused, not parsed as JSON', () => {
    expect(() => applyReplacements('<a/>', [{ target: '/a', value: 1 }])).toThrow(/no XPath engine/);
  });

  it('a JSON string payload still takes JSON Pointers', () => {
    expect(
      applyReplacements('{"a":{"b":1}}', [{ target: '/a/b', value: 2 }], { xpath: replaceXPath }),
    ).toEqual({
      a: { b: 2 },
    });
  });
});
