// Arazzo 1.0.1 "Versions" and "Arazzo Specification Object": decides whether a parsed document is usable.

import { setOwn } from '../own.js';
import { childPointer } from '../pointer.js';
import {
  dropReusableExtras,
  type PointerMap,
  reportRespectSecurity,
  rewriteStepRetryFields,
  rewriteUnbracedExpressions,
  rewriteUnknownRootFields,
} from './compat.js';
import { type Diagnostic, hasErrors, type Severity } from './diagnostic.js';
import type { ArazzoDocument, SpecVersion } from './model.js';
import type { ParsedText } from './parse.js';
import { arazzoSchemaValidator, preloadSchemaValidator, type SchemaError } from './schema.js';
import { checkSemantics, type Reporter } from './semantic.js';
import { own, subjectLabel } from './subject.js';
import { fillExpressionTypeVersions, find11Features, rewrite11FieldsIn10 } from './v11.js';

export interface ValidateOptions {
  /**
   * Refuse non-spec forms instead of reading them as their spec equivalent with a warning.
   * Default (callers pass it explicitly): false. Example: `validateArazzo(parsed, { strict: true })`.
   */
  strict: boolean;
}

export interface ValidationResult {
  /** The compat-normalized, deeply frozen document; undefined when any error makes it unusable. */
  document: ArazzoDocument | undefined;
  /** Every problem found (parse diagnostics first), errors and warnings, in document order. */
  diagnostics: Diagnostic[];
  /** The rules the document was read by (from its `arazzo` field); undefined when that field is unusable. */
  specVersion: SpecVersion | undefined;
}

/**
 * Versions this runtime executes: 1.0.x and 1.1.x. Major.minor selects the rules and the schema; the
 * patch version is not considered (spec "Versions").
 */
const SUPPORTED_VERSION = /^1\.([01])\.\d+(-.+)?$/;

/** Records one diagnostic at a pointer of the original document. */
type Push = (code: string, severity: Severity, pointer: string, message: string) => void;
/** Reports about the compat-normalized copy, `what` prefixed with its subject and the original pointer. */
type Report = (code: string, severity: Severity, pointer: string, what: string) => void;

/** The rules the document is read by, from its `arazzo` field; undefined (reported) when it is unusable. */
function declaredVersion(value: unknown, push: Push): SpecVersion | undefined {
  if (
    typeof value !== 'object' ||
    value === null ||
    Array.isArray(value) ||
    !Object.hasOwn(value, 'arazzo')
  ) {
    push(
      'not-arazzo',
      'error',
      '',
      'document: not an Arazzo document (the top level must be an object with an "arazzo" field)',
    );
    return undefined;
  }
  const version = own(value, 'arazzo');
  const minor = typeof version === 'string' ? SUPPORTED_VERSION.exec(version)?.[1] : undefined;
  if (typeof version === 'string' && minor !== undefined) return minor === '1' ? '1.1' : '1.0';
  const shown =
    typeof version === 'string'
      ? `"${version}"`
      : `${JSON.stringify(version)} (a ${version === null ? 'null' : typeof version}, not a string)`;
  const hint =
    typeof version === 'number'
      ? '; quote it in YAML, e.g. arazzo: "1.1.0"'
      : typeof version === 'string' && /^\d+\.\d+$/.test(version)
        ? `; write the patch version too, e.g. "${version}.0"`
        : '';
  push(
    'unsupported-version',
    'error',
    '/arazzo',
    `document (#/arazzo): arazzo version ${shown} is not supported; this runtime supports 1.0.x and 1.1.x${hint}`,
  );
  return undefined;
}

/**
 * Compat rewrites of the copy, each reported (a warning, an error when strict). They come first so that
 * compat-accepted forms are warnings, not schema errors. Returns the version the copy is now read by and
 * the map from its pointers back to the original's.
 */
function rewriteCompatForms(
  copy: unknown,
  declared: SpecVersion,
  push: Push,
  compatSeverity: Severity,
): { specVersion: SpecVersion; pointerMap: PointerMap } {
  let specVersion = declared;
  const compatReport = (code: string, pointer: string, what: string): void => {
    push(code, compatSeverity, pointer, `${subjectLabel(copy, pointer)} (#${pointer}): ${what}`);
  };
  if (specVersion === '1.0' && rewrite11FieldsIn10(copy, compatReport)) specVersion = '1.1';
  if (specVersion === '1.1') fillExpressionTypeVersions(copy, compatReport);
  rewriteUnknownRootFields(copy, compatReport, specVersion);
  reportRespectSecurity(copy, compatReport);
  dropReusableExtras(copy, (code, pointer, what) => {
    push(code, 'warning', pointer, `${subjectLabel(copy, pointer)} (#${pointer}): ${what}`);
  });
  rewriteUnbracedExpressions(copy, compatReport);
  const pointerMap = rewriteStepRetryFields(copy, compatReport);
  return { specVersion, pointerMap };
}

/** The semantic checks' diagnostics, taken out of `found` (where `report` puts them). */
function semanticDiagnostics(
  copy: unknown,
  specVersion: SpecVersion,
  found: Diagnostic[],
  report: Report,
  strict: boolean,
  compatSeverity: Severity,
): Diagnostic[] {
  const before = found.length;
  const reporter: Reporter = {
    strict,
    error: (code, pointer, what) => report(code, 'error', pointer, what),
    warn: (code, pointer, what) => report(code, 'warning', pointer, what),
    compat: (code, pointer, what) => report(code, compatSeverity, pointer, what),
  };
  checkSemantics(copy, reporter, specVersion);
  return found.splice(before);
}

/** The official JSON Schema's errors, except those a semantic check already reports better. */
function reportSchemaErrors(
  copy: unknown,
  specVersion: SpecVersion,
  semantic: Diagnostic[],
  pointerMap: PointerMap,
  report: Report,
): void {
  const validate = arazzoSchemaValidator(specVersion);
  validate(copy);
  const claimed = new Set(semantic.map((d) => d.pointer));
  for (const e of collapseSchemaErrors(validate.errors ?? [])) {
    const pointer = schemaPointer(e);
    const src = pointerMap.toSource(pointer);
    if (claimed.has(src)) continue; // a semantic check already says this, with a better code
    // "duplicate items" on a list whose members a semantic check already reported as duplicates
    if (e.keyword === 'uniqueItems' && semantic.some((d) => d.pointer.startsWith(`${src}/`))) continue;
    report('schema', 'error', pointer, schemaMessage(e));
  }
}

/**
 * Validate a parsed Arazzo document: version, compat rewrites (on a copy), the official JSON Schema,
 * then the semantic checks the schema cannot express. Never throws for bad documents.
 */
export function validateArazzo(parsed: ParsedText, options: ValidateOptions): ValidationResult {
  const file = parsed.url ?? '';
  const parseDiagnostics = [...parsed.diagnostics];
  const found: Diagnostic[] = [];
  const value = parsed.value;
  const push: Push = (code, severity, pointer, message) => {
    const pos = parsed.locate(pointer);
    found.push({ code, severity, message, pointer, file, line: pos.line, column: pos.column });
  };

  if (value === undefined)
    return { document: undefined, diagnostics: parseDiagnostics, specVersion: undefined };
  const declared = declaredVersion(value, push);
  if (declared === undefined)
    return { document: undefined, diagnostics: [...parseDiagnostics, ...found], specVersion: undefined };

  const copy = cloneJson(value);
  const compatSeverity: Severity = options.strict ? 'error' : 'warning';
  const { specVersion, pointerMap } = rewriteCompatForms(copy, declared, push, compatSeverity);
  const report: Report = (code, severity, pointer, what) => {
    const src = pointerMap.toSource(pointer);
    push(code, severity, src, `${subjectLabel(copy, pointer)} (#${src}): ${what}`);
  };
  const semantic = semanticDiagnostics(copy, specVersion, found, report, options.strict, compatSeverity);
  reportSchemaErrors(copy, specVersion, semantic, pointerMap, report);
  found.push(...semantic);
  found.sort((a, b) => a.line - b.line || a.column - b.column);

  const diagnostics = [...parseDiagnostics, ...dedupe(found)];
  if (hasErrors(diagnostics)) return { document: undefined, diagnostics, specVersion };
  return { document: deepFreeze(copy) as unknown as ArazzoDocument, diagnostics, specVersion };
}

/**
 * Make `validateArazzo` use the precompiled 1.1 schema for this parsed value when it will need it (a 1.1.x
 * document, or a 1.0.x one with 1.1 fields); without this it compiles that schema at run time instead.
 */
export async function prepareValidation(value: unknown): Promise<void> {
  const version = own(value, 'arazzo');
  if ((typeof version === 'string' && version.startsWith('1.1.')) || find11Features(value).length > 0) {
    await preloadSchemaValidator('1.1');
  }
}

function dedupe(list: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return list.filter((d) => {
    const key = `${d.code}\u0000${d.pointer}\u0000${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Pointer a schema error is about: the offending member for unknown/misnamed properties. */
function schemaPointer(e: SchemaError): string {
  const params = e.params as Record<string, unknown>;
  if (e.keyword === 'unevaluatedProperties' && typeof params.unevaluatedProperty === 'string') {
    return childPointer(e.instancePath, params.unevaluatedProperty);
  }
  if (e.keyword === 'additionalProperties' && typeof params.additionalProperty === 'string') {
    return childPointer(e.instancePath, params.additionalProperty);
  }
  if (typeof e.propertyName === 'string') return childPointer(e.instancePath, e.propertyName);
  return e.instancePath;
}

function schemaMessage(e: SchemaError): string {
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'unevaluatedProperties':
    case 'additionalProperties': {
      const name = String(params.unevaluatedProperty ?? params.additionalProperty);
      return `property "${name}" is not allowed here${name.startsWith('x-') ? '' : ' (extensions must start with x-)'}`;
    }
    case 'enum':
      return `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'pattern':
      return typeof e.propertyName === 'string'
        ? `key "${e.propertyName}" must match pattern ${String(params.pattern)}`
        : `must match pattern ${String(params.pattern)}`;
    case 'oneOf':
    case 'anyOf':
      return 'does not match any of the allowed forms';
    default:
      return e.message ?? `fails schema keyword ${e.keyword}`;
  }
}

/**
 * ajv (allErrors) reports each failed branch of an anyOf/oneOf plus the anyOf/oneOf itself. Keep one
 * message per failed anyOf/oneOf: if every branch failed only on `type`/`enum`/`const` at the same place,
 * say which types or values are allowed; otherwise keep the branch errors of the branch that got furthest.
 * `if` errors only repeat their `then`/`else` errors and are dropped.
 */
export function collapseSchemaErrors(errors: readonly SchemaError[]): SchemaError[] {
  const out: SchemaError[] = [];
  const drop = new Set<SchemaError>();
  for (const e of errors) {
    if (e.keyword === 'if' || e.keyword === 'propertyNames') drop.add(e);
    if (e.keyword !== 'anyOf' && e.keyword !== 'oneOf') continue;
    if ((e.params as { passingSchemas?: unknown }).passingSchemas) continue; // matched several: keep as is
    const prefix = `${e.schemaPath}/`;
    let branchErrors = errors.filter((b) => b.schemaPath.startsWith(prefix));
    if (branchErrors.length === 0) {
      // Branches reached through $ref carry the referenced schema's path: take the errors ajv emitted
      // just before this one at the same place.
      const k = errors.indexOf(e);
      let j = k - 1;
      while (
        j >= 0 &&
        errors[j]!.instancePath === e.instancePath &&
        ['type', 'enum', 'const'].includes(errors[j]!.keyword)
      )
        j--;
      branchErrors = errors.slice(j + 1, k);
    }
    if (branchErrors.length === 0) continue;
    const branchOf = (b: SchemaError): string =>
      b.schemaPath.startsWith(prefix)
        ? (b.schemaPath.slice(prefix.length).split('/')[0] ?? '')
        : b.schemaPath;
    const shallow = branchErrors.every(
      (b) => b.instancePath === e.instancePath && ['type', 'enum', 'const'].includes(b.keyword),
    );
    for (const b of branchErrors) drop.add(b);
    if (shallow) {
      const allowed: string[] = [];
      for (const b of branchErrors) {
        const p = b.params as Record<string, unknown>;
        if (b.keyword === 'type') allowed.push(String(p.type));
        else if (b.keyword === 'enum')
          allowed.push(...(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)));
        else allowed.push(JSON.stringify(p.allowedValue));
      }
      drop.add(e);
      out.push({ ...e, keyword: 'collapsed', message: `must be ${[...new Set(allowed)].join(' or ')}` });
      continue;
    }
    // Keep the errors of the branch whose errors reach deepest into the instance (it matched furthest).
    const depth = (b: SchemaError): number => b.instancePath.split('/').length;
    const byBranch = new Map<string, SchemaError[]>();
    for (const b of branchErrors) byBranch.set(branchOf(b), [...(byBranch.get(branchOf(b)) ?? []), b]);
    let best: SchemaError[] = [];
    let bestDepth = -1;
    for (const list of byBranch.values()) {
      const d = Math.max(...list.map(depth));
      if (d > bestDepth || (d === bestDepth && list.length < best.length)) {
        best = list;
        bestDepth = d;
      }
    }
    for (const b of best) drop.delete(b);
    drop.add(e);
  }
  for (const e of errors) if (!drop.has(e)) out.push(e);
  return out;
}

/** Copy plain JSON-like data; `__proto__` and other odd keys become own data properties. */
function cloneJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(cloneJson);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    setOwn(out, key, cloneJson((value as Record<string, unknown>)[key]));
  }
  return out;
}

function deepFreeze(value: unknown): unknown {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}
