/**
 * Run state as plain, JSON-serializable data. The step loop reads and writes only this, so a run can
 * stop at a step boundary and resume elsewhere without repeating completed steps.
 */
import type { RunError, StepRecord } from './types.js';

export type ReturnMode =
  /** The workflow the caller asked for. */
  | 'root'
  /** A `dependsOn` workflow: its outputs become `$workflows.<id>.outputs`. */
  | 'dependency'
  /** A `workflowId` step of the parent: the child's result decides the step. */
  | 'step'
  /** A `goto` to a workflow: the parent ends with the child's status. */
  | 'goto-workflow'
  /** A retry action's detour through a workflow: the parent retries its step afterwards. */
  | 'retry-detour';

export interface Frame {
  /** Source names from the root document to the document that holds this workflow ([] = root). */
  docPath: string[];
  workflowId: string;
  inputs: Record<string, unknown>;
  /** Index of the current step. */
  stepIndex: number;
  /** 1-based attempt of the current step in its current entry. */
  attempt: number;
  /** Retries used per failure action name in the current entry of the current step. */
  retryUsed: Record<string, number>;
  /** Outputs of the steps of this workflow that have run. */
  steps: Record<string, { outputs: Record<string, unknown> }>;
  /** dependsOn workflows still to run before the first step. */
  pendingDeps: string[];
  /** 1.1: the step order of the workflow's dependencies was applied (see engine/v11.ts `stepPlan`). */
  planned?: true;
  returnMode: ReturnMode;
  depth: number;
  /** A retry detour through another step: run it once, then retry the step at `resumeStepIndex`. */
  detour?: { stepIndex: number; resumeStepIndex: number; delayMs: number };
  /** Attempt number the detoured step resumes with. */
  retryAttempt?: number;
  /** When the current workflowId step's child started (performance.now()), for its record's duration. */
  childStartedAt?: number;
  /** A retry wait to honour before the next attempt (kept in state so a resumed run waits too). */
  pendingDelayMs?: number;
  /** Set when the frame has finished and waits to be popped. */
  ended?: { status: 'succeeded' | 'failed'; error?: RunError };
}

export interface RunState {
  version: 1;
  /** Epoch ms when the run started (durations of resumed runs count from here). */
  startedAt: number;
  rootWorkflowId: string;
  frames: Frame[];
  /** `$workflows.<key>`: inputs and outputs of workflows that have run, keyed by docPath + workflowId. */
  workflows: Record<string, { inputs: Record<string, unknown>; outputs: Record<string, unknown> }>;
  /** Attempts counted against the step budget. */
  stepsUsed: number;
  records: StepRecord[];
  /** Set when the root workflow has finished. */
  result?: { status: 'succeeded' | 'failed'; outputs: Record<string, unknown>; error?: RunError };
}

export function workflowKey(docPath: readonly string[], workflowId: string): string {
  return docPath.length === 0 ? workflowId : `${docPath.join('/')}#${workflowId}`;
}
