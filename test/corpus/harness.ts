/** Runs every workflow of the real-world corpus (../shared/data/corpus) in mock mode and records the outcome. */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { runWorkflow } from '../../src/engine/index.js';
import { isArazzoError } from '../../src/errors.js';
import { dummyAuth, synthesizeInputs } from '../../src/mock/inputs.js';
import { loadScenario } from '../../src/mock/scenario.js';
import { createMockTransport } from '../../src/mock/transport.js';
import { defaultLoader, loadArazzo } from '../../src/sources/index.js';
import type { DocumentLoader, LoadedDocument } from '../../src/sources/types.js';

export const CORPUS_DIR = fileURLToPath(new URL('../../../shared/data/corpus/', import.meta.url));
const SCENARIOS_DIR = fileURLToPath(new URL('./scenarios/', import.meta.url));

/** The scenario for a corpus file, when test/corpus/scenarios/ has one named like it. */
function scenarioFor(file: string): ReturnType<typeof loadScenario> | undefined {
  const name = `${(file.split('/').pop() ?? '').replace(/\.(ya?ml|json)$/, '')}.yaml`;
  const path = join(SCENARIOS_DIR, name);
  return existsSync(path) ? loadScenario(readFileSync(path, 'utf8')) : undefined;
}

/** Per Arazzo file (relative to the corpus): sourceDescription name -> real OpenAPI file (relative to the corpus). */
export type SourceMap = Record<string, Record<string, string>>;

export interface WorkflowRecord {
  provider: string;
  file: string;
  workflowId: string;
  loaded: boolean;
  /** Warning codes with how often each occurs in the document (load diagnostics + step target notes). */
  warnings: Record<string, number>;
  status: 'succeeded' | 'failed' | 'not-run';
  /** A scripted scenario (test/corpus/scenarios/<file>.yaml) drove the run. */
  scenario: boolean;
  /** One line: load error, run error, or the failing step and its reason. */
  reason?: string;
  /** Set when something other than an ArazzoError was thrown, or the run did not settle in time. */
  crash?: string;
  durationMs: number;
}

/** Arazzo documents of the corpus (index files without an `arazzo` field are skipped), relative paths. */
export function corpusFiles(dir = CORPUS_DIR): string[] {
  const out: string[] = [];
  for (const provider of readdirSync(dir).sort()) {
    const arazzoDir = join(dir, provider, 'arazzo');
    if (!statSync(join(dir, provider)).isDirectory() || !existsSync(arazzoDir)) continue;
    for (const name of readdirSync(arazzoDir).sort()) {
      if (!/\.(ya?ml|json)$/.test(name)) continue;
      const text = readFileSync(join(arazzoDir, name), 'utf8');
      if (!/^arazzo\s*:/m.test(text) && !/"arazzo"\s*:/.test(text)) continue;
      out.push(`${provider}/arazzo/${name}`);
    }
  }
  return out;
}

/**
 * OpenAPI YAML parsed once per process and handed back as JSON text, which the sources module reads
 * with JSON.parse: the corpus reuses the 2-3 MB auth0 and openai documents in 36 files. Arazzo files
 * pass through untouched so their diagnostics keep YAML positions.
 */
const converted = new Map<string, string>();
export const cachingLoader: DocumentLoader = async (url, signal) => {
  const href = url.href;
  if (!/\/openapi\/.*\.ya?ml$/.test(url.pathname)) return defaultLoader(url, signal);
  let text = converted.get(href);
  if (text === undefined) {
    const read = await defaultLoader(url, signal);
    text = JSON.stringify(parseYaml(read.text, { merge: true, uniqueKeys: false, maxAliasCount: -1 }));
    converted.set(href, text);
  }
  return { text, contentType: 'application/json' };
};

function countCodes(codes: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of codes) out[c] = (out[c] ?? 0) + 1;
  return out;
}

function oneLine(text: string, max = 220): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 3)}...` : line;
}

/** Settles with the promise, or with 'timeout' after `ms`. */
async function within<T>(p: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
  });
  try {
    return await Promise.race([p, t]);
  } finally {
    clearTimeout(timer);
  }
}

async function load(file: string, map: SourceMap, dir: string): Promise<LoadedDocument> {
  const sources: Record<string, string> = {};
  for (const [name, path] of Object.entries(map[file] ?? {})) sources[name] = join(dir, path);
  return loadArazzo(join(dir, file), { sources, loader: cachingLoader });
}

/** Load one Arazzo file and run each of its workflows against the mock transport. */
export async function runFile(
  file: string,
  map: SourceMap,
  dir = CORPUS_DIR,
  runTimeoutMs = 15_000,
): Promise<WorkflowRecord[]> {
  const provider = file.split('/')[0] ?? '';
  const started = Date.now();
  let loaded: LoadedDocument;
  try {
    loaded = await load(file, map, dir);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const diagnostics =
      (err as { diagnostics?: Array<{ severity: string; message: string }> }).diagnostics ?? [];
    const errors = diagnostics.filter((d) => d.severity === 'error').map((d) => d.message);
    const workflowIds = workflowIdsOf(join(dir, file));
    return workflowIds.map((workflowId) => ({
      provider,
      file,
      workflowId,
      loaded: false,
      warnings: {},
      status: 'not-run',
      scenario: false,
      reason: oneLine(errors.length > 0 ? errors.join(' / ') : message, 600),
      ...(isArazzoError(err) ? {} : { crash: oneLine(`${(err as Error).name}: ${message}`) }),
      durationMs: Date.now() - started,
    }));
  }
  const records: WorkflowRecord[] = [];
  const scenario = scenarioFor(file);
  for (const wf of loaded.document.workflows) {
    const t0 = Date.now();
    const auth = dummyAuth(loaded.sources.values());
    const inputs = synthesizeInputs(wf.inputs);
    const targetWarnings: string[] = [];
    const record: WorkflowRecord = {
      provider,
      file,
      workflowId: wf.workflowId,
      loaded: true,
      warnings: {},
      status: 'failed',
      scenario: scenario !== undefined,
      durationMs: 0,
    };
    try {
      const result = await within(
        runWorkflow(loaded, inputs, {
          workflowId: wf.workflowId,
          transport: createMockTransport({
            sources: loaded.sources.values(),
            seed: 7,
            ...(scenario !== undefined ? { scenario } : {}),
          }),
          maxRetryDelayMs: 0,
          timeoutMs: runTimeoutMs,
          auth,
        }),
        runTimeoutMs + 5_000,
      );
      if (result === 'timeout') {
        record.crash = `did not settle within ${runTimeoutMs + 5_000} ms`;
        record.reason = record.crash;
      } else {
        record.status = result.status;
        for (const d of result.diagnostics) if (d.severity === 'warning') targetWarnings.push(d.code);
        if (result.status !== 'succeeded') record.reason = oneLine(failureReason(result));
      }
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      record.reason = oneLine(message);
      if (!isArazzoError(err)) record.crash = oneLine(`${(err as Error).name}: ${message}`);
    }
    const loadWarnings = loaded.diagnostics.filter((d) => d.severity === 'warning').map((d) => d.code);
    record.warnings = countCodes([
      ...loadWarnings,
      ...targetWarnings.filter((c) => !loadWarnings.includes(c)),
    ]);
    record.durationMs = Date.now() - t0;
    records.push(record);
  }
  return records;
}

type Result = Awaited<ReturnType<typeof runWorkflow>>;

function failureReason(result: Result): string {
  const failed = [...result.steps].reverse().find((s) => s.outcome === 'failed');
  const parts: string[] = [];
  if (result.error !== undefined) parts.push(`${result.error.code}: ${result.error.message}`);
  if (failed !== undefined) {
    const why =
      failed.error?.message ??
      failed.criteria
        .filter((c) => !c.passed)
        .map((c) => `${c.condition} -> ${c.reason ?? 'false'}`)
        .join('; ');
    if (why !== '' && !parts.some((p) => p.includes(why))) parts.push(`step ${failed.stepId}: ${why}`);
  }
  return parts.join(' | ') || 'failed without a recorded reason';
}

function workflowIdsOf(path: string): string[] {
  try {
    const doc = parseYaml(readFileSync(path, 'utf8')) as { workflows?: Array<{ workflowId?: unknown }> };
    const ids = (doc.workflows ?? []).map((w) => String(w.workflowId ?? '?'));
    return ids.length > 0 ? ids : ['(none)'];
  } catch {
    return ['(unparseable)'];
  }
}

function escapeCell(text: string): string {
  return text.replaceAll('|', '\\|');
}

/** The markdown summary written to test/artifacts/corpus-report.md. */
export function markdownReport(records: WorkflowRecord[], elapsedMs: number): string {
  const ok = records.filter((r) => r.status === 'succeeded').length;
  const lines = [
    '# Corpus run (mock mode, compat)',
    '',
    `${records.length} workflows, ${records.filter((r) => r.loaded).length} loaded, ${ok} succeeded (${((100 * ok) / Math.max(1, records.length)).toFixed(1)}%), ${elapsedMs} ms.`,
    '',
    'scenario: a scripted mock answer from test/corpus/scenarios/ (poll loops need a terminal status).',
    '',
    '| provider | file | workflow | warnings | status | scenario | reason |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const r of records) {
    const warnings = Object.entries(r.warnings)
      .map(([code, n]) => (n > 1 ? `${code} x${n}` : code))
      .join(', ');
    const file = relative(`${r.provider}/arazzo`, r.file);
    lines.push(
      `| ${r.provider} | ${escapeCell(file)} | ${escapeCell(r.workflowId)} | ${escapeCell(warnings)} | ${r.crash ? 'CRASH' : r.status} | ${r.scenario ? 'yes' : ''} | ${escapeCell(r.reason ?? '')} |`,
    );
  }
  return `${lines.join('\n')}\n`;
}
