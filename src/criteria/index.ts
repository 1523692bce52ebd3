// Criterion Object and Criterion Expression Type Object: static checks and evaluation of criteria.

import { BoundedCache } from '../cache.js';
import { ExpressionSyntaxError } from '../errors.js';
import type { ExpressionNode } from '../expression/ast.js';
import {
  embedText,
  evaluateExpression,
  hasEmbeddedExpression,
  isUnresolved,
  parseExpression,
  parseTemplate,
  renderTemplate,
} from '../expression/index.js';
import type { ExpressionScope } from '../expression/types.js';
import {
  compareValues,
  evalCondition,
  explain,
  type ParsedCondition,
  parseConditionText,
  show,
  truthy,
} from './condition.js';
import {
  detectJsonPathComparison,
  type ExpressionLiteral,
  findExpressionLiterals,
  type JsonPathComparison,
  type JsonPathCompat,
  type JsonPathVersion,
  jsonPathToPointer,
  rootFilterAsRfc9535,
  runJsonPath,
} from './jsonpath.js';
import { compileRegex, MAX_REGEX_INPUT } from './regex.js';
import type {
  ComparisonOperator,
  CompatWarning,
  ConditionNode,
  CriterionInput,
  CriterionIssue,
  CriterionOptions,
  CriterionRecord,
} from './types.js';
import { evaluateXPathCondition, XPATH_VERSIONS, xpathSyntaxError } from './xpath.js';

export { compareValues, looseEquals, truthy } from './condition.js';
export { type JsonPathVersion, jsonPathPointers } from './jsonpath.js';
export { MAX_REGEX_INPUT, unsafePatternReason } from './regex.js';
export { evaluateSelector, type SelectorInput, type SelectorKind, selectorKind } from './selector.js';
export type * from './types.js';
export { replaceXPath } from './xpath.js';

const JSONPATH_VERSIONS: readonly string[] = ['rfc9535', 'draft-goessner-dispatch-jsonpath-00'];

type Kind =
  | { kind: 'simple' }
  | { kind: 'regex' }
  | { kind: 'jsonpath'; version: JsonPathVersion }
  | { kind: 'xpath'; version: string }
  | { kind: 'invalid'; code: string; reason: string };
type CheckedKind = Exclude<Kind, { kind: 'invalid' }>;

function kindOf(type: CriterionInput['type']): Kind {
  if (type === undefined || type === 'simple') return { kind: 'simple' };
  if (type === 'regex') return { kind: 'regex' };
  if (type === 'jsonpath') return { kind: 'jsonpath', version: 'rfc9535' };
  if (type === 'xpath') return { kind: 'xpath', version: 'xpath-31' };
  if (typeof type === 'string') {
    return {
      kind: 'invalid',
      code: 'unknown-criterion-type',
      reason: `unknown criterion type "${type}"; expected one of simple, regex, jsonpath, xpath`,
    };
  }
  if (typeof type === 'object' && type !== null) {
    // 1.1.0 "Expression Type Object": without a version the type's default version applies.
    if (type.type === 'jsonpath') {
      if (type.version === undefined) return { kind: 'jsonpath', version: 'rfc9535' };
      if (JSONPATH_VERSIONS.includes(type.version))
        return { kind: 'jsonpath', version: type.version as JsonPathVersion };
      return {
        kind: 'invalid',
        code: 'unknown-expression-type-version',
        reason: `unknown JSONPath version "${type.version}"; expected one of ${JSONPATH_VERSIONS.join(', ')}`,
      };
    }
    if (type.type === 'xpath') {
      if (type.version === undefined) return { kind: 'xpath', version: 'xpath-31' };
      if (XPATH_VERSIONS.includes(type.version)) return { kind: 'xpath', version: type.version };
      return {
        kind: 'invalid',
        code: 'unknown-expression-type-version',
        reason: `unknown XPath version "${type.version}"; expected one of ${XPATH_VERSIONS.join(', ')}`,
      };
    }
    return {
      kind: 'invalid',
      code: 'unknown-criterion-type',
      reason: `unknown expression type "${String(type.type)}"; expected jsonpath or xpath`,
    };
  }
  return {
    kind: 'invalid',
    code: 'unknown-criterion-type',
    reason: 'criterion type must be a string or an object',
  };
}

const CONDITION_LIMIT = 2048;
/**
 * Parsed conditions by source text, one map per mode. Keyed by the document's own string (its hash is
 * computed once), not by a prefixed copy that would be hashed again on every lookup.
 */
const compatConditions = new BoundedCache<string, ParsedCondition | ExpressionSyntaxError>(CONDITION_LIMIT);
const strictConditions = new BoundedCache<string, ParsedCondition | ExpressionSyntaxError>(CONDITION_LIMIT);

const parseCompat = (src: string): ParsedCondition => parseConditionText(src, true);
const parseStrict = (src: string): ParsedCondition => parseConditionText(src, false);

function parseCached(src: string, compat: boolean): ParsedCondition {
  return compat
    ? compatConditions.getOrParse(src, parseCompat, ExpressionSyntaxError)
    : strictConditions.getOrParse(src, parseStrict, ExpressionSyntaxError);
}

/**
 * Parse a `simple` condition. Compat forms (double-quoted strings, runtime expressions inside quotes)
 * are returned as warnings when `compat` (default `true`) and are syntax errors otherwise.
 * @throws ExpressionSyntaxError with code CONDITION_SYNTAX.
 * @example parseCondition("$statusCode == 200 && $response.body#/status == 'ok'").ast.type // 'logical'
 */
export function parseCondition(
  src: string,
  options: { compat?: boolean } = {},
): { ast: ConditionNode; warnings: CompatWarning[] } {
  const parsed = parseCached(src, options.compat ?? true);
  return { ast: parsed.ast, warnings: [...parsed.warnings] };
}

function compatWarningsOf(node: ExpressionNode, field: string): CompatWarning[] {
  return node.compat.map((form) =>
    form === 'whole-outputs'
      ? {
          code: 'compat-whole-outputs',
          message: `${field} "${node.source}": names no output and is read as the map of every output; the spec form names one: ${node.source.replace(/#.*$/, '')}.<name>`,
          offset: node.start,
        }
      : {
          code: form === 'dotted-path' ? 'compat-dotted-path' : 'compat-bracket-index',
          message: `${field} "${node.source}": ${form === 'dotted-path' ? 'dotted path' : 'bracket index'} past the name; the spec form is ${node.specForm ?? node.source}`,
          offset: node.path[0]?.start ?? 0,
        },
  );
}

class Failure extends Error {}

/** Evaluate the context expression of a non-simple criterion. */
function contextValue(
  c: CriterionInput,
  scope: ExpressionScope,
  compat: boolean,
  warn: (w: CompatWarning) => void,
  typeName: string,
): unknown {
  let src = c.context;
  if (src === undefined) {
    if (!compat) throw new Failure(`type ${typeName} requires a context`);
    warn({
      code: 'compat-missing-context',
      message: `criterion of type ${typeName} has no context; $response.body is used (the spec requires context: $response.body)`,
      offset: 0,
    });
    src = '$response.body';
  }
  let node: ExpressionNode;
  try {
    node = parseExpression(src);
  } catch (err) {
    throw new Failure(`context: ${(err as Error).message}`);
  }
  if (node.compat.length > 0) {
    if (!compat)
      throw new Failure(
        `context "${src}" is not a spec runtime expression; ${node.specForm !== undefined ? `the spec form is ${node.specForm}` : 'the spec form names one output: $steps.<id>.outputs.<name>'}`,
      );
    for (const w of compatWarningsOf(node, 'context')) warn(w);
  }
  const value = evaluateExpression(node, scope);
  if (isUnresolved(value)) throw new Failure(`context is unresolved: ${value.reason}`);
  if (value === null || value === undefined) throw new Failure(`context ${src} is null`);
  return value;
}

function renderCondition(src: string, scope: ExpressionScope): string {
  if (!hasEmbeddedExpression(src)) return src;
  const out = renderTemplate(src, scope);
  if (isUnresolved(out)) throw new Failure(`condition: ${out.reason}`);
  return out;
}

/**
 * Decision (README "Semantics"): a regex over the whole response body reads the body text as received
 * (a pattern written against the wire text must match it), not a re-serialization of the parsed value.
 */
function regexText(c: CriterionInput, context: unknown, scope: ExpressionScope): string {
  const raw = scope.response?.text;
  if (typeof raw === 'string' && (c.context ?? '$response.body').trim() === '$response.body') return raw;
  return asText(context);
}

function asText(value: unknown): string {
  return value instanceof Uint8Array ? new TextDecoder().decode(value) : embedText(value);
}

/** JSON text given as a string (an unparsed body) is parsed so the query sees structure. */
function asJsonValue(value: unknown): unknown {
  const text =
    typeof value === 'string'
      ? value
      : value instanceof Uint8Array
        ? new TextDecoder().decode(value)
        : undefined;
  if (text === undefined) return value;
  const t = text.trimStart();
  if (t[0] === '{' || t[0] === '[') {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return value;
    }
  }
  return value;
}

const regexes = new BoundedCache<string, RegExp | string>(512);
function regexFor(pattern: string): RegExp | string {
  let hit = regexes.get(pattern);
  if (hit === undefined) {
    hit = compileRegex(pattern);
    regexes.set(pattern, hit);
  }
  return hit;
}

function isRuntimeExpressionText(text: string): boolean {
  try {
    parseExpression(text);
    return true;
  } catch {
    return false;
  }
}

const jsonPathExpressionLiterals = new BoundedCache<string, ExpressionLiteral[]>(1024);
/** Quoted runtime expressions compared in a jsonpath query (compat), found once per query text. */
function expressionLiteralsOf(query: string): ExpressionLiteral[] {
  let hit = jsonPathExpressionLiterals.get(query);
  if (hit === undefined) {
    hit = findExpressionLiterals(query, isRuntimeExpressionText);
    jsonPathExpressionLiterals.set(query, hit);
  }
  return hit;
}

function expressionLiteralWarning(query: string, l: ExpressionLiteral): CompatWarning {
  return {
    code: 'compat-expression-in-literal',
    message: `jsonpath condition "${query}": runtime expression inside a quoted literal at offset ${l.start} is evaluated; the spec form embeds it: {${l.expression}} (inside the quotes when the value is a string)`,
    offset: l.start,
  };
}

/** A value as a JSONPath literal. Like simple conditions, an unresolved reference compares as null. */
function jsonPathLiteral(value: unknown, expression: string): string {
  if (value === undefined || isUnresolved(value)) return 'null';
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  throw new Failure(
    `${expression} is ${show(value)}; a JSONPath filter compares only strings, numbers, booleans and null`,
  );
}

/** The query with each quoted runtime expression replaced by its value as a literal. */
function substituteLiterals(query: string, literals: ExpressionLiteral[], scope: ExpressionScope): string {
  let out = '';
  let at = 0;
  for (const l of literals) {
    out += query.slice(at, l.start) + jsonPathLiteral(evaluateExpression(l.expression, scope), l.expression);
    at = l.end;
  }
  return out + query.slice(at);
}

/**
 * Compat: `$[?count(@.pets) > 0]` on an object (the spec's own example, "pass if response body contains
 * at least one pet"). RFC 9535 runs the filter over the root's members, so it selects nothing; other
 * tools test the root itself. Whether the RFC 9535 query that does so selects something here.
 */
function rootPassesFilter(version: JsonPathVersion, query: string, json: unknown): boolean {
  if (version !== 'rfc9535' || typeof json !== 'object' || json === null || Array.isArray(json)) return false;
  const rewritten = rootFilterAsRfc9535(query);
  return rewritten !== undefined && runJsonPath('rfc9535', rewritten, json).nodes.length > 0;
}

function quoteLiteral(v: unknown): string {
  return typeof v === 'string' ? `'${v.replaceAll("'", "''")}'` : String(v);
}

/** Spec-form hint for a compat JSONPath comparison (one term, or several joined with && / ||). */
function jsonPathCompatMessage(
  condition: string,
  context: string,
  cmp: { any: JsonPathComparison[][] },
  literals: unknown[][],
): CompatWarning {
  const terms = cmp.any.flat();
  const single = terms.length === 1 ? terms[0] : undefined;
  if (single?.length) {
    const literal = literals[0]![0];
    const nonEmpty =
      (single.operator === '>' && literal === 0) ||
      (single.operator === '>=' && literal === 1) ||
      (single.operator === '!=' && literal === 0);
    return {
      code: 'compat-jsonpath-length',
      message: `jsonpath condition "${condition}": JSONPath has no ".length"; ${
        nonEmpty
          ? `the spec form is "${single.path}[0]" (a non-empty result passes)`
          : `the spec form is a filter with length(), e.g. "$[?length(@${single.path.slice(1)}) ${single.operator} ${quoteLiteral(literal)}]" on the parent`
      }`,
      offset: 0,
    };
  }
  if (terms.some((t) => t.length)) {
    return {
      code: 'compat-jsonpath-length',
      message: `jsonpath condition "${condition}": JSONPath has no ".length" and no comparisons outside a filter; the spec form is a simple condition over ${context}#<pointer>, or one jsonpath criterion per test`,
      offset: 0,
    };
  }
  const spec = cmp.any
    .map((all, i) =>
      all
        .map((t, j) => {
          const pointer = jsonPathToPointer(t.path);
          return `${context}#${pointer ?? '<pointer>'} ${t.operator} ${quoteLiteral(literals[i]![j])}`;
        })
        .join(' && '),
    )
    .join(' || ');
  return {
    code: 'compat-jsonpath-comparison',
    message: `jsonpath condition "${condition}": ${terms.length > 1 ? 'comparisons joined with && / || outside a filter are' : 'a comparison outside a filter is'} not JSONPath; the spec form is the simple condition "${spec}"`,
    offset: 0,
  };
}

/** One compat comparison term against the context: any selected node satisfying it passes. */
function compareTerm(
  version: JsonPathVersion,
  t: JsonPathComparison,
  literal: unknown,
  json: unknown,
): { passed: boolean; reason: string } {
  const nodes = runJsonPath(version, t.path, json).nodes;
  const values = t.length
    ? nodes.map((n) =>
        Array.isArray(n) || typeof n === 'string'
          ? n.length
          : typeof n === 'object' && n !== null && Object.hasOwn(n, 'length')
            ? (n as Record<string, unknown>).length
            : undefined,
      )
    : nodes;
  const op = t.operator as ComparisonOperator;
  const passed = values.some((v) => compareValues(op, v, literal));
  return {
    passed,
    reason:
      values.length === 0
        ? `${t.path} selects nothing`
        : `${t.path}${t.length ? '.length' : ''} is ${show(values.length === 1 ? values[0] : values)}, expected ${op} ${show(literal)}`,
  };
}

function literalOf(text: string): unknown {
  const parsed = parseConditionText(text, true).ast;
  if (parsed.type !== 'literal' || parsed.embedded !== undefined) {
    throw new Failure(`"${text}" is not a literal (number, 'string', true, false or null)`);
  }
  return parsed.value;
}

type JsonPathAnalysis =
  | { kind: 'query' }
  | {
      kind: 'comparison';
      cmp: Extract<ReturnType<typeof detectJsonPathComparison>, { kind: 'comparison' }>;
      literals: unknown[][];
      warning: CompatWarning;
    };
/** Analyses by context expression, then condition text (two lookups of strings whose hashes are cached). */
const jsonPathAnalyses = new BoundedCache<string, BoundedCache<string, JsonPathAnalysis>>(64);

/** Whether a jsonpath condition is the compat comparison form, analysed once per (context, condition). */
function analyseJsonPath(rendered: string, contextExpr: string): JsonPathAnalysis {
  const byCondition =
    jsonPathAnalyses.get(contextExpr) ??
    jsonPathAnalyses.set(contextExpr, new BoundedCache<string, JsonPathAnalysis>(1024));
  let analysis = byCondition.get(rendered);
  if (analysis === undefined) {
    const cmp = detectJsonPathComparison(rendered);
    if (cmp.kind === 'comparison') {
      const literals = cmp.any.map((all) => all.map((t) => literalOf(t.literal)));
      analysis = {
        kind: 'comparison',
        cmp,
        literals,
        warning: jsonPathCompatMessage(rendered, contextExpr, cmp, literals),
      };
    } else {
      analysis = { kind: 'query' };
    }
    byCondition.set(rendered, analysis);
  }
  return analysis;
}

interface Verdict {
  passed: boolean;
  reason?: string;
  /** Compat forms that only the data could reveal (the validator cannot have reported them). */
  warnings?: string[];
}

function evaluateOrThrow(
  c: CriterionInput,
  kind: Exclude<Kind, { kind: 'invalid' }>,
  scope: ExpressionScope,
  compat: boolean,
  warn: (w: CompatWarning) => void,
): Verdict {
  const condition = c.condition;
  if (kind.kind === 'simple') {
    const parsed = parseCached(condition, compat);
    for (const w of parsed.warnings) warn(w);
    const passed = truthy(evalCondition(parsed.ast, scope));
    return passed ? { passed } : { passed, reason: explain(parsed.ast, condition, scope) };
  }
  const context = contextValue(c, scope, compat, warn, kind.kind);
  const rendered = renderCondition(condition, scope);
  if (kind.kind === 'regex') {
    const re = regexFor(rendered);
    if (typeof re === 'string') throw new Failure(re);
    const text = regexText(c, context, scope);
    if (text.length > MAX_REGEX_INPUT) {
      throw new Failure(
        `context is ${text.length} characters, longer than the regex limit of ${MAX_REGEX_INPUT}`,
      );
    }
    re.lastIndex = 0;
    const passed = re.test(text);
    return passed ? { passed } : { passed, reason: `${show(text)} does not match /${rendered}/` };
  }
  if (kind.kind === 'jsonpath') {
    const json = asJsonValue(context);
    const analysis = analyseJsonPath(rendered, c.context ?? '$response.body');
    if (analysis.kind === 'comparison') {
      const { cmp, literals, warning: w } = analysis;
      if (!compat) throw new Failure(w.message);
      warn(w);
      const failed: string[] = [];
      const passed = cmp.any.some((all, i) =>
        all.every((t, j) => {
          const r = compareTerm(kind.version, t, literals[i]![j], json);
          if (!r.passed) failed.push(r.reason);
          return r.passed;
        }),
      );
      return passed ? { passed } : { passed, reason: failed.join('; ') };
    }
    return evaluateJsonPathQuery(c, kind.version, rendered, json, scope, compat, warn);
  }
  if (typeof context !== 'string' && !(context instanceof Uint8Array)) {
    throw new Failure(`xpath context must be XML text, got ${show(context)}`);
  }
  const passed = evaluateXPathCondition(rendered, asText(context), kind.version);
  return passed ? { passed } : { passed, reason: `${rendered} is false or empty` };
}

function evaluateJsonPathQuery(
  c: CriterionInput,
  version: JsonPathVersion,
  rendered: string,
  json: unknown,
  scope: ExpressionScope,
  compat: boolean,
  warn: (w: CompatWarning) => void,
): Verdict {
  const literals = expressionLiteralsOf(rendered);
  for (const l of literals) {
    const w = expressionLiteralWarning(rendered, l);
    if (!compat) throw new Failure(w.message);
    warn(w);
  }
  const query = literals.length === 0 ? rendered : substituteLiterals(rendered, literals, scope);
  const outcome = runJsonPath(version, query, json);
  if (outcome.ranAsRfc9535) {
    warn({
      code: 'compat-jsonpath-script-filter',
      message: `jsonpath condition "${rendered}": script filters are not evaluated; the query was run as RFC 9535`,
      offset: 0,
    });
  }
  if (outcome.nodes.length > 0) return { passed: true };
  const reason = `${rendered} selects nothing`;
  if (!rootPassesFilter(version, query, json)) return { passed: false, reason };
  // The form shown is built from the document's text, so no evaluated value (a secret) appears in it.
  const form = rootFilterAsRfc9535(c.condition) ?? rootFilterAsRfc9535(rendered);
  if (!compat) {
    return {
      passed: false,
      reason: `${reason} (RFC 9535 runs a filter at the root over the root's members; to test the root object itself write "${form}")`,
    };
  }
  const w: CompatWarning = {
    code: 'compat-jsonpath-root-filter',
    message: `jsonpath condition "${c.condition}": under RFC 9535 a filter at the root runs over the root's members and selects nothing here; it passes because the root object itself matches the filter (as other tools read it); the RFC 9535 form is "${form}"`,
    offset: 0,
  };
  warn(w);
  return { passed: true, warnings: [`${w.code}: ${w.message}`] };
}

/**
 * Evaluate one criterion. Never throws: a criterion that cannot be evaluated (bad syntax, unresolved
 * context, unknown type, unsafe regex) fails with the reason in its record.
 * @example evaluateCriterion({ condition: '$statusCode == 200' }, { statusCode: 200 }).passed // true
 */
export function evaluateCriterion(
  c: CriterionInput,
  scope: ExpressionScope,
  options: CriterionOptions = {},
): CriterionRecord {
  const compat = options.compat ?? true;
  const onWarning = options.onWarning;
  const warn = (w: CompatWarning): void => onWarning?.(w);
  const kind = kindOf(c.type);
  const record: CriterionRecord = {
    condition: typeof c.condition === 'string' ? c.condition : String(c.condition),
    type: kind.kind === 'invalid' ? String(typeof c.type === 'object' ? c.type?.type : c.type) : kind.kind,
    passed: false,
  };
  if (c.context !== undefined) record.context = c.context;
  if (kind.kind === 'invalid') {
    record.reason = kind.reason;
    options.onError?.(`criterion "${record.condition}": ${kind.reason}`);
    return record;
  }
  if (typeof c.condition !== 'string') {
    record.reason = 'condition must be a string';
    options.onError?.(`criterion "${record.condition}": ${record.reason}`);
    return record;
  }
  try {
    const r = evaluateOrThrow(c, kind, scope, compat, warn);
    record.passed = r.passed;
    if (r.reason !== undefined) record.reason = r.reason;
    if (r.warnings !== undefined) record.warnings = r.warnings;
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    record.reason = err instanceof Failure ? msg : `cannot evaluate: ${msg}`;
    options.onError?.(`criterion "${record.condition}": ${record.reason}`);
  }
  return record;
}

/** Evaluate a list of criteria (all of them, for complete records). An absent or empty list passes. */
export function evaluateCriteria(
  list: CriterionInput[] | undefined,
  scope: ExpressionScope,
  options: CriterionOptions = {},
): { passed: boolean; records: CriterionRecord[] } {
  const records = (list ?? []).map((c) => evaluateCriterion(c, scope, options));
  return { passed: records.every((r) => r.passed), records };
}

function conditionExpressions(node: ConditionNode, out: ExpressionNode[]): ExpressionNode[] {
  switch (node.type) {
    case 'ref':
      out.push(node.expression);
      break;
    case 'literal':
      if (node.embedded !== undefined) out.push(node.embedded);
      break;
    case 'member':
      conditionExpressions(node.object, out);
      break;
    case 'index':
      conditionExpressions(node.object, out);
      conditionExpressions(node.index, out);
      break;
    case 'not':
      conditionExpressions(node.operand, out);
      break;
    default:
      conditionExpressions(node.left, out);
      conditionExpressions(node.right, out);
  }
  return out;
}

/**
 * The runtime expressions a criterion's condition reads (for the validator's reference checks): those of
 * a simple condition, `{$...}` embedded in other types, and quoted ones compared in a jsonpath filter.
 * A condition that does not parse reads none (its syntax error is reported by `checkCriterion`).
 */
export function criterionExpressions(c: CriterionInput): ExpressionNode[] {
  if (typeof c.condition !== 'string') return [];
  const kind = kindOf(c.type);
  try {
    if (kind.kind === 'simple') return conditionExpressions(parseCached(c.condition, true).ast, []);
    const out = hasEmbeddedExpression(c.condition)
      ? parseTemplate(c.condition).parts.filter((p): p is ExpressionNode => p.type === 'expression')
      : [];
    if (kind.kind === 'jsonpath') {
      for (const l of expressionLiteralsOf(c.condition)) out.push(parseExpression(l.expression));
    }
    return out;
  } catch {
    return [];
  }
}

/** A syntax error thrown while parsing `field`, as an error issue at its offset. */
function syntaxIssue(err: unknown, code: string, field: CriterionIssue['field']): CriterionIssue {
  const e = err as ExpressionSyntaxError;
  return { severity: 'error', code, message: e.message, field, offset: e.offset };
}

/** A compat form as an issue: a warning when `compat`, an error otherwise. */
function compatIssue(w: CompatWarning, field: CriterionIssue['field'], compat: boolean): CriterionIssue {
  return {
    severity: compat ? 'warning' : 'error',
    code: w.code,
    message: w.message,
    field,
    offset: w.offset,
  };
}

function templateIssue(src: string): CriterionIssue | undefined {
  if (!hasEmbeddedExpression(src)) return undefined;
  try {
    parseTemplate(src);
    return undefined;
  } catch (err) {
    return syntaxIssue(err, 'condition-syntax', 'condition');
  }
}

/**
 * The context's syntax and compat forms. Criterion Object (1.0.1, 1.1.0): "If `type` is specified, then
 * the `context` MUST be provided", so a non-simple criterion without one is a compat form.
 */
function checkContext(c: CriterionInput, kind: CheckedKind, compat: boolean): CriterionIssue[] {
  if (c.context !== undefined) {
    try {
      const node = parseExpression(c.context);
      return compatWarningsOf(node, 'context').map((w) => compatIssue(w, 'context', compat));
    } catch (err) {
      return [syntaxIssue(err, 'context-syntax', 'context')];
    }
  }
  if (kind.kind === 'simple') return [];
  const missing: CompatWarning = {
    code: compat ? 'compat-missing-context' : 'missing-context',
    message: `criterion of type ${kind.kind} has no context${compat ? '; $response.body will be used' : ''} (the spec requires one, e.g. context: $response.body)`,
    offset: 0,
  };
  return [compatIssue(missing, 'context', compat)];
}

function checkSimpleCondition(condition: string, compat: boolean): CriterionIssue[] {
  try {
    return parseCached(condition, true).warnings.map((w) => compatIssue(w, 'condition', compat));
  } catch (err) {
    return [syntaxIssue(err, 'condition-syntax', 'condition')];
  }
}

function checkRegexCondition(condition: string): CriterionIssue[] {
  const re = compileRegex(condition);
  if (typeof re !== 'string') return [];
  return [
    {
      severity: 'error',
      code: re.startsWith('invalid') ? 'regex-syntax' : 'regex-unsafe',
      message: `regex condition: ${re}`,
      field: 'condition',
    },
  ];
}

/** The compat comparison form (`$.status == 'ok'`): its literals must parse; the issue names the spec form. */
function checkJsonPathComparison(
  condition: string,
  context: string | undefined,
  cmp: Extract<JsonPathCompat, { kind: 'comparison' }>,
  compat: boolean,
): CriterionIssue {
  const literals: unknown[][] = [];
  for (const all of cmp.any) {
    const row: unknown[] = [];
    for (const t of all) {
      try {
        row.push(literalOf(t.literal));
      } catch (err) {
        return {
          severity: 'error',
          code: 'jsonpath-syntax',
          message: `jsonpath condition "${condition}": ${(err as Error).message}`,
          field: 'condition',
          offset: t.literalOffset,
        };
      }
    }
    literals.push(row);
  }
  return compatIssue(
    jsonPathCompatMessage(condition, context ?? '$response.body', cmp, literals),
    'condition',
    compat,
  );
}

/** A JSONPath query: quoted runtime expressions, script filters run as RFC 9535, syntax errors. */
function checkJsonPathQuery(condition: string, version: JsonPathVersion, compat: boolean): CriterionIssue[] {
  const issues = expressionLiteralsOf(condition).map((l) =>
    compatIssue(expressionLiteralWarning(condition, l), 'condition', compat),
  );
  try {
    if (runJsonPath(version, condition, {}).ranAsRfc9535) {
      const w: CompatWarning = {
        code: 'compat-jsonpath-script-filter',
        message: `jsonpath condition "${condition}": script filters are not evaluated; the query runs as RFC 9535`,
        offset: 0,
      };
      issues.push(compatIssue(w, 'condition', compat));
    }
  } catch (err) {
    issues.push({
      severity: 'error',
      code: 'jsonpath-syntax',
      message: `jsonpath condition "${condition}": ${(err as Error).message}`,
      field: 'condition',
    });
  }
  return issues;
}

function checkXPathCondition(condition: string, version: string): CriterionIssue[] {
  const xerr = xpathSyntaxError(condition, version);
  if (xerr === undefined) return [];
  return [
    {
      severity: 'error',
      code: 'xpath-syntax',
      message: `xpath condition "${condition}": ${xerr}`,
      field: 'condition',
    },
  ];
}

/** The condition's syntax for its type. One with an embedded `{$...}` is checked only as a template. */
function checkCondition(
  condition: string,
  context: string | undefined,
  kind: CheckedKind,
  compat: boolean,
): CriterionIssue[] {
  if (kind.kind === 'simple') return checkSimpleCondition(condition, compat);
  const t = templateIssue(condition);
  if (t !== undefined) return [t];
  if (hasEmbeddedExpression(condition)) return [];
  if (kind.kind === 'regex') return checkRegexCondition(condition);
  if (kind.kind === 'jsonpath') {
    const cmp = detectJsonPathComparison(condition);
    if (cmp.kind === 'comparison') return [checkJsonPathComparison(condition, context, cmp, compat)];
    return checkJsonPathQuery(condition, kind.version, compat);
  }
  return checkXPathCondition(condition, kind.version);
}

/**
 * Static checks of a Criterion Object for the document validator: type and version, context syntax,
 * condition syntax per type, compat forms (warnings when `compat`, errors otherwise). No evaluation.
 */
export function checkCriterion(c: CriterionInput, options: { compat: boolean }): CriterionIssue[] {
  const kind = kindOf(c.type);
  if (kind.kind === 'invalid') {
    return [{ severity: 'error', code: kind.code, message: kind.reason, field: 'type' }];
  }
  if (typeof c.condition !== 'string') {
    return [
      {
        severity: 'error',
        code: 'condition-syntax',
        message: 'condition must be a string',
        field: 'condition',
      },
    ];
  }
  const issues = checkContext(c, kind, options.compat);
  issues.push(...checkCondition(c.condition, c.context, kind, options.compat));
  return issues;
}
