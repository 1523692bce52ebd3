/**
 * Property (issue 15, section 1): for random secrets (short words and digits included), random ways of
 * declaring them, random inputs and random response documents, the JSON report parses, its keys, numbers
 * and shape are those of the unmasked result, the JUnit report is well-formed, and no string in the
 * report is the declared secret in any of its encoded forms (nor holds one, for secrets long enough to be
 * masked inside a longer string).
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DOMParser } from '@xmldom/xmldom';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringifyJson } from '../../src/cli/format.js';
import { BufferWriter } from '../../src/cli/io.js';
import { createJsonReporter } from '../../src/cli/reporters/json.js';
import { createJunitReporter } from '../../src/cli/reporters/junit.js';
import { maskReporter } from '../../src/cli/reporters/masked.js';
import type { AuthValues, RunOptions } from '../../src/engine/index.js';
import { loadArazzo, Masker, runWorkflow } from '../../src/index.js';
import { encodeRfc3986, MIN_EMBEDDED_SECRET_LENGTH } from '../../src/secrets/index.js';

const OPENAPI = pathToFileURL(join(import.meta.dirname, 'fixtures', 'props.openapi.yaml')).href;
const USER = 'prop-user';

type Declared = 'apiKey' | 'basic' | 'input' | 'default' | 'option';

function documentFor(declared: Declared, secret: string): object {
  const pass: Record<string, unknown> = { type: 'string', format: 'password' };
  if (declared === 'default') pass.default = secret;
  return {
    arazzo: '1.0.1',
    info: { title: 'masking property', version: '1.0.0' },
    sourceDescriptions: [{ name: 'api', url: OPENAPI, type: 'openapi' }],
    workflows: [
      {
        workflowId: 'prop',
        inputs: { type: 'object', properties: { pass, other: { type: 'string' } } },
        steps: [
          {
            stepId: 'call',
            operationId: declared === 'basic' ? 'basic' : 'key',
            parameters: [
              { name: 'q', in: 'query', value: '$inputs.other' },
              { name: 'X-Pass', in: 'header', value: '$inputs.pass' },
            ],
            outputs: { body: '$response.body', pass: '$inputs.pass' },
          },
        ],
        outputs: { body: '$steps.call.outputs.body' },
      },
    ],
  };
}

/** Every form the secret may take once sent: raw, JSON-escaped, URL-encoded, base64 (and user:pass for Basic). */
function formsOf(secret: string, declared: Declared): string[] {
  const forms = [
    secret,
    JSON.stringify(secret).slice(1, -1),
    encodeURIComponent(secret),
    encodeURIComponent(secret).replace(/%20/g, '+'),
    encodeRfc3986(secret),
    Buffer.from(secret).toString('base64'),
  ];
  if (declared === 'basic') forms.push(Buffer.from(`${USER}:${secret}`).toString('base64'));
  return [...new Set(forms)];
}

/** The value with every string replaced by one marker: what masking may change is exactly the strings. */
function shape(value: unknown): unknown {
  if (typeof value === 'string') return '<string>';
  if (Array.isArray(value)) return value.map(shape);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shape(v)]));
  return value;
}

function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (value === null || typeof value !== 'object') return [];
  return Object.values(value).flatMap(strings);
}

const secretArb = fc.oneof(
  fc.constantFrom('name', 'status', 'id', 'rex', 'a', 'ok', 'true', 'prop', 'call', 'GET', '200'),
  fc.integer({ min: 0, max: 99_999 }).map(String),
  fc.string({ minLength: 1, maxLength: 12 }),
  fc.stringMatching(/^[A-Za-z0-9+/=_:-]{8,24}$/),
);

const caseArb = fc.record({
  secret: secretArb,
  declared: fc.constantFrom<Declared>('apiKey', 'basic', 'input', 'default', 'option'),
  other: fc.oneof(fc.string({ maxLength: 12 }), fc.constant('status')),
  body: fc.jsonValue({ maxDepth: 3 }),
  asKey: fc.boolean(),
});

describe('reports of random runs', () => {
  it('JSON parses with keys and numbers unchanged, JUnit is well-formed, the secret is in no string', async () => {
    await fc.assert(
      fc.asyncProperty(caseArb, async ({ secret, declared, other, body, asKey }) => {
        const long = secret.length >= MIN_EMBEDDED_SECRET_LENGTH;
        // The API echoes the secret: as a whole value, inside a longer string, as a key, as a number.
        const answer: Record<string, unknown> = { data: body, whole: secret, inner: `<${secret}>` };
        if (asKey) answer[secret] = 1;
        if (/^\d+$/.test(secret)) answer.number = Number(secret);

        const loaded = await loadArazzo(documentFor(declared, secret));
        const masker = new Masker();
        const auth: AuthValues =
          declared === 'basic'
            ? { Basic: { username: USER, password: secret } }
            : { ApiKey: declared === 'apiKey' ? secret : 'fixed-api-key-1' };
        const options: RunOptions = {
          masker,
          auth,
          ...(declared === 'option' ? { secrets: [secret] } : {}),
          transport: async (req) => ({
            statusCode: 200,
            headers: { 'content-type': 'application/json' },
            body: answer,
            size: 0,
            durationMs: 0,
            url: req.url,
          }),
        };
        const inputs = { other, ...(declared === 'input' ? { pass: secret } : {}) };
        const result = await runWorkflow(loaded, inputs, options);

        const json = new BufferWriter();
        const junit = new BufferWriter();
        for (const reporter of [createJsonReporter(json), createJunitReporter(junit, '/')]) {
          const masked = maskReporter(reporter, masker);
          masked.start({ file: 'prop.yaml', workflowId: 'prop', document: loaded.document, diagnostics: [] });
          masked.finish(result);
        }

        const parsed: unknown = JSON.parse(json.text);
        expect(shape(parsed)).toEqual(shape(JSON.parse(stringifyJson(result))));
        const errors: string[] = [];
        new DOMParser({
          onError: (level: string, message: string) => void (level !== 'warning' && errors.push(message)),
        }).parseFromString(junit.text, 'text/xml');
        expect(errors).toEqual([]);

        const forms = formsOf(secret, declared);
        for (const s of strings(parsed)) {
          expect(forms).not.toContain(s);
          if (long)
            for (const f of forms) if (f.length >= MIN_EMBEDDED_SECRET_LENGTH) expect(s).not.toContain(f);
        }
        if (long && !asKey)
          for (const f of forms)
            if (f.length >= MIN_EMBEDDED_SECRET_LENGTH) {
              expect(json.text).not.toContain(f);
              expect(junit.text).not.toContain(f);
            }
      }),
      { numRuns: 150 },
    );
  });
});
