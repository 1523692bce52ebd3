import { describe, expect, it } from 'vitest';
import { isRequestBuildError } from '../../src/errors.js';
import type { Replacement } from '../../src/http/index.js';
import { applyReplacements } from '../../src/http/index.js';

describe('applyReplacements', () => {
  it.each<[string, { payload: unknown; replacements: Replacement[]; want: unknown }]>([
    [
      'replace a member',
      { payload: { a: 1, b: 2 }, replacements: [{ target: '/a', value: 9 }], want: { a: 9, b: 2 } },
    ],
    [
      'create missing members on the path',
      {
        payload: { a: 1 },
        replacements: [{ target: '/x/y/z', value: 'v' }],
        want: { a: 1, x: { y: { z: 'v' } } },
      },
    ],
    [
      'append with -',
      {
        payload: { list: [1, 2] },
        replacements: [{ target: '/list/-', value: 3 }],
        want: { list: [1, 2, 3] },
      },
    ],
    [
      'replace an array item',
      {
        payload: [{ id: 1 }, { id: 2 }],
        replacements: [{ target: '/1/id', value: 7 }],
        want: [{ id: 1 }, { id: 7 }],
      },
    ],
    [
      'index equal to length appends',
      { payload: [1], replacements: [{ target: '/1', value: 2 }], want: [1, 2] },
    ],
    [
      'missing array created for -',
      { payload: {}, replacements: [{ target: '/tags/-', value: 't' }], want: { tags: ['t'] } },
    ],
    [
      'escapes ~0 and ~1',
      { payload: {}, replacements: [{ target: '/a~1b/c~0d', value: 1 }], want: { 'a/b': { 'c~d': 1 } } },
    ],
    [
      'URI fragment form',
      { payload: {}, replacements: [{ target: '#/a%20b', value: 1 }], want: { 'a b': 1 } },
    ],
    [
      'empty pointer replaces the whole payload',
      { payload: { a: 1 }, replacements: [{ target: '', value: [1] }], want: [1] },
    ],
    [
      'applied in order',
      {
        payload: {},
        replacements: [
          { target: '/a', value: { b: 1 } },
          { target: '/a/c', value: 2 },
        ],
        want: { a: { b: 1, c: 2 } },
      },
    ],
    [
      'a JSON string payload is parsed first',
      { payload: '{"name":"x"}', replacements: [{ target: '/name', value: 'y' }], want: { name: 'y' } },
    ],
    [
      'no replacements returns the payload as is',
      { payload: 'plain text', replacements: [], want: 'plain text' },
    ],
    [
      'an empty token is a member named ""',
      { payload: {}, replacements: [{ target: '//name', value: 1 }], want: { '': { name: 1 } } },
    ],
    [
      'undefined payload becomes an object',
      { payload: undefined, replacements: [{ target: '/a', value: 1 }], want: { a: 1 } },
    ],
  ])('%s', (_name, { payload, replacements, want }) => {
    const before = structuredClone(payload);
    expect(applyReplacements(payload, replacements)).toEqual(want);
    expect(payload).toEqual(before);
  });

  it('never mutates nested input objects', () => {
    const inner = { b: 1 };
    const payload = { a: inner, other: { keep: true } };
    const out = applyReplacements(payload, [{ target: '/a/b', value: 2 }]) as typeof payload;
    expect(inner.b).toBe(1);
    expect(out.a).not.toBe(inner);
    expect(out.a.b).toBe(2);
    expect(out.other).toBe(payload.other);
  });

  it.each<[string, { payload: unknown; target: string; message: RegExp }]>([
    [
      '__proto__',
      { payload: {}, target: '/__proto__/polluted', message: /token "__proto__" is not allowed/ },
    ],
    [
      'constructor',
      { payload: {}, target: '/constructor/prototype', message: /token "constructor" is not allowed/ },
    ],
    [
      'prototype',
      { payload: { a: {} }, target: '/a/prototype', message: /token "prototype" is not allowed/ },
    ],
    ['not a pointer', { payload: {}, target: 'name', message: /not a JSON Pointer/ }],
    ['bad escape', { payload: {}, target: '/a~2', message: /bad escape/ }],
    ['through a primitive', { payload: { a: 1 }, target: '/a/b', message: /"\/a" is a number/ }],
    ['index past the end', { payload: [1], target: '/5', message: /index 5 is past the end/ }],
    ['non-numeric array token', { payload: [1], target: '/x', message: /"x" is not an array index/ }],
    ['XML payload without an XPath engine', { payload: '<a/>', target: '/a', message: /no XPath engine/ }],
    [
      'string payload that is neither JSON nor XML',
      { payload: 'a=1', target: '/a', message: /neither JSON nor XML/ },
    ],
  ])('refuses %s', (_name, { payload, target, message }) => {
    let error: unknown;
    try {
      applyReplacements(payload, [{ target, value: 1 }]);
    } catch (e) {
      error = e;
    }
    expect(isRequestBuildError(error)).toBe(true);
    expect((error as Error).message).toMatch(message);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
