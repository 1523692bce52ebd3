/**
 * Arazzo workflows as Model Context Protocol tools, on the official TypeScript SDK. The SDK (an optional
 * peer dependency) is imported when a server is created, never by `arazzo-runtime` itself.
 */
import { readFile } from 'node:fs/promises';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { OptionsError } from '../errors.js';
import { loadArazzo } from '../sources/index.js';
import type { LoadedDocument } from '../sources/types.js';
import { type CallContext, callTool, type ServerValues, serverValues } from './call.js';
import { maskTransport, messageMasker, secretValues } from './mask.js';
import { type PreparedTool, prepareTools } from './tools.js';
import type { McpServerOptions, McpToolInfo } from './types.js';

export const MISSING_SDK =
  'install @modelcontextprotocol/sdk and zod to use arazzo-runtime/mcp (npm install @modelcontextprotocol/sdk zod)';

type Sdk = {
  Server: typeof import('@modelcontextprotocol/sdk/server/index.js').Server;
  types: typeof import('@modelcontextprotocol/sdk/types.js');
};

let sdkLoading: Promise<Sdk> | undefined;

/** The SDK, imported once per process (a failed import is retried on the next call). */
export function loadSdk(): Promise<Sdk> {
  sdkLoading ??= Promise.all([
    import('@modelcontextprotocol/sdk/server/index.js'),
    import('@modelcontextprotocol/sdk/types.js'),
  ]).then(
    ([server, types]) => ({ Server: server.Server, types }),
    (error: unknown) => {
      sdkLoading = undefined;
      const reason = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
      throw new OptionsError(`mcp: ${MISSING_SDK}: ${reason}`, { cause: error });
    },
  );
  return sdkLoading;
}

export interface ArazzoMcpServer {
  /** The tools served, one per workflow, in document order. */
  readonly tools: readonly McpToolInfo[];
  /** Required server inputs without a value, by tool name (such a tool answers every call with an error). */
  readonly unconfigured: ReadonlyMap<string, string[]>;
  /**
   * A new SDK Server connected to `transport` (one per stdio pipe or HTTP session); every message it sends
   * is masked first. Calls on different connections, and concurrent calls on one, share nothing.
   */
  connect(transport: Transport): Promise<Server>;
}

async function defaultServerInfo(): Promise<{ name: string; version: string }> {
  try {
    // src/mcp/ and dist/mcp/ both sit two levels below the package root.
    const text = await readFile(new URL('../../package.json', import.meta.url), 'utf8');
    const version = (JSON.parse(text) as { version?: unknown }).version;
    return { name: 'arazzo-runtime', version: typeof version === 'string' ? version : '0.0.0' };
  } catch {
    return { name: 'arazzo-runtime', version: '0.0.0' };
  }
}

/**
 * Serve every workflow of `documents` as an MCP tool. Documents given as paths or URLs are loaded first: a
 * document that does not load rejects here (DocumentError with its diagnostics), not at the first call.
 *
 * @example
 * const mcp = await createMcpServer([composioSpec], { inputs: { apiKey: process.env.COMPOSIO_API_KEY } });
 * await mcp.connect(new StdioServerTransport());
 */
export async function createMcpServer(
  documents: ReadonlyArray<string | URL | LoadedDocument>,
  options: McpServerOptions = {},
): Promise<ArazzoMcpServer> {
  const sdk = await loadSdk();
  const loaded = await Promise.all(
    documents.map((d) => (typeof d === 'string' || d instanceof URL ? loadArazzo(d, options.load) : d)),
  );
  const tools = prepareTools(loaded, options);
  const byName = new Map<string, { tool: PreparedTool; server: ServerValues }>();
  for (const tool of tools) byName.set(tool.info.name, { tool, server: serverValues(tool, options) });
  const secrets = secretValues(
    [...byName.values()].map(({ tool, server }) => ({ tool, values: server.values })),
    options.auth,
    options.secrets ?? [],
  );
  const mask = messageMasker(secrets);
  const callOptions: McpServerOptions = { ...options, secrets };
  const info = options.serverInfo ?? (await defaultServerInfo());
  const listing = tools.map(({ info: t }) => ({
    name: t.name,
    title: t.title,
    description: t.description,
    inputSchema: t.inputSchema,
    outputSchema: t.outputSchema,
  }));
  const unconfigured = new Map<string, string[]>();
  for (const [name, { server }] of byName)
    if (server.missing.length > 0) unconfigured.set(name, server.missing);

  return {
    tools: tools.map((t) => t.info),
    unconfigured,
    async connect(transport) {
      const server = new sdk.Server(info, { capabilities: { tools: {} } });
      server.setRequestHandler(sdk.types.ListToolsRequestSchema, () => ({ tools: listing }));
      server.setRequestHandler(sdk.types.CallToolRequestSchema, async (request, extra) => {
        const entry = byName.get(request.params.name);
        if (entry === undefined) {
          return {
            content: [{ type: 'text', text: `unknown tool "${request.params.name}"` }],
            isError: true,
          };
        }
        const token = request.params._meta?.progressToken;
        const ctx: CallContext = { signal: extra.signal };
        const sending: Array<Promise<void>> = [];
        if (token !== undefined) {
          let progress = 0;
          ctx.progress = (message) => {
            progress += 1;
            // A notification that cannot be sent (the client went away) must not fail the run.
            sending.push(
              extra
                .sendNotification({
                  method: 'notifications/progress',
                  params: { progressToken: token, progress, message },
                })
                .catch(() => {}),
            );
          };
        }
        const result = await callTool(entry.tool, request.params.arguments, entry.server, callOptions, ctx);
        // Every progress notification goes out before the result: a client drops the ones that come after.
        await Promise.all(sending);
        return result;
      });
      await server.connect(maskTransport(transport, mask));
      return server;
    },
  };
}
