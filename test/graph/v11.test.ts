import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { ArazzoDocument } from '../../src/document/model.js';
import { buildWorkflowGraph, toMermaid } from '../../src/graph/index.js';

const doc = parse(
  readFileSync(new URL('../fixtures/documents/v11-ok/document.yaml', import.meta.url), 'utf8'),
) as ArazzoDocument;

describe('graphs of 1.1 documents: step dependsOn edges, timeouts, AsyncAPI steps', () => {
  it('draws a dependsOn edge from the awaited step and shows timeouts and send/receive', () => {
    const graph = buildWorkflowGraph(doc, 'w1');
    expect(graph.edges.filter((e) => e.kind === 'dependsOn')).toEqual([
      { from: 'step:s2', to: 'step:s1', kind: 'dependsOn', label: 'dependsOn' },
    ]);
    const lines = Object.fromEntries(graph.nodes.map((n) => [n.key, n.lines]));
    expect(lines['step:s1']).toEqual(['s1', 'api.getThing', 'timeout 2 s']);
    expect(lines['step:s3']).toEqual(['s3', 'receive channel orders', 'timeout 6 s']);
  });

  it('shows a dependency on another workflow as a node of its own', () => {
    const graph = buildWorkflowGraph(doc, 'w2');
    expect(graph.edges.filter((e) => e.kind === 'dependsOn')).toEqual([
      { from: 'dependency:$workflows.w1.steps.s3', to: 'step:t2', kind: 'dependsOn' },
    ]);
    expect(graph.nodes.find((n) => n.key === 'dependency:$workflows.w1.steps.s3')?.lines).toEqual([
      'after w1.steps.s3',
    ]);
    expect(toMermaid(doc, 'w2')).toContain('after w1.steps.s3');
  });
});
