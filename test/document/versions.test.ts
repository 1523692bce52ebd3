import { describe, expect, it } from 'vitest';
import { parseDocumentText, validateArazzo } from '../../src/document/index.js';
import { specVersionOf } from '../../src/document/model.js';

const doc = (version: string, extra = ''): string =>
  `arazzo: ${version}\n${extra}info:\n  title: t\n  version: '1'\nsourceDescriptions:\n  - name: api\n    url: ./openapi.yaml\nworkflows:\n  - workflowId: w\n    steps:\n      - stepId: a\n        operationId: op\n`;

describe('spec versions: major.minor selects the rules, the patch is ignored (spec "Versions")', () => {
  it.each<[string, '1.0' | '1.1']>([
    ['1.0.0', '1.0'],
    ['1.0.1', '1.0'],
    ['1.0.9', '1.0'],
    ['1.1.0', '1.1'],
    ['1.1.3', '1.1'],
    ['1.1.0-rc1', '1.1'],
  ])('arazzo: %s is read by the %s rules', (version, want) => {
    const result = validateArazzo(parseDocumentText(doc(version), 'm.yaml'), { strict: true });
    expect(result.diagnostics).toEqual([]);
    expect(result.specVersion).toBe(want);
    expect(specVersionOf(result.document!)).toBe(want);
  });

  it.each<[string, string]>([
    ['1.2.0', 'arazzo version "1.2.0" is not supported; this runtime supports 1.0.x and 1.1.x'],
    ['2.0.0', 'arazzo version "2.0.0" is not supported; this runtime supports 1.0.x and 1.1.x'],
    [
      '"1.1"',
      'arazzo version "1.1" is not supported; this runtime supports 1.0.x and 1.1.x; write the patch version too, e.g. "1.1.0"',
    ],
    [
      '1.1',
      'arazzo version 1.1 (a number, not a string) is not supported; this runtime supports 1.0.x and 1.1.x; quote it in YAML, e.g. arazzo: "1.1.0"',
    ],
  ])('arazzo: %s is refused with a clear message', (version, message) => {
    const result = validateArazzo(parseDocumentText(doc(version), 'm.yaml'), { strict: false });
    expect(result.document).toBeUndefined();
    expect(result.specVersion).toBeUndefined();
    expect(result.diagnostics).toEqual([
      expect.objectContaining({
        code: 'unsupported-version',
        severity: 'error',
        pointer: '/arazzo',
        line: 1,
        column: 1,
        message: `document (#/arazzo): ${message}`,
      }),
    ]);
  });

  it('$self is a root field of 1.1 documents and an unknown root field of 1.0 documents', () => {
    const self = '$self: https://example.com/flows/a.arazzo.yaml\n';
    const v11 = validateArazzo(parseDocumentText(doc('1.1.0', self), 'm.yaml'), { strict: true });
    expect(v11.diagnostics).toEqual([]);
    expect(v11.document?.$self).toBe('https://example.com/flows/a.arazzo.yaml');
    const v10 = validateArazzo(parseDocumentText(doc('1.0.1', self), 'm.yaml'), { strict: true });
    expect(v10.diagnostics.map((d) => `${d.severity} ${d.line}:${d.column}`)).toEqual(['error 2:1']);
  });

  it('a 1.1 AsyncAPI step names channelPath as a target; two targets are one step-target error', () => {
    const text = doc('1.1.0').replace(
      '        operationId: op\n',
      "        operationId: op\n        channelPath: '{$sourceDescriptions.api.url}#/channels/x'\n        action: send\n",
    );
    const result = validateArazzo(parseDocumentText(text, 'm.yaml'), { strict: false });
    expect(result.diagnostics).toEqual([
      expect.objectContaining({
        code: 'step-target',
        pointer: '/workflows/0/steps/0/channelPath',
        line: 13,
        message:
          'step "a" (#/workflows/0/steps/0/channelPath): must have exactly one of operationId, operationPath, channelPath or workflowId; it has operationId and channelPath',
      }),
    ]);
  });
});
