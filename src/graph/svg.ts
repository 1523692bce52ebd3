/**
 * Self-contained SVG drawing of one workflow (issue #11), laid out here rather than by Mermaid.js so the
 * HTML report needs no script. svg-layout.ts places the nodes and routes the edges; this file turns that
 * layout into SVG text. Same input, same text.
 */
import type { ArazzoDocument } from '../document/model.js';
import { buildWorkflowGraph, stepKey } from './build.js';
import { type HighlightSets, highlightSets } from './ids.js';
import { cut, type EdgeRoute, layoutSvg, type Point, type SvgLayout } from './svg-layout.js';
import type { GraphEdge, GraphNode, GraphOptions, WorkflowGraph } from './types.js';

export interface SvgOptions extends GraphOptions {
  /**
   * Prefix of the ids inside the SVG (arrow markers), so several drawings can share one HTML page.
   * @default 'g'
   * @example 'run2'
   */
  idPrefix?: string;
  /**
   * Short text shown in the top-right corner of step nodes, by stepId.
   * @default {}
   * @example { pollConnection: '×3' }
   */
  badges?: Record<string, string>;
  /**
   * Steps where the run failed, by stepId: drawn red (fill and border), whatever the highlight.
   * @default []
   * @example ['pollConnection']
   */
  failed?: readonly string[];
  /**
   * Accessible title of the drawing.
   * @default 'workflow <workflowId>'
   */
  title?: string;
}

const FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";

const LIT = '#2563eb';
const EDGE_COLOR: Record<GraphEdge['kind'], string> = {
  dependsOn: '#64748b',
  start: '#475569',
  next: '#475569',
  success: '#475569',
  failure: '#b91c1c',
  retry: '#c2410c',
};
const EDGE_DASH: Partial<Record<GraphEdge['kind'], string>> = {
  dependsOn: '2 3',
  failure: '6 4',
  retry: '6 4',
};

/** Text for SVG/HTML content and attribute values; characters XML forbids become U+FFFD. */
export function escapeSvg(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === '&') out += '&amp;';
    else if (ch === '<') out += '&lt;';
    else if (ch === '>') out += '&gt;';
    else if (ch === '"') out += '&quot;';
    else if (ch === "'") out += '&#39;';
    else if (
      (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) ||
      (code >= 0xd800 && code <= 0xdfff) ||
      code === 0xfffe ||
      code === 0xffff
    )
      out += '\uFFFD';
    else out += ch;
  }
  return out;
}

const n = (v: number): string => String(Math.round(v * 10) / 10);

/** Orthogonal polyline with rounded corners. */
function roundedPath(points: Point[]): string {
  const [start] = points;
  if (start === undefined) return '';
  let d = `M${n(start[0])} ${n(start[1])}`;
  for (let i = 1; i < points.length; i++) {
    const [x, y] = points[i]!;
    const next = points[i + 1];
    if (next === undefined) {
      d += ` L${n(x)} ${n(y)}`;
      break;
    }
    const [px, py] = points[i - 1]!;
    const inLen = Math.hypot(x - px, y - py);
    const outLen = Math.hypot(next[0] - x, next[1] - y);
    const r = Math.min(6, inLen / 2, outLen / 2);
    if (r < 0.5) {
      d += ` L${n(x)} ${n(y)}`;
      continue;
    }
    const ax = x - (Math.sign(x - px) * r || 0);
    const ay = y - (Math.sign(y - py) * r || 0);
    const bx = x + (Math.sign(next[0] - x) * r || 0);
    const by = y + (Math.sign(next[1] - y) * r || 0);
    d += ` L${n(ax)} ${n(ay)} Q${n(x)} ${n(y)} ${n(bx)} ${n(by)}`;
  }
  return d;
}

function nodeShape(
  node: GraphNode,
  x: number,
  y: number,
  w: number,
  h: number,
  lit: boolean,
  failed = false,
): string {
  let fill = '#ffffff';
  let stroke = '#64748b';
  let dash = '';
  let rx = 6;
  switch (node.kind) {
    case 'start':
      fill = '#f8fafc';
      stroke = '#475569';
      rx = h / 2;
      break;
    case 'end':
      fill = '#dcfce7';
      stroke = '#15803d';
      rx = h / 2;
      break;
    case 'failed':
      fill = '#fee2e2';
      stroke = '#b91c1c';
      rx = h / 2;
      break;
    case 'workflow':
      fill = '#ede9fe';
      stroke = '#6d28d9';
      rx = 14;
      break;
    case 'missing':
      fill = '#fff7ed';
      stroke = '#c2410c';
      dash = ' stroke-dasharray="5 3"';
      break;
    case 'dependency':
      fill = '#f1f5f9';
      stroke = '#475569';
      dash = ' stroke-dasharray="2 3"';
      break;
    case 'step':
      break;
  }
  const width = lit || failed ? 3 : 1.5;
  if (lit) {
    stroke = LIT;
    if (node.kind === 'step' || node.kind === 'start') fill = '#dbeafe';
  }
  if (failed) {
    // Where the run failed reads first: red wins over the path highlight.
    fill = '#fee2e2';
    stroke = '#b91c1c';
  }
  let out = `<rect x="${n(x)}" y="${n(y)}" width="${n(w)}" height="${n(h)}" rx="${n(rx)}" fill="${fill}" stroke="${stroke}" stroke-width="${width}"${dash}/>`;
  if (node.kind === 'step' && node.callsWorkflow === true) {
    out += `<rect x="${n(x + 4)}" y="${n(y + 4)}" width="${n(w - 8)}" height="${n(h - 8)}" rx="4" fill="none" stroke="${stroke}" stroke-width="1"/>`;
  }
  return out;
}

/**
 * An SVG of an already built graph (see {@link toSvg}). Top-down only: `direction` is ignored.
 * @example
 * renderSvg(buildWorkflowGraph(doc), { highlight: pathFromRun(result), idPrefix: 'run1' })
 */
export function renderSvg(graph: WorkflowGraph, options: SvgOptions = {}): string {
  const prefix = (options.idPrefix ?? 'g').replace(/[^A-Za-z0-9_-]/g, '_') || 'g';
  const lit = highlightSets(graph, options.highlight);
  const layout = layoutSvg(graph);
  const edges = drawEdges(graph, layout.routes, lit, prefix);
  const failedSteps = new Set(options.failed ?? []);
  const nodeSvg = graph.nodes.map((node, i) => drawNode(node, i, layout, lit, failedSteps, options.badges));
  const width = Math.ceil(layout.width);
  const height = Math.ceil(layout.height);
  const title = escapeSvg(options.title ?? `workflow ${graph.workflowId}`);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" font-family="${escapeSvg(FONT)}">`,
    `<title>${title}</title>`,
    `<defs>${edges.markers}</defs>`,
    `<g class="edges">${edges.paths}</g>`,
    `<g class="nodes">${nodeSvg.join('')}</g>`,
    `<g class="labels">${edges.labels}</g>`,
    '</svg>',
    '',
  ].join('\n');
}

/** The edges' paths (lit ones last, so they draw on top), their labels, and one arrowhead per colour. */
function drawEdges(
  graph: WorkflowGraph,
  routes: EdgeRoute[],
  lit: HighlightSets,
  prefix: string,
): { paths: string; labels: string; markers: string } {
  const dimOthers = lit.edges.size > 0;
  const colors = new Map<string, string>();
  const markerFor = (color: string): string => {
    let id = colors.get(color);
    if (id === undefined) {
      id = `${prefix}-arrow-${colors.size}`;
      colors.set(color, id);
    }
    return id;
  };
  const edgeSvg: string[] = [];
  const litSvg: string[] = [];
  const labelSvg: string[] = [];
  graph.edges.forEach((edge, i) => {
    const r = routes[i]!;
    const isLit = lit.edges.has(i);
    const color = isLit ? LIT : EDGE_COLOR[edge.kind];
    const dash = EDGE_DASH[edge.kind];
    const title = edge.label === undefined ? '' : `<title>${escapeSvg(edge.label)}</title>`;
    const attrs = [
      `d="${roundedPath(r.points)}"`,
      'fill="none"',
      `stroke="${color}"`,
      `stroke-width="${isLit ? 2.75 : 1.5}"`,
      dash === undefined ? '' : `stroke-dasharray="${dash}"`,
      dimOthers && !isLit ? 'stroke-opacity="0.55"' : '',
      `marker-end="url(#${markerFor(color)})"`,
      `data-edge="${i}"`,
      isLit ? 'class="lit"' : '',
    ].filter((a) => a !== '');
    (isLit ? litSvg : edgeSvg).push(`<path ${attrs.join(' ')}>${title}</path>`);
    if (r.label !== '') {
      labelSvg.push(
        `<text x="${n(r.labelX)}" y="${n(r.labelY)}" text-anchor="${r.anchor}" font-size="11" fill="${isLit ? '#1e40af' : '#334155'}"${isLit ? ' font-weight="600"' : ''} stroke="#ffffff" stroke-width="3" paint-order="stroke">${escapeSvg(r.label)}</text>`,
      );
    }
  });
  const markers = [...colors]
    .map(
      ([color, id]) =>
        `<marker id="${id}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" markerUnits="userSpaceOnUse" orient="auto-start-reverse"><path d="M0 0 L10 5 L0 10 z" fill="${color}"/></marker>`,
    )
    .join('');
  return { paths: edgeSvg.join('') + litSvg.join(''), labels: labelSvg.join(''), markers };
}

/** One node: its shape, one or two lines of text, and its badge. */
function drawNode(
  node: GraphNode,
  i: number,
  layout: SvgLayout,
  lit: HighlightSets,
  failedSteps: Set<string>,
  badges: Record<string, string> | undefined,
): string {
  const { nodeX, nodeW, cx } = layout;
  const top = layout.tops[i] ?? 0;
  const h = layout.heights[i] ?? 0;
  const isLit = lit.nodes.has(node.key);
  const lines = node.lines.map((l) => cut(l, layout.maxChars));
  const isFailed = node.kind === 'step' && failedSteps.has(node.key.slice('step:'.length));
  const parts = [nodeShape(node, nodeX, top, nodeW, h, isLit, isFailed)];
  const mid = top + h / 2;
  if (lines.length === 1) {
    parts.push(
      `<text x="${n(cx)}" y="${n(mid + 4.5)}" text-anchor="middle" font-size="13" font-weight="600" fill="#0f172a">${escapeSvg(lines[0] ?? '')}</text>`,
    );
  } else {
    parts.push(
      `<text x="${n(cx)}" y="${n(mid - 3)}" text-anchor="middle" font-size="13" font-weight="600" fill="#0f172a">${escapeSvg(lines[0] ?? '')}</text>`,
      `<text x="${n(cx)}" y="${n(mid + 13)}" text-anchor="middle" font-size="11" fill="#475569">${escapeSvg(lines.slice(1).join(' '))}</text>`,
    );
  }
  const stepId = node.kind === 'step' ? node.key.slice('step:'.length) : undefined;
  const badge =
    stepId !== undefined && badges !== undefined && Object.hasOwn(badges, stepId)
      ? badges[stepId]
      : undefined;
  if (badge !== undefined && badge !== '') {
    parts.push(
      `<text x="${n(nodeX + nodeW - 7)}" y="${n(top + 13)}" text-anchor="end" font-size="10" font-weight="600" fill="#1d4ed8">${escapeSvg(cut(badge, 12))}</text>`,
    );
  }
  const keyAttr =
    stepId !== undefined && node.key === stepKey(stepId) ? ` data-step="${escapeSvg(stepId)}"` : '';
  return `<g data-node="${escapeSvg(node.kind)}"${keyAttr}${isLit ? ' class="lit"' : ''}><title>${escapeSvg(node.lines.join('\n'))}</title>${parts.join('')}</g>`;
}

/**
 * An SVG flowchart of one workflow (default: the first), with no script and no external reference.
 * @example
 * toSvg(doc, undefined, { highlight: pathFromRun(result) })
 */
export function toSvg(document: ArazzoDocument, workflowId?: string, options: SvgOptions = {}): string {
  return renderSvg(buildWorkflowGraph(document, workflowId), options);
}
