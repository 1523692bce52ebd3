/** A loopback HTTP server that answers scripted responses and records every request it receives. */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ScriptedResponse {
  /** 'METHOD /path' (path without the query string). */
  route: string;
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** Raw body text sent as-is (overrides body). */
  raw?: string;
  delayMs?: number;
}

export interface ReceivedRequest {
  method: string;
  path: string;
  /** Raw query string without '?'. */
  query: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface ScriptedServer {
  url: string;
  received: ReceivedRequest[];
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * Responses are queued per route and consumed in order; the last one of a route repeats. A request to a
 * route with no script gets 599 so a test sees it.
 */
export async function startScriptedServer(script: ScriptedResponse[]): Promise<ScriptedServer> {
  const queues = new Map<string, ScriptedResponse[]>();
  for (const r of script) {
    const list = queues.get(r.route) ?? [];
    list.push(r);
    queues.set(r.route, list);
  }
  const received: ReceivedRequest[] = [];
  const server: Server = createServer(async (req, res) => {
    const body = await readBody(req);
    const [path = '', query = ''] = (req.url ?? '').split('?');
    received.push({ method: req.method ?? '', path, query, url: req.url ?? '', headers: req.headers, body });
    const queue = queues.get(`${req.method} ${path}`);
    const next = queue === undefined ? undefined : queue.length > 1 ? queue.shift() : queue[0];
    if (next === undefined) {
      res.writeHead(599, { 'content-type': 'text/plain' });
      res.end(`no scripted response for ${req.method} ${path}`);
      return;
    }
    if (next.delayMs) await new Promise((r) => setTimeout(r, next.delayMs));
    if (res.destroyed) return;
    const headers: Record<string, string> = { ...(next.headers ?? {}) };
    let text = next.raw ?? '';
    if (next.raw === undefined && next.body !== undefined) {
      text = typeof next.body === 'string' ? next.body : JSON.stringify(next.body);
      headers['content-type'] ??= typeof next.body === 'string' ? 'text/plain' : 'application/json';
    }
    res.writeHead(next.status ?? 200, headers);
    res.end(text);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
