/** Workflow graphs (issue #11): Mermaid and Graphviz DOT flowcharts of one Arazzo workflow. */
export { buildWorkflowGraph } from './build.js';
export { toDot } from './dot.js';
export { toMermaid } from './mermaid.js';
export type {
  GraphEdge,
  GraphEdgeKind,
  GraphHighlight,
  GraphNode,
  GraphNodeKind,
  GraphOptions,
  WorkflowGraph,
} from './types.js';
