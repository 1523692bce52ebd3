/** Public options and the renderer-neutral graph shape used by toMermaid / toDot. */

/**
 * A run's path to emphasise. Endpoints are stepIds, or the pseudo ids `$start`, `$end` and `$failed`.
 */
/**
 * One edge to emphasise. `action` and `kind` narrow the match when several edges join the same two
 * nodes (e.g. a conditional goto and the "otherwise" fall-through between the same steps).
 */
export interface HighlightEdge {
  /** A stepId or `$start`, `$end`, `$failed`, or a node key such as `workflow:<id>`. */
  from: string;
  /**
   * Where the edge leads; omit to match any target (a retry's self-edge or its detour).
   * @default undefined (any target)
   */
  to?: string;
  /**
   * Only the edge drawn for the action of this name. `null` matches only edges that come from no
   * action (the start edge, the fall-through to the next step, the default failure).
   * @default undefined (any edge between the two nodes)
   * @example 'needsActivation'
   */
  action?: string | null;
  /**
   * Only edges of this kind.
   * @default undefined (any kind)
   * @example 'retry'
   */
  kind?: GraphEdgeKind;
}

export interface GraphHighlight {
  /**
   * Steps visited, in visit order (repeat a stepId for each retry).
   * @example ['createAuthConfig', 'createConnectedAccount', 'pollConnection', 'pollConnection']
   */
  steps: string[];
  /**
   * Edges taken, as [from, to] (every edge between the pair) or a {@link HighlightEdge} (narrowed by
   * action name or kind). When omitted they are derived from `steps`: `$start` to the first step, then
   * each consecutive pair (a retry shows as a self-edge). `pathFromRun()` builds exact ones from a run.
   * @default derived from steps
   * @example [['$start', 'a'], { from: 'a', to: 'b', action: 'skipAhead' }, ['b', '$end']]
   */
  edges?: Array<[string, string] | HighlightEdge>;
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
  /** Name of the success/failure action this edge stands for; absent for start, next and default failure. */
  action?: string;
}

export interface WorkflowGraph {
  workflowId: string;
  nodes: GraphNode[];
  edges: GraphEdge[];
}
