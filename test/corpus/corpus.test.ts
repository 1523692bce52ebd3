import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  CORPUS_DIR,
  corpusFiles,
  markdownReport,
  runFile,
  type SourceMap,
  type WorkflowRecord,
} from './harness.js';

const sourceMap = JSON.parse(readFileSync(new URL('./sources.json', import.meta.url), 'utf8')) as SourceMap;
const artifacts = fileURLToPath(new URL('../artifacts/', import.meta.url));
const present = existsSync(CORPUS_DIR);

describe.runIf(present)('real-world corpus (../shared/data/corpus) in compat + mock mode', () => {
  const records: WorkflowRecord[] = [];
  const files = present ? corpusFiles() : [];

  it('finds the 49 workflows of 11 providers', () => {
    expect(new Set(files.map((f) => f.split('/')[0])).size).toBe(11);
    expect(Object.keys(sourceMap).every((f) => files.includes(f))).toBe(true);
  });

  it('loads every workflow, runs it, and at least 90% succeed', { timeout: 120_000 }, async () => {
    const started = Date.now();
    for (const file of files) records.push(...(await runFile(file, sourceMap)));
    const elapsed = Date.now() - started;
    mkdirSync(artifacts, { recursive: true });
    writeFileSync(`${artifacts}corpus-report.md`, markdownReport(records, elapsed));

    expect(records).toHaveLength(49);
    expect(records.filter((r) => !r.loaded).map((r) => `${r.file}: ${r.reason}`)).toEqual([]);
    expect(records.filter((r) => r.crash !== undefined).map((r) => `${r.file}: ${r.crash}`)).toEqual([]);
    const succeeded = records.filter((r) => r.status === 'succeeded').length;
    expect(succeeded / records.length).toBeGreaterThanOrEqual(0.9);
  });
});

describe.skipIf(present)('real-world corpus', () => {
  it.skip(`skipped: corpus folder ${CORPUS_DIR} is absent (CI keeps shared/ beside the repo)`, () => {});
});
