// Arazzo 1.0.1 "Parameter Object" with OpenAPI "Security Scheme Object": the inputs a workflow sends as
// credentials. Their values are declared secrets from the start of a run (issue: a value sent through a
// security scheme is a secret), and the MCP server keeps them out of a model's reach.
import type { ArazzoDocument, ParameterObject, ReusableObject, WorkflowObject } from '../document/model.js';
import { looksLikeCredential } from '../secrets/index.js';
import { resolveStepTarget } from '../sources/index.js';
import type { LoadedDocument } from '../sources/types.js';

const INPUT_REF = /\$inputs\.([A-Za-z0-9_.-]+)/g;

function inputsIn(value: unknown): string[] {
  if (typeof value === 'string') return [...value.matchAll(INPUT_REF)].map((m) => m[1]!);
  if (value === null || typeof value !== 'object') return [];
  return (Array.isArray(value) ? value : Object.values(value)).flatMap(inputsIn);
}

function parameterOf(
  p: ParameterObject | ReusableObject,
  document: ArazzoDocument,
): ParameterObject | undefined {
  if (!('reference' in p)) return p;
  const m = /^\$components\.parameters\.(.+)$/.exec(p.reference);
  const table = document.components?.parameters;
  const found = m && table && Object.hasOwn(table, m[1]!) ? table[m[1]!] : undefined;
  if (found === undefined) return undefined;
  return p.value !== undefined ? { ...found, value: p.value } : found;
}

/** Computed once per document and workflow: the walk resolves every step's target. */
const cache = new WeakMap<LoadedDocument, WeakMap<WorkflowObject, Map<string, string[]>>>();

/**
 * Inputs whose value goes into a credential: a parameter of a security scheme the operation declares
 * (apiKey by name and location; `Authorization` for http schemes) or a header that is a credential by its
 * name. Returns each such input with the schemes it feeds (possibly none).
 * @example credentialInputs(loaded, workflow) // Map { 'apiKey' => ['ApiKeyAuth'] }
 */
export function credentialInputs(loaded: LoadedDocument, workflow: WorkflowObject): Map<string, string[]> {
  let perWorkflow = cache.get(loaded);
  if (perWorkflow === undefined) {
    perWorkflow = new WeakMap();
    cache.set(loaded, perWorkflow);
  }
  const known = perWorkflow.get(workflow);
  if (known !== undefined) return known;
  const found = new Map<string, string[]>();
  const workflowIndex = loaded.document.workflows.indexOf(workflow);
  workflow.steps.forEach((step, stepIndex) => {
    const target = resolveStepTarget(loaded, step, `/workflows/${workflowIndex}/steps/${stepIndex}`);
    const schemes = 'kind' in target && target.kind === 'operation' ? target.operation.securitySchemes : {};
    for (const raw of [...(workflow.parameters ?? []), ...(step.parameters ?? [])]) {
      const p = parameterOf(raw, loaded.document);
      if (p === undefined) continue;
      const names = inputsIn(p.value);
      if (names.length === 0) continue;
      const fed = Object.entries(schemes)
        .filter(([, s]) =>
          s.type === 'apiKey'
            ? s.in === p.in &&
              (p.in === 'header' ? s.name.toLowerCase() === p.name.toLowerCase() : s.name === p.name)
            : s.type === 'http' && p.in === 'header' && p.name.toLowerCase() === 'authorization',
        )
        .map(([name]) => name);
      if (fed.length === 0 && !(p.in === 'header' && looksLikeCredential(p.name))) continue;
      for (const name of names) found.set(name, [...new Set([...(found.get(name) ?? []), ...fed])]);
    }
  });
  perWorkflow.set(workflow, found);
  return found;
}
