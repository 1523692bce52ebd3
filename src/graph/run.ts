/** The path a run took through a workflow graph, read from its step records (issue #11). */
import type { GraphHighlight, HighlightEdge } from './types.js';

/**
 * The parts of a RunResult this module reads. Structural, so graph/ stays below engine/ in the layering;
 * an engine `RunResult` fits as it is.
 */
export interface RunPath {
  workflowId: string;
  steps: ReadonlyArray<{
    workflowId: string;
    stepId: string;
    outcome: 'succeeded' | 'failed';
    action?: { type: 'next' | 'goto' | 'retry' | 'end'; name?: string; target?: string; delayMs?: number };
  }>;
}

/**
 * Highlight options for the path a run took through one workflow (default: the run's own workflow):
 * every attempt's step in order, and for each attempt the edge of the action it took, told apart by
 * action name when several edges join the same steps. Records of other workflows are ignored.
 * @example
 * toMermaid(doc, result.workflowId, { highlight: pathFromRun(result) })
 */
export function pathFromRun(result: RunPath, workflowId: string = result.workflowId): GraphHighlight {
  const records = result.steps.filter((r) => r.workflowId === workflowId);
  const steps = records.map((r) => r.stepId);
  const edges: HighlightEdge[] = [];
  const first = records[0];
  if (first !== undefined) edges.push({ from: '$start', to: first.stepId, kind: 'start' });
  for (const record of records) {
    const action = record.action;
    if (action === undefined) continue;
    const from = record.stepId;
    const named = action.name ?? null;
    switch (action.type) {
      case 'next':
        // A retry detour's step records `next` back to the retried step: that return is not drawn.
        edges.push(
          action.target === undefined ? { from, kind: 'next' } : { from, to: action.target, kind: 'next' },
        );
        break;
      case 'goto':
        if (action.target !== undefined) edges.push({ from, to: action.target, action: named });
        break;
      case 'retry':
        edges.push({ from, kind: 'retry', action: named });
        break;
      case 'end':
        edges.push({ from, to: record.outcome === 'succeeded' ? '$end' : '$failed', action: named });
        break;
    }
  }
  return { steps, edges };
}
