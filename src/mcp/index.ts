/**
 * `arazzo-runtime/mcp`: Arazzo workflows as Model Context Protocol tools for AI agents. Needs the optional
 * peer dependencies `@modelcontextprotocol/sdk` and `zod`.
 *
 * @example
 * import { createMcpServer } from 'arazzo-runtime/mcp';
 * import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
 * const mcp = await createMcpServer(['./flows/onboarding.arazzo.yaml'], { inputs: { apiKey: process.env.API_KEY } });
 * await mcp.connect(new StdioServerTransport());
 */
export { describeFailure } from './call.js';
export { type McpHttpOptions, type McpHttpServer, serveMcpHttp } from './http.js';
export { type ArazzoMcpServer, createMcpServer, MISSING_SDK } from './server.js';
export { toolNames } from './tools.js';
export type { McpCall, McpServerOptions, McpToolInfo, ToolSchema } from './types.js';
