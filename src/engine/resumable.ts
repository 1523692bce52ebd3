/**
 * Durable runs: start a run as JSON-serializable state, advance it to completion or to a long retry wait,
 * and resume it later, in this process or another, without repeating completed steps.
 */
import type { LoadedDocument } from '../sources/types.js';
import { finishRun, prepareRun } from './context.js';
import { drive, initialState } from './loop.js';
import type { RunOptions } from './options.js';
import type { RunState } from './state.js';
import type { RunResult } from './types.js';

export interface AdvanceHooks {
  /** Persist the state at every step boundary (awaited before the next step starts). */
  checkpoint?: (state: RunState) => Promise<void>;
  /**
   * Retry waits of at least this many ms end `advanceRun` with `{ status: 'suspended' }` instead of sleeping.
   * Default: never suspend.
   */
  suspendRetryOverMs?: number;
}

export type AdvanceResult =
  | { status: 'done'; result: RunResult; state: RunState }
  | { status: 'suspended'; state: RunState; resumeAfterMs: number };

/** Create the initial state of a run, or the failed RunResult when it cannot start (unknown workflow, bad inputs). */
export async function startRunState(
  spec: string | URL | LoadedDocument,
  inputs: Record<string, unknown> = {},
  options: RunOptions = {},
): Promise<{ state: RunState } | { result: RunResult }> {
  const prepared = await prepareRun(spec, inputs, options);
  if (prepared.kind === 'result') return { result: prepared.result };
  return { state: initialState(prepared.workflow, prepared.inputs) };
}

/**
 * Advance a run from its state. The state object is updated in place and returned. The caller must pass the
 * same document and the options that carry I/O and credentials (auth, servers, dispatcher): they are not in
 * the state.
 */
export async function advanceRun(
  spec: string | URL | LoadedDocument,
  state: RunState,
  options: RunOptions = {},
  hooks: AdvanceHooks = {},
): Promise<AdvanceResult> {
  if (state.result !== undefined || state.frames.length === 0) {
    // Already finished (e.g. a worker died after the last checkpoint): report it, run nothing.
    // The root's inputs seed the masker: the rebuilt result's error message is masked with them.
    const inputs = state.workflows[state.rootWorkflowId]?.inputs ?? {};
    const prepared = await prepareRun(spec, inputs, {
      ...options,
      workflowId: state.rootWorkflowId,
      skipInputCheck: true,
    });
    if (prepared.kind === 'result') return { status: 'done', result: prepared.result, state };
    const started = performance.now() - (Date.now() - state.startedAt);
    return { status: 'done', result: finishRun(state, prepared.ctx, started), state };
  }
  const rootInputs = state.frames[0]?.inputs ?? {};
  const prepared = await prepareRun(spec, rootInputs, { ...options, workflowId: state.rootWorkflowId });
  if (prepared.kind === 'result') return { status: 'done', result: prepared.result, state };
  const ctx = prepared.ctx;
  if (hooks.checkpoint !== undefined) ctx.checkpoint = hooks.checkpoint;
  if (hooks.suspendRetryOverMs !== undefined) ctx.suspendRetryOverMs = hooks.suspendRetryOverMs;
  const outcome = await drive(state, ctx);
  if (outcome.suspendedForMs !== undefined)
    return { status: 'suspended', state, resumeAfterMs: outcome.suspendedForMs };
  const started = performance.now() - (Date.now() - state.startedAt);
  return { status: 'done', result: finishRun(state, ctx, started), state };
}
