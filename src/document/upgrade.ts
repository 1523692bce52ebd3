// Arazzo 1.1.0 "Versions": rewrites a 1.0.x document as 1.1.0, and compat forms into their spec forms, as
// edits of the original text (located with yaml's Document API) so comments, key order and layout stay.
import {
  type Document,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  type Pair,
  parseDocument,
  Scalar,
} from 'yaml';
import { type ExpressionNode, parseExpression, parseTemplate } from '../expression/index.js';
import { parsePointer, readPointer } from '../pointer.js';
import { rewriteStepRetryFields, rewriteUnbracedExpressions, rewriteUnknownRootFields } from './compat.js';
import { checkSemantics } from './semantic.js';
import { own } from './subject.js';

/** One change `upgradeArazzoText` made, located in the original text. */
export interface UpgradeChange {
  /** compat code of the form rewritten, or `version`. */
  code: string;
  pointer: string;
  line: number;
  column: number;
  message: string;
}

export interface UpgradeResult {
  /** The upgraded text; equal to the input when nothing changed. */
  text: string;
  changes: UpgradeChange[];
  /** Why the text was left alone (not YAML/JSON, not Arazzo 1.0.x); undefined when it was upgraded. */
  refused?: string;
}

interface Edit {
  start: number;
  end: number;
  text: string;
}

const TARGET_VERSION = '1.1.0';

/** The text being upgraded: its YAML nodes, and the edits and changes collected so far. */
interface Upgrade {
  text: string;
  /** The parsed document's root node. */
  root: unknown;
  lineCounter: LineCounter;
  json: boolean;
  edits: Edit[];
  changes: UpgradeChange[];
}

interface CompatFound {
  code: string;
  pointer: string;
  message: string;
}

function recordChange(u: Upgrade, code: string, pointer: string, offset: number, message: string): void {
  const p = u.lineCounter.linePos(offset);
  u.changes.push({ code, pointer, line: p.line, column: p.col, message });
}

/** Why the text cannot be upgraded (not YAML/JSON, not a 1.0.x document); undefined when it can. */
function refusal(doc: Document.Parsed, value: unknown): string | undefined {
  if (doc.errors.length > 0) return `not YAML or JSON: ${doc.errors[0]!.message}`;
  const version = own(value, 'arazzo');
  if (typeof version !== 'string' || !/^1\.0\.\d+(-.+)?$/.test(version)) {
    return `arazzo ${JSON.stringify(version)} is not a 1.0.x document${typeof version === 'string' && version.startsWith('1.1.') ? ' (already 1.1)' : ''}`;
  }
  return undefined;
}

function upgradeVersion(u: Upgrade, version: unknown): void {
  const versionNode = nodeAt(u.root, '/arazzo');
  if (!isScalar(versionNode) || versionNode.range == null) return;
  u.edits.push({
    start: versionNode.range[0],
    end: versionNode.range[1],
    text: scalarText(TARGET_VERSION, versionNode, u.json),
  });
  recordChange(
    u,
    'version',
    '/arazzo',
    versionNode.range[0],
    `arazzo: ${String(version)} -> ${TARGET_VERSION}`,
  );
}

/** The compat rewrites run on a plain copy; each one they report is to be carried into the text. */
function findCompatForms(value: unknown): { copy: unknown; reports: CompatFound[] } {
  const copy = structuredClone(value);
  const reports: CompatFound[] = [];
  const report = (code: string, pointer: string, message: string): void => {
    reports.push({ code, pointer, message });
  };
  rewriteUnknownRootFields(copy, report);
  rewriteUnbracedExpressions(copy, report);
  rewriteStepRetryFields(copy, report);
  // Expression navigation compat forms are found by the semantic checks; they have a spec form to write.
  const ignore = (): void => {};
  checkSemantics(copy, { strict: false, error: ignore, warn: ignore, compat: report }, '1.0');
  return { copy, reports };
}

function renameRootField(u: Upgrade, r: CompatFound): void {
  const key = parsePointer(r.pointer)?.[0] ?? '';
  const pair = pairAt(u.root, '', key);
  if (pair === undefined || !isScalar(pair.key) || pair.key.range == null) return;
  u.edits.push({
    start: pair.key.range[0],
    end: pair.key.range[1],
    text: scalarText(`x-${key}`, pair.key, u.json),
  });
  recordChange(u, r.code, r.pointer, pair.key.range[0], `"${key}" renamed to "x-${key}" (an extension)`);
}

/** The scalar at `r.pointer` rewritten as `spec`, in its own quoting style. */
function replaceScalar(u: Upgrade, r: CompatFound, node: Scalar, spec: string): void {
  if (node.range == null) return;
  u.edits.push({ start: node.range[0], end: node.range[1], text: scalarText(spec, node, u.json) });
  recordChange(
    u,
    r.code,
    r.pointer,
    node.range[0],
    `${JSON.stringify(node.value)} -> ${JSON.stringify(spec)}`,
  );
}

/** An unbraced runtime expression: the braced form the compat rewrite wrote into the copy. */
function braceExpression(u: Upgrade, r: CompatFound, copy: unknown): void {
  const node = nodeAt(u.root, r.pointer);
  const spec = readPointer(copy, r.pointer);
  if (isScalar(node) && typeof spec === 'string') replaceScalar(u, r, node, spec);
}

/** An expression navigating by a compat form: its spec form. */
function writeSpecPath(u: Upgrade, r: CompatFound): void {
  const node = nodeAt(u.root, r.pointer);
  if (!isScalar(node) || typeof node.value !== 'string') return;
  const spec = specFormOf(node.value);
  if (spec !== undefined && spec !== node.value) replaceScalar(u, r, node, spec);
}

/** Step retry fields (reported once per field) moved once per step. */
function moveStepRetry(u: Upgrade, r: CompatFound, moved: Set<string>): void {
  const stepPointer = r.pointer.replace(/\/retry(After|Limit)$/, '');
  if (moved.has(stepPointer)) return;
  moved.add(stepPointer);
  const edit = moveRetryFields(u.root, stepPointer, u.text);
  if (edit === undefined) return;
  u.edits.push(...edit.edits);
  recordChange(u, r.code, stepPointer, edit.offset, `retryAfter/retryLimit moved into ${edit.summary}`);
}

/** The text with the edits applied, last first so earlier offsets stay valid. */
function applyEdits(text: string, edits: Edit[]): string {
  edits.sort((a, b) => b.start - a.start);
  let out = text;
  for (const e of edits) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

/**
 * Rewrite a 1.0.x Arazzo document (YAML or JSON text) as 1.1.0: the `arazzo` field, unknown root fields
 * renamed to `x-` extensions, runtime expressions embedded without braces braced, dotted navigation in
 * expressions written as JSON Pointers, and step `retryAfter`/`retryLimit` moved into an `onFailure` retry
 * action. Everything else is kept byte for byte.
 */
export function upgradeArazzoText(text: string): UpgradeResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter,
    schema: 'core',
    keepSourceTokens: true,
    logLevel: 'silent',
  });
  const value: unknown = doc.errors.length > 0 ? undefined : doc.toJS();
  const refused = refusal(doc, value);
  if (refused !== undefined) return { text, changes: [], refused };
  const json = text.trimStart().startsWith('{');
  const u: Upgrade = { text, root: doc.contents, lineCounter, json, edits: [], changes: [] };
  upgradeVersion(u, own(value, 'arazzo'));
  const { copy, reports } = findCompatForms(value);
  const retrySteps = new Set<string>();
  for (const r of reports) {
    if (r.code === 'compat-unknown-root-field') renameRootField(u, r);
    else if (r.code === 'compat-unbraced-expression') braceExpression(u, r, copy);
    else if (r.code === 'compat-expression-path') writeSpecPath(u, r);
    else if (r.code === 'compat-step-retry-fields' && !json) moveStepRetry(u, r, retrySteps);
  }
  u.changes.sort((a, b) => a.line - b.line || a.column - b.column);
  return { text: applyEdits(text, u.edits), changes: u.changes };
}

/** `text` with each expression that navigates by a compat form written in its spec form. */
function specFormOf(text: string): string | undefined {
  const spec = (n: ExpressionNode): string =>
    n.compat.length > 0 && n.specForm !== undefined ? n.specForm : n.source;
  try {
    if (text.startsWith('$')) return spec(parseExpression(text));
    // Spans cover the expression inside its braces: splice from the end so earlier offsets stay valid.
    let out = text;
    for (const part of [...parseTemplate(text).parts].reverse()) {
      if (part.type === 'expression') out = out.slice(0, part.start) + spec(part) + out.slice(part.end);
    }
    return out;
  } catch {
    return undefined;
  }
}

/** A scalar's new source text in the quoting style it had (plain only where plain stays a string). */
function scalarText(value: string, node: Scalar, json: boolean): string {
  if (json || node.type === Scalar.QUOTE_DOUBLE) return JSON.stringify(value);
  if (node.type === Scalar.QUOTE_SINGLE) return `'${value.replace(/'/g, "''")}'`;
  const plainSafe =
    /^[^\s{}[\],&*#?|<>=!%@`'"-][^\n]*$/.test(value) && !/: |\s#|:$/.test(value) && !/\s$/.test(value);
  if (node.type === Scalar.PLAIN && plainSafe && /^1\.1\.0$|[A-Za-z]/.test(value)) return value;
  return JSON.stringify(value);
}

function pairAt(node: unknown, _pointer: string, key: string): Pair | undefined {
  if (!isMap(node)) return undefined;
  return node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === key) as
    | Pair
    | undefined;
}

function nodeAt(root: unknown, pointer: string): Node | undefined {
  let node = root;
  for (const t of parsePointer(pointer) ?? []) {
    if (isMap(node)) node = pairAt(node, '', t)?.value;
    else if (isSeq(node)) node = node.items[Number(t)];
    else return undefined;
  }
  return node as Node | undefined;
}

/** Start of the line holding `offset`, and the text from there to it when that is only indentation. */
function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/**
 * Step `retryAfter`/`retryLimit` (block YAML): their lines go, and a retry action joins the step's
 * `onFailure` list (created where the first field was when the step has none).
 */
function moveRetryFields(
  root: unknown,
  stepPointer: string,
  text: string,
): { edits: Edit[]; offset: number; summary: string } | undefined {
  const step = nodeAt(root, stepPointer);
  if (!isMap(step) || step.flow === true) return undefined;
  const fields = ['retryAfter', 'retryLimit']
    .map((k) => pairAt(step, '', k))
    .filter((p): p is Pair => p !== undefined && isScalar(p.key) && isScalar(p.value));
  const first = fields[0];
  if (first === undefined) return undefined;
  const keyStart = (first.key as Scalar).range![0];
  const indent = ' '.repeat(keyStart - lineStart(text, keyStart));
  const edits: Edit[] = fields.map((p) => {
    const start = lineStart(text, (p.key as Scalar).range![0]);
    const valueEnd = (p.value as Scalar).range![2];
    const end = text.indexOf('\n', valueEnd - 1) + 1 || text.length;
    return { start, end, text: '' };
  });
  const existing = pairAt(step, '', 'onFailure');
  const names = isSeq(existing?.value)
    ? existing.value.items.map((i) =>
        isMap(i) ? String((pairAt(i, '', 'name')?.value as Scalar | undefined)?.value) : '',
      )
    : [];
  let name = 'retry';
  for (let n = 2; names.includes(name); n++) name = `retry-${n}`;
  const lines = [
    `name: ${name}`,
    'type: retry',
    ...fields.map(
      (p) =>
        `${String((p.key as Scalar).value)}: ${String((p.value as Scalar).source ?? (p.value as Scalar).value)}`,
    ),
  ];
  if (isSeq(existing?.value) && existing.value.flow !== true && existing.value.items.length > 0) {
    const seq = existing.value;
    const firstItem = seq.items[0] as Node;
    const dashAt = text.lastIndexOf('-', firstItem.range![0]);
    const itemIndent = ' '.repeat(dashAt - lineStart(text, dashAt));
    const end = seq.range![1];
    const insertAt = text.lastIndexOf('\n', end - 1) + 1 || end;
    const block = `${itemIndent}- ${lines.join(`\n${itemIndent}  `)}\n`;
    edits.push({ start: insertAt, end: insertAt, text: block });
    return { edits, offset: keyStart, summary: `onFailure (appended: ${name})` };
  }
  if (existing !== undefined) return undefined; // an empty or flow onFailure: left for a person
  const block = `${indent}onFailure:\n${indent}  - ${lines.join(`\n${indent}    `)}\n`;
  const at = lineStart(text, keyStart);
  edits.push({ start: at, end: at, text: block });
  return { edits, offset: keyStart, summary: `a new onFailure: [{ name: ${name}, type: retry }]` };
}
