/**
 * Secrets never leak (issue #7): an API key sent in a header, a query parameter and a cookie, via `auth`
 * and via explicit parameters, must not appear (raw, URL-encoded or base64) in any reporter's output, in
 * error messages (transport errors with the key in the URL, a 401 echoing it, criteria failures quoting
 * it, invalid inputs), in RunResult's records or in the event stream (outputs are data, returned as sent). Credentials never cross origins on redirect.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServer as createNetServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { RunEvent, RunOptions, RunResult } from '../../src/engine/index.js';
import { runWorkflow } from '../../src/engine/index.js';
import { encodeRfc3986 } from '../../src/secrets/index.js';
import { captureIO } from '../cli/helpers.js';

const SPEC = join(import.meta.dirname, 'fixtures', 'secrets.arazzo.yaml');
const SECRET = 'sk_live+S3cr3t/Key=42xyzQ';
const SHORT_SECRET = 'tiny/Secret+9';

function forms(secret: string): string[] {
  return [
    secret,
    encodeURIComponent(secret),
    encodeRfc3986(secret),
    encodeURIComponent(secret).replace(/%20/g, '+'),
    Buffer.from(secret).toString('base64'),
    Buffer.from(secret).toString('base64url'),
    // The distinctive middle survives any partial escaping (only for long secrets: short slices are words).
    ...(secret.length >= 20 ? [secret.slice(5, -5)] : []),
  ];
}

/** A RunResult without its outputs: what a run shows (records, errors), as opposed to the data it returns. */
function shownOf(result: RunResult): unknown {
  return { ...result, outputs: {}, steps: result.steps.map((s) => ({ ...s, outputs: {} })) };
}

function expectAbsent(text: string, secret = SECRET): void {
  for (const form of forms(secret)) expect(text, `found ${JSON.stringify(form)}`).not.toContain(form);
}

interface Seen {
  url: string;
  headers: Record<string, string | string[] | undefined>;
}

let api: Server;
let elsewhere: Server;
let apiUrl = '';
let elsewhereUrl = '';
let closedUrl = '';
const seenElsewhere: Seen[] = [];
const seenApi: Seen[] = [];

function keyFrom(req: { headers: Record<string, string | string[] | undefined> }): string {
  const h = req.headers['x-api-key'];
  return Array.isArray(h) ? (h[0] ?? '') : (h ?? '');
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  elsewhere = createServer((req, res) => {
    req.resume();
    seenElsewhere.push({ url: req.url ?? '', headers: req.headers });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ echo: 'elsewhere' }));
  });
  elsewhereUrl = await listen(elsewhere);
  api = createServer((req, res) => {
    req.resume();
    seenApi.push({ url: req.url ?? '', headers: req.headers });
    const mode = (req.url ?? '').split('?')[0]?.split('/').pop();
    const key = keyFrom(req);
    if (mode === 'echo') {
      res.writeHead(200, { 'content-type': 'application/json', 'x-echo': key });
      res.end(JSON.stringify({ echo: key, url: req.url, cookie: req.headers.cookie }));
    } else if (mode === '401') {
      res.writeHead(401, { 'content-type': 'text/plain', 'www-authenticate': `ApiKey key="${key}"` });
      res.end(`invalid api key ${key} (${req.url})`);
    } else if (mode === 'cross') {
      res.writeHead(302, { location: `${elsewhereUrl}/landing?api_key=${encodeURIComponent(key)}&keep=1` });
      res.end();
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  apiUrl = await listen(api);
  const probe = createNetServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  closedUrl = `http://127.0.0.1:${(probe.address() as AddressInfo).port}`;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
});

afterAll(async () => {
  for (const s of [api, elsewhere]) {
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }
});

interface Case {
  workflow: 'viaAuth' | 'viaParams';
  mode: string;
  closed?: boolean;
  secret?: string;
  /** What must be true of the run, to prove the path was taken. */
  want: { status: 'succeeded' | 'failed'; code?: string; message?: RegExp };
}

const cases: Array<[string, Case]> = [
  [
    'auth: criteria failures quoting the echoed key',
    { workflow: 'viaAuth', mode: 'echo', want: { status: 'failed', message: /echo/ } },
  ],
  [
    'auth: 401 whose body and header echo the key',
    { workflow: 'viaAuth', mode: '401', want: { status: 'failed', message: /401/ } },
  ],
  [
    'auth: connection refused with the key in the query',
    { workflow: 'viaAuth', mode: 'echo', closed: true, want: { status: 'failed', code: 'ECONNREFUSED' } },
  ],
  [
    'auth: cross-origin redirect carrying the key',
    { workflow: 'viaAuth', mode: 'cross', want: { status: 'failed', code: 'CROSS_ORIGIN_REDIRECT' } },
  ],
  [
    'params: criteria failures quoting the key',
    { workflow: 'viaParams', mode: 'echo', want: { status: 'failed', message: /echo/ } },
  ],
  [
    'params: 401 echoing the key',
    { workflow: 'viaParams', mode: '401', want: { status: 'failed', message: /401/ } },
  ],
  [
    'params: connection refused with the key in the query',
    { workflow: 'viaParams', mode: 'echo', closed: true, want: { status: 'failed', code: 'ECONNREFUSED' } },
  ],
  [
    'params: cross-origin redirect carrying the key',
    { workflow: 'viaParams', mode: 'cross', want: { status: 'failed', code: 'CROSS_ORIGIN_REDIRECT' } },
  ],
  [
    'params: invalid input (too short) holding a secret',
    {
      workflow: 'viaParams',
      mode: 'echo',
      secret: SHORT_SECRET,
      want: { status: 'failed', code: 'INPUTS_INVALID' },
    },
  ],
];

function runOptions(c: Case): RunOptions {
  const secret = c.secret ?? SECRET;
  return {
    workflowId: c.workflow,
    servers: { api: c.closed ? closedUrl : apiUrl },
    requestTimeoutMs: 2000,
    ...(c.workflow === 'viaAuth' ? { auth: { HeaderKey: secret, QueryKey: secret, CookieKey: secret } } : {}),
  };
}

function runInputs(c: Case): Record<string, unknown> {
  return c.workflow === 'viaAuth' ? { mode: c.mode } : { mode: c.mode, apiKey: c.secret ?? SECRET };
}

describe('library: RunResult and the event stream', () => {
  it.each(cases)('%s', async (_name, c) => {
    const events: RunEvent[] = [];
    const before = seenApi.length;
    const result = await runWorkflow(SPEC, runInputs(c), {
      ...runOptions(c),
      onEvent: (e) => events.push(e),
    });
    expect(result.status).toBe(c.want.status);
    const code = result.steps[0]?.error?.code ?? result.error?.code;
    if (c.want.code !== undefined) expect(code).toBe(c.want.code);
    // Outputs are the workflow's data, returned as the API sent them (issue 15); everything shown is masked.
    const text = JSON.stringify({ result: shownOf(result), events });
    if (c.mode === 'echo' && !c.closed && result.outputs.echo !== undefined)
      expect(result.outputs.echo).toBe(c.secret ?? SECRET);
    if (c.want.message !== undefined) expect(text).toMatch(c.want.message);
    if (c.mode === 'echo' && !c.closed && c.want.code === undefined) {
      // The key really went out in all three places (so masking, not absence, is what is tested).
      const sent = seenApi.slice(before);
      expect(sent.length).toBeGreaterThan(0);
      expect(keyFrom(sent[0]!)).toBe(SECRET);
      expect(sent[0]!.url).toContain(encodeURIComponent(SECRET).slice(0, 10));
      expect(String(sent[0]!.headers.cookie)).toContain('session_key=');
      expect(text).toContain('***');
    }
    expectAbsent(text, c.secret ?? SECRET);
    if (c.want.code !== 'INPUTS_INVALID') expect(events.length).toBeGreaterThan(0);
  });
});

describe('CLI: every reporter, with and without --verbose', () => {
  const reporters: Array<[string, string[]]> = [
    ['pretty', ['-r', 'pretty']],
    ['pretty --verbose', ['-r', 'pretty', '--verbose']],
    ['json', ['-r', 'json']],
    ['json --verbose', ['-r', 'json', '--verbose']],
    ['junit', ['-r', 'junit']],
    ['junit --verbose', ['-r', 'junit', '--verbose']],
    ['html', ['-r', 'html']],
  ];
  const table = cases.flatMap(([name, c]) =>
    reporters.map(([r, flags]): [string, Case, string[]] => [`${r}: ${name}`, c, flags]),
  );

  it.each(table)('%s', async (_name, c, flags) => {
    const secret = c.secret ?? SECRET;
    const argv = [
      'run',
      SPEC,
      '-w',
      c.workflow,
      '--server',
      `api=${c.closed ? closedUrl : apiUrl}`,
      '--input',
      `mode=${c.mode}`,
      '--request-timeout',
      '2000',
      ...flags,
    ];
    if (c.workflow === 'viaAuth')
      argv.push(
        '--auth',
        `HeaderKey=${secret}`,
        '--auth',
        `QueryKey=${secret}`,
        '--auth',
        `CookieKey=${secret}`,
      );
    else argv.push('--input', `apiKey=${secret}`);
    const cap = captureIO();
    const code = await main(argv, cap.io);
    expect(code).toBe(c.want.status === 'succeeded' ? 0 : 1);
    const output = cap.stdout() + cap.stderr();
    expect(output.length).toBeGreaterThan(0);
    if (c.want.code !== undefined) expect(output).toContain(c.want.code);
    expectAbsent(output, secret);
  });

  it('an env: reference keeps the secret out of the output too', async () => {
    const cap = captureIO({ env: { MY_KEY: SECRET } });
    const code = await main(
      [
        'run',
        SPEC,
        '-w',
        'viaParams',
        '--server',
        `api=${apiUrl}`,
        '--input',
        'mode=echo',
        '--input',
        'apiKey=env:MY_KEY',
        '-r',
        'json',
        '--verbose',
      ],
      cap.io,
    );
    expect(code).toBe(1);
    expectAbsent(cap.stdout() + cap.stderr());
  });
});

describe('credentials never cross origins on redirect', () => {
  it.each<[string, Case['workflow']]>([
    ['via auth', 'viaAuth'],
    ['via explicit parameters', 'viaParams'],
  ])(
    '%s, with allowCrossOriginRedirects: the other origin sees no key, header, cookie or query',
    async (_name, workflow) => {
      const c: Case = { workflow, mode: 'cross', want: { status: 'failed' } };
      const before = seenElsewhere.length;
      const events: RunEvent[] = [];
      const result = await runWorkflow(SPEC, runInputs(c), {
        ...runOptions(c),
        allowCrossOriginRedirects: true,
        onEvent: (e) => events.push(e),
      });
      const seen = seenElsewhere.slice(before);
      expect(seen).toHaveLength(1);
      const hop = seen[0]!;
      expect(hop.url.startsWith('/landing')).toBe(true);
      expect(hop.url).toContain('keep=1');
      expect(hop.headers['x-api-key']).toBeUndefined();
      expect(hop.headers.cookie).toBeUndefined();
      expect(hop.headers.authorization).toBeUndefined();
      expectAbsent(JSON.stringify(hop));
      // The step reached the other origin's answer.
      expect(result.steps[0]?.response?.statusCode).toBe(200);
      expectAbsent(JSON.stringify({ result: shownOf(result), events }));
    },
  );

  it('by default the other origin is not contacted at all', async () => {
    const before = seenElsewhere.length;
    const result = await runWorkflow(
      SPEC,
      { mode: 'cross', apiKey: SECRET },
      runOptions({ workflow: 'viaParams', mode: 'cross', want: { status: 'failed' } }),
    );
    expect(result.steps[0]?.error?.code).toBe('CROSS_ORIGIN_REDIRECT');
    expect(seenElsewhere.length).toBe(before);
  });
});
