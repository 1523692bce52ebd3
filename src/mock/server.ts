/** `arazzo mock`: the mock answers on a loopback HTTP server, routed by method and path template. */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setOwn } from '../own.js';
import type { LoadedDocument, OpenApiSource, ResolvedOperation } from '../sources/types.js';
import { buildAnswer } from './respond.js';
import { ScenarioCursor } from './scenario.js';
import { bodyBytes, CallCounter, delay } from './transport.js';
import type { Scenario } from './types.js';

/** Options of `startMockServer`. */
export interface MockServerOptions {
  /** Port to listen on. Default 0 (any free port). @example { port: 4010 } */
  port?: number;
  /** Interface to bind. Default '127.0.0.1' (loopback only). @example { host: '::1' } */
  host?: string;
  /** Scripted responses; only its `operations` apply (a server does not know steps). Default: none. */
  scenario?: Scenario;
  /** Seed for generated identifiers. Default: the scenario's seed, else 1. */
  seed?: number;
}

export interface MockServer {
  /** Base URL, e.g. 'http://127.0.0.1:40123'. */
  url: string;
  close(): Promise<void>;
}

interface Route {
  method: string;
  pattern: RegExp;
  names: string[];
  /** Literal characters in the template: more literal text wins over parameters. */
  literal: number;
  operation: ResolvedOperation;
  spec: unknown;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The path part of an OpenAPI server URL ('https://x/api/v1' -> '/api/v1'; '/' -> ''). */
function basePath(operation: ResolvedOperation): string {
  const url = operation.servers[0]?.url;
  if (url === undefined) return '';
  try {
    const path = new URL(url.replace(/\{[^}]*\}/g, 'x'), 'http://mock.invalid/').pathname;
    return path.replace(/\/+$/, '');
  } catch {
    return '';
  }
}

function routesFor(source: OpenApiSource): Route[] {
  const out: Route[] = [];
  for (const operation of source.allOperations()) {
    const bases = new Set(['', basePath(operation)]);
    for (const base of bases) {
      const names: string[] = [];
      let literal = 0;
      const template = `${base}${operation.path}`;
      const body = template
        .split(/(\{[^}/]+\})/)
        .map((part) => {
          const m = /^\{([^}/]+)\}$/.exec(part);
          if (m?.[1] !== undefined) {
            names.push(m[1]);
            return '([^/]+)';
          }
          literal += part.length;
          return escapeRegex(part);
        })
        .join('');
      out.push({
        method: operation.method.toUpperCase(),
        pattern: new RegExp(`^${body}/?$`),
        names,
        literal,
        operation,
        spec: source.raw,
      });
    }
  }
  return out.sort((a, b) => b.literal - a.literal);
}

function sources(input: LoadedDocument | OpenApiSource): OpenApiSource[] {
  if ('kind' in input && input.kind === 'openapi') return [input];
  const loaded = input as LoadedDocument;
  return [...loaded.sources.values()].filter((s): s is OpenApiSource => s.kind === 'openapi');
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const text = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** `Prefer: code=404` asks for a status, as other OpenAPI mock servers accept. */
function preferredStatus(req: IncomingMessage): number[] | undefined {
  const prefer = req.headers.prefer;
  const m = typeof prefer === 'string' ? /(?:^|[,;\s])code=(\d{3})\b/.exec(prefer) : null;
  return m?.[1] === undefined ? undefined : [Number(m[1])];
}

/** What every request to one mock server shares. */
interface MockState {
  routes: Route[];
  cursor: ScenarioCursor;
  counter: CallCounter;
  seed: number;
  /** Aborts answer delays when the server closes. */
  closing: AbortController;
}

/**
 * Serve mock answers for every operation of the source(s) on a loopback server. Unknown routes get a
 * 404 JSON error, a known path with another method a 405.
 * @example const server = await startMockServer(loaded, { port: 0 }); await fetch(`${server.url}/pets/1`); await server.close();
 */
export async function startMockServer(
  source: LoadedDocument | OpenApiSource,
  options: MockServerOptions = {},
): Promise<MockServer> {
  const mock: MockState = {
    routes: sources(source).flatMap(routesFor),
    cursor: new ScenarioCursor(options.scenario),
    counter: new CallCounter(),
    seed: options.seed ?? options.scenario?.seed ?? 1,
    closing: new AbortController(),
  };
  const server = createServer((req, res) => {
    handle(mock, req, res).catch((error: unknown) => {
      if (!res.headersSent)
        sendJson(res, 500, { error: error instanceof Error ? error.message : String(error) });
      else res.destroy();
    });
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${shownHost}:${address.port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        mock.closing.abort(new Error('mock server closed'));
        server.close((error) => (error === undefined ? resolve() : reject(error)));
        server.closeAllConnections();
      }),
  };
}

/** One request: the first route whose path and method match answers; else 405 (path known) or 404. */
async function handle(mock: MockState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  for await (const _ of req) {
    // drain the request body; the mock does not read it
  }
  const method = (req.method ?? 'GET').toUpperCase();
  let pathname: string;
  try {
    pathname = new URL(req.url ?? '/', 'http://mock.invalid').pathname;
  } catch {
    sendJson(res, 400, { error: 'bad request target' });
    return;
  }
  let pathMatched = false;
  for (const route of mock.routes) {
    const m = route.pattern.exec(pathname);
    if (m === null) continue;
    pathMatched = true;
    if (route.method !== method && !(method === 'HEAD' && route.method === 'GET')) continue;
    return answer(mock, req, res, route, pathParamsOf(route, m), method === 'HEAD');
  }
  if (pathMatched) sendJson(res, 405, { error: `method ${method} is not declared for ${pathname}` });
  else sendJson(res, 404, { error: `no operation matches ${method} ${pathname}` });
}

/** The path parameters a route's match captured, percent-decoded where they decode. */
function pathParamsOf(route: Route, m: RegExpExecArray): Record<string, string> {
  const pathParams: Record<string, string> = {};
  route.names.forEach((name, i) => {
    const raw = m[i + 1] ?? '';
    let value = raw;
    try {
      value = decodeURIComponent(raw);
    } catch {
      // keep the raw text
    }
    setOwn(pathParams, name, value);
  });
  return pathParams;
}

/** The scripted or generated answer of the route's operation, after its delay. */
async function answer(
  mock: MockState,
  req: IncomingMessage,
  res: ServerResponse,
  route: Route,
  pathParams: Record<string, string>,
  head: boolean,
): Promise<void> {
  const built = buildAnswer(route.operation, {
    expectedStatus: preferredStatus(req),
    pathParams,
    scripted: mock.cursor.next(route.operation),
    seed: mock.seed,
    callKey: mock.counter.key(route.operation),
    spec: route.spec,
  });
  await delay(built.delayMs, mock.closing.signal);
  const bytes = bodyBytes(built);
  res.writeHead(built.statusCode, { ...built.headers, 'content-length': bytes.byteLength });
  res.end(head ? undefined : bytes);
}
