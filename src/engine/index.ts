export { decideTransition, effectiveActions, resolveActions, type Transition } from './actions.js';
export type { MessageMock, RunOptions, Transport, TransportContext } from './options.js';
export { type AdvanceHooks, type AdvanceResult, advanceRun, startRunState } from './resumable.js';
export { runWorkflow } from './run.js';
export type { Frame, RunState } from './state.js';
export type * from './types.js';
