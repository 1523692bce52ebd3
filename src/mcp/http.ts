/** The MCP Streamable HTTP transport on a loopback port: one SDK server per session, at `/mcp`. */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
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
  const sessions = new Map<string, StreamableHTTPServerTransport>();
  /** Requests in flight and the time the last one ended, per session. */
  const activity = new Map<string, { inFlight: number; lastSeen: number }>();
  const allowedHosts: string[] = [];
  const idleMs = options.idleSessionMs ?? 600_000;

  /** A POST is a call in flight until answered; a GET (the client's listening stream) only counts as seen. */
  function track(id: string, req: IncomingMessage, res: ServerResponse): void {
    const a = activity.get(id) ?? { inFlight: 0, lastSeen: Date.now() };
    activity.set(id, a);
    a.lastSeen = Date.now();
    if (req.method !== 'POST') return;
    a.inFlight += 1;
    res.once('close', () => {
      a.inFlight -= 1;
      a.lastSeen = Date.now();
    });
  }

  const sweep = setInterval(
    () => {
      const now = Date.now();
      for (const [id, a] of activity) {
        if (a.inFlight > 0 || now - a.lastSeen < idleMs) continue;
        activity.delete(id);
        sessions
          .get(id)
          ?.close()
          .catch(() => {});
      }
    },
    Math.max(1000, Math.min(idleMs, 60_000)),
  );
  sweep.unref();

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (new URL(req.url ?? '/', 'http://localhost').pathname !== PATH)
      return reject(res, 404, `not found; the MCP endpoint is ${PATH}`);
    const sessionId = req.headers['mcp-session-id'];
    const known = typeof sessionId === 'string' ? sessions.get(sessionId) : undefined;
    if (known !== undefined) {
      track(sessionId as string, req, res);
      return known.handleRequest(req, res);
    }
    if (sessionId !== undefined) return reject(res, 404, 'unknown session');
    const transport: StreamableHTTPServerTransport = new HttpTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => {
        sessions.set(id, transport);
        track(id, req, res);
      },
      // A web page must not reach a loopback server through a DNS name it controls.
      enableDnsRebindingProtection: true,
      allowedHosts,
    });
    transport.onclose = () => {
      if (transport.sessionId === undefined) return;
      sessions.delete(transport.sessionId);
      activity.delete(transport.sessionId);
    };
    await mcp.connect(transport);
    await transport.handleRequest(req, res);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) reject(res, 500, error instanceof Error ? error.message : String(error));
      else res.end();
    });
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', fail);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const shown = host.includes(':') ? `[${host}]` : host;
  allowedHosts.push(`${shown}:${port}`, `localhost:${port}`);
  return {
    url: `http://${shown}:${port}${PATH}`,
    async close() {
      clearInterval(sweep);
      await Promise.all([...sessions.values()].map((t) => t.close().catch(() => {})));
      sessions.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
