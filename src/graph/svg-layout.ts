/**
 * Where the SVG drawing puts things (issue #11), as plain numbers: node rows, side lanes, ports, edge
 * routes and label positions. One node per row in graph order; an edge to the next row is a straight
 * arrow, every other edge leaves the node sideways to a vertical lane: skips ahead and retry loops on the
 * right, jumps back on the left. Edges into the same node share a lane; lanes are packed by interval so
 * short detours sit nearest. svg.ts draws it.
 */
import type { WorkflowGraph } from './types.js';

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

export type Point = [number, number];

/** An edge's route and where its label goes. */
export interface EdgeRoute {
  /** Orthogonal polyline: two points for a straight arrow, four for a detour through a lane. */
  points: Point[];
  /** The label text, cut to fit ('' when none). */
  label: string;
  labelX: number;
  labelY: number;
  anchor: 'start' | 'end';
}

export interface SvgLayout {
  width: number;
  height: number;
  /** Every node shares one column: its left edge, width and centre. */
  nodeX: number;
  nodeW: number;
  cx: number;
  /** Characters of a node line that fit in `nodeW`. */
  maxChars: number;
  /** Per node (graph order): top and height. */
  tops: number[];
  heights: number[];
  /** Per edge (graph order). */
  routes: EdgeRoute[];
}

/** `text` cut to `max` characters (code points), the last one an ellipsis when cut. */
export function cut(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, Math.max(1, max - 1)).join('')}…`;
}

type Side = 'left' | 'right';
const SIDES = ['left', 'right'] as const;

interface Port {
  /** Edge index for an outgoing port; the lane group key for an incoming one. */
  edge?: number;
  group?: string;
  y: number;
}

/** Edges into one node from one side: they share a lane spanning rows `top` to `bottom`. */
interface Group {
  key: string;
  side: Side;
  to: string;
  edges: number[];
  top: number;
  bottom: number;
  lane: number;
}

/** How the edges go: straight to the next row, or through a lane group. */
interface Routing {
  rowOf: (key: string) => number;
  straight: Set<number>;
  groups: Map<string, Group>;
  laneCount: Record<Side, number>;
  /** Ports by side and node key, top to bottom. */
  ports: Map<string, Port[]>;
}

const sideKey = (key: string, side: Side): string => `${side}\u0000${key}`;
const sideOf = (fromRow: number, toRow: number): Side => (toRow >= fromRow ? 'right' : 'left');

/** Classify edges: one straight arrow per adjacent pair, everything else through a side lane. */
function classifyEdges(
  graph: WorkflowGraph,
  rowOf: (key: string) => number,
): { straight: Set<number>; groups: Map<string, Group> } {
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
    const side = sideOf(r1, r2);
    const key = sideKey(edge.to, side);
    let group = groups.get(key);
    if (group === undefined) {
      group = { key, side, to: edge.to, edges: [], top: r2, bottom: r2, lane: 0 };
      groups.set(key, group);
    }
    group.edges.push(i);
    group.top = Math.min(group.top, r1);
    group.bottom = Math.max(group.bottom, r1);
  });
  return { straight, groups };
}

/** Pack lanes per side: shortest spans first, each in the nearest lane it does not overlap. */
function packLanes(groups: Map<string, Group>): Record<Side, number> {
  const laneCount: Record<Side, number> = { left: 0, right: 0 };
  for (const side of SIDES) {
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
  return laneCount;
}

/** Ports of one node side: ins and outs ordered so horizontals rarely cross another lane. */
function sidePorts(
  graph: WorkflowGraph,
  nodeKey: string,
  side: Side,
  straight: Set<number>,
  groups: Map<string, Group>,
): Port[] {
  const outs = graph.edges
    .map((e, i) => ({ e, i }))
    .filter(({ e, i }) => e.from === nodeKey && !straight.has(i))
    .map(({ e, i }) => ({ i, g: groups.get(sideKey(e.to, side)) }))
    .filter((o): o is { i: number; g: Group } => o.g?.edges.includes(o.i) === true);
  const ins = [...groups.values()].filter((g) => g.side === side && g.to === nodeKey);
  const ports: Port[] = [];
  const isSelf = (g: Group): boolean => g.edges.every((i) => graph.edges[i]?.from === nodeKey);
  if (side === 'right') {
    // Arrivals from above at the top, then skips (farthest lane first), then each retry loop's out
    // right above its way back in.
    for (const g of ins) if (!isSelf(g)) ports.push({ group: g.key, y: 0 });
    const skips = outs.filter((o) => !(o.g.to === nodeKey && isSelf(o.g)));
    skips.sort((a, b) => b.g.lane - a.g.lane || a.i - b.i);
    for (const o of skips) ports.push({ edge: o.i, y: 0 });
    for (const o of outs) if (o.g.to === nodeKey && isSelf(o.g)) ports.push({ edge: o.i, y: 0 });
    for (const g of ins) if (isSelf(g)) ports.push({ group: g.key, y: 0 });
  } else {
    // Jumps back leave nearest lane first; arrivals from below at the bottom.
    outs.sort((a, b) => a.g.lane - b.g.lane || a.i - b.i);
    for (const o of outs) ports.push({ edge: o.i, y: 0 });
    for (const g of ins) ports.push({ group: g.key, y: 0 });
  }
  return ports;
}

function route(graph: WorkflowGraph): Routing {
  const row = new Map(graph.nodes.map((node, i) => [node.key, i]));
  const rowOf = (key: string): number => row.get(key) ?? 0;
  const { straight, groups } = classifyEdges(graph, rowOf);
  const laneCount = packLanes(groups);
  const ports = new Map<string, Port[]>();
  for (const node of graph.nodes) {
    for (const side of SIDES) {
      ports.set(sideKey(node.key, side), sidePorts(graph, node.key, side, straight, groups));
    }
  }
  return { rowOf, straight, groups, laneCount, ports };
}

/** Rows top to bottom: each node as tall as its text or its ports need; sets each port's y. */
function placeRows(
  graph: WorkflowGraph,
  ports: Map<string, Port[]>,
): { tops: number[]; heights: number[]; height: number } {
  const tops: number[] = [];
  const heights: number[] = [];
  let y = MARGIN;
  graph.nodes.forEach((node, i) => {
    const content = node.lines.length > 1 ? 48 : 34;
    const portCount = Math.max(
      ports.get(sideKey(node.key, 'left'))?.length ?? 0,
      ports.get(sideKey(node.key, 'right'))?.length ?? 0,
    );
    const h = Math.max(content, portCount * PORT_GAP + 8);
    tops[i] = y;
    heights[i] = h;
    for (const side of SIDES) {
      const list = ports.get(sideKey(node.key, side)) ?? [];
      list.forEach((p, k) => {
        p.y = y + h / 2 + (k - (list.length - 1) / 2) * PORT_GAP;
      });
    }
    y += h + ROW_GAP;
  });
  return { tops, heights, height: y - ROW_GAP + MARGIN };
}

/** Room for the lane labels of one side (0 when that side has no lane). */
function labelWidth(groups: Map<string, Group>, side: Side, labels: string[]): number {
  const widths = [...groups.values()]
    .filter((g) => g.side === side)
    .flatMap((g) => g.edges.map((i) => [...(labels[i] ?? '')].length * LABEL_CHAR));
  return widths.length === 0 ? 0 : Math.max(16, ...widths) + 12;
}

/** The node column and the lanes beside it: x positions and widths. */
interface Columns {
  nodeX: number;
  nodeW: number;
  cx: number;
  maxChars: number;
  rightLabel: number;
  laneX: (side: Side, lane: number) => number;
}

function placeColumns(graph: WorkflowGraph, routing: Routing, labels: string[]): Columns {
  const { groups, laneCount } = routing;
  const longest = Math.max(0, ...graph.nodes.flatMap((node) => node.lines.map((l) => [...l].length)));
  const nodeW = Math.min(NODE_MAX, Math.max(NODE_MIN, longest * NODE_CHAR + 28));
  const maxChars = Math.floor((nodeW - 20) / NODE_CHAR);
  const leftLabel = labelWidth(groups, 'left', labels);
  const rightLabel = labelWidth(groups, 'right', labels);
  const nodeX = MARGIN + laneCount.left * LANE_GAP + leftLabel + (laneCount.left > 0 ? LANE_PAD : 0);
  const laneX = (side: Side, lane: number): number =>
    side === 'right'
      ? nodeX + nodeW + rightLabel + LANE_PAD + lane * LANE_GAP
      : nodeX - leftLabel - LANE_PAD - lane * LANE_GAP;
  return { nodeX, nodeW, cx: nodeX + nodeW / 2, maxChars, rightLabel, laneX };
}

/** Total width: the outermost right lane, or the right labels, or the longest straight arrow's label. */
function drawingWidth(routing: Routing, columns: Columns, labels: string[]): number {
  const { laneCount, straight } = routing;
  const { nodeX, nodeW, cx, rightLabel, laneX } = columns;
  let width = laneX('right', Math.max(0, laneCount.right - 1)) + MARGIN;
  if (laneCount.right === 0) width = nodeX + nodeW + rightLabel + MARGIN;
  for (const i of straight) {
    const label = labels[i] ?? '';
    if (label !== '') width = Math.max(width, cx + 8 + [...label].length * LABEL_CHAR + MARGIN);
  }
  return width;
}

/** Each edge's polyline and label position, once rows and ports are placed. */
function routeEdges(
  graph: WorkflowGraph,
  routing: Routing,
  columns: Columns,
  rows: { tops: number[]; heights: number[] },
  labels: string[],
): EdgeRoute[] {
  const { rowOf, straight, groups, ports } = routing;
  const { nodeX, nodeW, cx, laneX } = columns;
  const { tops, heights } = rows;
  const portY = (nodeKey: string, side: Side, match: (p: Port) => boolean): number => {
    const found = ports.get(sideKey(nodeKey, side))?.find(match);
    const r = rowOf(nodeKey);
    return found?.y ?? (tops[r] ?? 0) + (heights[r] ?? 0) / 2;
  };
  return graph.edges.map((edge, i): EdgeRoute => {
    const label = labels[i] ?? '';
    const r1 = rowOf(edge.from);
    const r2 = rowOf(edge.to);
    if (straight.has(i)) {
      const y1 = (tops[r1] ?? 0) + (heights[r1] ?? 0);
      const y2 = tops[r2] ?? 0;
      return {
        points: [
          [cx, y1],
          [cx, y2 - 1],
        ],
        label,
        labelX: cx + 8,
        labelY: (y1 + y2) / 2 + 4,
        anchor: 'start',
      };
    }
    const side = sideOf(r1, r2);
    const group = groups.get(sideKey(edge.to, side))!;
    const sx = side === 'right' ? nodeX + nodeW : nodeX;
    const sy = portY(edge.from, side, (p) => p.edge === i);
    const ty = portY(edge.to, side, (p) => p.group === group.key);
    const x = laneX(side, group.lane);
    return {
      points: [
        [sx, sy],
        [x, sy],
        [x, ty],
        [side === 'right' ? sx + 1 : sx - 1, ty],
      ],
      label,
      labelX: side === 'right' ? sx + 6 : sx - 6,
      labelY: sy - 4,
      anchor: side === 'right' ? 'start' : 'end',
    };
  });
}

/** Positions, sizes and edge routes of a graph's drawing. Same graph, same layout. */
export function layoutSvg(graph: WorkflowGraph): SvgLayout {
  const routing = route(graph);
  const labels = graph.edges.map((edge) => cut(edge.label ?? '', MAX_LABEL));
  const columns = placeColumns(graph, routing, labels);
  const rows = placeRows(graph, routing.ports);
  const { nodeX, nodeW, cx, maxChars } = columns;
  return {
    width: drawingWidth(routing, columns, labels),
    height: rows.height,
    nodeX,
    nodeW,
    cx,
    maxChars,
    tops: rows.tops,
    heights: rows.heights,
    routes: routeEdges(graph, routing, columns, rows, labels),
  };
}
