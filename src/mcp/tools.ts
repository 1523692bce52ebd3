/**
 * One MCP tool per workflow: its name, description and input schema, and which inputs the server fills
 * (credentials the model must never see).
 */
import type { ArazzoDocument, JsonObject, JsonValue, WorkflowObject } from '../document/model.js';
import { credentialInputs } from '../engine/credential-inputs.js';
import { resolveInputsSchema } from '../engine/inputs.js';
import type { LoadedDocument } from '../sources/types.js';
import { workflowOutputSchema } from './output-schema.js';
import type { McpServerOptions, McpToolInfo, ToolSchema } from './types.js';

/** Clients (Claude among them) accept `^[A-Za-z0-9_-]{1,64}$`; the MCP spec allows a superset. */
const MAX_NAME = 64;

function asObject(value: JsonValue | undefined): JsonObject | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : undefined;
}

function validName(raw: string): string {
  const name = raw.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, MAX_NAME);
  return name === '' ? 'workflow' : name;
}

/** The document's file name without its extensions, e.g. `composio` for `.../composio.arazzo.yaml`. */
function documentPrefix(url: string): string {
  const base = decodeURIComponent(url.split(/[?#]/)[0]!.split('/').pop() ?? '');
  return validName(base.replace(/(\.arazzo)?\.(ya?ml|json)$/i, '') || 'doc');
}

/**
 * Tool names: the workflowId made valid; names two workflows share get their document's prefix, and a
 * number if they still collide (the same file served twice). Stable for the same documents in the same order.
 */
export function toolNames(entries: ReadonlyArray<{ workflowId: string; documentUrl: string }>): string[] {
  const plain = entries.map((e) => validName(e.workflowId));
  const counts = new Map<string, number>();
  for (const n of plain) counts.set(n, (counts.get(n) ?? 0) + 1);
  const taken = new Set<string>();
  return entries.map((e, i) => {
    const base =
      counts.get(plain[i]!) === 1 ? plain[i]! : validName(`${documentPrefix(e.documentUrl)}_${e.workflowId}`);
    let name = base;
    for (let n = 2; taken.has(name); n++) name = `${base.slice(0, MAX_NAME - String(n).length - 1)}_${n}`;
    taken.add(name);
    return name;
  });
}

/** The schema with every `$ref: '#/components/inputs/x'` inlined, at any depth (the client cannot resolve them). */
function inlineInputRefs(value: JsonValue, document: ArazzoDocument, depth: number): JsonValue {
  if (depth > 32 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => inlineInputRefs(v, document, depth + 1));
  const resolved = resolveInputsSchema(value, document);
  const out: JsonObject = {};
  for (const [key, v] of Object.entries(resolved)) out[key] = inlineInputRefs(v, document, depth + 1);
  return out;
}

/** The workflow's inputs as a tool input schema, references resolved, server inputs left out. */
export function toolInputSchema(
  document: ArazzoDocument,
  workflow: WorkflowObject,
  serverInputs: ReadonlySet<string>,
): ToolSchema {
  const schema =
    workflow.inputs === undefined ? {} : (asObject(inlineInputRefs(workflow.inputs, document, 0)) ?? {});
  const properties: JsonObject = {};
  for (const [name, prop] of Object.entries(asObject(schema.properties) ?? {})) {
    if (!serverInputs.has(name)) properties[name] = prop;
  }
  const required = Array.isArray(schema.required)
    ? schema.required.filter((n): n is string => typeof n === 'string' && !serverInputs.has(n))
    : [];
  const out: ToolSchema = { ...schema, type: 'object', properties };
  if (required.length > 0) out.required = required;
  else delete out.required;
  return out;
}

/** Inputs the server fills: marked secret in the schema, feeding a credential, listed, or given a value. */
function serverInputsOf(
  loaded: LoadedDocument,
  workflow: WorkflowObject,
  options: McpServerOptions,
): { names: Set<string>; secret: Set<string>; schemes: Map<string, string[]> } {
  const schema =
    workflow.inputs === undefined
      ? {}
      : (asObject(inlineInputRefs(workflow.inputs, loaded.document, 0)) ?? {});
  const schemes = credentialInputs(loaded, workflow);
  const names = new Set<string>();
  const secret = new Set<string>();
  for (const [name, raw] of Object.entries(asObject(schema.properties) ?? {})) {
    const prop = asObject(raw) ?? {};
    const marked = prop.format === 'password' || prop.writeOnly === true || prop['x-secret'] === true;
    const listed = (options.serverInputs ?? []).includes(name);
    const configured = options.inputs !== undefined && Object.hasOwn(options.inputs, name);
    if (marked || listed || configured || schemes.has(name)) names.add(name);
    if (marked || listed) secret.add(name);
  }
  return { names, secret, schemes };
}

/** A prepared tool: what clients see, and what a call needs. */
export interface PreparedTool {
  info: McpToolInfo;
  loaded: LoadedDocument;
  /** Server inputs with the security schemes each one feeds. */
  schemes: Map<string, string[]>;
  /** Server inputs that are secrets by their schema or by being listed in `serverInputs`. */
  secretInputs: Set<string>;
}

/** Every workflow of every document as a tool. */
export function prepareTools(
  documents: readonly LoadedDocument[],
  options: McpServerOptions,
): PreparedTool[] {
  const entries = documents.flatMap((loaded) =>
    loaded.document.workflows.map((workflow) => ({
      loaded,
      workflow,
      workflowId: workflow.workflowId,
      documentUrl: loaded.url,
    })),
  );
  const names = toolNames(entries);
  return entries.map(({ loaded, workflow }, i) => {
    const { names: serverInputs, secret, schemes } = serverInputsOf(loaded, workflow, options);
    const description =
      [workflow.summary, workflow.description]
        .filter((s): s is string => typeof s === 'string' && s.trim() !== '')
        .join('\n\n') ||
      `Runs the Arazzo workflow "${workflow.workflowId}" of "${loaded.document.info.title}".`;
    return {
      info: {
        name: names[i]!,
        workflowId: workflow.workflowId,
        documentUrl: loaded.url,
        title: workflow.summary ?? workflow.workflowId,
        description,
        inputSchema: toolInputSchema(loaded.document, workflow, serverInputs),
        outputSchema: workflowOutputSchema(loaded, workflow),
        serverInputs: [...serverInputs],
      },
      loaded,
      schemes,
      secretInputs: secret,
    };
  });
}
