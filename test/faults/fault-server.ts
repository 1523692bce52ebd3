/** A loopback server whose routes misbehave on purpose: resets, hangs, trickles, huge bodies, redirects. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type FaultHandler = (req: IncomingMessage, res: ServerResponse, server: FaultServer) => void;

export interface FaultServer {
  url: string;
  /** Every request seen: method, url (with query) and headers. */
  received: Array<{ method: string; url: string; headers: Record<string, string | string[] | undefined> }>;
  /** Requests seen per path (without query). */
  count(path: string): number;
  /** Registers an interval so close() clears it. */
  track(timer: NodeJS.Timeout): void;
  close(): Promise<void>;
}

/**
 * Start a server; `routes` maps a path (without query) to a handler; a key ending in `/*` matches any last
 * segment. Unknown paths get 404 JSON.
 * Timers created by handlers are cleared on close so a trickling route cannot outlive the test.
 */
export async function startFaultServer(routes: Record<string, FaultHandler>): Promise<FaultServer> {
  const timers = new Set<NodeJS.Timeout>();
  const received: FaultServer['received'] = [];
  let self: FaultServer | undefined;
  const server: Server = createServer((req, res) => {
    received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    const path = (req.url ?? '').split('?')[0] ?? '';
    const handler = routes[path] ?? routes[path.replace(/\/[^/]*$/, '/*')];
    req.resume();
    if (handler === undefined) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ missing: path }));
      return;
    }
    handler(req, res, self!);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  self = {
    url: `http://127.0.0.1:${port}`,
    received,
    count: (p) => received.filter((r) => (r.url.split('?')[0] ?? '') === p).length,
    track: (t) => timers.add(t),
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearInterval(t);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return self;
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): FaultHandler {
  return (_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };
}

/** Answers the scripted handlers in order; the last one repeats. */
export function sequence(...handlers: FaultHandler[]): FaultHandler {
  let i = 0;
  return (req, res, s) => {
    const h = handlers[Math.min(i, handlers.length - 1)]!;
    i++;
    h(req, res, s);
  };
}

/** Headers, then one byte every `everyMs` forever (until the client goes away or the server closes). */
export function trickle(everyMs: number): FaultHandler {
  return (_req, res, s) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('{"ok":');
    const timer = setInterval(() => {
      if (res.destroyed) clearInterval(timer);
      else res.write(' ');
    }, everyMs);
    s.track(timer);
    res.on('close', () => clearInterval(timer));
  };
}

/** Headers and part of the body, then the socket is destroyed (a reset mid-body). */
export function resetMidBody(): FaultHandler {
  return (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
    res.write('{"ok":true,"pad":"');
    setTimeout(() => res.socket?.destroy(), 10);
  };
}

/** Accepts the request and never answers. */
export function hang(): FaultHandler {
  return () => undefined;
}

export function redirect(status: number, location: string | ((s: FaultServer) => string)): FaultHandler {
  return (_req, res, s) => {
    res.writeHead(status, { location: typeof location === 'string' ? location : location(s) });
    res.end();
  };
}
