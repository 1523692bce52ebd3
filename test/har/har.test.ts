import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { TransportContext } from '../../src/engine/options.js';
import { isArazzoError } from '../../src/errors.js';
import { createReplayTransport, type Har, type HarEntry } from '../../src/har/index.js';
import type { PreparedRequest } from '../../src/http/types.js';
import { startComposioSimulator } from '../../src/simulator/index.js';
import { captureIO } from '../cli/helpers.js';

const COMPOSIO = fileURLToPath(
  new URL(
    '../../specs/composio/arazzo/composio-connect-account-via-auth-config-workflow.yml',
    import.meta.url,
  ),
);
const KEY = 'sim_har_key_4242';
const inputs = (slug = 'gmail') => [
  '--input',
  `apiKey=${KEY}`,
  '--input',
  `toolkitSlug=${slug}`,
  '--input',
  'authType=use_composio_managed_auth',
  '--input',
  'userId=u1',
];

/** The HAR 1.2 JSON Schema of the har-schema package (draft-06), compiled with ajv. */
function harValidator() {
  const require = createRequire(import.meta.url);
  const schemas = require('har-schema') as Record<string, { $id: string }>;
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addMetaSchema(require('ajv/dist/refs/json-schema-draft-06.json'));
  addFormats.default(ajv);
  for (const schema of Object.values(schemas)) ajv.addSchema(schema);
  return ajv.getSchema('har.json#')!;
}

let dir: string | undefined;
afterEach(() => {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('--har records, --replay answers offline', () => {
  it('records the Composio poll loop against the simulator as valid, masked HAR 1.2 and replays it to ACTIVE', async () => {
    dir = mkdtempSync(join(tmpdir(), 'arazzo-har-'));
    const harFile = join(dir, 'composio.har');
    const sim = await startComposioSimulator({ apiKey: KEY, pollsUntilActive: 2 });
    let recordCode: number;
    try {
      const c = captureIO();
      recordCode = await main(
        [
          'run',
          COMPOSIO,
          '--server',
          `composioApi=${sim.url}`,
          ...inputs(),
          '--max-retry-delay',
          '0',
          '--har',
          harFile,
          '--no-color',
        ],
        c.io,
      );
    } finally {
      await sim.close();
    }
    expect(recordCode).toBe(0);
    const text = readFileSync(harFile, 'utf8');
    expect(text).not.toContain(KEY);
    const har = JSON.parse(text) as Har;
    const validate = harValidator();
    expect(validate(har), JSON.stringify(validate.errors)).toBe(true);
    // Broken on purpose, the same log fails the schema: the check can fail.
    expect(validate({ log: { ...har.log, entries: [{ request: {} }] } })).toBe(false);
    const polls = har.log.entries.filter(
      (e) =>
        e.request.method === 'GET' && /connected_accounts\/[^/?]+$/.test(new URL(e.request.url).pathname),
    );
    const statuses = polls.map(
      (e) => (JSON.parse(e.response.content.text ?? '{}') as { status?: string }).status,
    );
    expect(statuses.at(-1)).toBe('ACTIVE');
    expect(statuses.filter((s) => s !== 'ACTIVE').length).toBeGreaterThanOrEqual(1);
    expect(har.log.entries[0]?.comment).toMatch(/^connect-account-via-auth-config\/\S+ #1$/);

    // The simulator is gone: the replay can only answer from the log.
    const c = captureIO();
    const code = await main(
      ['test', COMPOSIO, '--replay', harFile, ...inputs(), '--no-color', '-r', 'json'],
      c.io,
    );
    const out = c.stdout();
    expect(out).toMatch(/✓ .*connect-account-via-auth-config/);
    const report = JSON.parse(out.slice(out.indexOf('{'))) as {
      runs: Array<{
        result: { steps: Array<{ stepId: string; response?: { body?: { status?: string } } }> };
      }>;
    };
    const replayed = report.runs[0]!.result.steps.filter((s) => s.response?.body?.status !== undefined);
    // The poll loop replays in recorded order: the same statuses the live run saw, ending ACTIVE.
    expect(replayed.slice(-statuses.length).map((s) => s.response?.body?.status)).toEqual(statuses);
    expect(replayed.at(-1)?.response?.body?.status).toBe('ACTIVE');
    expect(code).toBe(0);

    // A request the log does not hold fails, naming the closest recorded one.
    const c2 = captureIO();
    const code2 = await main(
      ['test', COMPOSIO, '--replay', harFile, ...inputs('slack'), '--no-color'],
      c2.io,
    );
    expect(c2.stdout()).toContain(
      'step "createAuthConfig" failed: replay: no recorded exchange for POST /api/v3/auth_configs; closest recorded: "POST /api/v3/auth_configs" (same method and path, different body)',
    );
    expect(code2).toBe(1);
  });

  it('test --har records every run of every workflow into one log', async () => {
    dir = mkdtempSync(join(tmpdir(), 'arazzo-har-'));
    const suite = fileURLToPath(new URL('../cli/fixtures/suite/', import.meta.url));
    const harFile = join(dir, 'suite.har');
    const c = captureIO({ cwd: suite });
    expect(await main(['test', '.', '--mock', '--har', harFile, '--no-color'], c.io)).toBe(1);
    const har = JSON.parse(readFileSync(harFile, 'utf8')) as Har;
    expect(har.log.entries.map((e) => e.comment)).toEqual([
      'expectsTeapot/get #1',
      'fine/get #1',
      'addAndGet/add #1',
      'addAndGet/get #1',
    ]);
    expect(harValidator()(har)).toBe(true);
  });

  it('--replay with --mock, or a file that is no HAR, exits 2', async () => {
    dir = mkdtempSync(join(tmpdir(), 'arazzo-har-'));
    writeFileSync(join(dir, 'bad.har'), '{"log":{}}');
    for (const [extra, want] of [
      [['--mock'], '--replay answers from a recording; it cannot be combined with --mock'],
      [[], 'not a HAR log'],
    ] as const) {
      const c = captureIO({ cwd: dir });
      const code = await main(['test', COMPOSIO, '--replay', 'bad.har', ...extra, ...inputs()], c.io);
      expect(c.stderr()).toContain(want);
      expect(code).toBe(2);
    }
  });
});

function entry(method: string, url: string, body: unknown, status: string, postData?: string): HarEntry {
  return {
    startedDateTime: '2026-12-07T00:00:00.000Z',
    time: 1,
    request: {
      method,
      url,
      httpVersion: 'HTTP/1.1',
      cookies: [],
      headers: [],
      queryString: [],
      ...(postData !== undefined ? { postData: { mimeType: 'application/json', text: postData } } : {}),
      headersSize: -1,
      bodySize: 0,
    },
    response: {
      status: 200,
      statusText: '',
      httpVersion: 'HTTP/1.1',
      cookies: [],
      headers: [{ name: 'Content-Type', value: 'application/json' }],
      content: { size: 0, mimeType: 'application/json', text: JSON.stringify({ status, body }) },
      redirectURL: '',
      headersSize: -1,
      bodySize: 0,
    },
    cache: {},
    timings: { send: 0, wait: 1, receive: 0 },
  };
}

const LOG: Har = {
  log: {
    version: '1.2',
    creator: { name: 't', version: '0' },
    entries: [
      entry('GET', 'http://rec.example/items/1?a=1&b=2', null, 'first'),
      entry('GET', 'http://rec.example/items/1?a=1&b=2', null, 'second'),
      entry('GET', 'http://rec.example/items/1?a=1&b=2', null, 'third'),
      entry('POST', 'http://rec.example/items', null, 'created', '{"name":"x","key":"***"}'),
      entry('GET', 'http://rec.example/search?token=***', null, 'found'),
    ],
  },
};

function req(method: string, url: string, bodyValue?: unknown): PreparedRequest {
  return {
    method,
    url,
    headers: {},
    pathParams: {},
    queryParams: {},
    secrets: [],
    ...(bodyValue !== undefined ? { bodyValue, body: JSON.stringify(bodyValue) } : {}),
  };
}

const ctx = {} as TransportContext;
const statusOf = async (p: Promise<{ body: unknown }>) => ((await p).body as { status: string }).status;

describe('createReplayTransport', () => {
  it('serves repeated calls in recorded order, the last one repeating, whatever the host or query order', async () => {
    const t = createReplayTransport(LOG);
    const got: string[] = [];
    for (let i = 0; i < 4; i++)
      got.push(await statusOf(t(req('GET', 'http://live.example/items/1?b=2&a=1'), ctx)));
    expect(got).toEqual(['first', 'second', 'third', 'third']);
  });

  it.each([
    [
      'a JSON body with other key order and a masked value',
      req('POST', 'http://x/items', { key: 'real-secret', name: 'x' }),
      'created',
    ],
    ['a masked query value', req('GET', 'http://x/search?token=abc'), 'found'],
  ])('matches %s', async (_name, request, want) => {
    expect(await statusOf(createReplayTransport(LOG)(request, ctx))).toBe(want);
  });

  it.each([
    [
      'a different body',
      req('POST', 'http://x/items', { name: 'y', key: 'k' }),
      'closest recorded: "POST /items" (same method and path, different body)',
    ],
    [
      'a different query',
      req('GET', 'http://x/items/1?a=9&b=2'),
      'closest recorded: "GET /items/1?a=1&b=2" (same method and path, different query)',
    ],
    ['a near path', req('GET', 'http://x/itemz/1?a=1&b=2'), 'closest recorded: "GET /items/1?a=1&b=2"'],
    ['another method', req('DELETE', 'http://x/items/1'), 'no recorded exchange for DELETE /items/1'],
  ])('fails on %s, naming the closest recording', async (_name, request, want) => {
    const error = await createReplayTransport(LOG)(request, ctx).catch((e: unknown) => e);
    expect(isArazzoError(error) && error.code).toBe('TRANSPORT');
    expect((error as Error).message).toContain(want);
    expect((error as { reason?: string }).reason).toBe('REPLAY_UNMATCHED');
  });
});
