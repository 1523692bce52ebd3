import { describe, expect, it } from 'vitest';
import { braceUnbracedExpressions } from '../../src/document/compat.js';
import { parseDocumentText, validateArazzo } from '../../src/document/index.js';

describe('braceUnbracedExpressions', () => {
  it.each([
    ['bearer header', { given: 'Bearer $inputs.apiKey', want: 'Bearer {$inputs.apiKey}' }],
    [
      'step output with dotted compat path',
      {
        given: 'Bearer $steps.getToken.outputs.access_token',
        want: 'Bearer {$steps.getToken.outputs.access_token}',
      },
    ],
    ['two expressions', { given: '$inputs.a and $inputs.b', want: '{$inputs.a} and {$inputs.b}' }],
    ['expression then text', { given: '$inputs.id suffix', want: '{$inputs.id} suffix' }],
    ['after a slash', { given: '/users/$inputs.id', want: '/users/{$inputs.id}' }],
    [
      'only the opening brace missing',
      { given: 'a={$inputs.a}&s=$inputs.scope}', want: 'a={$inputs.a}&s={$inputs.scope}' },
    ],
    ['a whole expression is already the spec form', { given: '$inputs.apiKey', want: undefined }],
    ['already braced', { given: 'Bearer {$inputs.apiKey}', want: undefined }],
    ['not an expression source', { given: 'costs $5 or $USD', want: undefined }],
    ['inside a word', { given: 'a$inputs.x', want: undefined }],
    ['unknown root', { given: 'Bearer $token', want: undefined }],
    ['no dollar', { given: 'plain text', want: undefined }],
  ])('%s', (_name, { given, want }) => {
    expect(braceUnbracedExpressions(given)).toBe(want);
  });
});

const base = (extra: string, stepExtra = '', wfExtra = ''): string => `arazzo: 1.0.1
${extra}info:
  title: t
  version: 1.0.0
sourceDescriptions:
  - name: api
    url: ./openapi.yaml
    type: openapi
workflows:
  - workflowId: w1
    inputs:
      type: object
      properties:
        apiKey: { type: string }
    steps:
      - stepId: s1
        operationId: getThing
${stepExtra}        outputs:
          id: $response.body#/id
${wfExtra}`;

describe('compat rewrites in validateArazzo', () => {
  it.each([
    [
      'unknown root field is dropped',
      {
        given: base('method: generated\n'),
        code: 'compat-unknown-root-field',
        message:
          'document (#/method): "method" is not a field of the Arazzo Object and is ignored; the spec form of extra data is an extension, x-method',
        check: (doc: Record<string, unknown>) => expect(Object.hasOwn(doc, 'method')).toBe(false),
      },
    ],
    [
      'x- fields at the root are extensions, not compat',
      {
        given: base('x-method: generated\n'),
        code: undefined,
        message: undefined,
        check: (doc: Record<string, unknown>) => expect(doc['x-method']).toBe('generated'),
      },
    ],
    [
      'unbraced expression in a parameter value becomes a template',
      {
        given: base(
          '',
          '        parameters:\n          - name: Authorization\n            in: header\n            value: "Bearer $inputs.apiKey"\n',
        ),
        code: 'compat-unbraced-expression',
        message:
          'parameter "Authorization" (#/workflows/0/steps/0/parameters/0/value): "Bearer $inputs.apiKey" embeds a runtime expression without braces, which the spec reads as literal text; read as the spec form "Bearer {$inputs.apiKey}"',
        check: (doc: Record<string, unknown>) =>
          expect(
            (doc as { workflows: Array<{ steps: Array<{ parameters: Array<{ value: unknown }> }> }> })
              .workflows[0]!.steps[0]!.parameters[0]!.value,
          ).toBe('Bearer {$inputs.apiKey}'),
      },
    ],
    [
      'unbraced expression inside a payload member',
      {
        given: base(
          '',
          '        requestBody:\n          payload:\n            auth: { header: "Token $inputs.apiKey" }\n',
        ),
        code: 'compat-unbraced-expression',
        message: undefined,
        check: (doc: Record<string, unknown>) =>
          expect(
            (doc as { workflows: Array<{ steps: Array<{ requestBody: { payload: unknown } }> }> })
              .workflows[0]!.steps[0]!.requestBody.payload,
          ).toEqual({ auth: { header: 'Token {$inputs.apiKey}' } }),
      },
    ],
    [
      'whole outputs map of a step',
      {
        given: base('', '', '    outputs:\n      all: $steps.s1.outputs\n'),
        code: 'compat-whole-outputs',
        message:
          'workflow "w1" (#/workflows/0/outputs/all): "$steps.s1.outputs" names no output; it is read as the map of every output, but the spec form names one: $steps.s1.outputs.<name>',
        check: undefined,
      },
    ],
  ])('%s', (_name, { given, code, message, check }) => {
    const result = validateArazzo(parseDocumentText(given, 'mem.yaml'), { strict: false });
    const codes = result.diagnostics.map((d) => d.code);
    expect(codes).toEqual(code === undefined ? [] : [code]);
    if (message !== undefined) expect(result.diagnostics[0]?.message).toBe(message);
    expect(result.document).toBeDefined();
    check?.(result.document as unknown as Record<string, unknown>);
    const strict = validateArazzo(parseDocumentText(given, 'mem.yaml'), { strict: true });
    expect(strict.document === undefined).toBe(code !== undefined);
    if (code !== undefined)
      expect(strict.diagnostics.map((d) => `${d.severity} ${d.code}`)).toContain(`error ${code}`);
  });
});
