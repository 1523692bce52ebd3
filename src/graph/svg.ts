/**
 * Self-contained SVG drawing of one workflow (issue #11), laid out here rather than by Mermaid.js so the
 * HTML report needs no script: one node per row in graph order; an edge to the next row is a straight
 * arrow, every other edge leaves the node sideways to a vertical lane: skips ahead and retry loops on the
 * right, jumps back on the left. Edges into the same node share a lane; lanes are packed by
 * interval so short detours sit nearest. Same input, same text.
 */
import type { ArazzoDocument } from '../document/model.js';
import { buildWorkflowGraph, stepKey } from './build.js';
import { highlightSets } from './ids.js';
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

const MARGIN = 12;
const ROW_GAP = 40;
const PORT_GAP = 16;
const LANE_GAP = 14;
const LANE_PAD = 10;
const NODE_CHAR = 7.4;
const LABEL_CHAR = 6.0;
const MAX_LABEL = 44;
const NODE_MIN = 170;
const NODE_MAX = 340;
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

function cut(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, Math.max(1, max - 1)).join('')}…`;
}

const n = (v: number): string => String(Math.round(v * 10) / 10);

type Side = 'left' | 'right';

interface Port {
  /** Edge index for an outgoing port; the lane group key for an incoming one. */
  edge?: number;
  group?: string;
  y: number;
}

interface Group {
  key: string;
  side: Side;
  to: string;
  edges: number[];
  top: number;
  bottom: number;
  lane: number;
}

/** Orthogonal polyline with rounded corners. */
function roundedPath(points: Array<[number, number]>): string {
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
  const failedSteps = new Set(options.failed ?? []);
  const dimOthers = lit.edges.size > 0;
  const row = new Map(graph.nodes.map((node, i) => [node.key, i]));
  const rowOf = (key: string): number => row.get(key) ?? 0;

  // Classify edges: one straight arrow per adjacent pair, everything else through a side lane.
  const straight = new Set<number>();
  const pairs = new Set<string>();
  const groups = new Map<string, Group>();
  graph.edges.forEach((edge, i) => {
    const r1 = rowOf(edge.from);
    const r2 = rowOf(edge.to);
    const pair = `${edge.from}\u0000${edge.to}`;
    if (r2 === r1 + 1 && !pairs.has(pair)) {
      pairs.add(pair);
      straight.add(i);
      return;
    }
    // Forward skips and retry loops on the right, jumps back on the left.
    const side: Side = r2 >= r1 ? 'right' : 'left';
    const key = `${side}\u0000${edge.to}`;
    let group = groups.get(key);
    if (group === undefined) {
      group = { key, side, to: edge.to, edges: [], top: r2, bottom: r2, lane: 0 };
      groups.set(key, group);
    }
    group.edges.push(i);
    group.top = Math.min(group.top, r1);
    group.bottom = Math.max(group.bottom, r1);
  });

  // Pack lanes per side: shortest spans first, each in the nearest lane it does not overlap.
  const laneCount: Record<Side, number> = { left: 0, right: 0 };
  for (const side of ['left', 'right'] as const) {
    const list = [...groups.values()]
      .filter((g) => g.side === side)
      .sort((a, b) => a.bottom - a.top - (b.bottom - b.top) || a.top - b.top || a.key.localeCompare(b.key));
    const taken: Array<Array<[number, number]>> = [];
    for (const g of list) {
      let lane = 0;
      while (taken[lane]?.some(([t, b]) => !(g.bottom < t || g.top > b))) lane++;
      const spans = taken[lane] ?? [];
      spans.push([g.top, g.bottom]);
      taken[lane] = spans;
      g.lane = lane;
      laneCount[side] = Math.max(laneCount[side], lane + 1);
    }
  }

  // Ports per node side: ins and outs ordered so horizontals rarely cross another lane.
  const portOrder = new Map<string, Port[]>();
  const sideKey = (nodeKey: string, side: Side): string => `${side}\u0000${nodeKey}`;
  for (const node of graph.nodes) {
    for (const side of ['left', 'right'] as const) {
      const outs = graph.edges
        .map((e, i) => ({ e, i }))
        .filter(({ e, i }) => e.from === node.key && !straight.has(i))
        .map(({ e, i }) => ({ i, g: groups.get(`${side}\u0000${e.to}`) }))
        .filter((o): o is { i: number; g: Group } => o.g?.edges.includes(o.i) === true);
      const ins = [...groups.values()].filter((g) => g.side === side && g.to === node.key);
      const ports: Port[] = [];
      const isSelf = (g: Group): boolean => g.edges.every((i) => graph.edges[i]?.from === node.key);
      if (side === 'right') {
        // Arrivals from above at the top, then skips (farthest lane first), then each retry loop's out
        // right above its way back in.
        for (const g of ins) if (!isSelf(g)) ports.push({ group: g.key, y: 0 });
        const skips = outs.filter((o) => !(o.g.to === node.key && isSelf(o.g)));
        skips.sort((a, b) => b.g.lane - a.g.lane || a.i - b.i);
        for (const o of skips) ports.push({ edge: o.i, y: 0 });
        for (const o of outs) if (o.g.to === node.key && isSelf(o.g)) ports.push({ edge: o.i, y: 0 });
        for (const g of ins) if (isSelf(g)) ports.push({ group: g.key, y: 0 });
      } else {
        // Jumps back leave nearest lane first; arrivals from below at the bottom.
        outs.sort((a, b) => a.g.lane - b.g.lane || a.i - b.i);
        for (const o of outs) ports.push({ edge: o.i, y: 0 });
        for (const g of ins) ports.push({ group: g.key, y: 0 });
      }
      portOrder.set(sideKey(node.key, side), ports);
    }
  }

  // Geometry.
  const longest = Math.max(0, ...graph.nodes.flatMap((node) => node.lines.map((l) => [...l].length)));
  const nodeW = Math.min(NODE_MAX, Math.max(NODE_MIN, longest * NODE_CHAR + 28));
  const maxChars = Math.floor((nodeW - 20) / NODE_CHAR);
  const labelOf = (i: number): string => cut(graph.edges[i]?.label ?? '', MAX_LABEL);
  const labelWidth = (side: Side): number => {
    const widths = [...groups.values()]
      .filter((g) => g.side === side)
      .flatMap((g) => g.edges.map((i) => [...labelOf(i)].length * LABEL_CHAR));
    return widths.length === 0 ? 0 : Math.max(16, ...widths) + 12;
  };
  const leftLabel = labelWidth('left');
  const rightLabel = labelWidth('right');
  const nodeX = MARGIN + laneCount.left * LANE_GAP + leftLabel + (laneCount.left > 0 ? LANE_PAD : 0);
  const cx = nodeX + nodeW / 2;
  const laneX = (side: Side, lane: number): number =>
    side === 'right'
      ? nodeX + nodeW + rightLabel + LANE_PAD + lane * LANE_GAP
      : nodeX - leftLabel - LANE_PAD - lane * LANE_GAP;

  const tops: number[] = [];
  const heights: number[] = [];
  let y = MARGIN;
  graph.nodes.forEach((node, i) => {
    const content = node.lines.length > 1 ? 48 : 34;
    const ports = Math.max(
      portOrder.get(sideKey(node.key, 'left'))?.length ?? 0,
      portOrder.get(sideKey(node.key, 'right'))?.length ?? 0,
    );
    const h = Math.max(content, ports * PORT_GAP + 8);
    tops[i] = y;
    heights[i] = h;
    for (const side of ['left', 'right'] as const) {
      const list = portOrder.get(sideKey(node.key, side)) ?? [];
      list.forEach((p, k) => {
        p.y = y + h / 2 + (k - (list.length - 1) / 2) * PORT_GAP;
      });
    }
    y += h + ROW_GAP;
  });
  const height = y - ROW_GAP + MARGIN;

  let width = laneX('right', Math.max(0, laneCount.right - 1)) + MARGIN;
  if (laneCount.right === 0) width = nodeX + nodeW + rightLabel + MARGIN;
  for (const i of straight) {
    const label = labelOf(i);
    if (label !== '') width = Math.max(width, cx + 8 + [...label].length * LABEL_CHAR + MARGIN);
  }

  const portY = (nodeKey: string, side: Side, match: (p: Port) => boolean): number => {
    const found = portOrder.get(sideKey(nodeKey, side))?.find(match);
    const r = rowOf(nodeKey);
    return found?.y ?? (tops[r] ?? 0) + (heights[r] ?? 0) / 2;
  };

  // Markers: one arrowhead per colour.
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
    const isLit = lit.edges.has(i);
    const color = isLit ? LIT : EDGE_COLOR[edge.kind];
    const dash = EDGE_DASH[edge.kind];
    const r1 = rowOf(edge.from);
    const r2 = rowOf(edge.to);
    let d: string;
    let lx: number;
    let ly: number;
    let anchor: 'start' | 'end' = 'start';
    if (straight.has(i)) {
      const y1 = (tops[r1] ?? 0) + (heights[r1] ?? 0);
      const y2 = tops[r2] ?? 0;
      d = `M${n(cx)} ${n(y1)} L${n(cx)} ${n(y2 - 1)}`;
      lx = cx + 8;
      ly = (y1 + y2) / 2 + 4;
    } else {
      const side: Side = r2 >= r1 ? 'right' : 'left';
      const group = groups.get(`${side}\u0000${edge.to}`)!;
      const sx = side === 'right' ? nodeX + nodeW : nodeX;
      const sy = portY(edge.from, side, (p) => p.edge === i);
      const ty = portY(edge.to, side, (p) => p.group === group.key);
      const x = laneX(side, group.lane);
      d = roundedPath([
        [sx, sy],
        [x, sy],
        [x, ty],
        [side === 'right' ? sx + 1 : sx - 1, ty],
      ]);
      lx = side === 'right' ? sx + 6 : sx - 6;
      ly = sy - 4;
      anchor = side === 'right' ? 'start' : 'end';
    }
    const title = edge.label === undefined ? '' : `<title>${escapeSvg(edge.label)}</title>`;
    const attrs = [
      `d="${d}"`,
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
    const label = labelOf(i);
    if (label !== '') {
      labelSvg.push(
        `<text x="${n(lx)}" y="${n(ly)}" text-anchor="${anchor}" font-size="11" fill="${isLit ? '#1e40af' : '#334155'}"${isLit ? ' font-weight="600"' : ''} stroke="#ffffff" stroke-width="3" paint-order="stroke">${escapeSvg(label)}</text>`,
      );
    }
  });

  const nodeSvg: string[] = [];
  graph.nodes.forEach((node, i) => {
    const top = tops[i] ?? 0;
    const h = heights[i] ?? 0;
    const isLit = lit.nodes.has(node.key);
    const lines = node.lines.map((l) => cut(l, maxChars));
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
      stepId !== undefined && options.badges !== undefined && Object.hasOwn(options.badges, stepId)
        ? options.badges[stepId]
        : undefined;
    if (badge !== undefined && badge !== '') {
      parts.push(
        `<text x="${n(nodeX + nodeW - 7)}" y="${n(top + 13)}" text-anchor="end" font-size="10" font-weight="600" fill="#1d4ed8">${escapeSvg(cut(badge, 12))}</text>`,
      );
    }
    const keyAttr =
      stepId !== undefined && node.key === stepKey(stepId) ? ` data-step="${escapeSvg(stepId)}"` : '';
    nodeSvg.push(
      `<g data-node="${escapeSvg(node.kind)}"${keyAttr}${isLit ? ' class="lit"' : ''}><title>${escapeSvg(node.lines.join('\n'))}</title>${parts.join('')}</g>`,
    );
  });

  const markers = [...colors]
    .map(
      ([color, id]) =>
        `<marker id="${id}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" markerUnits="userSpaceOnUse" orient="auto-start-reverse"><path d="M0 0 L10 5 L0 10 z" fill="${color}"/></marker>`,
    )
    .join('');
  const title = escapeSvg(options.title ?? `workflow ${graph.workflowId}`);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${Math.ceil(width)}" height="${Math.ceil(height)}" viewBox="0 0 ${Math.ceil(width)} ${Math.ceil(height)}" role="img" font-family="${escapeSvg(FONT)}">`,
    `<title>${title}</title>`,
    `<defs>${markers}</defs>`,
    `<g class="edges">${edgeSvg.join('')}${litSvg.join('')}</g>`,
    `<g class="nodes">${nodeSvg.join('')}</g>`,
    `<g class="labels">${labelSvg.join('')}</g>`,
    '</svg>',
    '',
  ].join('\n');
}

/**
 * An SVG flowchart of one workflow (default: the first), with no script and no external reference.
 * @example
 * toSvg(doc, undefined, { highlight: pathFromRun(result) })
 */
export function toSvg(document: ArazzoDocument, workflowId?: string, options: SvgOptions = {}): string {
  return renderSvg(buildWorkflowGraph(document, workflowId), options);
}
