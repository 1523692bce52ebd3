/** Safe, deterministic node ids and the highlighted subset, shared by the Mermaid and DOT renderers. */
import { END, FAILED, START, stepKey } from './build.js';
import type { GraphEdge, GraphHighlight, GraphNode, HighlightEdge, WorkflowGraph } from './types.js';

const PREFIX: Record<GraphNode['kind'], string> = {
  dependency: 'd_',
  start: 'n_',
  step: 's_',
  workflow: 'w_',
  missing: 'm_',
  end: 'n_',
  failed: 'n_',
};

/**
 * Node key -> id matching [A-Za-z][A-Za-z0-9_]*. The kind prefix keeps ids off reserved words
 * (Mermaid's `end`, `graph`, DOT's `node`, ...); collisions after sanitising get a numeric suffix.
 */
export function assignIds(graph: WorkflowGraph): Map<string, string> {
  const ids = new Map<string, string>();
  const used = new Set<string>();
  for (const node of graph.nodes) {
    const raw = node.kind === 'start' || node.kind === 'end' || node.kind === 'failed' ? node.kind : node.key;
    const body = raw.slice(raw.indexOf(':') + 1).replace(/[^A-Za-z0-9_]/g, '_');
    const base = `${PREFIX[node.kind]}${body}`;
    let id = base;
    for (let n = 2; used.has(id); n++) id = `${base}_${n}`;
    used.add(id);
    ids.set(node.key, id);
  }
  return ids;
}

function endpointKey(name: string): string {
  if (name === '$start') return START;
  if (name === '$end') return END;
  if (name === '$failed') return FAILED;
  // stepIds cannot contain ':' (Arazzo: [A-Za-z0-9_\-]+), so this prefix is unambiguous.
  if (name.startsWith('workflow:')) return name;
  return stepKey(name);
}

export interface HighlightSets {
  nodes: Set<string>;
  /** Indexes into graph.edges. */
  edges: Set<number>;
}

function normalizeEdges(highlight: GraphHighlight): HighlightEdge[] {
  if (highlight.edges !== undefined) {
    return highlight.edges.map((e) => (Array.isArray(e) ? { from: e[0], to: e[1] } : e));
  }
  const derived: HighlightEdge[] = [];
  const [first] = highlight.steps;
  if (first !== undefined) derived.push({ from: '$start', to: first });
  for (let i = 1; i < highlight.steps.length; i++)
    derived.push({ from: highlight.steps[i - 1]!, to: highlight.steps[i]! });
  return derived;
}

function matches(edge: GraphEdge, wanted: HighlightEdge): boolean {
  if (edge.from !== endpointKey(wanted.from)) return false;
  if (wanted.to !== undefined && edge.to !== endpointKey(wanted.to)) return false;
  if (wanted.kind !== undefined && edge.kind !== wanted.kind) return false;
  if (wanted.action === null) return edge.action === undefined;
  return wanted.action === undefined || edge.action === wanted.action;
}

/**
 * Highlighted node keys and edge indexes. A bare [from, to] pair emphasises every edge between the two
 * nodes; a {@link HighlightEdge} with `action` or `kind` only the matching ones.
 */
export function highlightSets(graph: WorkflowGraph, highlight: GraphHighlight | undefined): HighlightSets {
  const nodes = new Set<string>();
  const edges = new Set<number>();
  if (highlight === undefined) return { nodes, edges };
  for (const stepId of highlight.steps) nodes.add(stepKey(stepId));
  const wanted = normalizeEdges(highlight);
  graph.edges.forEach((edge, index) => {
    if (!wanted.some((w) => matches(edge, w))) return;
    edges.add(index);
    nodes.add(edge.from);
    nodes.add(edge.to);
  });
  const known = new Set(graph.nodes.map((n) => n.key));
  for (const key of nodes) if (!known.has(key)) nodes.delete(key);
  return { nodes, edges };
}
