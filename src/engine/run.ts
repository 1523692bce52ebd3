// Arazzo 1.0.1 "Workflow Object": running one workflow of a document.
import type { LoadedDocument } from '../sources/types.js';
import { finishRun, prepareRun } from './context.js';
import { drive, initialState } from './loop.js';
import type { RunOptions } from './options.js';
import type { RunResult } from './types.js';

/**
 * Run one workflow of an Arazzo document.
 *
 * Resolves with a RunResult whether the workflow succeeds or fails; rejects only when the document is
 * unusable (DocumentError / UnreadableDocumentError with diagnostics) or options are invalid (OptionsError).
 *
 * @example
 * const result = await runWorkflow('./pets.arazzo.yaml', { petId: 1 }, { servers: { petStore: 'http://localhost:4010' } });
 */
export async function runWorkflow(
  spec: string | URL | LoadedDocument,
  inputs: Record<string, unknown> = {},
  options: RunOptions = {},
): Promise<RunResult> {
  const started = performance.now();
  const prepared = await prepareRun(spec, inputs, options, started);
  if (prepared.kind === 'result') return prepared.result;
  const state = initialState(prepared.workflow, prepared.inputs);
  try {
    await drive(state, prepared.ctx);
  } finally {
    await prepared.ctx.close?.();
    // No broker connection, subscription or timer outlives the run.
    await prepared.ctx.messaging?.session.close();
  }
  return finishRun(state, prepared.ctx, started);
}
