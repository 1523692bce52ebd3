import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/document/diagnostic.js';
import type { StepObject } from '../../src/document/model.js';
import { loadArazzo, resolveStepTarget, validate } from '../../src/sources/index.js';
import { fixture } from './helpers.js';

const dir = (file: string): string => fixture('uncovered', file);

/** The one diagnostic with `code` in `diagnostics` (fails when there is none or several). */
function only(diagnostics: readonly Diagnostic[], code: string): Diagnostic {
  const found = diagnostics.filter((d) => d.code === code);
  expect(found.map((d) => d.code)).toEqual([code]);
  return found[0] as Diagnostic;
}

/** A step that is not in the document: document/ refuses these shapes before sources/ sees them. */
async function targetOf(step: StepObject): Promise<{ loaded: unknown; target: unknown }> {
  const loaded = await loadArazzo(dir('qualified-workflow.arazzo.yaml'));
  return { loaded, target: resolveStepTarget(loaded, step, '/workflows/0/steps/0') };
}

interface Want {
  code: string;
  severity: Diagnostic['severity'];
  message: string;
  pointer: RegExp;
  file: string;
  /** The diagnostic is about the Arazzo document, so it has a position there. */
  located: boolean;
}

describe('diagnostic codes reached only by unusual input', () => {
  it.each<[string, { given: () => Promise<Diagnostic>; want: Want }]>([
    [
      'openapi-ref-depth: 65 $refs nested inside one another (loadArazzo keeps the warning)',
      {
        given: async () =>
          only((await loadArazzo(dir('deep-refs.arazzo.yaml'))).diagnostics, 'openapi-ref-depth'),
        want: {
          code: 'openapi-ref-depth',
          severity: 'warning',
          message:
            '$ref "#/components/schemas/S64" (#/components/schemas/S63): more than 64 references nested inside one another; left unresolved',
          pointer: /^\/components\/schemas\/S63$/,
          file: 'deep-refs.openapi.yaml',
          located: false,
        },
      },
    ],
    [
      'source-url-invalid: a url that is a URI reference but not a WHATWG URL (port 99999)',
      {
        given: async () =>
          only((await validate(dir('bad-url.arazzo.yaml'))).diagnostics, 'source-url-invalid'),
        want: {
          code: 'source-url-invalid',
          severity: 'error',
          message:
            'sourceDescription "api" (#/sourceDescriptions/0/url): url "http://127.0.0.1:99999/openapi.yaml" is not a valid URI reference',
          pointer: /^\/sourceDescriptions\/0\/url$/,
          file: 'bad-url.arazzo.yaml',
          located: true,
        },
      },
    ],
    [
      'source-url-invalid: a sources override that is not a URL',
      {
        given: async () =>
          only(
            (await validate(dir('qualified-workflow.arazzo.yaml'), { sources: { shared: 'http://[bad' } }))
              .diagnostics,
            'source-url-invalid',
          ),
        want: {
          code: 'source-url-invalid',
          severity: 'error',
          message:
            'sourceDescription "shared" (#/sourceDescriptions/0/url): url "http://[bad" is not a valid URI reference',
          pointer: /^\/sourceDescriptions\/0\/url$/,
          file: 'qualified-workflow.arazzo.yaml',
          located: true,
        },
      },
    ],
    [
      'step-target-missing: resolveStepTarget on a step with none of the three fields',
      {
        given: async () => (await targetOf({ stepId: 'idle' })).target as Diagnostic,
        want: {
          code: 'step-target-missing',
          severity: 'error',
          message: 'step "idle" (#/workflows/0/steps/0): has none of operationId, operationPath, workflowId',
          // The step's own pointer; today it is written with a trailing '/' (an empty field name).
          pointer: /^\/workflows\/0\/steps\/0\/?$/,
          file: 'qualified-workflow.arazzo.yaml',
          located: true,
        },
      },
    ],
    [
      'compat-bare-workflow-id: resolveStepTarget on a bare workflowId defined in one arazzo source',
      {
        given: async () => {
          const { target } = await targetOf({ stepId: 'callShared', workflowId: 'cleanUp' });
          const warnings = (target as { warnings?: Diagnostic[] }).warnings ?? [];
          return only(warnings, 'compat-bare-workflow-id');
        },
        want: {
          code: 'compat-bare-workflow-id',
          severity: 'warning',
          message:
            'step "callShared" (#/workflows/0/steps/0): workflowId "cleanUp" is defined in source "shared", not in this document (the spec requires "$sourceDescriptions.shared.cleanUp"); that one is used',
          pointer: /^\/workflows\/0\/steps\/0\/workflowId$/,
          file: 'qualified-workflow.arazzo.yaml',
          located: true,
        },
      },
    ],
  ])('%s', async (_name, { given, want }) => {
    const d = await given();
    expect(d.code).toBe(want.code);
    expect(d.severity).toBe(want.severity);
    expect(d.message).toBe(want.message);
    expect(d.pointer).toMatch(want.pointer);
    expect(d.file).toBe(dir(want.file));
    if (want.located) {
      expect(d.line).toBeGreaterThan(0);
      expect(d.column).toBeGreaterThan(0);
    } else {
      expect([d.line, d.column]).toEqual([0, 0]);
    }
  });

  it('the bare workflowId still resolves to the source that defines it', async () => {
    const { loaded, target } = await targetOf({ stepId: 'callShared', workflowId: 'cleanUp' });
    const shared = (loaded as Awaited<ReturnType<typeof loadArazzo>>).sources.get('shared');
    expect(shared?.kind).toBe('arazzo');
    expect(target).toMatchObject({
      kind: 'workflow',
      workflowId: 'cleanUp',
      loaded: shared?.kind === 'arazzo' ? shared.loaded : undefined,
    });
  });

  // Why two rows above call resolveStepTarget directly: document/ rejects both step shapes, and a
  // document with errors is not handed to sources/, so loadArazzo and validate never produce the codes.
  it.each([
    [
      'a step with no target',
      { given: 'no-target.arazzo.yaml', want: 'step-target', unreached: 'step-target-missing' },
    ],
    [
      'a bare workflowId of a source',
      { given: 'bare-workflow.arazzo.yaml', want: 'unknown-workflow', unreached: 'compat-bare-workflow-id' },
    ],
  ])('validate: %s stops at document/ (%j)', async (_name, { given, want, unreached }) => {
    for (const strict of [false, true]) {
      const result = await validate(dir(given), { strict });
      expect(result.valid).toBe(false);
      expect(result.diagnostics.map((d) => [d.code, d.severity])).toEqual([[want, 'error']]);
      expect(result.diagnostics.some((d) => d.code === unreached)).toBe(false);
    }
  });
});
