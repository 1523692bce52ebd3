// Regression tests from the review of the performance work (copyInputs instead of structuredClone): defaults written into a caller's class instance.
import { expect, it } from 'vitest';
import type { ArazzoDocument, JsonObject } from '../../src/document/model.js';
import { checkInputs } from '../../src/engine/inputs.js';

const DOC = { arazzo: '1.0.1', info: { title: 't', version: '1' }, sourceDescriptions: [], workflows: [] };
const SCHEMA = {
  type: 'object',
  properties: { settings: { type: 'object', properties: { region: { type: 'string', default: 'eu' } } } },
} as unknown as JsonObject;

class Settings {
  name = 'mine';
}

it('a default is not written into a class instance the caller passed as an input', () => {
  const settings = new Settings();
  const check = checkInputs(SCHEMA, DOC as unknown as ArazzoDocument, { settings });
  expect(check.ok).toBe(true);
  expect((check.value.settings as Record<string, unknown>).region).toBe('eu');
  expect(Object.keys(settings)).toEqual(['name']);
});
