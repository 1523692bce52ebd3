// Regression tests from the review of the performance work: the inputs copy that replaced structuredClone.
import { describe, expect, it } from 'vitest';
import type { ArazzoDocument, JsonObject } from '../../src/document/model.js';
import { checkInputs } from '../../src/engine/inputs.js';

const DOC = { arazzo: '1.0.1', info: { title: 't', version: '1' }, sourceDescriptions: [], workflows: [] };
const SCHEMA = {
  type: 'object',
  properties: {
    settings: { type: 'object', properties: { region: { type: 'string', default: 'eu' } } },
  },
} as unknown as JsonObject;

describe('validation defaults never write into the caller inputs', () => {
  it.each<[string, () => Record<string, unknown>]>([
    ['a plain object', () => ({ name: 'mine' })],
    ['a null-prototype object', () => Object.assign(Object.create(null) as object, { name: 'mine' })],
  ])('%s', (_name, make) => {
    const settings = make();
    const check = checkInputs(SCHEMA, DOC as unknown as ArazzoDocument, { settings });
    expect(check.ok).toBe(true);
    expect((check.value.settings as Record<string, unknown>).region).toBe('eu');
    expect(Object.keys(settings)).toEqual(['name']);
  });
});
