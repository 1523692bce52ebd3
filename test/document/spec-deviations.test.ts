// Arazzo 1.0.1 deviations the validator used to report: dotted input/output names, `in` on a workflowId
// step's parameters, extra properties on a Reusable Object.
import { describe, expect, it } from 'vitest';
import { parseDocumentText, validateArazzo } from '../../src/document/index.js';

const doc = (workflows: string, components = '') =>
  `arazzo: 1.0.1
info: { title: t, version: '1' }
sourceDescriptions:
  - { name: api, url: ./a.yaml }
workflows:
${workflows}${components}`;

const PARENT = `  - workflowId: w
    inputs: { type: object, properties: { a.b: { type: string }, plain: { type: object } } }
    steps:
      - stepId: s
        operationId: op
        parameters: [{ name: id, in: path, value: $inputs.a.b }]
        outputs: { user.name: $response.body#/name, user: $response.body }
      - stepId: t
        operationId: op
        parameters:
          - { name: id, in: path, value: $steps.s.outputs.user.name }
          - { name: q, in: query, value: $inputs.plain.x }
          - { name: r, in: query, value: $steps.s.outputs.user.name.first }
    outputs: { n: $steps.s.outputs.user.name }
`;

function findings(text: string, strict = false): string[] {
  const { diagnostics } = validateArazzo(parseDocumentText(text, 'm.yaml'), { strict });
  return diagnostics.map((d) => `${d.severity} ${d.code} ${d.pointer}`);
}

describe('dotted input and output names', () => {
  it('an expression naming a declared dotted name is spec form; navigation on other names is still compat', () => {
    expect(findings(doc(PARENT))).toEqual([
      'warning compat-expression-path /workflows/0/steps/1/parameters/1/value',
      'warning compat-expression-path /workflows/0/steps/1/parameters/2/value',
    ]);
  });

  it('navigation past a declared dotted name gets the spec form that keeps the name whole', () => {
    const { diagnostics } = validateArazzo(parseDocumentText(doc(PARENT), 'm.yaml'), { strict: false });
    expect(diagnostics[1]?.message).toContain('spec form: $steps.s.outputs.user.name#/first');
  });

  it('only the dotted name declared by the step counts as its output', () => {
    const text = doc(`  - workflowId: w
    steps:
      - stepId: s
        operationId: op
        outputs: { user.name: $response.body#/name }
      - stepId: t
        operationId: op
        parameters: [{ name: id, in: path, value: $steps.s.outputs.user.name }, { name: q, in: query, value: $steps.s.outputs.nope.name }]
`);
    expect(findings(text)).toEqual([
      'warning compat-expression-path /workflows/0/steps/1/parameters/1/value',
      'error unknown-step-output /workflows/0/steps/1/parameters/1/value',
    ]);
  });
});

describe('parameters of a workflowId step', () => {
  const text = doc(
    `  - workflowId: w
    steps:
      - stepId: call
        workflowId: child
        parameters:
          - { name: itemId, in: query, value: x }
          - { name: plain, value: y }
          - reference: $components.parameters.page
  - workflowId: child
    steps: [{ stepId: c, operationId: op }]
`,
    `components:
  parameters:
    page: { name: page, in: query, value: 1 }
`,
  );

  it('a stray `in` is a compat warning naming it', () => {
    const { diagnostics } = validateArazzo(parseDocumentText(text, 'm.yaml'), { strict: false });
    expect(diagnostics.map((d) => [d.severity, d.code, d.pointer])).toEqual([
      ['warning', 'compat-workflow-parameter-in', '/workflows/0/steps/0/parameters/0/in'],
      ['warning', 'compat-workflow-parameter-in', '/workflows/0/steps/0/parameters/2'],
    ]);
    expect(diagnostics[0]?.message).toContain('parameter "itemId" has in: query');
    expect(diagnostics[0]?.line).toBe(11);
  });

  it('is an error in strict mode', () => {
    expect(findings(text, true)).toContain(
      'error compat-workflow-parameter-in /workflows/0/steps/0/parameters/0/in',
    );
  });
});

describe('a Reusable Object with extra properties', () => {
  const text = doc(
    `  - workflowId: w
    steps:
      - stepId: s
        operationId: op
        parameters:
          - { reference: $components.parameters.page, value: 2, in: header, name: other }
        onFailure:
          - { reference: $components.failureActions.stop, x-note: kept out }
`,
    `components:
  parameters:
    page: { name: page, in: query, value: 1 }
  failureActions:
    stop: { name: stop, type: end }
`,
  );

  it.each([false, true])(
    'ignores them with a warning (strict: %s), the spec text winning over the schema',
    (strict) => {
      const { diagnostics, document } = validateArazzo(parseDocumentText(text, 'm.yaml'), { strict });
      expect(diagnostics.map((d) => [d.severity, d.code, d.pointer, d.line])).toEqual([
        ['warning', 'reusable-extra-property', '/workflows/0/steps/0/parameters/0/in', 11],
        ['warning', 'reusable-extra-property', '/workflows/0/steps/0/onFailure/0/x-note', 13],
      ]);
      expect(diagnostics[0]?.message).toContain('"in", "name" are not fields of a Reusable Object');
      const step = document?.workflows[0]?.steps[0];
      expect(step?.parameters).toEqual([{ reference: '$components.parameters.page', value: 2 }]);
      expect(step?.onFailure).toEqual([{ reference: '$components.failureActions.stop' }]);
    },
  );
});

describe('inputs schema references', () => {
  it.each<[string, string[]]>([
    ['#/components/inputs/a~1b', []],
    // Percent-decoding comes first (RFC 6901 section 6), so %2F is a separator, not a "/" in the name.
    ['#/components/inputs/a%2Fb', ['error unknown-component /workflows/0/inputs/properties/p/$ref']],
    ['#/components/inputs/a~1%62', []],
    ['#/components/inputs/%E0%A4%A', ['error unknown-component /workflows/0/inputs/properties/p/$ref']],
    ['#/components/inputs/missing', ['error unknown-component /workflows/0/inputs/properties/p/$ref']],
  ])('%s', (ref, want) => {
    const text = doc(
      `  - workflowId: w
    inputs: { type: object, properties: { p: { $ref: '${ref}' } } }
    steps: [{ stepId: s, operationId: op }]
`,
      `components:
  inputs:
    a/b: { type: string }
`,
    );
    expect(findings(text).filter((f) => !f.includes('component-key'))).toEqual(want);
  });
});
