/** Graphviz DOT text for one workflow. */
import type { ArazzoDocument } from '../document/model.js';
import { buildWorkflowGraph } from './build.js';
import { assignIds, highlightSets } from './ids.js';
import type { GraphEdge, GraphNode, GraphOptions } from './types.js';

const HIGHLIGHT = '#2563eb';

/**
 * Body of a DOT double-quoted string. Backslashes are doubled so text cannot form Graphviz escapes
 * (`\N`, `\l`, ...); whitespace runs, newlines included, become one space.
 */
export function escapeDot(text: string): string {
  return text.replace(/\s+/g, ' ').replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}

function attrs(list: Array<[string, string]>): string {
  return list.length === 0 ? '' : ` [${list.map(([k, v]) => `${k}="${v}"`).join(', ')}]`;
}

function nodeAttrs(node: GraphNode, lit: boolean): Array<[string, string]> {
  const list: Array<[string, string]> = [['label', node.lines.map(escapeDot).join('\\n')]];
  let style = 'rounded';
  switch (node.kind) {
    case 'start':
      list.push(['shape', 'oval']);
      break;
    case 'end':
      list.push(['shape', 'oval'], ['fillcolor', '#dcfce7'], ['color', '#15803d']);
      style = 'filled';
      break;
    case 'failed':
      list.push(['shape', 'oval'], ['fillcolor', '#fee2e2'], ['color', '#b91c1c']);
      style = 'filled';
      break;
    case 'dependency':
      list.push(['shape', 'parallelogram'], ['color', '#475569']);
      style = 'solid';
      break;
    case 'workflow':
      list.push(['shape', 'hexagon'], ['fillcolor', '#ede9fe'], ['color', '#6d28d9']);
      style = 'filled';
      break;
    case 'missing':
      list.push(['color', '#c2410c']);
      style = 'rounded,dashed';
      break;
    case 'step':
      if (node.callsWorkflow === true) list.push(['peripheries', '2']);
      break;
  }
  if (lit) {
    list.push(['penwidth', '3']);
    if (node.kind === 'step' || node.kind === 'start') {
      list.push(['color', HIGHLIGHT], ['fillcolor', '#dbeafe']);
      style = `${style},filled`;
    }
  }
  list.push(['style', style]);
  return list;
}

function edgeAttrs(edge: GraphEdge, lit: boolean): Array<[string, string]> {
  const list: Array<[string, string]> = [];
  if (edge.label !== undefined) list.push(['label', escapeDot(edge.label)]);
  if (edge.kind === 'failure') list.push(['style', 'dashed'], ['color', '#b91c1c']);
  else if (edge.kind === 'retry') list.push(['style', 'dashed'], ['color', '#c2410c']);
  else if (edge.kind === 'dependsOn') list.push(['style', 'dotted']);
  if (lit) {
    const color = list.findIndex(([k]) => k === 'color');
    if (color >= 0) list.splice(color, 1);
    list.push(['color', HIGHLIGHT], ['penwidth', '3']);
  }
  return list;
}

/**
 * A Graphviz `digraph` of one workflow (default: the first). Deterministic: same input, same text.
 * @example
 * toDot(doc, undefined, { direction: 'LR' })
 */
export function toDot(document: ArazzoDocument, workflowId?: string, options: GraphOptions = {}): string {
  const graph = buildWorkflowGraph(document, workflowId);
  const ids = assignIds(graph);
  const lit = highlightSets(graph, options.highlight);
  const id = (key: string): string => `"${ids.get(key) ?? 'n_unknown'}"`;
  const out: string[] = [`digraph "${escapeDot(graph.workflowId)}" {`];
  out.push(`  rankdir=${options.direction === 'LR' ? 'LR' : 'TB'};`);
  out.push('  node [shape=box, fontname="Helvetica", fontsize=11];');
  out.push('  edge [fontname="Helvetica", fontsize=9];');
  for (const node of graph.nodes)
    out.push(`  ${id(node.key)}${attrs(nodeAttrs(node, lit.nodes.has(node.key)))};`);
  graph.edges.forEach((edge, index) => {
    out.push(`  ${id(edge.from)} -> ${id(edge.to)}${attrs(edgeAttrs(edge, lit.edges.has(index)))};`);
  });
  out.push('}');
  return `${out.join('\n')}\n`;
}
