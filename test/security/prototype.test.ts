/**
 * Nothing from a document, an input or a response can execute code or pollute a prototype (issue #7):
 * crafted documents are loaded and run (mock transport and a loopback server answering hostile JSON), then
 * Object/Array/Function/String prototypes and the global object are compared with a snapshot.
 */
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runWorkflow } from '../../src/engine/index.js';
import type { RunEvent, RunResult } from '../../src/engine/types.js';
import { createMockTransport, loadScenario } from '../../src/mock/index.js';
import { loadArazzo } from '../../src/sources/index.js';
import { prototypeSnapshot } from './pollution.js';

// undici is loaded on the first request and registers its global dispatcher then (a legitimate global):
// load it before the snapshots so only what a document could cause is compared.
createRequire(import.meta.url)('undici');

const fuzzDir = join(import.meta.dirname, '..', 'fixtures', 'fuzz');

const HOSTILE_JSON =
  '{"__proto__":{"polluted":true,"toString":"x"},"constructor":{"prototype":{"polluted":true}},"prototype":{"polluted":true},"ok":true}';
const hostileInputs = (): Record<string, unknown> =>
  JSON.parse(
    '{"id":"1","__proto__":{"polluted":true},"constructor":"ctor","prototype":{"polluted":true}}',
  ) as Record<string, unknown>;

let server: Server;
let base = '';
let before: ReturnType<typeof prototypeSnapshot>;

beforeAll(async () => {
  before = prototypeSnapshot();
  server = createServer((req, res) => {
    req.resume();
    res.writeHead(200, { 'content-type': 'application/json', __proto__: 'x' } as Record<string, string>);
    res.end(HOSTILE_JSON);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
});

function expectUntouched(): void {
  expect(prototypeSnapshot()).toEqual(before);
  const probe: Record<string, unknown> = {};
  expect(probe.polluted).toBeUndefined();
  expect(([] as unknown as Record<string, unknown>).polluted).toBeUndefined();
  expect((globalThis as Record<string, unknown>).pwned).toBeUndefined();
}

interface Case {
  file: string;
  workflowId: string;
  /** Run against the loopback server instead of the mock transport. */
  loopback?: boolean;
}

describe('load + run of crafted documents leaves prototypes and globals untouched', () => {
  it.each<[string, Case]>([
    ['prototype keys everywhere (mock)', { file: 'proto-everywhere.arazzo.yaml', workflowId: '__proto__' }],
    [
      'prototype keys everywhere (loopback)',
      { file: 'proto-everywhere.arazzo.yaml', workflowId: '__proto__', loopback: true },
    ],
    [
      'recursive schema with __proto__ pointer (mock)',
      { file: 'refcycle-schema.arazzo.yaml', workflowId: 'tree' },
    ],
    [
      'recursive schema with __proto__ pointer (loopback)',
      { file: 'refcycle-schema.arazzo.yaml', workflowId: 'tree', loopback: true },
    ],
  ])('%s', async (_name, c) => {
    const path = join(fuzzDir, c.file);
    const loaded = await loadArazzo(path);
    expect(loaded.document.workflows.map((w) => w.workflowId)).toContain(c.workflowId);
    const events: RunEvent[] = [];
    const scenario = loadScenario({
      operations: {
        postThing: [{ status: 200, body: JSON.parse(HOSTILE_JSON) as unknown }],
        getThing: [{ status: 200, body: JSON.parse(HOSTILE_JSON) as unknown }],
        getTree: [{ status: 200, body: JSON.parse(HOSTILE_JSON) as unknown }],
      },
    });
    const sourceNames = loaded.document.sourceDescriptions.map((s) => s.name);
    const result: RunResult = await runWorkflow(loaded, hostileInputs(), {
      workflowId: c.workflowId,
      maxSteps: 20,
      maxRetryDelayMs: 0,
      onEvent: (e) => events.push(e),
      ...(c.loopback
        ? { servers: Object.fromEntries(sourceNames.map((n) => [n, base])), requestTimeoutMs: 2000 }
        : { transport: createMockTransport({ scenario, sources: loaded.sources.values() }) }),
    });
    expect(result.steps.length).toBeGreaterThan(0);
    expect(result.steps.every((s) => s.response?.statusCode === 200)).toBe(true);
    // Hostile keys are data: own properties of the records, never prototypes.
    const serialized = JSON.stringify({ result, events });
    expect(serialized).toContain('__proto__');
    for (const step of result.steps) {
      if (step.outputs !== undefined) {
        expect(Object.getPrototypeOf(step.outputs)).toBe(Object.prototype);
      }
    }
    expectUntouched();
  });

  it('the __proto__ output reads the response member as data', async () => {
    const loaded = await loadArazzo(join(fuzzDir, 'proto-everywhere.arazzo.yaml'));
    const result = await runWorkflow(loaded, hostileInputs(), {
      workflowId: '__proto__',
      servers: { api: base },
      requestTimeoutMs: 2000,
    });
    const first = result.steps.find((s) => s.stepId === 'constructor');
    expect(first?.outputs !== undefined && Object.hasOwn(first.outputs, '__proto__')).toBe(true);
    expect(Object.getOwnPropertyDescriptor(first?.outputs ?? {}, '__proto__')?.value).toBe(true);
    expect(first?.outputs?.constructor).toEqual({ polluted: true });
    expect(Object.hasOwn(result.outputs, '__proto__')).toBe(true);
    expect(Object.getOwnPropertyDescriptor(result.outputs, '__proto__')?.value).toBe(true);
    // The request body kept __proto__ as an own key.
    const body = first?.request?.body as Record<string, unknown> | undefined;
    expect(body !== undefined && Object.hasOwn(body, '__proto__')).toBe(true);
    expectUntouched();
  });

  it.each<[string, string]>([
    ['merge key with __proto__', 'merge-key-proto.arazzo.yaml'],
    ['JSON with __proto__ and prototype pointers', 'proto-pointers.arazzo.json'],
    ['custom tags (js/function, js/regexp)', 'custom-tags.arazzo.yaml'],
    ['alias bomb', 'alias-bomb.arazzo.yaml'],
  ])('%s: load (and run when it loads) without side effects', async (_name, file) => {
    let loaded: Awaited<ReturnType<typeof loadArazzo>> | undefined;
    try {
      loaded = await loadArazzo(join(fuzzDir, file));
    } catch {
      loaded = undefined;
    }
    if (loaded !== undefined) {
      await runWorkflow(loaded, hostileInputs(), {
        transport: createMockTransport({ sources: loaded.sources.values() }),
        maxSteps: 10,
        maxRetryDelayMs: 0,
      });
    }
    expectUntouched();
  });
});

describe('hostile names in targets and inputs', () => {
  it('replacement targets through __proto__ / constructor are refused as a request-build failure', async () => {
    const result = await runWorkflow(
      join(fuzzDir, 'proto-everywhere.arazzo.yaml'),
      {},
      {
        workflowId: 'replacements',
        transport: createMockTransport(),
      },
    );
    expect(result.status).toBe('failed');
    expect(result.steps[0]?.error?.code).toBe('REQUEST_BUILD');
    expect(result.steps[0]?.error?.message).toMatch(/token "__proto__" is not allowed/);
    expectUntouched();
  });

  // Inputs validation runs ajv with ownProperties: an absent "constructor" input is not read from Object.prototype.
  it('an optional input named "constructor" may be left out', async () => {
    const result = await runWorkflow(
      join(fuzzDir, 'proto-everywhere.arazzo.yaml'),
      { id: '1' },
      {
        workflowId: '__proto__',
        transport: createMockTransport(),
        maxRetryDelayMs: 0,
      },
    );
    expect(result.error?.code).not.toBe('INPUTS_INVALID');
  });
});
