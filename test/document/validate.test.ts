import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDocumentText, parsedFromValue, validateArazzo } from '../../src/document/index.js';

const composioFile = 'specs/composio/arazzo/composio-connect-account-via-auth-config-workflow.yml';
const composio = () => parseDocumentText(readFileSync(composioFile, 'utf8'), composioFile);

describe('validateArazzo: the Composio seed', () => {
  it('is usable in compat mode with exactly its three warning kinds', () => {
    const { document, diagnostics } = validateArazzo(composio(), { strict: false });
    expect(document).toBeDefined();
    expect(diagnostics.map((d) => `${d.severity} ${d.code} ${d.line}:${d.column}`)).toEqual([
      'warning compat-jsonpath-comparison 98:9',
      'warning compat-jsonpath-comparison 105:9',
      'warning compat-double-quoted-string 121:7',
      'warning compat-step-retry-fields 122:5',
    ]);
    expect(diagnostics[3]!.message).toBe(
      'step "pollConnection" (#/workflows/0/steps/2/retryAfter): retryAfter and retryLimit are not Step Object fields; read as the spec form onFailure: [{ name: retry, type: retry, retryAfter: 3, retryLimit: 20 }]',
    );
  });

  it('reads step retry fields as an onFailure retry action, in a frozen document', () => {
    const { document } = validateArazzo(composio(), { strict: false });
    const step = document!.workflows[0]!.steps[2]!;
    expect(step.onFailure).toEqual([{ name: 'retry', type: 'retry', retryAfter: 3, retryLimit: 20 }]);
    expect(Object.hasOwn(step, 'retryAfter')).toBe(false);
    expect(Object.isFrozen(step)).toBe(true);
    expect(Object.isFrozen(step.onFailure![0])).toBe(true);
  });

  it('is unusable in strict mode, with the same findings as errors', () => {
    const { document, diagnostics } = validateArazzo(composio(), { strict: true });
    expect(document).toBeUndefined();
    expect([...new Set(diagnostics.map((d) => `${d.severity} ${d.code}`))].sort()).toEqual([
      'error compat-double-quoted-string',
      'error compat-jsonpath-comparison',
      'error compat-step-retry-fields',
    ]);
  });
});

describe('validateArazzo: messages and positions', () => {
  const base = (extra: string) =>
    `arazzo: 1.0.1\ninfo:\n  title: t\n  version: '1'\nsourceDescriptions:\n  - name: api\n    url: ./a.yaml\nworkflows:\n  - workflowId: w\n    steps:\n${extra}`;

  it.each([
    [
      'missing stepId (schema)',
      {
        given: base('      - operationId: op\n      - stepId: b\n        operationId: op\n'),
        want: {
          code: 'schema',
          line: 11,
          column: 9,
          message: "step 0 (#/workflows/0/steps/0): must have required property 'stepId'",
        },
      },
    ],
    [
      'unknown goto step',
      {
        given: base(
          '      - stepId: a\n        operationId: op\n        onSuccess:\n          - name: g\n            type: goto\n            stepId: zz\n',
        ),
        want: {
          code: 'unknown-step',
          line: 16,
          column: 13,
          message:
            'success action "g" (#/workflows/0/steps/0/onSuccess/0/stepId): stepId "zz" is not a step of workflow "w"',
        },
      },
    ],
    [
      'bad runtime expression',
      {
        given: base(
          '      - stepId: a\n        operationId: op\n        outputs:\n          x: $statusCodee\n',
        ),
        want: { code: 'expression-syntax', line: 14, column: 11 },
      },
    ],
  ])('%s', (_name, { given, want }) => {
    const { diagnostics, document } = validateArazzo(parseDocumentText(given, 'm.yaml'), { strict: false });
    expect(document).toBeUndefined();
    expect(diagnostics).toContainEqual(
      expect.objectContaining({ ...want, severity: 'error', file: 'm.yaml' }),
    );
  });

  it('lists every problem, not the first only', () => {
    const text = base(
      '      - stepId: a\n        operationId: op\n      - stepId: a\n        workflowId: nope\n        outputs:\n          "bad key": $statusCode\n',
    );
    const codes = validateArazzo(parseDocumentText(text, 'm.yaml'), { strict: false }).diagnostics.map(
      (d) => d.code,
    );
    expect(codes).toEqual(['duplicate-step-id', 'unknown-workflow', 'output-key']);
  });

  it('validates plain objects (no positions) via parsedFromValue', () => {
    const value = {
      arazzo: '1.0.0',
      info: { title: 't', version: '1' },
      sourceDescriptions: [{ name: 'api', url: './a.yaml' }],
      workflows: [{ workflowId: 'w', steps: [{ stepId: 'a', operationId: 'op' }] }],
    };
    const { document, diagnostics } = validateArazzo(parsedFromValue(value, 'inline:'), { strict: true });
    expect(diagnostics).toEqual([]);
    expect(document).toEqual(value);
    expect(document).not.toBe(value);
  });

  it('keeps __proto__ members as data in the validated document', () => {
    const text = base(
      '      - stepId: a\n        operationId: op\n        requestBody:\n          payload:\n            __proto__:\n              polluted: true\n',
    );
    const { document } = validateArazzo(parseDocumentText(text, 'm.yaml'), { strict: true });
    const payload = document!.workflows[0]!.steps[0]!.requestBody!.payload as Record<string, unknown>;
    expect(Object.getOwnPropertyDescriptor(payload, '__proto__')?.value).toEqual({ polluted: true });
    expect(Object.getPrototypeOf(payload)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
