import { describe, expect, it } from 'vitest';
import { DocumentError } from '../../src/errors.js';
import { loadArazzo, resolveStepTarget } from '../../src/sources/index.js';
import { codes, fixture, rejection } from './helpers.js';

describe('step targets', () => {
  it.each([
    ['bare operationId, one source', { step: 0, want: 'GET /pets/{petId}' }],
    ['operationPath with RFC 6901 escapes', { step: 1, want: 'GET /pets/{petId}' }],
    ['operationPath with a URL-encoded fragment', { step: 2, want: 'DELETE /pets/{petId}' }],
    ['$sourceDescriptions.<name>.<operationId>', { step: 3, want: 'POST /pets' }],
  ])('%s', async (_name, { step, want }) => {
    const loaded = await loadArazzo(fixture('oas30', 'arazzo.yaml'));
    const s = loaded.document.workflows[0]?.steps[step];
    if (s === undefined) throw new Error('fixture step missing');
    const target = resolveStepTarget(loaded, s, `/workflows/0/steps/${step}`);
    expect(
      'kind' in target && target.kind === 'operation'
        ? `${target.operation.method} ${target.operation.path}`
        : target,
    ).toBe(want);
    // Cached per step: the engine's call is a lookup returning the same object.
    expect(resolveStepTarget(loaded, s, `/workflows/0/steps/${step}`)).toBe(target);
  });

  it('resolves a local workflowId to this document', async () => {
    const loaded = await loadArazzo(fixture('oas30', 'arazzo.yaml'));
    const s = loaded.document.workflows[0]?.steps[4];
    if (s === undefined) throw new Error('fixture step missing');
    expect(resolveStepTarget(loaded, s, '/workflows/0/steps/4')).toEqual({
      kind: 'workflow',
      workflowId: 'other',
      loaded,
    });
  });

  it('accepts an unambiguous bare operationId among several sources, with a compat warning', async () => {
    const loaded = await loadArazzo(fixture('multi', 'arazzo.yaml'));
    expect(loaded.diagnostics.map((d) => [d.code, d.severity, d.pointer, d.line])).toEqual([
      ['compat-bare-operation-id', 'warning', '/workflows/0/steps/0/operationId', 14],
    ]);
    expect(loaded.diagnostics[0]?.message).toContain('"$sourceDescriptions.billing.createInvoice"');
  });

  it('refuses the bare form in strict mode', async () => {
    const err = await rejection(loadArazzo(fixture('multi', 'arazzo.yaml'), { strict: true }));
    expect(err).toBeInstanceOf(DocumentError);
    // document/ reports it as an error in strict mode; resolveStepTarget refuses it the same way.
    expect(codes((err as DocumentError).diagnostics)).toEqual([
      'compat-unqualified-operation-id@/workflows/0/steps/0/operationId',
    ]);
    const loose = await loadArazzo(fixture('multi', 'arazzo.yaml'));
    const step = loose.document.workflows[0]?.steps[0];
    if (step === undefined) throw new Error('fixture step missing');
    const strictDoc = { ...loose, strict: true };
    expect(resolveStepTarget(strictDoc, step, '/workflows/0/steps/0')).toMatchObject({
      code: 'bare-operation-id',
      severity: 'error',
    });
  });

  it('reports ambiguous, misspelt, and misplaced operationIds', async () => {
    const err = await rejection(loadArazzo(fixture('multi', 'ambiguous.yaml')));
    expect(err).toBeInstanceOf(DocumentError);
    const diagnostics = (err as DocumentError).diagnostics.filter((d) => d.pointer.endsWith('/operationId'));
    expect(codes(diagnostics)).toEqual([
      'operation-ambiguous@/workflows/0/steps/0/operationId',
      'operation-not-found@/workflows/0/steps/1/operationId',
      'operation-not-found@/workflows/0/steps/2/operationId',
    ]);
    const messages = diagnostics.map((d) => d.message);
    expect(messages[0]).toContain(
      'write "$sourceDescriptions.users.getStatus" or "$sourceDescriptions.billing.getStatus"',
    );
    expect(messages[1]).toBe(
      'step "typo" (#/workflows/0/steps/1): operationId "createInvoce" is not in any of the sources "users", "billing"; did you mean "createInvoice"?',
    );
    expect(messages[2]).toContain('operationId "createInvoice" is not in source "users"');
    expect(diagnostics[1]).toMatchObject({ line: 16, column: 9 });
  });

  it('loads arazzo sources, follows a cycle back to the parent, and resolves qualified workflowIds', async () => {
    const parent = await loadArazzo(fixture('nested', 'parent.yaml'));
    const child = parent.sources.get('child');
    if (child?.kind !== 'arazzo') throw new Error('child source missing');
    expect(child.loaded.document.info.title).toBe('Child, which refers back to its parent');
    const back = child.loaded.sources.get('parent');
    expect(back?.kind === 'arazzo' && back.loaded).toBe(parent);
    const call = parent.document.workflows[0]?.steps[0];
    if (call === undefined) throw new Error('fixture step missing');
    expect(resolveStepTarget(parent, call, '/workflows/0/steps/0')).toMatchObject({
      kind: 'workflow',
      workflowId: 'childFlow',
      loaded: child.loaded,
    });
    expect(parent.diagnostics).toEqual([]);
  });
});
