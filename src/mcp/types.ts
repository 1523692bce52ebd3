/** Public shapes of `arazzo-runtime/mcp`: workflows served as Model Context Protocol tools. */
import type { JsonObject } from '../document/model.js';
import type { RunOptions } from '../engine/options.js';
import type { AuthValues } from '../engine/types.js';
import type { LoadedDocument, LoadOptions } from '../sources/types.js';

/** A JSON Schema as sent to MCP clients (`inputSchema`, `outputSchema`). */
export type ToolSchema = JsonObject & { type: 'object' };

/** One workflow served as one tool. */
export interface McpToolInfo {
  /** The tool name: the workflowId made valid (`[A-Za-z0-9_-]`, at most 64), prefixed by the document on a collision. */
  name: string;
  workflowId: string;
  /** The document the workflow belongs to (its URL as loaded). */
  documentUrl: string;
  title: string;
  description: string;
  /** The workflow's inputs, references resolved, server inputs left out. */
  inputSchema: ToolSchema;
  /** The workflow's outputs, typed from OpenAPI response schemas where the expression points into one. */
  outputSchema: ToolSchema;
  /** Inputs the server fills from its own configuration; the model never sees or sets them. */
  serverInputs: string[];
}

/** What one tool call asks of the run, for `runOptions` factories. */
export interface McpCall {
  tool: McpToolInfo;
  document: LoadedDocument;
}

export interface McpServerOptions {
  /**
   * Server-side input values by name. An input given here is filled by the server and left out of the
   * tool's schema, whatever its name. Default: none.
   * @example { inputs: { apiKey: process.env.COMPOSIO_API_KEY } }
   */
  inputs?: Record<string, unknown>;
  /**
   * Input names the server fills (besides `format: password` / `writeOnly` / `x-secret` inputs and inputs
   * that feed a security scheme). Default: none.
   * @example { serverInputs: ['tenantId'] }
   */
  serverInputs?: string[];
  /**
   * Credentials by security scheme name, for every run; an input that feeds a scheme without a value of
   * its own takes the scheme's. Default: none.
   * @example { auth: { ApiKeyAuth: 'sk_live_...' } }
   */
  auth?: AuthValues;
  /**
   * Where server inputs with no value in `inputs` are looked up, as `ARAZZO_INPUT_<name>`.
   * Default: process.env.
   * @example { env: { ARAZZO_INPUT_apiKey: 'sk_...' } }
   */
  env?: Record<string, string | undefined>;
  /**
   * Options of every run, or a factory called once per tool call (mock mode needs a fresh transport per
   * run). `workflowId`, `signal` and `onEvent` are set per call; a `signal` given here is honoured too.
   * Default: none.
   * @example { runOptions: { servers: { composioApi: 'http://127.0.0.1:4010' }, maxRetryDelayMs: 5000 } }
   */
  runOptions?: RunOptions | ((call: McpCall) => RunOptions);
  /** How string/URL documents are loaded. Default: loadArazzo's defaults. */
  load?: LoadOptions;
  /** Name and version the server announces. Default: `arazzo-runtime` and the package version. */
  serverInfo?: { name: string; version: string };
  /** Extra secret strings masked in every message the server sends. Default: none. */
  secrets?: string[];
}
