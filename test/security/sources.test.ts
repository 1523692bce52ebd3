/**
 * Source restrictions (issue #7): maxDocumentBytes, allowRemote and rootDir, end to end through loadArazzo
 * and then runWorkflow on the loaded document (runWorkflow(path) forwards only sources, loader, signal and
 * strict to loading, so restricted loads go through loadArazzo first).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runWorkflow } from '../../src/engine/index.js';
import { isUnreadableDocumentError } from '../../src/errors.js';
import { createMockTransport } from '../../src/mock/index.js';
import type { LoadOptions } from '../../src/sources/index.js';
import { loadArazzo } from '../../src/sources/index.js';

const fuzzDir = join(import.meta.dirname, '..', 'fixtures', 'fuzz');
const openapi = join(fuzzDir, 'openapi.yaml');

let remote: Server;
let remoteHost = '';
let hits = 0;
let openapiText = '';
let work = '';

function doc(sourceUrl: string): string {
  return `arazzo: 1.0.1
info: { title: restricted, version: 1.0.0 }
sourceDescriptions: [{ name: api, url: "${sourceUrl}", type: openapi }]
workflows:
  - workflowId: w
    steps: [{ stepId: s, operationId: getThing, parameters: [{ name: id, in: path, value: "1" }] }]
`;
}

beforeAll(async () => {
  remote = createServer((req, res) => {
    req.resume();
    hits++;
    res.writeHead(200, { 'content-type': 'application/yaml' });
    res.end(openapiText);
  });
  await new Promise<void>((resolve) => remote.listen(0, '127.0.0.1', resolve));
  remoteHost = `127.0.0.1:${(remote.address() as AddressInfo).port}`;
  work = mkdtempSync(join(tmpdir(), 'arazzo-sec-'));
  writeFileSync(join(work, 'inside.arazzo.yaml'), doc(openapi));
  writeFileSync(join(work, 'remote.arazzo.yaml'), doc(`http://${remoteHost}/openapi.yaml`));
  writeFileSync(join(work, 'escape.arazzo.yaml'), doc('../../../../../../etc/passwd'));
  writeFileSync(join(work, 'big.arazzo.yaml'), `${doc(openapi)}# ${'x'.repeat(200_000)}\n`);
});

afterAll(async () => {
  remote.closeAllConnections();
  await new Promise<void>((resolve) => remote.close(() => resolve()));
});

interface Case {
  file: string;
  options: () => LoadOptions;
  want: { code: string; message: RegExp } | 'loads';
  /** Whether the remote server may be contacted. */
  remoteHit?: boolean;
}

describe('source restrictions', () => {
  beforeAll(async () => {
    const { readFile } = await import('node:fs/promises');
    openapiText = await readFile(openapi, 'utf8');
  });

  it.each<[string, Case]>([
    [
      'maxDocumentBytes refuses a large Arazzo document',
      {
        file: 'big.arazzo.yaml',
        options: () => ({ maxDocumentBytes: 10_000 }),
        want: { code: 'source-too-large', message: /10000|bytes/ },
      },
    ],
    [
      'maxDocumentBytes refuses a large OpenAPI source',
      {
        file: 'inside.arazzo.yaml',
        options: () => ({ maxDocumentBytes: 600 }),
        want: { code: 'source-too-large', message: /bytes/ },
      },
    ],
    [
      'maxDocumentBytes large enough loads',
      { file: 'inside.arazzo.yaml', options: () => ({ maxDocumentBytes: 100_000 }), want: 'loads' },
    ],
    [
      'allowRemote: false refuses an http source without fetching it',
      {
        file: 'remote.arazzo.yaml',
        options: () => ({ allowRemote: false }),
        want: { code: 'source-url-refused', message: /allowRemote: false/ },
        remoteHit: false,
      },
    ],
    [
      'allowRemote list without the host refuses',
      {
        file: 'remote.arazzo.yaml',
        options: () => ({ allowRemote: ['api.example.com'] }),
        want: { code: 'source-url-refused', message: /not in allowRemote/ },
        remoteHit: false,
      },
    ],
    [
      'allowRemote list with the host loads',
      {
        file: 'remote.arazzo.yaml',
        options: () => ({ allowRemote: [remoteHost] }),
        want: 'loads',
        remoteHit: true,
      },
    ],
    [
      'rootDir refuses a source outside it',
      {
        file: 'inside.arazzo.yaml',
        options: () => ({ rootDir: work }),
        want: { code: 'source-url-refused', message: /rootDir|outside/ },
      },
    ],
    [
      'rootDir refuses ../ traversal',
      {
        file: 'escape.arazzo.yaml',
        options: () => ({ rootDir: work }),
        want: { code: 'source-url-refused', message: /rootDir|outside/ },
      },
    ],
    [
      'rootDir containing both loads',
      { file: 'inside.arazzo.yaml', options: () => ({ rootDir: '/' }), want: 'loads' },
    ],
  ])('%s', async (_name, c) => {
    // rootDir cases read the document itself from `work`; the OpenAPI source lives elsewhere.
    const before = hits;
    const path = join(work, c.file);
    let outcome: { code: string; message: string } | 'loads';
    try {
      const loaded = await loadArazzo(path, c.options());
      const result = await runWorkflow(loaded, {}, { transport: createMockTransport() });
      expect(result.status).toBe('succeeded');
      outcome = 'loads';
    } catch (e) {
      expect(isUnreadableDocumentError(e), String(e)).toBe(true);
      const d = isUnreadableDocumentError(e) ? e.diagnostics.find((x) => x.severity === 'error') : undefined;
      outcome = { code: d?.code ?? '', message: d?.message ?? '' };
    }
    if (c.want === 'loads') expect(outcome).toBe('loads');
    else {
      expect(outcome).not.toBe('loads');
      const got = outcome as { code: string; message: string };
      expect(got.code).toBe(c.want.code);
      expect(got.message).toMatch(c.want.message);
    }
    if (c.remoteHit !== undefined) expect(hits > before).toBe(c.remoteHit);
  });

  it('the restrictions apply to an injected loader too', async () => {
    let calls = 0;
    await expect(
      loadArazzo(join(work, 'remote.arazzo.yaml'), {
        allowRemote: false,
        loader: async (url) => {
          calls++;
          return { text: url.protocol === 'file:' ? doc(`http://${remoteHost}/openapi.yaml`) : openapiText };
        },
      }),
    ).rejects.toThrow(/allowRemote: false/);
    expect(calls).toBe(1);
  });
});
