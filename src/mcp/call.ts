/** One tool call: server inputs filled in, the workflow run, the RunResult turned into a tool result. */
import { resolveInputsSchema } from '../engine/inputs.js';
import type { RunOptions } from '../engine/options.js';
import { runWorkflow } from '../engine/run.js';
import type { AuthValues, RunEvent, RunResult, StepRecord } from '../engine/types.js';
import type { PreparedTool } from './tools.js';
import type { McpServerOptions } from './types.js';

/** The subset of the MCP CallToolResult this server produces. */
export interface ToolResult {
  [key: string]: unknown;
  content: Array<{ type: 'text'; text: string }>;
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
}

export interface CallContext {
  /** Aborted when the client cancels the request (or the connection closes). */
  signal: AbortSignal;
  /** Set when the client asked for progress: one notification per step attempt and per retry wait. */
  progress?: (message: string) => void;
}

/** Values of a tool's server inputs, and the required ones that have none. */
export interface ServerValues {
  values: Record<string, unknown>;
  missing: string[];
}

const ENV_PREFIX = 'ARAZZO_INPUT_';
/** Text results stay short: the structured content holds the data. */
const MAX_TEXT_JSON = 2000;

function schemeValue(auth: AuthValues | undefined, scheme: string): string | undefined {
  const value = auth?.[scheme];
  if (typeof value === 'string') return value;
  if (value !== undefined && 'token' in value) return value.token;
  if (value !== undefined && 'value' in value) return value.value;
  return undefined;
}

/** Where each server input comes from: `inputs`, then the scheme it feeds in `auth`, then `ARAZZO_INPUT_<name>`. */
export function serverValues(tool: PreparedTool, options: McpServerOptions): ServerValues {
  const env = options.env ?? process.env;
  const values: Record<string, unknown> = {};
  for (const name of tool.info.serverInputs) {
    const given =
      options.inputs !== undefined && Object.hasOwn(options.inputs, name) ? options.inputs[name] : undefined;
    const fromAuth = (tool.schemes.get(name) ?? [])
      .map((s) => schemeValue(options.auth, s))
      .find((v) => v !== undefined);
    const value = given ?? fromAuth ?? env[`${ENV_PREFIX}${name}`];
    if (value !== undefined) values[name] = value;
  }
  const workflow = tool.loaded.document.workflows.find((w) => w.workflowId === tool.info.workflowId);
  const schema =
    workflow?.inputs === undefined ? {} : resolveInputsSchema(workflow.inputs, tool.loaded.document);
  const requiredNames = new Set(
    Array.isArray(schema.required) ? schema.required.filter((n): n is string => typeof n === 'string') : [],
  );
  const missing = tool.info.serverInputs.filter((n) => requiredNames.has(n) && !(n in values));
  return { values, missing };
}

function text(message: string, isError = false): ToolResult {
  return isError
    ? { content: [{ type: 'text', text: message }], isError: true }
    : { content: [{ type: 'text', text: message }] };
}

function shortJson(value: unknown): string {
  const json = JSON.stringify(value) ?? 'null';
  return json.length <= MAX_TEXT_JSON ? json : `${json.slice(0, MAX_TEXT_JSON)}… (truncated)`;
}

function progressMessage(event: RunEvent): string | undefined {
  if (event.type === 'step-start') {
    const again = event.attempt > 1 ? ` (attempt ${event.attempt})` : '';
    return `step "${event.stepId}"${again}${event.operation !== undefined ? `: ${event.operation}` : ''}`;
  }
  if (event.type === 'retry-wait') {
    return `waiting ${event.delayMs} ms before retrying step "${event.stepId}": ${event.reason}`;
  }
  return undefined;
}

/** What the agent needs to act on a failure: the step, the criteria that did not hold, the response. */
export function describeFailure(result: RunResult): string {
  const error = result.error;
  const stepId = error?.stepId;
  const record: StepRecord | undefined = [...result.steps]
    .reverse()
    .find((s) => s.stepId === stepId && s.outcome === 'failed');
  const lines = [
    `workflow "${result.workflowId}" failed${stepId !== undefined ? ` at step "${stepId}"` : ''}${record !== undefined ? ` (attempt ${record.attempt})` : ''}: ${error?.code ?? 'FAILED'}: ${error?.message ?? 'no reason given'}`,
  ];
  for (const c of record?.criteria ?? []) {
    if (!c.passed)
      lines.push(`criterion not met: ${c.condition}${c.reason !== undefined ? ` (${c.reason})` : ''}`);
  }
  if (record?.error !== undefined) lines.push(`error: ${record.error.code}: ${record.error.message}`);
  if (record?.response !== undefined) {
    const body = record.response.body === undefined ? '' : `, body ${shortJson(record.response.body)}`;
    lines.push(`response: HTTP ${record.response.statusCode}${body}`);
  }
  return lines.join('\n');
}

function baseOptions(tool: PreparedTool, options: McpServerOptions): RunOptions {
  const given = options.runOptions;
  return typeof given === 'function' ? given({ tool: tool.info, document: tool.loaded }) : (given ?? {});
}

/** Run the tool's workflow. Never rejects: a failure of any kind is an `isError` result. */
export async function callTool(
  tool: PreparedTool,
  args: Record<string, unknown> | undefined,
  server: ServerValues,
  options: McpServerOptions,
  ctx: CallContext,
): Promise<ToolResult> {
  if (server.missing.length > 0) {
    const names = server.missing.join(', ');
    return text(
      `tool "${tool.info.name}" cannot run: the server has no value for ${names} (give the server --input <name>=env:VAR or ARAZZO_INPUT_<name>)`,
      true,
    );
  }
  // The model may not set what the server fills (it could otherwise swap in its own credentials).
  const inputs: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(args ?? {})) {
    if (!tool.info.serverInputs.includes(name)) inputs[name] = value;
  }
  Object.assign(inputs, server.values);

  const base = baseOptions(tool, options);
  const signal = base.signal !== undefined ? AbortSignal.any([base.signal, ctx.signal]) : ctx.signal;
  const auth = base.auth ?? options.auth;
  const progress = ctx.progress;
  const listener = base.onEvent;
  let result: RunResult;
  try {
    result = await runWorkflow(tool.loaded, inputs, {
      ...base,
      ...(auth !== undefined ? { auth } : {}),
      workflowId: tool.info.workflowId,
      signal,
      secrets: [...(base.secrets ?? []), ...(options.secrets ?? [])],
      ...(progress !== undefined || listener !== undefined
        ? {
            onEvent: (event: RunEvent) => {
              listener?.(event);
              const message = progress !== undefined ? progressMessage(event) : undefined;
              if (message !== undefined) progress?.(message);
            },
          }
        : {}),
    });
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const why = error instanceof Error ? error.message : String(error);
    return text(
      `tool "${tool.info.name}" could not run: ${typeof code === 'string' ? `${code}: ` : ''}${why}`,
      true,
    );
  }
  if (result.status !== 'succeeded') return text(describeFailure(result), true);
  const steps = result.steps.length;
  return {
    content: [
      {
        type: 'text',
        text: `workflow "${result.workflowId}" succeeded (${steps} step${steps === 1 ? '' : 's'}, ${Math.round(result.durationMs)} ms); outputs: ${shortJson(result.outputs)}`,
      },
    ],
    structuredContent: result.outputs,
  };
}
