/**
 * Data-driven conformance suite: each folder under cases/ holds an Arazzo document, an OpenAPI document,
 * and case.yaml with inputs, options, the scripted responses and what must happen.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { RunEvent, RunOptions } from '../../src/engine/index.js';
import { runWorkflow } from '../../src/engine/index.js';
import {
  type ScriptedResponse,
  type ScriptedServer,
  startScriptedServer,
} from '../helpers/scripted-server.js';

interface ExpectedRequest {
  method?: string;
  path?: string;
  query?: string;
  headers?: Record<string, string | null>;
  body?: unknown;
  bodyText?: string;
}

interface Case {
  description: string;
  workflowId?: string;
  inputs?: Record<string, unknown>;
  options?: Partial<
    Pick<
      RunOptions,
      'maxSteps' | 'timeoutMs' | 'auth' | 'maxRetryDelayMs' | 'strict' | 'requestTimeoutMs' | 'sources'
    >
  >;
  /** Source names whose servers point at the scripted server (default: every source). */
  serverSources?: string[];
  responses: ScriptedResponse[];
  expect: {
    status: 'succeeded' | 'failed';
    error?: { code: string; message?: string; stepId?: string };
    outputs?: Record<string, unknown>;
    /** 'workflowId/stepId#attempt outcome action[:target]' per record. */
    trace?: string[];
    /** Exact list of waits the run asked for, in ms. */
    sleeps?: number[];
    requests?: ExpectedRequest[];
    requestCount?: number;
    /** Strings that must not appear in the serialized result or events, outputs aside (outputs are data, returned as sent). */
    absent?: string[];
    warnings?: string[];
  };
}

const root = join(import.meta.dirname, 'cases');
const cases = readdirSync(root).filter((d) => existsSync(join(root, d, 'case.yaml')));

function trace(result: Awaited<ReturnType<typeof runWorkflow>>): string[] {
  return result.steps.map((s) => {
    const a = s.action;
    const action = a === undefined ? '-' : `${a.type}${a.target !== undefined ? `:${a.target}` : ''}`;
    return `${s.workflowId}/${s.stepId}#${s.attempt} ${s.outcome} ${action}`;
  });
}

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('conformance', () => {
  it.each(cases)('%s', async (name) => {
    const dir = join(root, name);
    const c = parse(readFileSync(join(dir, 'case.yaml'), 'utf8')) as Case;
    server = await startScriptedServer(c.responses);
    const arazzoFile = ['arazzo.yaml', 'arazzo.json'].map((f) => join(dir, f)).find((f) => existsSync(f))!;
    const doc = parse(readFileSync(arazzoFile, 'utf8')) as { sourceDescriptions: Array<{ name: string }> };
    const servers: Record<string, string> = {};
    for (const s of doc.sourceDescriptions) {
      if (c.serverSources === undefined || c.serverSources.includes(s.name)) servers[s.name] = server.url;
    }
    const sleeps: number[] = [];
    const events: RunEvent[] = [];
    const result = await runWorkflow(arazzoFile, c.inputs ?? {}, {
      ...(c.options ?? {}),
      ...(c.workflowId !== undefined ? { workflowId: c.workflowId } : {}),
      servers,
      requestTimeoutMs: c.options?.requestTimeoutMs ?? 2000,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      onEvent: (e) => events.push(e),
    });
    const want = c.expect;
    expect({ status: result.status, error: result.error?.code }, JSON.stringify(result.error)).toEqual({
      status: want.status,
      error: want.error?.code,
    });
    if (want.error?.stepId !== undefined) expect(result.error?.stepId).toBe(want.error.stepId);
    if (want.error?.message !== undefined) expect(result.error?.message).toContain(want.error.message);
    if (want.outputs !== undefined) expect(result.outputs).toEqual(want.outputs);
    if (want.trace !== undefined) expect(trace(result)).toEqual(want.trace);
    if (want.sleeps !== undefined) expect(sleeps).toEqual(want.sleeps);
    if (want.requestCount !== undefined) expect(server.received.length).toBe(want.requestCount);
    if (want.requests !== undefined) {
      expect(server.received.length).toBeGreaterThanOrEqual(want.requests.length);
      want.requests.forEach((w, i) => {
        const got = server!.received[i]!;
        if (w.method !== undefined) expect(got.method, `request ${i} method`).toBe(w.method);
        if (w.path !== undefined) expect(got.path, `request ${i} path`).toBe(w.path);
        if (w.query !== undefined) expect(got.query, `request ${i} query`).toBe(w.query);
        for (const [h, v] of Object.entries(w.headers ?? {})) {
          expect(got.headers[h.toLowerCase()], `request ${i} header ${h}`).toBe(v === null ? undefined : v);
        }
        if (w.body !== undefined) expect(JSON.parse(got.body), `request ${i} body`).toEqual(w.body);
        if (w.bodyText !== undefined) expect(got.body, `request ${i} body`).toBe(w.bodyText);
      });
    }
    if (want.warnings !== undefined) {
      const all = result.steps.flatMap((s) => s.warnings ?? []).join('\n');
      for (const w of want.warnings) expect(all).toContain(w);
    }
    const shown = { ...result, outputs: {}, steps: result.steps.map((s) => ({ ...s, outputs: {} })) };
    const serialized = JSON.stringify(shown) + JSON.stringify(events);
    for (const secret of want.absent ?? []) expect(serialized).not.toContain(secret);
  });
});
