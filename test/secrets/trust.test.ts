/**
 * Masking never changes data (issue 15, section 1): each defect seen with a real command, as a test.
 * A secret is a declared one; outputs come back as the API sent them; reports mask the structure.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { DOMParser } from '@xmldom/xmldom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { runWorkflow } from '../../src/index.js';
import { captureIO } from '../cli/helpers.js';

const SPEC = join(import.meta.dirname, 'fixtures', 'trust.arazzo.yaml');
const TOKEN = 'tok-login-5566';
const DEFAULT_PASS = 'default-pass-7788';

let server: Server;
let base = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const answer = (body: unknown) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (url.pathname === '/login') return answer({ token: TOKEN });
    if (url.pathname === '/me') return answer({ seen: req.headers['x-session-token'] });
    if (url.pathname === '/pets') return answer({ name: 'rex', id: 1000 });
    if (url.pathname === '/status') return answer({ status: 'green' });
    if (url.pathname === '/echo') return answer({ pass: url.searchParams.get('pass') });
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('library: outputs are the workflow data, records mask what they display', () => {
  it('a token sent in X-Session-Token comes back in outputs; only the header in the record is masked', async () => {
    const result = await runWorkflow(
      SPEC,
      { user: 'ann', password: 'pw-ann-31337' },
      { workflowId: 'login', servers: { api: base } },
    );
    expect(result.status).toBe('succeeded');
    expect(result.outputs).toEqual({ token: TOKEN, seen: TOKEN });
    expect(result.steps[0]?.outputs).toEqual({ token: TOKEN });
    expect(result.steps[1]?.outputs).toEqual({ seen: TOKEN });
    expect(result.steps[1]?.request?.headers['X-Session-Token']).toBe('***');
    // The response that merely contains the token is the API's data, not a declared secret.
    expect(result.steps[1]?.response?.body).toEqual({ seen: TOKEN });
    // The format: password input is declared: masked in the login request record.
    expect(result.steps[0]?.request?.body).toEqual({ user: 'ann', password: '***' });
  });

  it('inputs named like credentials (sortKey=name, sessionId=1000) declare nothing: no key or number changes', async () => {
    const result = await runWorkflow(
      SPEC,
      { sortKey: 'name', sessionId: 1000 },
      { workflowId: 'pets', servers: { api: base } },
    );
    expect(result.outputs).toEqual({ pet: { name: 'rex', id: 1000 } });
    expect(result.steps[0]?.response?.body).toEqual({ name: 'rex', id: 1000 });
    expect(result.steps[0]?.request?.url).toBe(`${base}/pets?sort=name`);
    // Shown where displayed: the header's name looks like a credential.
    expect(result.steps[0]?.request?.headers['X-Session-Id']).toBe('***');
  });

  it('a format: password input that takes its schema default is masked in records and events', async () => {
    const events: unknown[] = [];
    const result = await runWorkflow(
      SPEC,
      {},
      {
        workflowId: 'defaulted',
        servers: { api: base },
        auth: { ApiKey: 'api-key-424242' },
        onEvent: (e) => events.push(e),
      },
    );
    expect(result.status).toBe('succeeded');
    expect(result.outputs).toEqual({ echoed: DEFAULT_PASS });
    expect(result.steps[0]?.request?.url).toBe(`${base}/echo?pass=***`);
    expect(result.steps[0]?.response?.body).toEqual({ pass: '***' });
    expect(JSON.stringify(events)).not.toContain(DEFAULT_PASS);
    expect(JSON.stringify(events)).not.toContain('api-key-424242');
  });
});

describe('CLI reports: masked structures, valid documents', () => {
  const run = async (workflow: string, ...flags: string[]) => {
    const cap = captureIO();
    const code = await main(['run', SPEC, '-w', workflow, '--server', `api=${base}`, ...flags], cap.io);
    return { code, out: cap.stdout(), err: cap.stderr() };
  };

  it('--reporter json with sortKey=name, sessionId=1000: valid JSON, no {"***": ...}, no "id": ***', async () => {
    const { code, out } = await run(
      'pets',
      '--input',
      'sortKey=name',
      '--input',
      'sessionId=1000',
      '-r',
      'json',
    );
    expect(code).toBe(0);
    const parsed = JSON.parse(out) as { outputs: unknown; steps: Array<{ response: { body: unknown } }> };
    expect(parsed.outputs).toEqual({ pet: { name: 'rex', id: 1000 } });
    expect(parsed.steps[0]?.response.body).toEqual({ name: 'rex', id: 1000 });
  });

  it('--input apiKey=status does not turn the key "status" into ***', async () => {
    const { code, out } = await run('status', '--input', 'apiKey=status', '-r', 'json');
    expect(code).toBe(0);
    const parsed = JSON.parse(out) as Record<string, unknown>;
    expect(parsed.status).toBe('succeeded');
    expect(parsed.outputs).toEqual({ body: { status: 'green' } });
  });

  it('the login token is printed as the workflow returned it; the header carrying it is masked', async () => {
    const { code, out } = await run(
      'login',
      '--input',
      'user=ann',
      '--input',
      'password=pw-ann-31337',
      '-r',
      'json',
    );
    expect(code).toBe(0);
    const parsed = JSON.parse(out) as {
      outputs: unknown;
      steps: Array<{ request: { headers: Record<string, string> } }>;
    };
    expect(parsed.outputs).toEqual({ token: TOKEN, seen: TOKEN });
    expect(parsed.steps[1]?.request.headers['X-Session-Token']).toBe('***');
    expect(out).not.toContain('pw-ann-31337');
  });

  it.each<[string, string]>([
    ['json', 'json'],
    ['html', 'html'],
    ['junit', 'junit'],
    ['pretty --verbose', 'pretty'],
  ])('a format: password default is masked in the %s report', async (_name, reporter) => {
    const { code, out, err } = await run(
      'defaulted',
      '--auth',
      'ApiKey=api-key-424242',
      '-r',
      reporter,
      ...(reporter === 'pretty' ? ['--verbose'] : []),
    );
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).not.toContain(DEFAULT_PASS);
    expect(out).not.toContain('api-key-424242');
    expect(out).toContain('***');
    if (reporter === 'json')
      expect((JSON.parse(out) as { outputs: unknown }).outputs).toEqual({ echoed: '***' });
    if (reporter === 'junit')
      expect(parseXml(out).getElementsByTagName('testsuite').length).toBeGreaterThan(0);
  });

  it.each<[string, { secret: string; pet: unknown }]>([
    ['a number', { secret: '1000', pet: { name: 'rex', id: 1000 } }],
    ['a short word that is also a key', { secret: 'name', pet: { name: 'rex', id: 1000 } }],
    ['a short word that is a value', { secret: 'rex', pet: { name: '***', id: 1000 } }],
    ['a word in every document', { secret: 'api', pet: { name: 'rex', id: 1000 } }],
  ])(
    'a declared secret that is %s: JSON and JUnit reports stay valid, keys and numbers stay',
    async (_name, { secret, pet }) => {
      for (const reporter of ['json', 'junit']) {
        const { code, out } = await run(
          'pets',
          '--input',
          'sortKey=x',
          '--auth',
          `ApiKey=${secret}`,
          '-r',
          reporter,
        );
        expect(code).toBe(0);
        if (reporter === 'json') {
          const parsed = JSON.parse(out) as { outputs: unknown; status: string; workflowId: string };
          expect(parsed.status).toBe('succeeded');
          expect(parsed.workflowId).toBe('pets');
          expect(parsed.outputs).toEqual({ pet });
        } else {
          expect(parseXml(out).getElementsByTagName('testcase').length).toBeGreaterThan(0);
        }
      }
    },
  );
});

function parseXml(text: string): Document {
  const errors: string[] = [];
  const doc = new DOMParser({
    onError: (level: string, message: string) => {
      if (level !== 'warning') errors.push(message);
    },
  }).parseFromString(text, 'text/xml') as unknown as Document;
  expect(errors).toEqual([]);
  return doc;
}
