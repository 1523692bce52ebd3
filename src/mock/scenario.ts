/** Mock scenarios: scripted responses per operation or per step, validated, consumed in order. */
import { parseDocument } from 'yaml';
import { didYouMean } from '../document/suggest.js';
import { ArazzoError } from '../errors.js';
import { isRecord, setOwn } from '../own.js';
import { escapePointerToken } from '../pointer.js';
import type { ResolvedOperation } from '../sources/types.js';
import type { Scenario, ScenarioResponse } from './types.js';

/** One problem in a scenario file, with the JSON Pointer of the bad entry. */
export interface ScenarioIssue {
  pointer: string;
  message: string;
}

/** The scenario cannot be used; `issues` lists every problem found, not just the first. */
export class ScenarioError extends ArazzoError {
  override name = 'ScenarioError';
  readonly issues: ScenarioIssue[];
  constructor(issues: ScenarioIssue[]) {
    super(
      'OPTIONS_INVALID',
      `invalid mock scenario: ${issues.map((i) => `${i.pointer === '' ? '(root)' : i.pointer}: ${i.message}`).join('; ')}`,
    );
    this.issues = issues;
  }
}

export function isScenarioError(value: unknown): value is ScenarioError {
  return value instanceof ScenarioError;
}

const ENTRY_KEYS = new Set(['status', 'headers', 'body', 'merge', 'contentType', 'delayMs', 'times']);
const METHOD_PATH = /^(GET|PUT|POST|DELETE|OPTIONS|HEAD|PATCH|TRACE) \/\S*$/;

function checkEntry(raw: unknown, pointer: string, issues: ScenarioIssue[]): ScenarioResponse | undefined {
  if (!isRecord(raw)) {
    issues.push({ pointer, message: 'a response entry must be an object' });
    return undefined;
  }
  const before = issues.length;
  const out: ScenarioResponse = {};
  for (const key of Object.keys(raw))
    if (!ENTRY_KEYS.has(key))
      issues.push({
        pointer: `${pointer}/${escapePointerToken(key)}`,
        message: `unknown field (expected one of ${[...ENTRY_KEYS].join(', ')})`,
      });
  const { status, headers, body, merge, contentType, delayMs, times } = raw;
  if (status !== undefined) {
    if (typeof status === 'number' && Number.isInteger(status) && status >= 100 && status <= 599)
      out.status = status;
    else issues.push({ pointer: `${pointer}/status`, message: 'must be an integer from 100 to 599' });
  }
  if (headers !== undefined) {
    if (!isRecord(headers))
      issues.push({ pointer: `${pointer}/headers`, message: 'must be an object of header names to values' });
    else {
      const h: Record<string, string> = {};
      for (const [name, value] of Object.entries(headers)) {
        if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
          h[name] = String(value);
        else
          issues.push({
            pointer: `${pointer}/headers/${escapePointerToken(name)}`,
            message: 'must be a string, number or boolean',
          });
      }
      out.headers = h;
    }
  }
  if (body !== undefined) out.body = body;
  if (merge !== undefined) {
    if (isRecord(merge)) out.merge = merge;
    else
      issues.push({
        pointer: `${pointer}/merge`,
        message: 'must be an object (it is deep-merged into the generated body)',
      });
  }
  if (contentType !== undefined) {
    if (typeof contentType === 'string' && /^[^\s/]+\/[^\s]+/.test(contentType))
      out.contentType = contentType;
    else
      issues.push({
        pointer: `${pointer}/contentType`,
        message: 'must be a media type such as application/json',
      });
  }
  if (delayMs !== undefined) {
    if (typeof delayMs === 'number' && Number.isFinite(delayMs) && delayMs >= 0) out.delayMs = delayMs;
    else issues.push({ pointer: `${pointer}/delayMs`, message: 'must be a number of milliseconds >= 0' });
  }
  if (times !== undefined) {
    if (typeof times === 'number' && Number.isInteger(times) && times >= 1) out.times = times;
    else issues.push({ pointer: `${pointer}/times`, message: 'must be an integer >= 1' });
  }
  return issues.length === before ? out : undefined;
}

function checkSection(
  raw: unknown,
  section: 'operations' | 'steps',
  issues: ScenarioIssue[],
): Record<string, ScenarioResponse[]> {
  const out: Record<string, ScenarioResponse[]> = {};
  if (raw === undefined || raw === null) return out;
  const pointer = `/${section}`;
  if (!isRecord(raw)) {
    issues.push({
      pointer,
      message: `must be an object of ${section === 'steps' ? 'step keys' : 'operation keys'} to responses`,
    });
    return out;
  }
  for (const [key, value] of Object.entries(raw)) {
    const here = `${pointer}/${escapePointerToken(key)}`;
    if (key.trim() === '') {
      issues.push({ pointer: here, message: 'empty key' });
      continue;
    }
    if (section === 'operations' && key.includes(' ') && !METHOD_PATH.test(key)) {
      issues.push({
        pointer: here,
        message: 'an operation key is an operationId or "METHOD /path" (upper-case method)',
      });
      continue;
    }
    if (section === 'steps' && key.split('/').length > 2) {
      issues.push({ pointer: here, message: 'a step key is "stepId" or "workflowId/stepId"' });
      continue;
    }
    const list = Array.isArray(value) ? value : [value];
    if (list.length === 0) {
      issues.push({ pointer: here, message: 'needs at least one response entry' });
      continue;
    }
    const entries = list.map((e, i) => checkEntry(e, Array.isArray(value) ? `${here}/${i}` : here, issues));
    if (entries.every((e): e is ScenarioResponse => e !== undefined)) setOwn(out, key, entries);
  }
  return out;
}

/**
 * Validate a scenario given as YAML/JSON text or an already-parsed object.
 * Throws ScenarioError listing every bad entry by JSON Pointer.
 * @example loadScenario('steps:\n  pollConnection:\n    - merge: { status: INITIATED }\n      times: 2\n    - merge: { status: ACTIVE }\n')
 */
export function loadScenario(input: string | object): Scenario {
  let raw: unknown = input;
  if (typeof input === 'string') {
    const doc = parseDocument(input, { prettyErrors: false });
    const problem = doc.errors[0];
    if (problem !== undefined)
      throw new ScenarioError([
        { pointer: '', message: `not valid YAML or JSON: ${problem.message.split('\n')[0]}` },
      ]);
    try {
      raw = doc.toJS({ maxAliasCount: 100 }) as unknown;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new ScenarioError([{ pointer: '', message: `not valid YAML or JSON: ${message}` }]);
    }
  }
  if (typeof raw === 'string' && looksLikePath(raw))
    throw new ScenarioError([
      {
        pointer: '',
        message: `"${raw}" looks like a file path; loadScenario() takes the scenario's text or parsed object, so read the file first`,
      },
    ]);
  if (!isRecord(raw))
    throw new ScenarioError([
      { pointer: '', message: 'a scenario must be an object with "operations" and/or "steps"' },
    ]);
  const issues: ScenarioIssue[] = [];
  for (const key of Object.keys(raw))
    if (key !== 'seed' && key !== 'operations' && key !== 'steps')
      issues.push({
        pointer: `/${escapePointerToken(key)}`,
        message: 'unknown field (expected seed, operations, steps)',
      });
  const scenario: Scenario = {
    operations: checkSection(raw.operations, 'operations', issues),
    steps: checkSection(raw.steps, 'steps', issues),
  };
  if (raw.seed !== undefined) {
    if (typeof raw.seed === 'number' && Number.isInteger(raw.seed)) scenario.seed = raw.seed;
    else issues.push({ pointer: '/seed', message: 'must be an integer' });
  }
  if (issues.length > 0) throw new ScenarioError(issues);
  return scenario;
}

// One line, no spaces or colons-with-space, ending in a scenario file extension: a path, not YAML.
function looksLikePath(text: string): boolean {
  const t = text.trim();
  return !t.includes('\n') && !/:\s/.test(t) && /\.(ya?ml|json)$/i.test(t);
}

/** The names a scenario may script, taken from the loaded document (see `checkScenarioKeys`). */
export interface ScenarioTargets {
  /** operationIds and "METHOD /path" of every operation of every OpenAPI source. */
  operations: readonly string[];
  /** "stepId" and "workflowId/stepId" of every step. */
  steps: readonly string[];
}

/**
 * Keys of a valid scenario that script nothing in this document (a typo such as `addCartItemz` would
 * otherwise leave the mock's default answer in place without a word), each naming the closest key.
 * @example checkScenarioKeys(scenario, { operations: ['addCartItem'], steps: ['checkout'] })
 */
export function checkScenarioKeys(scenario: Scenario, targets: ScenarioTargets): ScenarioIssue[] {
  const issues: ScenarioIssue[] = [];
  const sections = [
    ['operations', scenario.operations, targets.operations, 'operation'],
    ['steps', scenario.steps, targets.steps, 'step'],
  ] as const;
  for (const [section, entries, known, what] of sections) {
    const set = new Set(known);
    // Suggest a key of the same form: "workflowId/stepId" for one, "METHOD /path" for one.
    const mark = section === 'steps' ? '/' : ' ';
    for (const key of Object.keys(entries)) {
      if (set.has(key)) continue;
      const alike = known.filter((k) => k.includes(mark) === key.includes(mark));
      issues.push({
        pointer: `/${section}/${escapePointerToken(key)}`,
        message: `no ${what} "${key}" in the document${didYouMean(key, alike)}`,
      });
    }
  }
  return issues;
}

/** Which step a request belongs to (transport only). */
export interface StepRef {
  workflowId: string;
  stepId: string;
}

/**
 * Consumes a scenario's lists: one entry per request, `times` honoured, the last entry repeating.
 * Keys are tried in order: `workflowId/stepId`, `stepId`, operationId, `METHOD /path`; the first key
 * with a list is consumed and the others are left alone.
 */
export class ScenarioCursor {
  readonly #scenario: Scenario | undefined;
  readonly #used = new Map<string, number>();

  constructor(scenario: Scenario | undefined) {
    this.#scenario = scenario;
  }

  next(
    operation: Pick<ResolvedOperation, 'operationId' | 'method' | 'path'>,
    step?: StepRef,
  ): ScenarioResponse | undefined {
    const s = this.#scenario;
    if (s === undefined) return undefined;
    const candidates: Array<[string, ScenarioResponse[] | undefined]> = [];
    if (step !== undefined) {
      const qualified = `${step.workflowId}/${step.stepId}`;
      candidates.push(
        [`step:${qualified}`, own(s.steps, qualified)],
        [`step:${step.stepId}`, own(s.steps, step.stepId)],
      );
    }
    if (operation.operationId !== undefined)
      candidates.push([`op:${operation.operationId}`, own(s.operations, operation.operationId)]);
    const methodPath = `${operation.method.toUpperCase()} ${operation.path}`;
    candidates.push([`op:${methodPath}`, own(s.operations, methodPath)]);
    const hit = candidates.find(([, list]) => list !== undefined);
    if (hit === undefined) return undefined;
    const [key, list = []] = hit;
    const n = this.#used.get(key) ?? 0;
    this.#used.set(key, n + 1);
    return pick(list, n);
  }
}

function own(record: Record<string, ScenarioResponse[]>, key: string): ScenarioResponse[] | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/** The entry serving the n-th (0-based) request of a list. */
function pick(list: ScenarioResponse[], n: number): ScenarioResponse | undefined {
  let remaining = n;
  for (const entry of list) {
    const times = entry.times ?? 1;
    if (remaining < times) return entry;
    remaining -= times;
  }
  return list[list.length - 1];
}
