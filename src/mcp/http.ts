/** The MCP Streamable HTTP transport on a loopback port: one SDK server per session, at `/mcp`. */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { ArazzoMcpServer } from './server.js';

export interface McpHttpOptions {
  /** Default: 0 (a free port; read it back from `url`). */
  port?: number;
  /** Default: '127.0.0.1'. Anything else exposes the tools (and the server's credentials) to the network. */
  host?: string;
  /**
   * A session with no request in flight for this long is closed (clients rarely end their sessions).
   * Default: 600000 (10 minutes).
   * @example { idleSessionMs: 60_000 }
   */
  idleSessionMs?: number;
}

export interface McpHttpServer {
  /** e.g. `http://127.0.0.1:3000/mcp` */
  url: string;
  close(): Promise<void>;
}

const PATH = '/mcp';

function reject(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message }, id: null }));
}

type HttpTransportClass = typeof StreamableHTTPServerTransport;

/** The open sessions of one listener, and what was last seen of each. */
interface Sessions {
  mcp: ArazzoMcpServer;
  HttpTransport: HttpTransportClass;
  byId: Map<string, StreamableHTTPServerTransport>;
  /** Requests in flight and the time the last one ended, per session. */
  activity: Map<string, { inFlight: number; lastSeen: number }>;
  /** Host headers accepted (DNS rebinding protection); filled once the port is known. */
  allowedHosts: string[];
  idleMs: number;
}

/**
 * Listen for MCP clients over Streamable HTTP. Sessions are kept so that a client's cancellation (a
 * separate POST) reaches the server running its call; requests naming an unknown session get 404.
 */
export async function serveMcpHttp(
  mcp: ArazzoMcpServer,
  options: McpHttpOptions = {},
): Promise<McpHttpServer> {
  const { StreamableHTTPServerTransport: HttpTransport } = await import(
    '@modelcontextprotocol/sdk/server/streamableHttp.js'
  );
  const sessions: Sessions = {
    mcp,
    HttpTransport,
    byId: new Map(),
    activity: new Map(),
    allowedHosts: [],
    idleMs: options.idleSessionMs ?? 600_000,
  };
  const sweep = setInterval(() => closeIdle(sessions), Math.max(1000, Math.min(sessions.idleMs, 60_000)));
  sweep.unref();
  const server = createServer((req, res) => {
    handle(sessions, req, res).catch((error: unknown) => {
      if (!res.headersSent) reject(res, 500, error instanceof Error ? error.message : String(error));
      else res.end();
    });
  });
  const host = options.host ?? '127.0.0.1';
  const port = await listen(server, options.port ?? 0, host);
  const shown = host.includes(':') ? `[${host}]` : host;
  sessions.allowedHosts.push(`${shown}:${port}`, `localhost:${port}`);
  return {
    url: `http://${shown}:${port}${PATH}`,
    async close() {
      clearInterval(sweep);
      await Promise.all([...sessions.byId.values()].map((t) => t.close().catch(() => {})));
      sessions.byId.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Listen on `host:port`; the port (a free one when 0). */
async function listen(server: Server, port: number, host: string): Promise<number> {
  await new Promise<void>((resolve, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => {
      server.off('error', fail);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}

/** A request to `/mcp`: to its session, or (without a session id) the start of a new one. */
async function handle(sessions: Sessions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (new URL(req.url ?? '/', 'http://localhost').pathname !== PATH)
    return reject(res, 404, `not found; the MCP endpoint is ${PATH}`);
  const sessionId = req.headers['mcp-session-id'];
  const known = typeof sessionId === 'string' ? sessions.byId.get(sessionId) : undefined;
  if (known !== undefined) {
    track(sessions, sessionId as string, req, res);
    return known.handleRequest(req, res);
  }
  if (sessionId !== undefined) return reject(res, 404, 'unknown session');
  return openSession(sessions, req, res);
}

/** A new session: its own transport connected to the MCP server, kept once the SDK names it. */
async function openSession(sessions: Sessions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const transport: StreamableHTTPServerTransport = new sessions.HttpTransport({
    sessionIdGenerator: () => randomUUID(),
    onsessioninitialized: (id) => {
      sessions.byId.set(id, transport);
      track(sessions, id, req, res);
    },
    // A web page must not reach a loopback server through a DNS name it controls.
    enableDnsRebindingProtection: true,
    allowedHosts: sessions.allowedHosts,
  });
  transport.onclose = () => {
    if (transport.sessionId === undefined) return;
    sessions.byId.delete(transport.sessionId);
    sessions.activity.delete(transport.sessionId);
  };
  await sessions.mcp.connect(transport);
  await transport.handleRequest(req, res);
}

/** A POST is a call in flight until answered; a GET (the client's listening stream) only counts as seen. */
function track(sessions: Sessions, id: string, req: IncomingMessage, res: ServerResponse): void {
  const a = sessions.activity.get(id) ?? { inFlight: 0, lastSeen: Date.now() };
  sessions.activity.set(id, a);
  a.lastSeen = Date.now();
  if (req.method !== 'POST') return;
  a.inFlight += 1;
  res.once('close', () => {
    a.inFlight -= 1;
    a.lastSeen = Date.now();
  });
}

/** Close the sessions with nothing in flight and nothing seen for `idleMs`. */
function closeIdle(sessions: Sessions): void {
  const now = Date.now();
  for (const [id, a] of sessions.activity) {
    if (a.inFlight > 0 || now - a.lastSeen < sessions.idleMs) continue;
    sessions.activity.delete(id);
    sessions.byId
      .get(id)
      ?.close()
      .catch(() => {});
  }
}
