/** Public options and the renderer-neutral graph shape used by toMermaid / toDot. */

/**
 * A run's path to emphasise. Endpoints are stepIds, or the pseudo ids `$start`, `$end` and `$failed`.
 */
export interface GraphHighlight {
  /**
   * Steps visited, in visit order (repeat a stepId for each retry).
   * @example ['createAuthConfig', 'createConnectedAccount', 'pollConnection', 'pollConnection']
   */
  steps: string[];
  /**
   * Edges taken as [from, to]. When omitted they are derived from `steps`: `$start` to the first step,
   * then each consecutive pair (a retry shows as a self-edge).
   * @default derived from steps
   * @example [['$start', 'a'], ['a', 'b'], ['b', '$end']]
   */
  edges?: Array<[string, string]>;
}

export interface GraphOptions {
  /**
   * Emphasise a run's path (Mermaid classDef/linkStyle, DOT colours).
   * @default undefined (nothing emphasised)
   * @example { steps: ['createAuthConfig', 'createConnectedAccount'] }
   */
  highlight?: GraphHighlight;
  /**
   * Layout direction: top-down or left-right.
   * @default 'TD'
   * @example 'LR'
   */
  direction?: 'TD' | 'LR';
}

export type GraphNodeKind = 'dependency' | 'start' | 'step' | 'workflow' | 'missing' | 'end' | 'failed';

export interface GraphNode {
  /** Unique, renderer-independent key: 'start', 'end', 'failed', 'step:<id>', 'workflow:<id>', ... */
  key: string;
  kind: GraphNodeKind;
  /** Display lines, unescaped. */
  lines: string[];
  /** For step nodes: the step calls a workflow rather than an operation. */
  callsWorkflow?: boolean;
}

export type GraphEdgeKind = 'dependsOn' | 'start' | 'next' | 'success' | 'failure' | 'retry';

export interface GraphEdge {
  from: string;
  to: string;
  kind: GraphEdgeKind;
  /** Unescaped label text; undefined for a plain arrow. */
  label?: string;
}

export interface WorkflowGraph {
  workflowId: string;
  nodes: GraphNode[];
  edges: GraphEdge[];
}
