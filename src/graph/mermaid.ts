/** Mermaid flowchart text for one workflow. */
import type { ArazzoDocument } from '../document/model.js';
import { buildWorkflowGraph } from './build.js';
import { assignIds, highlightSets } from './ids.js';
import type { GraphEdge, GraphNode, GraphOptions } from './types.js';

/**
 * Characters that could end a quoted label, open markup or a comment are written as Mermaid entity codes
 * (`#34;`); `#` itself is encoded so that text can never forge an entity.
 */
const ENTITY = /["#&<>[\]{}|`%\\]/g;

export function escapeMermaid(text: string): string {
  return text.replace(/\s+/g, ' ').replace(ENTITY, (ch) => `#${ch.codePointAt(0)};`);
}

function nodeLabel(node: GraphNode): string {
  return `"${node.lines.map(escapeMermaid).join('<br/>')}"`;
}

function nodeShape(node: GraphNode): string {
  const label = nodeLabel(node);
  switch (node.kind) {
    case 'start':
    case 'end':
    case 'failed':
      return `([${label}])`;
    case 'dependency':
      return `[/${label}/]`;
    case 'workflow':
      return `{{${label}}}`;
    case 'step':
      return node.callsWorkflow === true ? `[[${label}]]` : `[${label}]`;
    case 'missing':
      return `[${label}]`;
  }
}

function arrow(edge: GraphEdge): string {
  // Failure paths (failure, retry) and dependencies are dotted; the success path is solid.
  const link = edge.kind === 'failure' || edge.kind === 'retry' || edge.kind === 'dependsOn' ? '-.->' : '-->';
  return edge.label === undefined ? link : `${link}|"${escapeMermaid(edge.label)}"|`;
}

const CLASS_DEFS: ReadonlyArray<[string, string]> = [
  ['endOk', 'fill:#dcfce7,stroke:#15803d,color:#14532d'],
  ['endFail', 'fill:#fee2e2,stroke:#b91c1c,color:#7f1d1d'],
  ['workflowRef', 'fill:#ede9fe,stroke:#6d28d9'],
  ['missing', 'fill:#fff7ed,stroke:#c2410c,stroke-dasharray:4 3'],
  ['dependency', 'fill:#f1f5f9,stroke:#475569'],
  ['highlight', 'stroke:#2563eb,stroke-width:3px'],
];

const KIND_CLASS: Partial<Record<GraphNode['kind'], string>> = {
  end: 'endOk',
  failed: 'endFail',
  workflow: 'workflowRef',
  missing: 'missing',
  dependency: 'dependency',
};

/**
 * A Mermaid `flowchart` of one workflow (default: the first). Deterministic: same input, same text.
 * @example
 * toMermaid(doc, 'connect-account-via-auth-config', { highlight: { steps: ['createAuthConfig'] } })
 */
export function toMermaid(document: ArazzoDocument, workflowId?: string, options: GraphOptions = {}): string {
  const graph = buildWorkflowGraph(document, workflowId);
  const ids = assignIds(graph);
  const lit = highlightSets(graph, options.highlight);
  const id = (key: string): string => ids.get(key) ?? 'n_unknown';
  const out: string[] = [`flowchart ${options.direction ?? 'TD'}`];
  out.push(`  %% workflow ${escapeMermaid(graph.workflowId)}`);
  for (const node of graph.nodes) out.push(`  ${id(node.key)}${nodeShape(node)}`);
  for (const edge of graph.edges) out.push(`  ${id(edge.from)} ${arrow(edge)} ${id(edge.to)}`);

  const byClass = new Map<string, string[]>();
  for (const node of graph.nodes) {
    const cls = KIND_CLASS[node.kind];
    if (cls !== undefined) byClass.set(cls, [...(byClass.get(cls) ?? []), id(node.key)]);
  }
  if (lit.nodes.size > 0) {
    byClass.set(
      'highlight',
      graph.nodes.filter((n) => lit.nodes.has(n.key)).map((n) => id(n.key)),
    );
  }
  for (const [name, style] of CLASS_DEFS) {
    const members = byClass.get(name);
    if (members === undefined) continue;
    out.push(`  classDef ${name} ${style}`);
    out.push(`  class ${members.join(',')} ${name}`);
  }
  if (lit.edges.size > 0) {
    out.push(`  linkStyle ${[...lit.edges].sort((a, b) => a - b).join(',')} stroke:#2563eb,stroke-width:3px`);
  }
  return `${out.join('\n')}\n`;
}
