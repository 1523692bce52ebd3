// Issue 15 section 5: every reference that can be misspelt is reported with the closest names.
import { describe, expect, it } from 'vitest';
import { parseDocumentText, validateArazzo } from '../../src/document/index.js';
import { didYouMean } from '../../src/document/suggest.js';

const doc = (workflows: string, extra = '') => `arazzo: 1.0.1
info:
  title: t
  version: '1'
sourceDescriptions:
  - name: petStore
    url: ./a.yaml
  - name: flows
    url: ./b.arazzo.yaml
    type: arazzo
workflows:
${workflows}${extra}`;

const twoSteps = (step2: string, inputs = '') => `  - workflowId: buyPet
${inputs}    steps:
      - stepId: findPet
        operationId: op
        outputs:
          petId: $response.body#/id
          petName: $response.body#/name
      - stepId: placeOrder
        operationId: op
${step2}
  - workflowId: refund
    steps:
      - stepId: r
        operationId: op
`;

describe('"did you mean" for every misspellable reference', () => {
  it.each<[string, string, string, string]>([
    [
      'goto stepId',
      doc(
        twoSteps(
          '        onSuccess:\n          - name: g\n            type: goto\n            stepId: findPett',
        ),
      ),
      'unknown-step',
      'stepId "findPett" is not a step of workflow "buyPet"; did you mean "findPet"?',
    ],
    [
      'goto workflowId',
      doc(
        twoSteps(
          '        onFailure:\n          - name: g\n            type: goto\n            workflowId: refnd',
        ),
      ),
      'unknown-workflow',
      'workflowId "refnd" is not a workflow of this document; did you mean "refund"?',
    ],
    [
      'step workflowId',
      doc(twoSteps('      - stepId: sub\n        workflowId: refunds')),
      'unknown-workflow',
      'workflowId "refunds" is not a workflow of this document; did you mean "refund"?',
    ],
    [
      'dependsOn',
      doc(
        twoSteps('').replace(
          '  - workflowId: refund\n',
          '  - workflowId: refund\n    dependsOn: [buyPett]\n',
        ),
      ),
      'unknown-depends-on',
      'dependsOn "buyPett" is not a workflowId of this document; did you mean "buyPet"?',
    ],
    [
      'stepId in a parameter value',
      doc(
        twoSteps(
          '        parameters:\n          - name: id\n            in: query\n            value: $steps.findPe.outputs.petId',
        ),
      ),
      'unknown-step-reference',
      'refers to step "findPe", which is not a step of workflow "buyPet"; did you mean "findPet"?',
    ],
    [
      "output name lists the step's outputs",
      doc(
        twoSteps(
          '        parameters:\n          - name: id\n            in: query\n            value: $steps.findPet.outputs.petid',
        ),
      ),
      'unknown-step-output',
      'refers to output "petid", which step "findPet" does not declare (its outputs: "petId", "petName"); did you mean "petId"?',
    ],
    [
      'output name in a simple condition',
      doc(
        twoSteps("        successCriteria:\n          - condition: $steps.findPet.outputs.petNme == 'rex'"),
      ),
      'unknown-step-output',
      'did you mean "petName"?',
    ],
    [
      'source name in an operationId',
      doc(
        twoSteps('').replace(
          '      - stepId: placeOrder\n        operationId: op',
          '      - stepId: placeOrder\n        operationId: $sourceDescriptions.petstore.op',
        ),
      ),
      'unknown-source-description',
      'names source "petstore", which is not in sourceDescriptions; did you mean "petStore"?',
    ],
    [
      'source name in an expression',
      doc(
        twoSteps(
          '        parameters:\n          - name: u\n            in: query\n            value: $sourceDescriptions.flow.url',
        ),
      ),
      'unknown-source-description',
      'refers to source "flow", which is not in sourceDescriptions; did you mean "flows"?',
    ],
    [
      'input name',
      doc(
        twoSteps(
          '        parameters:\n          - name: q\n            in: query\n            value: $inputs.quantiy',
          '    inputs:\n      type: object\n      additionalProperties: false\n      properties:\n        quantity: { type: integer }\n        petType: { type: string }\n',
        ),
      ),
      'unknown-input',
      'declared: "quantity", "petType"; did you mean "quantity"?',
    ],
    [
      'component name',
      doc(
        twoSteps('        parameters:\n          - reference: $components.parameters.pageSise'),
        '\ncomponents:\n  parameters:\n    pageSize:\n      name: size\n      in: query\n      value: 10\n',
      ),
      'unknown-component',
      'components.parameters has no "pageSise"; did you mean "pageSize"?',
    ],
  ])('%s', (_name, text, code, message) => {
    const { diagnostics } = validateArazzo(parseDocumentText(text, 'm.yaml'), { strict: false });
    const found = diagnostics.filter((d) => d.code === code);
    expect(
      found.map((d) => d.message),
      diagnostics.map((d) => d.message).join('\n'),
    ).toEqual([expect.stringContaining(message)]);
  });

  it('an unknown output of a step that declares none says so', () => {
    const text = doc(
      twoSteps('').replace(
        '      - stepId: r\n        operationId: op\n',
        '      - stepId: r\n        operationId: op\n      - stepId: r2\n        operationId: op\n        successCriteria:\n          - condition: $steps.r.outputs.x == 1\n',
      ),
    );
    const { diagnostics } = validateArazzo(parseDocumentText(text, 'm.yaml'), { strict: false });
    expect(diagnostics.filter((d) => d.code === 'unknown-step-output').map((d) => d.message)).toEqual([
      'step "r2" (#/workflows/1/steps/1/successCriteria/0/condition): "$steps.r.outputs.x" refers to output "x", which step "r" does not declare (it declares no outputs)',
    ]);
  });
});

describe('didYouMean', () => {
  it.each<[string, string[], string]>([
    ['findPett', ['findPet', 'placeOrder'], '; did you mean "findPet"?'],
    ['FINDPET', ['findPet'], '; did you mean "findPet"?'],
    ['zz', ['a', 'b'], ''],
    ['x', ['y'], ''],
    ['getPet', ['getPets', 'getPat', 'deletePet'], '; did you mean "getPat", "getPets"?'],
    ['anything', [], ''],
  ])('%s among %j', (name, candidates, want) => {
    expect(didYouMean(name, candidates)).toBe(want);
  });
});
