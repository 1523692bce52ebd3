// Arazzo 1.1.0 "Selector Object" and "Expression Type Object": select a value from structured data.
import { evaluateExpression, isUnresolved, selectPointer, unresolved } from '../expression/index.js';
import type { ExpressionScope } from '../expression/types.js';
import { type JsonPathVersion, jsonPathToPointer, runJsonPath } from './jsonpath.js';
import { selectXPath, XPATH_VERSIONS } from './xpath.js';

/** A Selector Object as written in a document (criteria/ does not import document/, hence its own shape). */
export interface SelectorInput {
  context: string;
  selector: string;
  type: string | { type: string; version?: string };
}

export type SelectorKind =
  | { kind: 'jsonpath'; version: JsonPathVersion }
  | { kind: 'xpath'; version: string }
  | { kind: 'jsonpointer' }
  | { kind: 'invalid'; reason: string };

const JSONPATH_VERSIONS: readonly string[] = ['rfc9535', 'draft-goessner-dispatch-jsonpath-00'];

/**
 * The selector type and version; the type's default version when none is given (a bare string, or an
 * Expression Type Object without `version`).
 */
export function selectorKind(type: SelectorInput['type']): SelectorKind {
  const name = typeof type === 'string' ? type : type.type;
  const version = typeof type === 'string' ? undefined : type.version;
  if (name === 'jsonpath') {
    if (version === undefined) return { kind: 'jsonpath', version: 'rfc9535' };
    if (JSONPATH_VERSIONS.includes(version)) return { kind: 'jsonpath', version: version as JsonPathVersion };
    return {
      kind: 'invalid',
      reason: `unknown JSONPath version "${version}"; expected one of ${JSONPATH_VERSIONS.join(', ')}`,
    };
  }
  if (name === 'xpath') {
    if (version === undefined) return { kind: 'xpath', version: 'xpath-31' };
    if (XPATH_VERSIONS.includes(version)) return { kind: 'xpath', version };
    return {
      kind: 'invalid',
      reason: `unknown XPath version "${version}"; expected one of ${XPATH_VERSIONS.join(', ')}`,
    };
  }
  if (name === 'jsonpointer') {
    if (version === undefined || version === 'rfc6901') return { kind: 'jsonpointer' };
    return { kind: 'invalid', reason: `unknown JSON Pointer version "${version}"; expected rfc6901` };
  }
  return {
    kind: 'invalid',
    reason: `unknown selector type "${String(name)}"; expected jsonpath, xpath or jsonpointer`,
  };
}

/** JSON text stored as a string (an unparsed body or output) is parsed so selectors see structure. */
function structured(value: unknown): unknown {
  const text = value instanceof Uint8Array ? new TextDecoder().decode(value) : value;
  if (typeof text !== 'string') return value;
  const t = text.trimStart();
  if (t[0] !== '{' && t[0] !== '[') return value;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return value;
  }
}

/**
 * Evaluate a Selector Object. Never throws: a context that does not resolve, a bad selector or no match
 * gives an Unresolved with the reason. Results (README "Semantics"): JSON Pointer -> the value at the
 * pointer; JSONPath singular query (names and indices only) -> the one node; any other JSONPath query ->
 * the array of every node (possibly empty); XPath -> the one item, or an array when several match.
 * XPath nodes become their string value, or their XML text when they have element children.
 * @example evaluateSelector({ context: '$response.body', selector: '$.user.id', type: 'jsonpath' }, scope)
 */
export function evaluateSelector(sel: SelectorInput, scope: ExpressionScope): unknown {
  const label = `selector "${sel.selector}" (${typeof sel.type === 'string' ? sel.type : sel.type.type})`;
  const kind = selectorKind(sel.type);
  if (kind.kind === 'invalid') return unresolved(`${label}: ${kind.reason}`);
  let context: unknown;
  try {
    context = evaluateExpression(sel.context, scope);
  } catch (err) {
    return unresolved(`${label}: context ${(err as Error).message}`);
  }
  if (isUnresolved(context)) return unresolved(`${label}: ${context.reason}`);
  if (context === null || context === undefined)
    return unresolved(`${label}: context ${sel.context} is null`);
  try {
    if (kind.kind === 'jsonpointer') {
      const v = selectPointer(structured(context), sel.selector);
      return isUnresolved(v) ? unresolved(`${label}: ${v.reason}`) : v;
    }
    if (kind.kind === 'jsonpath') {
      const nodes = runJsonPath(kind.version, sel.selector, structured(context)).nodes;
      if (jsonPathToPointer(sel.selector) === undefined) return nodes;
      return nodes.length === 0 ? unresolved(`${label}: selects nothing`) : nodes[0];
    }
    const xml = context instanceof Uint8Array ? new TextDecoder().decode(context) : context;
    if (typeof xml !== 'string') return unresolved(`${label}: context ${sel.context} is not XML text`);
    const items = selectXPath(sel.selector, xml, kind.version);
    if (items.length === 0) return unresolved(`${label}: selects nothing`);
    return items.length === 1 ? items[0] : items;
  } catch (err) {
    return unresolved(`${label}: ${(err as Error).message}`);
  }
}
