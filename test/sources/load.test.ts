import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DocumentError, OptionsError, UnreadableDocumentError } from '../../src/errors.js';
import { loadArazzo, validate } from '../../src/sources/index.js';
import type { DocumentLoader } from '../../src/sources/types.js';
import { codes, FIXTURES, fixture, REPO, rejection } from './helpers.js';

const MISSING = fixture('missing-source', 'arazzo', 'flow.yaml');
const PETS_ARAZZO = readFileSync(fixture('oas30', 'arazzo.yaml'), 'utf8');

describe('loadArazzo: forms of the source argument', () => {
  it.each([
    ['a path relative to cwd', { given: path.join('oas30', 'arazzo.yaml'), cwd: FIXTURES }],
    ['an absolute path', { given: fixture('oas30', 'arazzo.yaml'), cwd: REPO }],
    ['a file: URL string', { given: pathToFileURL(fixture('oas30', 'arazzo.yaml')).href, cwd: REPO }],
    ['a URL object', { given: pathToFileURL(fixture('oas30', 'arazzo.yaml')), cwd: REPO }],
    // Inline documents resolve relative source urls against cwd.
    ['YAML text', { given: PETS_ARAZZO, cwd: fixture('oas30') }],
  ])('%s', async (_name, { given, cwd }) => {
    const loaded = await loadArazzo(given, { cwd });
    expect(loaded.document.info.title).toBe('Pets 3.0');
    expect(loaded.sources.get('pets')?.url).toBe(pathToFileURL(fixture('oas30', 'openapi.yaml')).href);
  });

  it('takes an already-parsed object, freezes the document, and gives it an inline: url', async () => {
    const value = {
      arazzo: '1.0.1',
      info: { title: 'Object', version: '1' },
      sourceDescriptions: [{ name: 'pets', url: './openapi.yaml' }],
      workflows: [{ workflowId: 'w', steps: [{ stepId: 's', operationId: 'getPet' }] }],
    };
    const loaded = await loadArazzo(value, { cwd: fixture('oas30') });
    expect(loaded.url).toBe('inline:document');
    expect(Object.isFrozen(loaded.document.workflows[0]?.steps[0])).toBe(true);
    expect(loaded.locate('/workflows/0')).toEqual({ line: 0, column: 0 });
  });

  it('reports a missing Arazzo file as UnreadableDocumentError naming the path', async () => {
    const err = await rejection(loadArazzo('nope/flow.yaml', { cwd: FIXTURES }));
    expect(err).toBeInstanceOf(UnreadableDocumentError);
    const e = err as UnreadableDocumentError;
    expect(e.location).toBe(fixture('nope', 'flow.yaml'));
    expect(e.message).toBe(`Arazzo document ${fixture('nope', 'flow.yaml')}: cannot read: file not found`);
    expect(codes(e.diagnostics)).toEqual(['document-unreadable@']);
  });

  it('reports unparseable text as UnreadableDocumentError with the syntax position', async () => {
    const err = await rejection(loadArazzo('arazzo: 1.0.1\ninfo: [unclosed\n'));
    expect(err).toBeInstanceOf(UnreadableDocumentError);
    expect((err as UnreadableDocumentError).diagnostics[0]).toMatchObject({
      code: 'yaml-syntax',
      file: '<inline>',
    });
  });
});

describe('source descriptions that are not there', () => {
  it('names the source, the url as written, the path tried, and the fix', async () => {
    const err = await rejection(loadArazzo(MISSING));
    expect(err).toBeInstanceOf(UnreadableDocumentError);
    const e = err as UnreadableDocumentError;
    const tried = fixture('missing-source', 'openapi', 'shop-openapi.yaml');
    expect(e.location).toBe(tried);
    expect(e.diagnostics).toEqual([
      {
        code: 'source-unreadable',
        severity: 'error',
        message: `sourceDescription "shopApi" (#/sourceDescriptions/0/url): cannot read "../openapi/shop-openapi.yaml" (tried ${tried}): file not found; a file of that name exists at ${fixture('missing-source', 'openapi', '_original', 'shop-openapi.yaml')}; if the file is elsewhere, point at it with the sources option (CLI --source shopApi=<path>)`,
        pointer: '/sourceDescriptions/0/url',
        file: MISSING,
        line: 7,
        column: 5,
      },
    ]);
    expect(e.message).toBe(e.diagnostics[0]?.message);
  });

  it('is fixed by the sources option (relative to cwd)', async () => {
    const loaded = await loadArazzo(MISSING, {
      cwd: fixture('missing-source'),
      sources: { shopApi: 'openapi/_original/shop-openapi.yaml' },
    });
    const src = loaded.sources.get('shopApi');
    expect(src?.kind === 'openapi' && src.getOperationById('createOrder')?.servers).toEqual([
      { url: 'https://shop.example.com' },
    ]);
    expect(loaded.diagnostics).toEqual([]);
  });

  it('says when the overriding path is wrong too', async () => {
    const err = await rejection(loadArazzo(MISSING, { cwd: FIXTURES, sources: { shopApi: 'wrong.yaml' } }));
    expect((err as UnreadableDocumentError).diagnostics[0]?.message).toBe(
      `sourceDescription "shopApi" (#/sourceDescriptions/0/url): cannot read "wrong.yaml" (from the sources option) (tried ${fixture('wrong.yaml')}): file not found`,
    );
  });

  it('refuses a sources entry for an undeclared name', async () => {
    const err = await rejection(loadArazzo(MISSING, { sources: { shop: 'x.yaml' } }));
    expect(err).toBeInstanceOf(OptionsError);
    expect((err as OptionsError).message).toContain('no sourceDescription named "shop"');
    expect((err as OptionsError).message).toContain('(declared: shopApi)');
  });

  it('validate() returns the diagnostics instead of rejecting', async () => {
    const result = await validate(MISSING);
    expect(result.valid).toBe(false);
    expect(codes(result.diagnostics)).toEqual(['source-unreadable@/sourceDescriptions/0/url']);
    expect(await validate(fixture('oas30', 'arazzo.yaml'))).toEqual({ valid: true, diagnostics: [] });
  });
});

describe('loader policy', () => {
  const memory = (files: Record<string, string>): DocumentLoader => {
    return async (url) => {
      const text = files[url.href];
      if (text === undefined) throw Object.assign(new Error(`no ${url.href}`), { code: 'ENOENT' });
      return { text };
    };
  };
  const memDoc = (url: string) =>
    `arazzo: 1.0.1\ninfo: { title: m, version: '1' }\nsourceDescriptions:\n  - { name: api, url: '${url}' }\nworkflows:\n  - workflowId: w\n    steps:\n      - { stepId: s, operationId: ping }\n`;
  const memApi = `{"openapi":"3.0.0","info":{"title":"a","version":"1"},"paths":{"/ping":{"get":{"operationId":"ping","responses":{"200":{"description":"ok"}}}}}}`;

  it('uses an injected loader for every document', async () => {
    const seen: string[] = [];
    const files = { 'mem:/flows/a.yaml': memDoc('../apis/a.json'), 'mem:/apis/a.json': memApi };
    const inner = memory(files);
    const loaded = await loadArazzo(new URL('mem:/flows/a.yaml'), {
      loader: async (url, signal) => {
        seen.push(url.href);
        return inner(url, signal);
      },
    });
    expect(seen).toEqual(['mem:/flows/a.yaml', 'mem:/apis/a.json']);
    const api = loaded.sources.get('api');
    expect(api?.kind === 'openapi' && api.getOperationById('ping')?.documentUrl).toBe('mem:/apis/a.json');
  });

  it.each([
    ['maxDocumentBytes on the source', { max: 200, code: 'source-too-large' }],
    ['a loader error', { max: undefined, code: 'source-unreadable' }],
  ])('%s', async (_name, { max, code }) => {
    const files: Record<string, string> =
      max === undefined
        ? { 'mem:/a.yaml': memDoc('gone.json') }
        : { 'mem:/a.yaml': memDoc('a.json'), 'mem:/a.json': memApi.padEnd(300) };
    const err = await rejection(
      loadArazzo(new URL('mem:/a.yaml'), {
        loader: memory(files),
        ...(max === undefined ? {} : { maxDocumentBytes: max }),
      }),
    );
    expect(err).toBeInstanceOf(UnreadableDocumentError);
    expect(codes((err as UnreadableDocumentError).diagnostics)).toEqual([
      `${code}@/sourceDescriptions/0/url`,
    ]);
  });

  it.each([
    [
      'JSON that does not parse',
      { api: '{"openapi": "3.0.0",', code: 'source-unparseable', text: 'is not valid JSON' },
    ],
    [
      'a document that is not OpenAPI',
      { api: 'hello: world', code: 'source-not-openapi', text: 'no "openapi" or "swagger" field' },
    ],
    [
      'an Arazzo document declared without type',
      { api: 'arazzo: 1.0.1', code: 'source-not-openapi', text: 'declare the source with type: arazzo' },
    ],
    [
      'an unsupported Swagger version',
      { api: 'swagger: "1.2"', code: 'source-not-openapi', text: 'Swagger version "1.2" is not supported' },
    ],
  ])('source that is %s', async (_name, { api, code, text }) => {
    const files = { 'mem:/a.yaml': memDoc('a.json'), 'mem:/a.json': api };
    const result = await validate(new URL('mem:/a.yaml'), { loader: memory(files) });
    expect(result.valid).toBe(false);
    expect(codes(result.diagnostics)).toEqual([`${code}@/sourceDescriptions/0/url`]);
    expect(result.diagnostics[0]?.message).toContain(text);
  });

  it('reports an external $ref whose file is missing, in the operation that needs it', async () => {
    const api = memApi.replace(
      '"operationId":"ping"',
      '"operationId":"ping","parameters":[{"$ref":"params.json#/Id"}]',
    );
    const files = { 'mem:/a.yaml': memDoc('a.json'), 'mem:/a.json': api };
    const result = await validate(new URL('mem:/a.yaml'), { loader: memory(files) });
    expect(result.diagnostics.map((d) => [d.code, d.file, d.pointer])).toEqual([
      ['openapi-ref-unresolved', 'mem:/a.json', '/paths/~1ping/get/parameters/0'],
    ]);
    expect(result.diagnostics[0]?.message).toBe(
      '$ref "params.json#/Id" (#/paths/~1ping/get/parameters/0): cannot be resolved: document mem:/params.json could not be read: file not found',
    );
  });

  it('stops when the signal is aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('stop now'));
    const err = await rejection(loadArazzo(fixture('oas30', 'arazzo.yaml'), { signal: controller.signal }));
    expect((err as Error).message).toBe('stop now');
  });

  it('refuses a top-level document larger than maxDocumentBytes', async () => {
    const err = await rejection(loadArazzo(fixture('oas30', 'arazzo.yaml'), { maxDocumentBytes: 100 }));
    expect(err).toBeInstanceOf(UnreadableDocumentError);
    expect((err as UnreadableDocumentError).message).toMatch(
      /is \d+ bytes, more than maxDocumentBytes \(100\)/,
    );
  });

  it('refuses file sources outside rootDir', async () => {
    // nested/parent.yaml uses ../multi/users.yaml, which is outside nested/.
    const err = await rejection(loadArazzo(fixture('nested', 'parent.yaml'), { rootDir: fixture('nested') }));
    expect(err).toBeInstanceOf(UnreadableDocumentError);
    const refused = (err as UnreadableDocumentError).diagnostics.filter(
      (x) => x.code === 'source-url-refused',
    );
    expect(refused.map((d) => [d.file, d.message])).toEqual([
      [
        fixture('nested', 'child.yaml'),
        `sourceDescription "api" (#/sourceDescriptions/1/url): "../multi/billing.yaml" not read: ${fixture('multi', 'billing.yaml')} is outside rootDir ${fixture('nested')}; documents may only be read from inside it`,
      ],
      [
        fixture('nested', 'parent.yaml'),
        `sourceDescription "api" (#/sourceDescriptions/1/url): "../multi/users.yaml" not read: ${fixture('multi', 'users.yaml')} is outside rootDir ${fixture('nested')}; documents may only be read from inside it`,
      ],
    ]);
    await expect(loadArazzo(fixture('nested', 'parent.yaml'), { rootDir: FIXTURES })).resolves.toBeDefined();
  });
});

describe('http sources (loopback server)', () => {
  let server: Server;
  let base: string;
  const hits: string[] = [];
  beforeAll(async () => {
    const api = readFileSync(fixture('oas30', 'openapi.yaml'), 'utf8');
    server = createServer((req, res) => {
      hits.push(req.url ?? '');
      if (req.url === '/flows/pets.yaml') res.end(PETS_ARAZZO);
      else if (req.url === '/flows/openapi.yaml') {
        res.writeHead(302, { location: '/specs/openapi.yaml' });
        res.end();
      } else if (req.url === '/specs/openapi.yaml') res.end(api);
      else {
        res.writeHead(404);
        res.end('not here');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('loads a document and its source over http, following a redirect', async () => {
    hits.length = 0;
    const loaded = await loadArazzo(`${base}/flows/pets.yaml`);
    expect(hits).toEqual(['/flows/pets.yaml', '/flows/openapi.yaml', '/specs/openapi.yaml']);
    const pets = loaded.sources.get('pets');
    expect(pets?.kind === 'openapi' && pets.getOperationById('listPets')?.servers).toEqual([
      { url: '/relative/v1' },
    ]);
    expect(loaded.url).toBe(`${base}/flows/pets.yaml`);
  });

  it('allows listed hosts only', async () => {
    const host = new URL(base).host;
    await expect(loadArazzo(`${base}/flows/pets.yaml`, { allowRemote: [host] })).resolves.toBeDefined();
    const err = await rejection(loadArazzo(`${base}/flows/pets.yaml`, { allowRemote: ['api.example.com'] }));
    expect((err as UnreadableDocumentError).diagnostics[0]?.code).toBe('source-url-refused');
  });

  it('refuses http entirely with allowRemote: false, before any request', async () => {
    hits.length = 0;
    const err = await rejection(loadArazzo(`${base}/flows/pets.yaml`, { allowRemote: false }));
    expect(err).toBeInstanceOf(UnreadableDocumentError);
    expect((err as UnreadableDocumentError).message).toContain(
      'remote documents are not allowed (allowRemote: false)',
    );
    expect(hits).toEqual([]);
  });

  it('reports an HTTP error status for a source', async () => {
    const doc = PETS_ARAZZO.replace('url: ./openapi.yaml', `url: ${base}/missing.yaml`);
    const err = await rejection(loadArazzo(doc, { cwd: FIXTURES }));
    expect((err as UnreadableDocumentError).diagnostics[0]?.message).toContain(
      `HTTP 404 from ${base}/missing.yaml`,
    );
  });
});

describe('performance-shaped loads', () => {
  it('loads the Composio workflow with its 2 MB OpenAPI document and resolves its three operations', async () => {
    const loaded = await loadArazzo(
      path.join(REPO, 'specs/composio/arazzo/composio-connect-account-via-auth-config-workflow.yml'),
    );
    const api = loaded.sources.get('composioApi');
    if (api?.kind !== 'openapi') throw new Error('composio source missing');
    expect(api.version).toBe('3.0');
    expect(api.getOperationById('postAuthConfigs')).toMatchObject({
      method: 'POST',
      path: '/api/v3/auth_configs',
    });
    expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('indexes a synthetic 20 MB document with 5,000 operations within a second or two', async () => {
    const paths: Record<string, unknown> = {};
    const filler = 'x'.repeat(3500);
    for (let i = 0; i < 5000; i++)
      paths[`/things/${i}/{id}`] = {
        parameters: [{ $ref: '#/components/parameters/Id' }],
        get: { operationId: `getThing${i}`, description: filler, responses: { 200: { description: 'ok' } } },
      };
    const text = JSON.stringify({
      openapi: '3.1.0',
      info: { title: 'big', version: '1' },
      paths,
      components: {
        parameters: { Id: { name: 'id', in: 'path', required: true, schema: { type: 'string' } } },
      },
    });
    expect(text.length).toBeGreaterThan(18_000_000);
    const doc = `arazzo: 1.0.1\ninfo: { title: big, version: '1' }\nsourceDescriptions:\n  - { name: big, url: big.json }\nworkflows:\n  - workflowId: w\n    steps:\n      - { stepId: s, operationId: getThing4999 }\n`;
    const loader: DocumentLoader = async (url) => ({ text: url.href.endsWith('big.json') ? text : doc });
    const start = performance.now();
    const loaded = await loadArazzo(new URL('mem:/flow.yaml'), { loader });
    const elapsed = performance.now() - start;
    const big = loaded.sources.get('big');
    expect(big?.kind === 'openapi' && big.operationIds().length).toBe(5000);
    expect(big?.kind === 'openapi' && big.getOperationById('getThing4999')?.parameters).toEqual([
      { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
    ]);
    // Target < 1 s; the margin absorbs a shared CI machine.
    expect(elapsed).toBeLessThan(2000);
  });
});

describe('document errors', () => {
  it('rejects with DocumentError carrying every diagnostic, located', async () => {
    const err = await rejection(loadArazzo(fixture('multi', 'ambiguous.yaml')));
    expect(err).toBeInstanceOf(DocumentError);
    const e = err as DocumentError;
    expect(e.message.split('\n')[0]).toBe(`${fixture('multi', 'ambiguous.yaml')}: 3 errors`);
    expect(e.diagnostics.every((d) => d.file === fixture('multi', 'ambiguous.yaml') && d.line > 0)).toBe(
      true,
    );
  });
});
