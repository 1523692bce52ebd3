import { describe, expect, it } from 'vitest';
import { ArazzoError, DocumentError, isArazzoError, isDocumentError } from '../src/index.js';

describe('error family', () => {
  it.each([
    ['base error', new ArazzoError('INTERNAL', 'x'), 'INTERNAL', false],
    ['document error', new DocumentError('bad', []), 'DOCUMENT_INVALID', true],
  ] as const)('%s has a stable code', (_name, error, code, isDoc) => {
    expect(isArazzoError(error)).toBe(true);
    expect(error.code).toBe(code);
    expect(isDocumentError(error)).toBe(isDoc);
  });
});
