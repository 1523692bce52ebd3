/**
 * The HTML report of a real Composio run, opened in headless Chromium (Debian's `chromium` package):
 * the DOM after load must show the steps, their statuses and the ACTIVE output, and two screenshots
 * (desktop and phone width) land in test/artifacts/ for a human to look at.
 * Skipped, saying so, when /usr/bin/chromium is not installed.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderHtmlReport } from '../../src/cli/reporters/html.js';
import { runWorkflow } from '../../src/engine/index.js';
import type { RunResult } from '../../src/engine/types.js';
import { startComposioSimulator } from '../../src/simulator/index.js';
import { loadArazzo } from '../../src/sources/index.js';

const run = promisify(execFile);
const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));
const CHROMIUM = process.env.ARAZZO_CHROMIUM ?? '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
const SPEC = here('../../specs/composio/arazzo/composio-connect-account-via-auth-config-workflow.yml');
const ARTIFACTS = here('../artifacts');
const API_KEY = 'sim_browser_key_4711';

/** Width and height from a PNG's IHDR chunk. */
function pngSize(path: string): { width: number; height: number } {
  const bytes = readFileSync(path);
  expect(bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describe.skipIf(!HAVE_CHROMIUM)('HTML report in headless Chromium', () => {
  let work: string;
  let page: string;
  let html: string;
  let result: RunResult;

  const chromium = async (args: string[]): Promise<string> => {
    const { stdout } = await run(
      CHROMIUM,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--hide-scrollbars',
        '--force-device-scale-factor=1',
        `--user-data-dir=${join(work, 'profile')}`,
        ...args,
        pathToFileURL(page).href,
      ],
      { timeout: 90_000, maxBuffer: 32 * 1024 * 1024 },
    );
    return stdout;
  };

  beforeAll(async () => {
    const sim = await startComposioSimulator({ apiKey: API_KEY, pollsUntilActive: 2 });
    try {
      const loaded = await loadArazzo(SPEC);
      result = await runWorkflow(
        loaded,
        { apiKey: API_KEY, toolkitSlug: 'gmail', authType: 'use_composio_managed_auth', userId: 'user-42' },
        { servers: { composioApi: sim.url }, sleep: async () => {} },
      );
      html = renderHtmlReport([
        {
          file: 'specs/composio/arazzo/composio-connect-account-via-auth-config-workflow.yml',
          document: loaded.document,
          result,
        },
      ]);
    } finally {
      await sim.close();
    }
    work = mkdtempSync(join(tmpdir(), 'arazzo-html-'));
    page = join(work, 'composio-report.html');
    writeFileSync(page, html);
  }, 60_000);

  afterAll(() => {
    if (work !== undefined) rmSync(work, { recursive: true, force: true });
  });

  it('the run went the polling way and the page holds no secret', () => {
    expect(result.status).toBe('succeeded');
    expect(result.steps.map((s) => `${s.stepId}#${s.attempt}:${s.outcome}`)).toEqual([
      'createAuthConfig#1:succeeded',
      'createConnectedAccount#1:succeeded',
      'pollConnection#1:failed',
      'pollConnection#2:failed',
      'pollConnection#3:succeeded',
      'confirmActive#1:succeeded',
    ]);
    expect(html).not.toContain(API_KEY);
  });

  it('the loaded DOM shows every step, its status, the retry waits and the ACTIVE output', async () => {
    const dom = await chromium(['--dump-dom']);
    // The DOM is Chromium's serialisation, not our text: the page parsed and rendered.
    expect(dom).toContain('<svg');
    const timeline = dom.slice(dom.indexOf('<ol class="timeline">'), dom.indexOf('</ol>'));
    const rows = [...timeline.matchAll(/<li class="attempt-row (\w+)" data-step="(\w+)">/g)].map(
      (m) => `${m[2]}:${m[1]}`,
    );
    expect(rows).toEqual([
      'createAuthConfig:succeeded',
      'createConnectedAccount:succeeded',
      'pollConnection:failed',
      'pollConnection:failed',
      'pollConnection:succeeded',
      'confirmActive:succeeded',
    ]);
    expect(timeline.match(/waited 3 s before the next attempt/g)).toHaveLength(2);
    const outputs = dom.slice(
      dom.indexOf('<table class="outputs"'),
      dom.indexOf('</table>', dom.indexOf('<table class="outputs"')),
    );
    expect(outputs).toMatch(/<th><code>status<\/code><\/th><td><code>ACTIVE<\/code><\/td>/);
    expect(dom).toMatch(
      /<section class="card run" id="r1" data-workflow="connect-account-via-auth-config" data-status="succeeded">/,
    );
    for (const stepId of ['createAuthConfig', 'createConnectedAccount', 'pollConnection', 'confirmActive']) {
      expect(dom).toContain(`<section class="step" data-step="${stepId}">`);
      expect(dom).toMatch(new RegExp(`<g data-node="step" data-step="${stepId}" class="lit">`));
    }
    expect(dom).not.toContain(API_KEY);
  });

  it.each([
    ['desktop', { width: 1280, height: 2000, file: 'composio-report.png' }],
    ['phone', { width: 390, height: 1600, file: 'composio-report-phone.png' }],
  ])('%s screenshot', async (_name, { width, height, file }) => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const target = join(ARTIFACTS, file);
    rmSync(target, { force: true });
    await chromium([`--screenshot=${target}`, `--window-size=${width},${height}`]);
    expect(pngSize(target)).toEqual({ width, height });
  });
});

describe.skipIf(HAVE_CHROMIUM)(
  `browser test skipped: ${CHROMIUM} not found (apt-get install chromium)`,
  () => {
    it('needs chromium', () => {
      expect(HAVE_CHROMIUM).toBe(false);
    });
  },
);
