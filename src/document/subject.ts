// Arazzo 1.0.1 "Schema" section: names the object a diagnostic is about ("step \"x\"", "workflow \"w\"").
import { parsePointer, readPointer } from '../pointer.js';

const NAMED: Record<string, { label: string; idField: string }> = {
  workflows: { label: 'workflow', idField: 'workflowId' },
  steps: { label: 'step', idField: 'stepId' },
  sourceDescriptions: { label: 'source description', idField: 'name' },
  parameters: { label: 'parameter', idField: 'name' },
  onSuccess: { label: 'success action', idField: 'name' },
  successActions: { label: 'success action', idField: 'name' },
  onFailure: { label: 'failure action', idField: 'name' },
  failureActions: { label: 'failure action', idField: 'name' },
};

/** Own-property read that never walks the prototype chain. */
export function own(value: unknown, key: string | number): unknown {
  if (typeof value !== 'object' || value === null) return undefined;
  return Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined;
}

/**
 * "Subject" of a message for the node at `pointer`: the nearest enclosing named Arazzo object,
 * e.g. `step "pollConnection"`, `component parameter "page"`, or `document`.
 */
export function subjectLabel(root: unknown, pointer: string): string {
  const tokens = parsePointer(pointer) ?? [];
  let label = 'document';
  let node: unknown = root;
  for (let i = 0; i < tokens.length; i++) {
    const parent = tokens[i - 1];
    const grand = tokens[i - 2];
    const token = tokens[i]!;
    node = own(node, Array.isArray(node) ? Number(token) : token);
    if (grand === 'components' && parent !== undefined) {
      label = `component ${parent.replace(/s$/, '')} "${token}"`;
    } else if (
      parent !== undefined &&
      Array.isArray(own(readPointer(root, tokens.slice(0, i - 1)), parent))
    ) {
      const named = NAMED[parent];
      if (named !== undefined) {
        const id = own(node, named.idField);
        const kind = own(node, 'reference') !== undefined ? `${named.label} (reusable)` : named.label;
        label = typeof id === 'string' ? `${kind} "${id}"` : `${kind} ${token}`;
      }
    } else if (i === 0 && token === 'info') {
      label = 'info';
    } else if (i === 0 && token === 'components') {
      label = 'components';
    }
  }
  return label;
}
