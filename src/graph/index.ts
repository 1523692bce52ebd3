/** Workflow graphs (issue #11): Mermaid, Graphviz DOT and SVG flowcharts of one Arazzo workflow. */
export { buildWorkflowGraph } from './build.js';
export { toDot } from './dot.js';
export { highlightSets } from './ids.js';
export { toMermaid } from './mermaid.js';
export { pathFromRun, type RunPath } from './run.js';
export { escapeSvg, renderSvg, type SvgOptions, toSvg } from './svg.js';
export type {
  GraphEdge,
  GraphEdgeKind,
  GraphHighlight,
  GraphNode,
  GraphNodeKind,
  GraphOptions,
  HighlightEdge,
  WorkflowGraph,
} from './types.js';
