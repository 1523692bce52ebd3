import { describe, expect, it } from 'vitest';
import { loadArazzo } from '../../src/sources/index.js';
import type { DocumentLoader } from '../../src/sources/types.js';

const api = (server: string) =>
  `{"openapi":"3.0.0","info":{"title":"a","version":"1"},"servers":[{"url":"${server}"}],"paths":{"/ping":{"get":{"operationId":"ping","responses":{"200":{"description":"ok"}}}}}}`;

const arazzo = (self: string | undefined, sources: string) =>
  `arazzo: 1.1.0\n${self === undefined ? '' : `$self: ${self}\n`}info: {title: t, version: '1'}\nsourceDescriptions:\n${sources}workflows:\n  - workflowId: w\n    steps:\n      - stepId: s\n        operationId: $sourceDescriptions.api.ping\n`;

/** An in-memory loader that records what it was asked for. */
function memory(files: Record<string, string>): { loader: DocumentLoader; asked: string[] } {
  const asked: string[] = [];
  const loader: DocumentLoader = async (url) => {
    asked.push(url.href);
    const text = files[url.href];
    if (text === undefined) throw new Error('file not found');
    return { text };
  };
  return { loader, asked };
}

describe('$self and the base URI (spec 1.1 "Relative References in Arazzo Description URIs")', () => {
  it.each<[string, { at: string; self: string | undefined; url: string; want: string; base: string }]>([
    [
      'an absolute $self is the base URI, not the retrieval location',
      {
        at: 'mem:/local/main.yaml',
        self: 'https://flows.example/v1/main.arazzo.yaml',
        url: './api.json',
        want: 'https://flows.example/v1/api.json',
        base: 'https://flows.example/v1/main.arazzo.yaml',
      },
    ],
    [
      'a relative $self is resolved against the retrieval URI first',
      {
        at: 'https://host.example/root/index.yaml',
        self: 'flows/main.arazzo.yaml',
        url: '../apis/a.json',
        want: 'https://host.example/root/apis/a.json',
        base: 'https://host.example/root/flows/main.arazzo.yaml',
      },
    ],
    [
      'without $self the retrieval URI is the base',
      {
        at: 'https://host.example/root/index.yaml',
        self: undefined,
        url: 'apis/a.json',
        want: 'https://host.example/root/apis/a.json',
        base: 'https://host.example/root/index.yaml',
      },
    ],
  ])('%s', async (_name, { at, self, url, want, base }) => {
    const { loader, asked } = memory({
      [at]: arazzo(self, `  - name: api\n    url: ${url}\n`),
      [want]: api('/v2'),
    });
    const loaded = await loadArazzo(new URL(at), { loader });
    expect(loaded.baseUri).toBe(base);
    expect(asked).toEqual([at, want]);
    const source = loaded.sources.get('api');
    // The API endpoint comes from the Server Object, resolved against the OpenAPI document, never $self.
    expect(source?.kind === 'openapi' && source.getOperationById('ping')?.documentUrl).toBe(want);
    expect(source?.kind === 'openapi' && source.getOperationById('ping')?.servers).toEqual([{ url: '/v2' }]);
  });

  it('finds an Arazzo source by its $self before its location', async () => {
    const main = `${arazzo(
      'https://flows.example/main.arazzo.yaml',
      '  - name: api\n    url: ./api.json\n  - name: sub\n    url: ./sub.arazzo.yaml\n    type: arazzo\n',
    )}`;
    const sub = arazzo(
      undefined,
      '  - name: api\n    url: ./api.json\n  - name: parent\n    url: https://flows.example/main.arazzo.yaml\n    type: arazzo\n',
    );
    const { loader, asked } = memory({
      'mem:/main.yaml': main,
      'https://flows.example/api.json': api('https://api.example'),
      'https://flows.example/sub.arazzo.yaml': sub,
    });
    const loaded = await loadArazzo(new URL('mem:/main.yaml'), { loader });
    const subSource = loaded.sources.get('sub');
    expect(subSource?.kind).toBe('arazzo');
    const parent = subSource?.kind === 'arazzo' ? subSource.loaded.sources.get('parent') : undefined;
    expect(parent?.kind === 'arazzo' && parent.loaded).toBe(loaded);
    // main.arazzo.yaml was never fetched from its identifier: the loaded document with that $self was used.
    expect(asked).not.toContain('https://flows.example/main.arazzo.yaml');
    expect(loaded.specVersion).toBe('1.1');
  });
});

describe('1.1 documents with an AsyncAPI source', () => {
  it('load the AsyncAPI source and resolve its steps without diagnostics', async () => {
    const doc = `${arazzo(undefined, '  - name: api\n    url: ./api.json\n  - name: events\n    url: ./events.yaml\n    type: asyncapi\n')}      - stepId: send\n        operationId: $sourceDescriptions.events.placeOrder\n        action: send\n`;
    const events =
      'asyncapi: 3.0.0\ninfo: { title: e, version: "1" }\nchannels:\n  c: { address: orders }\noperations:\n  placeOrder: { action: send, channel: { $ref: "#/channels/c" } }\n';
    const { loader, asked } = memory({
      'mem:/a.yaml': doc,
      'mem:/api.json': api('https://api.example'),
      'mem:/events.yaml': events,
    });
    const loaded = await loadArazzo(new URL('mem:/a.yaml'), { loader });
    expect(loaded.diagnostics.map((d) => `${d.severity} ${d.code} ${d.pointer}`)).toEqual([]);
    expect(loaded.sources.get('events')?.kind).toBe('asyncapi');
    expect([...asked].sort()).toEqual(['mem:/a.yaml', 'mem:/api.json', 'mem:/events.yaml']);
  });
});
