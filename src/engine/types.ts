/**
 * The public shapes of a run: options in, RunResult out, events along the way.
 * These names are relied on by users, the CLI and tests (issue #4): keep them stable.
 */
import type { Dispatcher } from 'undici';
import type { ContractCheck } from '../contract/types.js';
import type { CriterionRecord } from '../criteria/types.js';
import type { Diagnostic } from '../document/diagnostic.js';
import type { AuthCredentials } from '../http/types.js';

export type { CriterionRecord };
export type StepOutcome = 'succeeded' | 'failed';

export interface ActionRecord {
  type: 'next' | 'goto' | 'retry' | 'end';
  /** The action's name when it came from an action object. */
  name?: string;
  /** goto target: a stepId, or a workflowId prefixed with 'workflow:'. */
  target?: string;
  /** retry: milliseconds waited before the next attempt. */
  delayMs?: number;
}

export interface RecordedRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: unknown;
}

export interface RecordedResponse {
  statusCode: number;
  headers: Record<string, string | string[]>;
  body?: unknown;
}

/** A message an AsyncAPI step sent or received (1.1), masked. */
export interface RecordedMessage {
  direction: 'sent' | 'received';
  /** The channel address the message went to or came from. */
  channel: string;
  /** The broker, credentials removed. */
  server: string;
  headers: Record<string, string>;
  payload?: unknown;
  contentType?: string;
}

export interface StepRecord {
  workflowId: string;
  stepId: string;
  /** 1-based attempt number of this step within its current entry (retries increment it). */
  attempt: number;
  outcome: StepOutcome;
  request?: RecordedRequest;
  response?: RecordedResponse;
  /** AsyncAPI steps (1.1): the message sent or received. */
  messages?: RecordedMessage[];
  criteria: CriterionRecord[];
  action?: ActionRecord;
  outputs?: Record<string, unknown>;
  /** Set when the step failed without a usable response (transport, request build, child workflow). */
  error?: { code: string; message: string };
  /**
   * Contract checks (the `contract` option): of the response against its OpenAPI operation, or of the
   * message sent or received against its AsyncAPI message.
   */
  checks?: ContractCheck[];
  /** Non-fatal notes, e.g. an output whose pointer found nothing. */
  warnings?: string[];
  durationMs: number;
}

export type RunErrorCode =
  | 'STEP_FAILED'
  | 'STEP_BUDGET_EXHAUSTED'
  | 'TIMEOUT'
  | 'INPUTS_INVALID'
  | 'CANCELLED'
  | 'WORKFLOW_NOT_FOUND'
  | 'DEPENDENCY_FAILED'
  | 'INTERNAL';

export interface RunError {
  code: RunErrorCode;
  message: string;
  stepId?: string;
  workflowId?: string;
  pointer?: string;
}

export interface RunResult {
  workflowId: string;
  status: 'succeeded' | 'failed';
  outputs: Record<string, unknown>;
  steps: StepRecord[];
  error?: RunError;
  diagnostics: Diagnostic[];
  durationMs: number;
}

/** Events for progress displays. Values are masked before they are emitted. */
export type RunEvent =
  | { type: 'workflow-start'; workflowId: string; inputs: Record<string, unknown>; depth: number }
  | { type: 'step-start'; workflowId: string; stepId: string; attempt: number; operation?: string }
  | { type: 'request'; workflowId: string; stepId: string; attempt: number; request: RecordedRequest }
  | {
      type: 'response';
      workflowId: string;
      stepId: string;
      attempt: number;
      response: RecordedResponse;
      durationMs: number;
    }
  | { type: 'message'; workflowId: string; stepId: string; attempt: number; message: RecordedMessage }
  | { type: 'criteria'; workflowId: string; stepId: string; attempt: number; criteria: CriterionRecord[] }
  | { type: 'step-end'; record: StepRecord }
  | {
      type: 'retry-wait';
      workflowId: string;
      stepId: string;
      attempt: number;
      delayMs: number;
      reason: string;
    }
  | { type: 'action'; workflowId: string; stepId: string; action: ActionRecord }
  /** 1.1 documents: a criterion that could not be evaluated (it failed); `code` is 'CRITERION_ERROR'. */
  | { type: 'warning'; workflowId: string; stepId: string; attempt: number; code: string; message: string }
  | {
      type: 'workflow-end';
      workflowId: string;
      status: 'succeeded' | 'failed';
      outputs: Record<string, unknown>;
      error?: RunError;
      depth: number;
    };

/** Credentials keyed by OpenAPI security scheme name. */
export type AuthValues = AuthCredentials;
export type { ContractCheck, Dispatcher };
