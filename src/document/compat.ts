// Arazzo 1.0.1 "Step Object" / "Failure Action Object": non-spec forms read as their spec equivalents.
import { parseExpressionAt } from '../expression/parser.js';
import { childPointer } from '../pointer.js';
import type { SpecVersion } from './model.js';
import { own } from './subject.js';

/** Callback used by rewrites: `pointer` is into the original document. */
export type CompatReport = (code: string, pointer: string, message: string) => void;

/**
 * Pointers that exist only in the rewritten copy, mapped back to where their data came from in the file:
 * `syntheticPrefix -> { target, fields }`, where `fields` names the members that were moved.
 */
export interface PointerMap {
  toSource(pointer: string): string;
}

interface Moved {
  prefix: string;
  stepPointer: string;
}

/**
 * `retryAfter` / `retryLimit` written on a Step (a common non-spec form) become a trailing
 * `onFailure` retry action `{ name: 'retry', type: 'retry', retryAfter, retryLimit }`: the spec form.
 * Mutates `doc` (a private copy). Returns how to map pointers of the new action back to the file.
 */
export function rewriteStepRetryFields(doc: unknown, report: CompatReport): PointerMap {
  const moved: Moved[] = [];
  const workflows = own(doc, 'workflows');
  if (Array.isArray(workflows)) {
    workflows.forEach((wf, wi) => {
      const steps = own(wf, 'steps');
      if (!Array.isArray(steps)) return;
      steps.forEach((step, si) => {
        if (typeof step !== 'object' || step === null || Array.isArray(step)) return;
        const s = step as Record<string, unknown>;
        const hasAfter = Object.hasOwn(s, 'retryAfter');
        const hasLimit = Object.hasOwn(s, 'retryLimit');
        if (!hasAfter && !hasLimit) return;
        const onFailure = own(s, 'onFailure');
        if (onFailure !== undefined && !Array.isArray(onFailure)) return; // schema reports onFailure itself
        const list = (onFailure ?? []) as unknown[];
        const taken = new Set(list.map((a) => own(a, 'name')));
        let name = 'retry';
        for (let n = 2; taken.has(name); n++) name = `retry-${n}`;
        const action: Record<string, unknown> = { name, type: 'retry' };
        if (hasAfter) action.retryAfter = s.retryAfter;
        if (hasLimit) action.retryLimit = s.retryLimit;
        const stepPointer = childPointer('', 'workflows', wi, 'steps', si);
        const spec = `onFailure: [{ name: ${name}, type: retry${hasAfter ? `, retryAfter: ${JSON.stringify(s.retryAfter)}` : ''}${hasLimit ? `, retryLimit: ${JSON.stringify(s.retryLimit)}` : ''} }]`;
        const fields = [hasAfter ? 'retryAfter' : '', hasLimit ? 'retryLimit' : ''].filter((f) => f !== '');
        report(
          'compat-step-retry-fields',
          childPointer(stepPointer, fields[0]!),
          `${fields.join(' and ')} ${fields.length > 1 ? 'are not Step Object fields' : 'is not a Step Object field'}; read as the spec form ${spec}`,
        );
        delete s.retryAfter;
        delete s.retryLimit;
        list.push(action);
        s.onFailure = list;
        moved.push({ prefix: childPointer(stepPointer, 'onFailure', list.length - 1), stepPointer });
      });
    });
  }
  return {
    toSource(pointer: string): string {
      for (const m of moved) {
        if (pointer === m.prefix || pointer.startsWith(`${m.prefix}/`)) {
          const rest = pointer.slice(m.prefix.length);
          if (rest.startsWith('/retryAfter') || rest.startsWith('/retryLimit')) return m.stepPointer + rest;
          return m.stepPointer;
        }
      }
      return pointer;
    },
  };
}

/** Fixed fields of the Arazzo Specification Object (spec 1.0.1; 1.1.0 adds `$self`). */
const ROOT_FIELDS = new Set(['arazzo', 'info', 'sourceDescriptions', 'workflows', 'components']);
const ROOT_FIELDS_11 = new Set([...ROOT_FIELDS, '$self']);

/**
 * Unknown top-level fields without the `x-` prefix (generator metadata such as `method: generated`)
 * are dropped with a warning: the root holds no behaviour, so ignoring them cannot change a run.
 * Unknown fields elsewhere stay schema errors: a misspelt `successCriteria` on a step must not be
 * silently ignored. Mutates `doc` (a private copy).
 */
export function rewriteUnknownRootFields(
  doc: unknown,
  report: CompatReport,
  version: SpecVersion = '1.0',
): void {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return;
  const root = doc as Record<string, unknown>;
  const fields = version === '1.1' ? ROOT_FIELDS_11 : ROOT_FIELDS;
  for (const key of Object.keys(root)) {
    if (fields.has(key) || key.startsWith('x-')) continue;
    report(
      'compat-unknown-root-field',
      childPointer('', key),
      `"${key}" is not a field of the Arazzo Object and is ignored; the spec form of extra data is an extension, x-${key}`,
    );
    delete root[key];
  }
}

/** `$` plus a runtime-expression source, preceded by start of text, whitespace or punctuation (not `{`). */
const UNBRACED =
  /(?<=^|[\s(:=,;/])\$(?:inputs|outputs|steps|workflows|response|request|statusCode|url|method|sourceDescriptions|components)(?![A-Za-z0-9_])/g;

/** The template form of `text` when it embeds runtime expressions without braces, else undefined. */
export function braceUnbracedExpressions(text: string): string | undefined {
  if (!text.includes('$')) return undefined;
  let out = '';
  let from = 0;
  for (const m of text.matchAll(UNBRACED)) {
    const at = m.index;
    if (at < from) continue;
    let end: number;
    try {
      end = parseExpressionAt(text, at, 'condition').end;
    } catch {
      continue;
    }
    if (at === 0 && end === text.length) return undefined; // a whole expression: already the spec form
    out += `${text.slice(from, at)}{${text.slice(at, end)}}`;
    // `=$inputs.scope}`: only the opening brace is missing; the closing one is this template's.
    from = text[end] === '}' ? end + 1 : end;
  }
  return from === 0 ? undefined : out + text.slice(from);
}

/**
 * A runtime expression written inside text without braces (`"Bearer $inputs.apiKey"`) is literal
 * text in the spec; real-world documents mean the embedded form. Parameter values, payload strings
 * and replacement values are rewritten to `"Bearer {$inputs.apiKey}"` with a warning. A string that
 * is one whole expression is left alone. Mutates `doc` (a private copy).
 */
export function rewriteUnbracedExpressions(doc: unknown, report: CompatReport): void {
  const fix = (holder: Record<string, unknown> | unknown[], key: string | number, pointer: string): void => {
    const value = (holder as Record<string | number, unknown>)[key];
    if (typeof value === 'string') {
      const spec = braceUnbracedExpressions(value);
      if (spec === undefined) return;
      report(
        'compat-unbraced-expression',
        pointer,
        `${JSON.stringify(value)} embeds a runtime expression without braces, which the spec reads as literal text; read as the spec form ${JSON.stringify(spec)}`,
      );
      (holder as Record<string | number, unknown>)[key] = spec;
      return;
    }
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) fix(value, i, childPointer(pointer, i));
    } else if (typeof value === 'object' && value !== null) {
      const obj = value as Record<string, unknown>;
      for (const k of Object.keys(obj)) fix(obj, k, childPointer(pointer, k));
    }
  };
  const fixParameters = (list: unknown, pointer: string): void => {
    if (!Array.isArray(list)) return;
    list.forEach((param, i) => {
      if (
        typeof param === 'object' &&
        param !== null &&
        !Array.isArray(param) &&
        Object.hasOwn(param, 'value')
      ) {
        fix(param as Record<string, unknown>, 'value', childPointer(pointer, i, 'value'));
      }
    });
  };
  const workflows = own(doc, 'workflows');
  if (Array.isArray(workflows)) {
    workflows.forEach((wf, wi) => {
      const wp = childPointer('', 'workflows', wi);
      fixParameters(own(wf, 'parameters'), childPointer(wp, 'parameters'));
      const steps = own(wf, 'steps');
      if (!Array.isArray(steps)) return;
      steps.forEach((step, si) => {
        const sp = childPointer(wp, 'steps', si);
        fixParameters(own(step, 'parameters'), childPointer(sp, 'parameters'));
        const body = own(step, 'requestBody');
        if (typeof body !== 'object' || body === null || Array.isArray(body)) return;
        const b = body as Record<string, unknown>;
        const bp = childPointer(sp, 'requestBody');
        if (Object.hasOwn(b, 'payload')) fix(b, 'payload', childPointer(bp, 'payload'));
        fixParameters(b.replacements, childPointer(bp, 'replacements'));
      });
    });
  }
  const params = own(own(doc, 'components'), 'parameters');
  if (typeof params === 'object' && params !== null && !Array.isArray(params)) {
    for (const name of Object.keys(params)) {
      const param = (params as Record<string, unknown>)[name];
      if (
        typeof param === 'object' &&
        param !== null &&
        !Array.isArray(param) &&
        Object.hasOwn(param, 'value')
      ) {
        fix(
          param as Record<string, unknown>,
          'value',
          childPointer('', 'components', 'parameters', name, 'value'),
        );
      }
    }
  }
}

/** Members a Reusable Object may have (spec: Reusable Object). */
const REUSABLE_FIELDS = new Set(['reference', 'value']);

/**
 * Arazzo 1.0.1 "Reusable Object": it "cannot be extended with additional properties and any properties
 * added MUST be ignored". The official schema refuses them instead; the spec text wins, so they are
 * dropped from the (private) copy with a warning, whatever the strictness. Mutates `doc`.
 */
export function dropReusableExtras(doc: unknown, warn: CompatReport): void {
  const lists: Array<[unknown, string]> = [];
  const workflows = own(doc, 'workflows');
  if (!Array.isArray(workflows)) return;
  workflows.forEach((wf, wi) => {
    const wp = childPointer('', 'workflows', wi);
    for (const field of ['parameters', 'successActions', 'failureActions']) {
      lists.push([own(wf, field), childPointer(wp, field)]);
    }
    const steps = own(wf, 'steps');
    if (!Array.isArray(steps)) return;
    steps.forEach((step, si) => {
      const sp = childPointer(wp, 'steps', si);
      for (const field of ['parameters', 'onSuccess', 'onFailure']) {
        lists.push([own(step, field), childPointer(sp, field)]);
      }
    });
  });
  for (const [list, pointer] of lists) {
    if (!Array.isArray(list)) continue;
    list.forEach((item, i) => {
      if (typeof item !== 'object' || item === null || Array.isArray(item)) return;
      if (!Object.hasOwn(item, 'reference')) return;
      const extras = Object.keys(item).filter((k) => !REUSABLE_FIELDS.has(k));
      if (extras.length === 0) return;
      const names = extras.map((k) => `"${k}"`).join(', ');
      warn(
        'reusable-extra-property',
        childPointer(pointer, i, extras[0]!),
        `${names} ${extras.length > 1 ? 'are' : 'is'} not ${extras.length > 1 ? 'fields' : 'a field'} of a Reusable Object, which takes only reference and value; ignored (spec: "any properties added MUST be ignored")`,
      );
      for (const k of extras) delete (item as Record<string, unknown>)[k];
    });
  }
}

/**
 * Redocly Respect's `x-security` (on a Workflow or a Step): security schemes, by name or inline, with their
 * values. Not Arazzo, but documents written for Respect rely on it to authenticate, so the engine applies
 * it; this only says so (and strict mode refuses it). Nothing is rewritten.
 */
export function reportRespectSecurity(doc: unknown, report: CompatReport): void {
  const workflows = own(doc, 'workflows');
  if (!Array.isArray(workflows)) return;
  const note = (pointer: string, where: string): void =>
    report(
      'compat-x-security',
      childPointer(pointer, 'x-security'),
      `x-security is a Redocly Respect extension, not Arazzo; applied as Respect does: the ${where} requests use its security schemes and values instead of the operation's security requirement`,
    );
  workflows.forEach((wf, wi) => {
    const pointer = childPointer('', 'workflows', wi);
    if (own(wf, 'x-security') !== undefined) note(pointer, "workflow's");
    const steps = own(wf, 'steps');
    if (!Array.isArray(steps)) return;
    steps.forEach((step, si) => {
      if (own(step, 'x-security') !== undefined) note(childPointer(pointer, 'steps', si), "step's");
    });
  });
}
