// Runtime Expressions: evaluation of a parsed expression against an ExpressionScope (pure, no eval).
import { formatPointer, isArrayIndex, parsePointer, pointerProblem } from '../pointer.js';
import type { ExpressionNode } from './ast.js';
import type { ExpressionScope, HeaderMap, Unresolved } from './types.js';

/** A reference to something that does not exist. Frozen so shared markers cannot be tampered with. */
// A registered symbol brands real markers, so data that happens to read `{unresolved: true}` is not one.
const BRAND = Symbol.for('arazzo-runtime.unresolved');

export function unresolved(reason: string): Unresolved {
  const u = { unresolved: true as const, reason };
  Object.defineProperty(u, BRAND, { value: true });
  return Object.freeze(u);
}

export function isUnresolved(v: unknown): v is Unresolved {
  return typeof v === 'object' && v !== null && (v as { [BRAND]?: unknown })[BRAND] === true;
}

const hasOwn = Object.hasOwn;

/** Case-insensitive header lookup; repeated fields are joined with ", " (RFC 9110 field combination). */
export function lookupHeader(headers: HeaderMap, name: string): string | undefined {
  let v: string | string[] | undefined;
  if (hasOwn(headers, name)) v = headers[name];
  else {
    const lower = name.toLowerCase();
    if (hasOwn(headers, lower)) v = headers[lower];
    else {
      for (const key of Object.keys(headers)) {
        if (key.toLowerCase() === lower) {
          v = headers[key];
          break;
        }
      }
    }
  }
  if (v === undefined) return undefined;
  return Array.isArray(v) ? v.join(', ') : String(v);
}

let lastJsonText: string | undefined;
let lastJsonValue: unknown;

/** JSON text stored as a string (an unparsed body or output): parse it so a pointer can walk into it. */
function parseJsonText(text: string): unknown {
  if (text === lastJsonText) return lastJsonValue;
  const t = text.trimStart();
  if (t[0] !== '{' && t[0] !== '[') return undefined;
  try {
    const value: unknown = JSON.parse(text);
    lastJsonText = text;
    lastJsonValue = value;
    return value;
  } catch {
    return undefined;
  }
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return `an array of ${v.length}`;
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

/**
 * One navigation step into plain data. Only own properties are visible, so `__proto__`,
 * `constructor` and other inherited members are never reached. `lengthOk` allows `.length` on arrays
 * and strings (compat dotted paths and the `.` operator of simple conditions).
 */
export function step(
  cur: unknown,
  key: string,
  lengthOk: boolean,
): { ok: true; value: unknown } | { ok: false; why: string } {
  if (Array.isArray(cur)) {
    if (isArrayIndex(key)) {
      const i = Number(key);
      if (i < cur.length) return { ok: true, value: cur[i] };
      return { ok: false, why: `index ${key} is out of range (length ${cur.length})` };
    }
    if (lengthOk && key === 'length') return { ok: true, value: cur.length };
    return { ok: false, why: `"${key}" is not an array index` };
  }
  if (typeof cur === 'string') {
    if (lengthOk && key === 'length') return { ok: true, value: cur.length };
    const parsed = parseJsonText(cur);
    if (parsed !== undefined) return step(parsed, key, lengthOk);
    return { ok: false, why: `cannot select "${key}" in a string` };
  }
  if (typeof cur === 'object' && cur !== null && !(cur instanceof Uint8Array)) {
    if (hasOwn(cur, key)) return { ok: true, value: (cur as Record<string, unknown>)[key] };
    return { ok: false, why: `no member "${key}"` };
  }
  return { ok: false, why: `cannot select "${key}" in ${describe(cur)}` };
}

/** Look `name` (plus leading dotted compat segments, longest first) up in a record of named values. */
function lookupNamed(
  node: ExpressionNode,
  rec: Record<string, unknown> | undefined,
  missing: (name: string) => string,
): { value: unknown; consumed: number } | Unresolved {
  const name = node.names[node.names.length - 1]!.value;
  if (rec === undefined || rec === null || typeof rec !== 'object') {
    return unresolved(`${node.source}: ${missing(name)}`);
  }
  // 1.1.0 lets input/output names contain dots: an entry named "a.b" wins over navigating "a" -> "b".
  let leading = 0;
  while (leading < node.path.length && node.path[leading]!.kind === 'property') leading++;
  if (leading > 0) {
    let key = name;
    const keys: string[] = [];
    for (let i = 0; i < leading; i++) {
      const seg = node.path[i]!;
      key += `.${seg.kind === 'property' ? seg.key : ''}`;
      keys.push(key);
    }
    for (let k = leading; k >= 1; k--) {
      if (hasOwn(rec, keys[k - 1]!)) return { value: rec[keys[k - 1]!], consumed: k };
    }
  }
  if (hasOwn(rec, name)) return { value: rec[name], consumed: 0 };
  return unresolved(`${node.source}: ${missing(name)}`);
}

type Based = { value: unknown; consumed: number } | Unresolved;

/** The value an expression's root names (before its JSON Pointer or dotted path), by root. */
function base(node: ExpressionNode, scope: ExpressionScope): Based {
  switch (node.root) {
    case 'url':
      return given(scope.url, '$url: no request has been sent');
    case 'method':
      return given(scope.method, '$method: no request has been sent');
    case 'statusCode':
      return given(scope.statusCode, '$statusCode: no response has been received');
    case 'self':
      return given(scope.self, '$self: the description has no $self URI');
    case 'request':
    case 'response':
      return messagePart(node, scope);
    case 'message':
      return evaluateMessage(node, scope);
    case 'inputs':
      return lookupNamed(node, scope.inputs, (n) => `no input "${n}" was given`);
    case 'outputs':
      return lookupNamed(node, scope.outputs, (n) => `the workflow has no output "${n}" (yet)`);
    case 'steps':
      return stepOutputs(node, scope);
    case 'workflows':
      return workflowField(node, scope);
    case 'sourceDescriptions':
      return sourceDescriptionField(node, scope);
    case 'components':
      return component(node, scope);
  }
}

function given(value: unknown, missing: string): Based {
  return value === undefined ? unresolved(missing) : { value, consumed: 0 };
}

/** `$request.*` / `$response.*`: a header, a query or path parameter (request only), or the body. */
function messagePart(node: ExpressionNode, scope: ExpressionScope): Based {
  const msg = node.root === 'request' ? scope.request : scope.response;
  if (msg === undefined) {
    return unresolved(
      `${node.source}: ${node.root === 'request' ? 'no request has been sent' : 'no response has been received'}`,
    );
  }
  const name = node.names[0]?.value ?? '';
  switch (node.location) {
    case 'header': {
      const v = msg.headers === undefined ? undefined : lookupHeader(msg.headers, name);
      return v === undefined
        ? unresolved(`${node.source}: the ${node.root} has no header "${name}"`)
        : { value: v, consumed: 0 };
    }
    case 'query':
    case 'path': {
      const rec =
        node.root === 'request'
          ? node.location === 'query'
            ? scope.request?.query
            : scope.request?.path
          : undefined;
      if (rec !== undefined && hasOwn(rec, name)) return { value: rec[name], consumed: 0 };
      return unresolved(`${node.source}: the ${node.root} has no ${node.location} parameter "${name}"`);
    }
    default:
      return msg.body === undefined
        ? unresolved(`${node.source}: the ${node.root} has no body`)
        : { value: msg.body, consumed: 0 };
  }
}

/** `$steps.<id>.outputs.<name>` (or, compat, the whole outputs). */
function stepOutputs(node: ExpressionNode, scope: ExpressionScope): Based {
  const id = node.names[0]!.value;
  const steps = scope.steps;
  if (steps === undefined || !hasOwn(steps, id))
    return unresolved(`${node.source}: step "${id}" has not run`);
  if (node.compat.includes('whole-outputs')) return { value: steps[id]?.outputs ?? {}, consumed: 0 };
  return lookupNamed(node, steps[id]?.outputs, (n) => `step "${id}" has no output "${n}"`);
}

/** `$workflows.<id>.inputs.<name>` / `$workflows.<id>.outputs.<name>`. */
function workflowField(node: ExpressionNode, scope: ExpressionScope): Based {
  const id = node.names[0]!.value;
  const wfs = scope.workflows;
  if (wfs === undefined || !hasOwn(wfs, id))
    return unresolved(`${node.source}: workflow "${id}" has not run`);
  const wf = wfs[id]!;
  const field = node.names[1]!.value;
  if (node.compat.includes('whole-outputs')) return { value: wf.outputs ?? {}, consumed: 0 };
  return lookupNamed(
    node,
    field === 'inputs' ? wf.inputs : wf.outputs,
    (n) => `workflow "${id}" has no ${field.slice(0, -1)} "${n}"`,
  );
}

/** `$sourceDescriptions.<name>.<field>`. */
function sourceDescriptionField(node: ExpressionNode, scope: ExpressionScope): Based {
  const sd = node.names[0]!.value;
  const field = node.names[1]!.value;
  const all = scope.sourceDescriptions;
  if (all === undefined || !hasOwn(all, sd))
    return unresolved(`${node.source}: no source description "${sd}"`);
  const rec = all[sd]!;
  return hasOwn(rec, field)
    ? { value: rec[field], consumed: 0 }
    : unresolved(`${node.source}: source description "${sd}" has no "${field}"`);
}

/** `$components.<kind>.<name>`. */
function component(node: ExpressionNode, scope: ExpressionScope): Based {
  const kind = node.names[0]!.value;
  const name = node.names[1]!.value;
  const all = scope.components;
  const rec = all !== undefined && hasOwn(all, kind) ? all[kind] : undefined;
  return rec !== undefined && hasOwn(rec, name)
    ? { value: rec[name], consumed: 0 }
    : unresolved(`${node.source}: no component ${kind} "${name}"`);
}

/** Evaluate a parsed expression. Whole values keep their type; anything missing is an Unresolved. */
export function evaluateNode(node: ExpressionNode, scope: ExpressionScope): unknown {
  const b = base(node, scope);
  if (isUnresolved(b)) return b;
  let cur = b.value;
  const path = node.path;
  for (let i = b.consumed; i < path.length; i++) {
    const seg = path[i]!;
    const r = step(cur, seg.kind === 'index' ? String(seg.index) : seg.key, true);
    if (!r.ok) {
      return unresolved(`${node.source}: ${r.why} at ${node.source.slice(0, seg.start - node.start)}`);
    }
    cur = r.value;
  }
  const pointer = node.pointer;
  if (pointer !== undefined) {
    const tokens = pointer.tokens;
    for (let i = 0; i < tokens.length; i++) {
      const r = step(cur, tokens[i]!, false);
      if (!r.ok) return unresolved(`${node.source}: ${r.why} at #${formatPointer(tokens.slice(0, i))}`);
      cur = r.value;
    }
    // `#` alone or a pointer that ends on JSON text stored as a string: the text is the value.
  }
  return cur;
}

/**
 * The value at an RFC 6901 JSON Pointer (`/a/0/b`, `''` for the whole value) inside plain data, or an
 * Unresolved saying where the walk stopped. JSON text stored as a string is walked as its parsed value.
 */
export function selectPointer(value: unknown, pointer: string): unknown {
  const tokens = parsePointer(pointer);
  if (tokens === undefined)
    return unresolved(`"${pointer}" is not a JSON Pointer: ${pointerProblem(pointer)}`);
  let cur = value;
  for (let i = 0; i < tokens.length; i++) {
    const r = step(cur, tokens[i]!, false);
    if (!r.ok)
      return unresolved(`JSON Pointer "${pointer}": ${r.why} at "${formatPointer(tokens.slice(0, i))}"`);
    cur = r.value;
  }
  return cur;
}

/** 1.1 `$message.header.<name>` and `$message.payload`: the message an AsyncAPI step sent or received. */
function evaluateMessage(
  node: ExpressionNode,
  scope: ExpressionScope,
): { value: unknown; consumed: number } | Unresolved {
  const msg = scope.message;
  if (msg === undefined) return unresolved(`${node.source}: no message has been sent or received`);
  if (node.location === 'header') {
    const name = node.names[0]?.value ?? '';
    const v = msg.headers === undefined ? undefined : lookupHeader(msg.headers, name);
    return v === undefined
      ? unresolved(`${node.source}: the message has no header "${name}"`)
      : { value: v, consumed: 0 };
  }
  return msg.payload === undefined
    ? unresolved(`${node.source}: the message has no payload`)
    : { value: msg.payload, consumed: 0 };
}
