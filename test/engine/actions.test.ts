import { describe, expect, it } from 'vitest';
import type {
  FailureActionObject,
  StepObject,
  SuccessActionObject,
  WorkflowObject,
} from '../../src/document/model.js';
import { decideTransition, type Transition } from '../../src/engine/actions.js';

const retry = (name: string, extra: Partial<FailureActionObject> = {}): FailureActionObject => ({
  name,
  type: 'retry',
  ...extra,
});
const when = (condition: string) => [{ condition }];

interface Given {
  outcome: 'succeeded' | 'failed';
  onSuccess?: SuccessActionObject[];
  onFailure?: FailureActionObject[];
  workflowSuccess?: SuccessActionObject[];
  workflowFailure?: FailureActionObject[];
  /** Conditions that hold. */
  holding?: string[];
  retryUsed?: Record<string, number>;
  header?: number;
  cap?: number;
}

const table: Array<[string, { given: Given; want: Transition }]> = [
  [
    'success with no actions goes to the next step',
    { given: { outcome: 'succeeded' }, want: { type: 'next' } },
  ],
  [
    'failure with no actions fails',
    { given: { outcome: 'failed' }, want: { type: 'fail', reason: 'no failure action matched' } },
  ],
  [
    'first success action whose criteria hold wins',
    {
      given: {
        outcome: 'succeeded',
        onSuccess: [
          { name: 'a', type: 'goto', stepId: 'A', criteria: when('no') },
          { name: 'b', type: 'goto', stepId: 'B', criteria: when('yes') },
          { name: 'c', type: 'end' },
        ],
        holding: ['yes'],
      },
      want: { type: 'goto-step', name: 'b', stepId: 'B' },
    },
  ],
  [
    'retryLimit defaults to one retry',
    {
      given: { outcome: 'failed', onFailure: [retry('r', { retryAfter: 2 })] },
      want: { type: 'retry', name: 'r', delayMs: 2000, used: 1, limit: 1 },
    },
  ],
  [
    'a used-up retry falls through to the next matching action',
    {
      given: {
        outcome: 'failed',
        onFailure: [retry('r', { retryLimit: 2 }), { name: 'g', type: 'goto', stepId: 'S' }],
        retryUsed: { r: 2 },
      },
      want: { type: 'goto-step', name: 'g', stepId: 'S' },
    },
  ],
  [
    'a used-up retry with nothing after it fails and says why',
    {
      given: { outcome: 'failed', onFailure: [retry('r', { retryLimit: 3 })], retryUsed: { r: 3 } },
      want: { type: 'fail', reason: 'retry action "r" used all 3 retries', retriesUsedUp: true },
    },
  ],
  [
    'Retry-After header wins over retryAfter',
    {
      given: { outcome: 'failed', onFailure: [retry('r', { retryAfter: 10 })], header: 1500 },
      want: { type: 'retry', name: 'r', delayMs: 1500, used: 1, limit: 1 },
    },
  ],
  [
    'retry delays are capped',
    {
      given: { outcome: 'failed', onFailure: [retry('r', { retryAfter: 600 })], cap: 30_000 },
      want: { type: 'retry', name: 'r', delayMs: 30_000, used: 1, limit: 1 },
    },
  ],
  [
    'retryLimit 0 never retries',
    {
      given: { outcome: 'failed', onFailure: [retry('r', { retryLimit: 0 })] },
      want: { type: 'fail', reason: 'retry action "r" used all 0 retries', retriesUsedUp: true },
    },
  ],
  [
    'step action overrides a workflow action of the same name',
    {
      given: {
        outcome: 'failed',
        onFailure: [{ name: 'x', type: 'end' }],
        workflowFailure: [{ name: 'x', type: 'goto', stepId: 'W' }],
      },
      want: { type: 'end', name: 'x' },
    },
  ],
  [
    'workflow actions apply after the step’s own',
    {
      given: {
        outcome: 'failed',
        onFailure: [{ name: 'mine', type: 'end', criteria: when('no') }],
        workflowFailure: [{ name: 'theirs', type: 'goto', workflowId: 'other' }],
      },
      want: { type: 'goto-workflow', name: 'theirs', workflowId: 'other' },
    },
  ],
  [
    'retry with a stepId detours through that step',
    {
      given: { outcome: 'failed', onFailure: [retry('r', { stepId: 'login' })] },
      want: { type: 'retry', name: 'r', delayMs: 0, used: 1, limit: 1, detour: { stepId: 'login' } },
    },
  ],
  [
    'criteria of a retry action that do not hold skip it',
    {
      given: {
        outcome: 'failed',
        onFailure: [retry('r', { criteria: when('503') }), { name: 'e', type: 'end' }],
      },
      want: { type: 'end', name: 'e' },
    },
  ],
];

describe('decideTransition', () => {
  it.each(table)('%s', (_name, { given, want }) => {
    const step: StepObject = { stepId: 's', operationId: 'op' };
    if (given.onSuccess) step.onSuccess = given.onSuccess;
    if (given.onFailure) step.onFailure = given.onFailure;
    const workflow: WorkflowObject = { workflowId: 'w', steps: [step] };
    if (given.workflowSuccess) workflow.successActions = given.workflowSuccess;
    if (given.workflowFailure) workflow.failureActions = given.workflowFailure;
    const holding = new Set(given.holding ?? []);
    const got = decideTransition({
      step,
      workflow,
      components: undefined,
      outcome: given.outcome,
      holds: (criteria) => (criteria ?? []).every((c) => holding.has(c.condition)),
      retryUsed: given.retryUsed ?? {},
      retryAfterHeaderMs: given.header,
      maxRetryDelayMs: given.cap ?? 120_000,
    });
    expect(got).toEqual(want);
  });
});
