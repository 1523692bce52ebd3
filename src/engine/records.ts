// Arazzo 1.0.1 "Step Object": the record of one attempt of a step, and the action it shows.
import type { Transition } from './actions.js';
import type { RunContext } from './context.js';
import type { Frame, RunState } from './state.js';
import type { ActionRecord, StepRecord } from './types.js';

/** The record of a frame's current attempt at a step: failed until the attempt is judged. */
export function newStepRecord(frame: Frame, stepId: string): StepRecord {
  return {
    workflowId: frame.workflowId,
    stepId,
    attempt: frame.attempt,
    outcome: 'failed',
    criteria: [],
    durationMs: 0,
  };
}

/** The action a record shows for a transition. */
export function actionRecord(transition: Transition): ActionRecord {
  switch (transition.type) {
    case 'next':
      return { type: 'next' };
    case 'goto-step':
      return { type: 'goto', name: transition.name, target: transition.stepId };
    case 'goto-workflow':
      return { type: 'goto', name: transition.name, target: `workflow:${transition.workflowId}` };
    case 'end':
      return { type: 'end', name: transition.name };
    case 'retry':
      return { type: 'retry', name: transition.name, delayMs: transition.delayMs };
    case 'fail':
      return { type: 'end' };
  }
}

/** Add a record to the run and announce it (`step-end`). */
export function pushRecord(state: RunState, ctx: RunContext, record: StepRecord): void {
  state.records.push(record);
  // The record's outputs are the run's data; the event is for display, so it shows them masked.
  if (ctx.listening)
    ctx.emit(() => ({
      type: 'step-end',
      record:
        record.outputs === undefined
          ? record
          : { ...record, outputs: ctx.masker.value(record.outputs) as Record<string, unknown> },
    }));
}
