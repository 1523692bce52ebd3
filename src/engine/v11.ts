// Arazzo 1.1.0: what the engine does for 1.1 documents only (the document's `arazzo` major.minor selects it).
import { evaluateSelector, type JsonPathVersion, jsonPathPointers } from '../criteria/index.js';
import { type ArazzoDocument, isSelectorObject, type StepObject, specVersionOf } from '../document/model.js';
import type { ExpressionScope, ResolveValueOptions } from '../expression/index.js';
import { setOwn } from '../own.js';
import type { LoadedDocument } from '../sources/types.js';

/** True for a document read by the 1.1 rules (`arazzo: 1.1.x`); the patch number is ignored. */
export function isV11(doc: ArazzoDocument): boolean {
  return specVersionOf(doc) === '1.1';
}

/** The Selector Object evaluator for document values of a 1.1 document; undefined (objects are literals) for 1.0. */
export function objectEvaluator(
  doc: ArazzoDocument,
  scope: ExpressionScope,
): ResolveValueOptions['evaluateObject'] {
  if (!isV11(doc)) return undefined;
  return (value) => (isSelectorObject(value) ? evaluateSelector(value, scope) : undefined);
}

const selfUris = new WeakMap<LoadedDocument, string>();

/**
 * `$self` of a 1.1 document: its `$self` field resolved against the URL it was read from (RFC 3986), or that
 * URL when the field is absent (the retrieval URI is then the base URI, spec "Establishing the Base URI").
 */
export function selfUri(loaded: LoadedDocument): string {
  let uri = selfUris.get(loaded);
  if (uri === undefined) {
    const own = loaded.document.$self;
    uri = loaded.url;
    if (typeof own === 'string') {
      try {
        uri = new URL(own, loaded.url).href;
      } catch {
        uri = own;
      }
    }
    selfUris.set(loaded, uri);
  }
  return uri;
}

/**
 * `$sourceDescriptions.<name>.<reference>` entries of a 1.1 document (spec "Source Description Expression
 * Resolution"): operationIds of an OpenAPI source, or workflowIds of an Arazzo source, win over the Source
 * Description Object's fields. An operation reads as `{operationId, method, path, url}` (its document URL
 * with the operation's JSON Pointer), a workflow as `{workflowId, url}`.
 */
export function sourceEntries(loaded: LoadedDocument, name: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const source = loaded.sources.get(name);
  if (source?.kind === 'openapi') {
    for (const op of source.allOperations()) {
      if (op.operationId === undefined || Object.hasOwn(out, op.operationId)) continue;
      setOwn(out, op.operationId, {
        operationId: op.operationId,
        method: op.method.toUpperCase(),
        path: op.path,
        url: `${op.documentUrl}#${op.pointer}`,
      });
    }
  } else if (source?.kind === 'arazzo') {
    for (const wf of source.loaded.document.workflows) {
      setOwn(out, wf.workflowId, { workflowId: wf.workflowId, url: source.url });
    }
  }
  return out;
}

/** The selector type of a replacement target: `targetSelectorType` or, when absent, JSON Pointer / XPath by body. */
export type TargetType =
  | { kind: 'jsonpointer' }
  | { kind: 'jsonpath'; version: JsonPathVersion }
  | { kind: 'xpath'; version: string };

export function targetType(
  declared: string | { type: string; version?: string } | undefined,
  contentType: string | undefined,
): TargetType {
  const name = typeof declared === 'string' ? declared : declared?.type;
  const version = typeof declared === 'object' ? declared.version : undefined;
  if (name === 'jsonpath') {
    return {
      kind: 'jsonpath',
      version: version === 'draft-goessner-dispatch-jsonpath-00' ? version : 'rfc9535',
    };
  }
  if (name === 'xpath') return { kind: 'xpath', version: version ?? 'xpath-31' };
  if (name === 'jsonpointer') return { kind: 'jsonpointer' };
  return contentType !== undefined && /[/+]xml\b/i.test(contentType)
    ? { kind: 'xpath', version: 'xpath-31' }
    : { kind: 'jsonpointer' };
}

/** JSON Pointers for a JSONPath replacement target in a JSON payload (every selected node; none when it selects nothing). */
export function jsonPathTargets(version: JsonPathVersion, target: string, payload: unknown): string[] {
  let json = payload;
  if (typeof json === 'string') {
    try {
      json = JSON.parse(json) as unknown;
    } catch {
      return [];
    }
  }
  return jsonPathPointers(version, target, json);
}

/** Step `timeout` in ms of a 1.1 document's step; undefined for 1.0 documents and steps without one. */
export function stepTimeoutMs(doc: ArazzoDocument, step: StepObject): number | undefined {
  if (!isV11(doc)) return undefined;
  const t = step.timeout;
  return typeof t === 'number' && Number.isFinite(t) && t >= 0 ? t : undefined;
}
