// Arazzo 1.0.1 "Step Object" (operationId, operationPath, workflowId): finding what a step calls.
import type { Diagnostic } from '../document/diagnostic.js';
import type { StepObject } from '../document/model.js';
import { didYouMean } from '../document/suggest.js';
import { parsePointer } from '../pointer.js';
import type {
  AsyncApiSource,
  LoadedDocument,
  LoadedSource,
  MessageTarget,
  OpenApiSource,
  StepTarget,
} from './types.js';

const SOURCE_PREFIX = '$sourceDescriptions.';

/** Names of sources that failed to load, per document; steps using them get `source-unavailable`. */
const unavailableSources = new WeakMap<LoadedDocument, Map<string, string>>();

export function markSourceUnavailable(loaded: LoadedDocument, name: string, reason: string): void {
  let m = unavailableSources.get(loaded);
  if (m === undefined) {
    m = new Map();
    unavailableSources.set(loaded, m);
  }
  m.set(name, reason);
}

type TargetResult = StepTarget | Diagnostic;
const cache = new WeakMap<LoadedDocument, WeakMap<StepObject, TargetResult>>();

/**
 * What `step` invokes: an OpenAPI operation or a workflow. Returns a Diagnostic (severity error)
 * when it cannot be found; `pointer` is the step's JSON Pointer in `loaded`. Cached per step object,
 * so the engine's call after loadArazzo is a lookup.
 */
export function resolveStepTarget(loaded: LoadedDocument, step: StepObject, pointer: string): TargetResult {
  let perDoc = cache.get(loaded);
  if (perDoc === undefined) {
    perDoc = new WeakMap();
    cache.set(loaded, perDoc);
  }
  const hit = perDoc.get(step);
  if (hit !== undefined) return hit;
  const result = computeTarget(loaded, step, pointer);
  perDoc.set(step, result);
  return result;
}

function computeTarget(loaded: LoadedDocument, step: StepObject, pointer: string): TargetResult {
  const subject = `step "${step.stepId}" (#${pointer})`;
  const make = (
    code: string,
    severity: Diagnostic['severity'],
    field: string,
    message: string,
  ): Diagnostic => {
    const p = field === '' ? pointer : `${pointer}/${field}`;
    const pos = loaded.locate(p);
    return {
      code,
      severity,
      message: `${subject}: ${message}`,
      pointer: p,
      file: fileOf(loaded),
      line: pos.line,
      column: pos.column,
    };
  };
  if (isMessageStep(loaded, step)) return messageTarget(loaded, step, make);
  if (typeof step.operationId === 'string') return byOperationId(loaded, step.operationId, make);
  if (typeof step.operationPath === 'string') return byOperationPath(loaded, step.operationPath, make);
  if (typeof step.workflowId === 'string') return byWorkflowId(loaded, step.workflowId, make);
  return make('step-target-missing', 'error', '', 'has none of operationId, operationPath, workflowId');
}

type Make = (code: string, severity: Diagnostic['severity'], field: string, message: string) => Diagnostic;

function fileOf(loaded: LoadedDocument): string {
  const f = fileNames.get(loaded);
  return f ?? loaded.url;
}

const fileNames = new WeakMap<LoadedDocument, string>();
/** The display name diagnostics use for this document (a path for file: URLs). */
export function setDisplayName(loaded: LoadedDocument, file: string): void {
  fileNames.set(loaded, file);
}

/** `$sourceDescriptions.<name>.<rest>` -> { name, rest }; names cannot contain dots. */
function splitSourceExpression(s: string): { name: string; rest: string } | undefined {
  if (!s.startsWith(SOURCE_PREFIX)) return undefined;
  const tail = s.slice(SOURCE_PREFIX.length);
  const dot = tail.indexOf('.');
  if (dot <= 0 || dot === tail.length - 1) return undefined;
  return { name: tail.slice(0, dot), rest: tail.slice(dot + 1) };
}

function unavailable(loaded: LoadedDocument, name: string): string | undefined {
  return unavailableSources.get(loaded)?.get(name);
}

function sourceProblem(
  loaded: LoadedDocument,
  name: string,
  want: LoadedSource['kind'],
  field: string,
  make: Make,
): Diagnostic | undefined {
  const why = unavailable(loaded, name);
  if (why !== undefined)
    return make('source-unavailable', 'error', field, `source "${name}" could not be loaded (${why})`);
  const src = loaded.sources.get(name);
  if (src === undefined) {
    const names = [...loaded.sources.keys()];
    return make(
      'source-not-found',
      'error',
      field,
      `no sourceDescription named "${name}"${names.length > 0 ? ` (declared: ${names.join(', ')})` : ''}`,
    );
  }
  if (src.kind !== want)
    return make(
      'source-wrong-type',
      'error',
      field,
      `source "${name}" is of type ${src.kind}; ${want === 'arazzo' ? 'workflows' : want === 'asyncapi' ? 'channels and messages' : 'operations'} come from ${want} sources`,
    );
  return undefined;
}

function openApiSources(loaded: LoadedDocument): OpenApiSource[] {
  const out: OpenApiSource[] = [];
  for (const s of loaded.sources.values()) if (s.kind === 'openapi') out.push(s);
  return out;
}

function byOperationId(loaded: LoadedDocument, operationId: string, make: Make): TargetResult {
  const qualified = splitSourceExpression(operationId);
  if (qualified !== undefined) return byQualifiedOperationId(loaded, qualified, make);
  const sources = openApiSources(loaded);
  const matches = operationMatches(sources, operationId);
  const missing = unavailableOpenApiSources(loaded);
  if (matches.length === 1 && missing.length === 0)
    return soleMatch(loaded, operationId, matches[0] as OperationMatch, sources.length, make);
  if (matches.length > 1) return ambiguousOperation(operationId, matches, make);
  if (missing.length > 0)
    return make(
      'source-unavailable',
      'error',
      'operationId',
      `operationId "${operationId}" cannot be checked: source ${missing.map((n) => `"${n}"`).join(', ')} could not be loaded`,
    );
  return bareOperationNotFound(operationId, sources, make);
}

type OperationMatch = {
  source: OpenApiSource;
  op: NonNullable<ReturnType<OpenApiSource['getOperationById']>>;
};

/** `$sourceDescriptions.<name>.<operationId>`: looked up in that source only. */
function byQualifiedOperationId(
  loaded: LoadedDocument,
  qualified: { name: string; rest: string },
  make: Make,
): TargetResult {
  const problem = sourceProblem(loaded, qualified.name, 'openapi', 'operationId', make);
  if (problem !== undefined) return problem;
  const src = loaded.sources.get(qualified.name) as OpenApiSource;
  const op = src.getOperationById(qualified.rest);
  if (op !== undefined) return { kind: 'operation', operation: op };
  return make(
    'operation-not-found',
    'error',
    'operationId',
    `operationId "${qualified.rest}" is not in source "${src.name}"${didYouMean(qualified.rest, src.operationIds())}`,
  );
}

function operationMatches(sources: OpenApiSource[], operationId: string): OperationMatch[] {
  return sources.flatMap((s) => {
    const op = s.getOperationById(operationId);
    return op === undefined ? [] : [{ source: s, op }];
  });
}

/** Declared openapi sources that failed to load: a bare operationId cannot be checked against them. */
function unavailableOpenApiSources(loaded: LoadedDocument): string[] {
  const declared = (loaded.document.sourceDescriptions ?? []).filter(
    (sd) => (sd.type ?? 'openapi') === 'openapi',
  );
  return declared.map((sd) => sd.name).filter((n) => unavailable(loaded, n) !== undefined);
}

/** A bare operationId found in exactly one source: used, with a warning (an error when strict) if several are declared. */
function soleMatch(
  loaded: LoadedDocument,
  operationId: string,
  { source, op }: OperationMatch,
  sourceCount: number,
  make: Make,
): TargetResult {
  if (sourceCount === 1) return { kind: 'operation', operation: op };
  const spec = `${SOURCE_PREFIX}${source.name}.${operationId}`;
  if (loaded.strict)
    return make(
      'bare-operation-id',
      'error',
      'operationId',
      `operationId "${operationId}" must name its source when several sourceDescriptions are declared; write "${spec}"`,
    );
  return {
    kind: 'operation',
    operation: op,
    warnings: [
      make(
        'compat-bare-operation-id',
        'warning',
        'operationId',
        `operationId "${operationId}" does not name its source although ${sourceCount} sourceDescriptions are declared (the spec requires "${spec}"); found only in "${source.name}", so that one is used`,
      ),
    ],
  };
}

function ambiguousOperation(operationId: string, matches: OperationMatch[], make: Make): Diagnostic {
  const forms = matches.map((m) => `"${SOURCE_PREFIX}${m.source.name}.${operationId}"`).join(' or ');
  return make(
    'operation-ambiguous',
    'error',
    'operationId',
    `operationId "${operationId}" is in several sources (${matches.map((m) => m.source.name).join(', ')}); write ${forms}`,
  );
}

function bareOperationNotFound(operationId: string, sources: OpenApiSource[], make: Make): Diagnostic {
  if (sources.length === 0)
    return make(
      'operation-not-found',
      'error',
      'operationId',
      `operationId "${operationId}" given, but no openapi sourceDescription is declared`,
    );
  const all = sources.flatMap((s) => s.operationIds());
  const where =
    sources.length === 1
      ? `source "${sources[0]?.name}"`
      : `any of the sources ${sources.map((s) => `"${s.name}"`).join(', ')}`;
  return make(
    'operation-not-found',
    'error',
    'operationId',
    `operationId "${operationId}" is not in ${where}${didYouMean(operationId, all)}`,
  );
}

function byOperationPath(loaded: LoadedDocument, operationPath: string, make: Make): TargetResult {
  const hash = operationPath.indexOf('#');
  if (hash < 0)
    return make(
      'operation-path-invalid',
      'error',
      'operationPath',
      `operationPath "${operationPath}" has no JSON Pointer; expected "{$sourceDescriptions.<name>.url}#/paths/<escaped path>/<method>"`,
    );
  const head = operationPath.slice(0, hash).trim();
  const fragment = operationPath.slice(hash + 1);
  let src: LoadedSource | undefined;
  const expr = /^\{?\$sourceDescriptions\.([^.{}]+)\.url\}?$/.exec(head);
  if (expr !== null) {
    const name = expr[1] as string;
    const problem = sourceProblem(loaded, name, 'openapi', 'operationPath', make);
    if (problem !== undefined) return problem;
    src = loaded.sources.get(name);
  } else {
    // A literal URL: accept it when it names one of the sources (after resolving against this document).
    for (const s of loaded.sources.values()) if (sameUrl(head, s.url, loaded.url)) src = s;
    if (src === undefined)
      return make(
        'operation-path-invalid',
        'error',
        'operationPath',
        `operationPath "${operationPath}" must start with "{$sourceDescriptions.<name>.url}" (or a source's url)`,
      );
    if (src.kind !== 'openapi')
      return make(
        'source-wrong-type',
        'error',
        'operationPath',
        `source "${src.name}" is of type arazzo; operations come from openapi sources`,
      );
  }
  const openapi = src as OpenApiSource;
  const candidates = [fragment];
  try {
    const decoded = decodeURIComponent(fragment);
    if (decoded !== fragment) candidates.push(decoded);
  } catch {
    // not percent-encoded
  }
  for (const c of candidates) {
    if (parsePointer(c) === undefined) continue;
    const op = openapi.getOperationByPointer(c);
    if (op !== undefined) return { kind: 'operation', operation: op };
  }
  const tokens = parsePointer(candidates[candidates.length - 1] as string);
  const shape =
    tokens !== undefined && tokens.length === 3 && tokens[0] === 'paths'
      ? ` (${tokens[2]?.toUpperCase()} ${tokens[1]})`
      : '';
  return make(
    'operation-not-found',
    'error',
    'operationPath',
    `operationPath "${operationPath}": no operation at #${fragment}${shape} in source "${openapi.name}"`,
  );
}

function sameUrl(literal: string, sourceUrl: string, base: string): boolean {
  try {
    return new URL(literal, base).href === new URL(sourceUrl).href;
  } catch {
    return false;
  }
}

function byWorkflowId(loaded: LoadedDocument, workflowId: string, make: Make): TargetResult {
  const qualified = splitSourceExpression(workflowId);
  if (qualified !== undefined) {
    const problem = sourceProblem(loaded, qualified.name, 'arazzo', 'workflowId', make);
    if (problem !== undefined) return problem;
    const src = loaded.sources.get(qualified.name);
    if (src?.kind !== 'arazzo') return make('source-wrong-type', 'error', 'workflowId', 'unreachable');
    if (src.loaded.document.workflows.some((w) => w.workflowId === qualified.rest))
      return { kind: 'workflow', workflowId: qualified.rest, loaded: src.loaded };
    return make(
      'workflow-not-found',
      'error',
      'workflowId',
      `workflowId "${qualified.rest}" is not in source "${src.name}"${didYouMean(
        qualified.rest,
        src.loaded.document.workflows.map((w) => w.workflowId),
      )}`,
    );
  }
  if (loaded.document.workflows.some((w) => w.workflowId === workflowId))
    return { kind: 'workflow', workflowId, loaded };
  const elsewhere: Array<{ name: string; loaded: LoadedDocument }> = [];
  for (const s of loaded.sources.values())
    if (s.kind === 'arazzo' && s.loaded.document.workflows.some((w) => w.workflowId === workflowId))
      elsewhere.push({ name: s.name, loaded: s.loaded });
  if (elsewhere.length === 1 && !loaded.strict) {
    const { name, loaded: child } = elsewhere[0] as { name: string; loaded: LoadedDocument };
    return {
      kind: 'workflow',
      workflowId,
      loaded: child,
      warnings: [
        make(
          'compat-bare-workflow-id',
          'warning',
          'workflowId',
          `workflowId "${workflowId}" is defined in source "${name}", not in this document (the spec requires "${SOURCE_PREFIX}${name}.${workflowId}"); that one is used`,
        ),
      ],
    };
  }
  const local = loaded.document.workflows.map((w) => w.workflowId);
  const hint =
    elsewhere.length > 0
      ? `; write ${elsewhere.map((e) => `"${SOURCE_PREFIX}${e.name}.${workflowId}"`).join(' or ')}`
      : didYouMean(workflowId, local);
  return make(
    'workflow-not-found',
    'error',
    'workflowId',
    `workflowId "${workflowId}" is not a workflow of this document${hint}`,
  );
}

// ---- Arazzo 1.1 AsyncAPI steps: operationId or channelPath, with action ----

/** A step is an AsyncAPI step when it has `action` or `channelPath`, or names an operation of an asyncapi source. */
function isMessageStep(loaded: LoadedDocument, step: StepObject): boolean {
  if (step.action !== undefined || typeof step.channelPath === 'string') return true;
  const named = typeof step.operationId === 'string' ? step.operationId : step.operationPath;
  const q = typeof named === 'string' ? splitSourceExpression(named) : undefined;
  return q !== undefined && loaded.sources.get(q.name)?.kind === 'asyncapi';
}

function asyncApiSources(loaded: LoadedDocument): AsyncApiSource[] {
  const out: AsyncApiSource[] = [];
  for (const s of loaded.sources.values()) if (s.kind === 'asyncapi') out.push(s);
  return out;
}

function messageTarget(loaded: LoadedDocument, step: StepObject, make: Make): TargetResult {
  const found =
    typeof step.channelPath === 'string'
      ? byChannelPath(loaded, step.channelPath, make)
      : byAsyncOperation(loaded, step, make);
  if ('code' in found) return found;
  const action = step.action ?? found.operation?.action;
  if (action === undefined)
    return make('step-action-missing', 'error', '', 'a channelPath step needs action: send or receive');
  const target: MessageTarget = {
    kind: 'message',
    source: found.source,
    channel: found.channel,
    action,
    messages: found.operation?.messages ?? found.channel.messages,
  };
  if (found.operation !== undefined) target.operation = found.operation;
  return target;
}

type Found = Pick<MessageTarget, 'source' | 'channel' | 'operation'>;

/** `$sourceDescriptions.<name>.<operationId>` (operationId or operationPath), or a bare operationId. */
function byAsyncOperation(loaded: LoadedDocument, step: StepObject, make: Make): Found | Diagnostic {
  const field = typeof step.operationId === 'string' ? 'operationId' : 'operationPath';
  const written = step.operationId ?? step.operationPath;
  if (typeof written !== 'string')
    return make('step-target-missing', 'error', '', 'an AsyncAPI step needs operationId or channelPath');
  const hash = written.indexOf('#');
  const qualified = splitSourceExpression(
    hash < 0 ? written : written.slice(0, hash).replace(/^\{|\}$/g, ''),
  );
  if (qualified !== undefined) {
    const problem = sourceProblem(loaded, qualified.name, 'asyncapi', field, make);
    if (problem !== undefined) return problem;
    const src = loaded.sources.get(qualified.name) as AsyncApiSource;
    const op =
      hash < 0
        ? src.getOperationById(qualified.rest)
        : src.getOperationByPointer(pointerOf(written.slice(hash + 1)));
    if (op !== undefined) return { source: src, channel: op.channel, operation: op };
    return make(
      'operation-not-found',
      'error',
      field,
      `operation "${hash < 0 ? qualified.rest : written.slice(hash + 1)}" is not in AsyncAPI source "${src.name}"${didYouMean(qualified.rest, src.operationIds())}`,
    );
  }
  const matches = asyncApiSources(loaded).flatMap((s) => {
    const op = s.getOperationById(written);
    return op === undefined ? [] : [{ source: s, channel: op.channel, operation: op }];
  });
  if (matches.length === 1) return matches[0] as Found;
  const all = asyncApiSources(loaded).flatMap((s) => s.operationIds());
  return make(
    matches.length > 1 ? 'operation-ambiguous' : 'operation-not-found',
    'error',
    field,
    matches.length > 1
      ? `operation "${written}" is in several AsyncAPI sources; write "$sourceDescriptions.<name>.${written}"`
      : `operation "${written}" is not in any AsyncAPI source${didYouMean(written, all)}`,
  );
}

function pointerOf(fragment: string): string {
  try {
    return decodeURIComponent(fragment);
  } catch {
    return fragment;
  }
}

/** `{$sourceDescriptions.<name>.url}#/channels/<key>`. */
function byChannelPath(loaded: LoadedDocument, channelPath: string, make: Make): Found | Diagnostic {
  const m = /^\{?\$sourceDescriptions\.([^.{}]+)\.url\}?#(.*)$/.exec(channelPath.trim());
  if (m === null)
    return make(
      'channel-path-invalid',
      'error',
      'channelPath',
      `channelPath "${channelPath}" must be "{$sourceDescriptions.<name>.url}#/channels/<channel>"`,
    );
  const name = m[1] as string;
  const problem = sourceProblem(loaded, name, 'asyncapi', 'channelPath', make);
  if (problem !== undefined) return problem;
  const src = loaded.sources.get(name) as AsyncApiSource;
  const channel = src.getChannelByPointer(pointerOf(m[2] as string));
  if (channel !== undefined) return { source: src, channel };
  return make(
    'channel-not-found',
    'error',
    'channelPath',
    `channelPath "${channelPath}": no channel at #${m[2]} in source "${src.name}"${didYouMean(
      pointerOf(m[2] as string),
      src.channels().map((c) => c.pointer),
    )}`,
  );
}
