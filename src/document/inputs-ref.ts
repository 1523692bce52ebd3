// Arazzo 1.1.0 "Resolving URI Fragments": `$ref` in workflow and component inputs (JSON Schema 2020-12) with
// JSON Pointer fragments (`#/components/inputs/x`) and plain-name fragments defined by `$anchor` (`#x`).
import { readPointer } from '../pointer.js';
import type { JsonObject } from './model.js';
import { own } from './subject.js';

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Depth-first search for a schema declaring `$anchor: name` (JSON Schema: plain-name fragment). */
function findAnchor(node: unknown, name: string, depth = 0): JsonObject | undefined {
  if (depth > 64 || typeof node !== 'object' || node === null) return undefined;
  if (isObject(node) && node.$anchor === name) return node;
  for (const child of Array.isArray(node) ? node : Object.values(node)) {
    const found = findAnchor(child, name, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * The schema a local `$ref` of an inputs schema names in `document`, or undefined. `#/...` is a JSON
 * Pointer into the document (URI-decoded first); `#name` is the schema whose `$anchor` is `name`, looked
 * for in `components.inputs` and then in every workflow's `inputs`. Other references (remote ones) are
 * not followed.
 */
export function resolveInputsRef(ref: string, document: unknown): JsonObject | undefined {
  if (!ref.startsWith('#')) return undefined;
  let fragment: string;
  try {
    fragment = decodeURIComponent(ref.slice(1));
  } catch {
    return undefined;
  }
  if (fragment === '' || fragment.startsWith('/')) {
    const node = readPointer(document, fragment);
    return isObject(node) ? node : undefined;
  }
  const inComponents = findAnchor(own(own(document, 'components'), 'inputs'), fragment);
  if (inComponents !== undefined) return inComponents;
  const workflows = own(document, 'workflows');
  for (const wf of Array.isArray(workflows) ? workflows : []) {
    const found = findAnchor(own(wf, 'inputs'), fragment);
    if (found !== undefined) return found;
  }
  return undefined;
}
