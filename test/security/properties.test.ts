/**
 * Property-based robustness (issue #7): for any input the parsers and evaluators return a result or
 * diagnostics and throw nothing but ArazzoErrors; they never hang; time grows about linearly with size.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateCriterion, parseCondition } from '../../src/criteria/index.js';
import { parseDocumentText, validateArazzo } from '../../src/document/index.js';
import { isArazzoError } from '../../src/errors.js';
import { evaluateExpression, parseExpression, parseTemplate } from '../../src/expression/index.js';
import type { ExpressionScope } from '../../src/expression/types.js';
import { loadArazzo } from '../../src/sources/index.js';

const RUNS = Number(process.env.FC_RUNS ?? 150);
/** No single call may take this long: a hang shows up as a failed property, not a stuck suite. */
const MAX_CALL_MS = 2000;
/** Growth from n to 8n that still counts as linear: 8 is linear, 64 quadratic; the gap absorbs noise. */
const LINEAR_RATIO_LIMIT = 40;

const VALID = `arazzo: 1.0.1
info:
  title: Fixture
  version: 1.0.0
sourceDescriptions:
  - name: api
    url: ./openapi.yaml
    type: openapi
workflows:
  - workflowId: w1
    inputs: { type: object, properties: { id: { type: string } } }
    steps:
      - stepId: s1
        operationId: getThing
        parameters: [{ name: id, in: path, value: $inputs.id }]
        successCriteria:
          - condition: $statusCode == 200 && $response.body#/ok == true
          - { context: $response.body, condition: $.items[?(@.id > 1)], type: jsonpath }
        outputs: { id: $response.body#/id }
    outputs: { id: $steps.s1.outputs.id }
`;

const OPENAPI = JSON.stringify({
  openapi: '3.0.3',
  info: { title: 'x', version: '1' },
  paths: {
    '/things/{id}': { get: { operationId: 'getThing', responses: { '200': { description: 'ok' } } } },
  },
});

/** Runs `fn`, returns whether it threw, and fails the property on a foreign exception or a slow call. */
function mustBehave(fn: () => unknown): void {
  const started = performance.now();
  try {
    fn();
  } catch (e) {
    if (!isArazzoError(e)) throw new Error(`foreign exception: ${e instanceof Error ? e.stack : String(e)}`);
  }
  const ms = performance.now() - started;
  if (ms > MAX_CALL_MS) throw new Error(`call took ${Math.round(ms)} ms`);
}

async function mustBehaveAsync(fn: () => Promise<unknown>): Promise<void> {
  const started = performance.now();
  try {
    await fn();
  } catch (e) {
    if (!isArazzoError(e)) throw new Error(`foreign exception: ${e instanceof Error ? e.stack : String(e)}`);
  }
  const ms = performance.now() - started;
  if (ms > MAX_CALL_MS) throw new Error(`call took ${Math.round(ms)} ms`);
}

const tokens = (list: string[], maxLength = 40) =>
  fc.array(fc.constantFrom(...list), { maxLength }).map((parts) => parts.join(''));

const EXPRESSION_TOKENS = [
  '$',
  'url',
  'method',
  'statusCode',
  'request.',
  'response.',
  'header.',
  'query.',
  'path.',
  'body',
  'inputs.',
  'outputs.',
  'steps.',
  'workflows.',
  'sourceDescriptions.',
  'components.',
  'parameters.',
  '__proto__',
  'constructor',
  'prototype',
  '#',
  '/',
  '~0',
  '~1',
  '~2',
  '.',
  '[',
  ']',
  '0',
  '-1',
  'a',
  'x-Key',
  '{',
  '}',
  ' ',
  '\\',
  '%',
  '\u0000',
  '\u{1F600}',
];
const CONDITION_TOKENS = [
  ...EXPRESSION_TOKENS,
  '==',
  '!=',
  '<',
  '<=',
  '>',
  '>=',
  '&&',
  '||',
  '!',
  '(',
  ')',
  "'",
  '"',
  'true',
  'false',
  'null',
  '1.5',
  '200',
  '$.',
  '@',
  '*',
  '?',
  '..',
  ',',
  ':',
  '=~',
  'count(',
  '/*',
  '//',
];
const YAML_TOKENS = [
  'arazzo: 1.0.1\n',
  'info:\n',
  '  title: t\n',
  'workflows:\n',
  '  - workflowId: w\n',
  '    steps:\n',
  '      - stepId: s\n',
  '        operationId: op\n',
  'sourceDescriptions:\n',
  '  - { name: a, url: x }\n',
  '{',
  '}',
  '[',
  ']',
  ':',
  ',',
  '- ',
  '? ',
  '\n',
  '  ',
  '\t',
  '&a ',
  '*a',
  '<<: *a\n',
  '!!str ',
  '!!binary ',
  '!custom ',
  '%YAML 1.2\n',
  '---\n',
  '...\n',
  '#',
  "'",
  '"',
  '|\n',
  '>-\n',
  '__proto__: ',
  'constructor: ',
  '$ref: ',
  '"\\u0000"',
  '1e999',
  '-.inf',
  '0x1F',
  '~',
  'null',
  '\uFEFF',
];

/** Text edits of a valid document: insert, delete or replace at random positions. */
const mutatedDocument = fc
  .array(
    fc.record({
      at: fc.nat({ max: VALID.length }),
      del: fc.nat({ max: 20 }),
      insert: fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom(...YAML_TOKENS)),
    }),
    { minLength: 1, maxLength: 6 },
  )
  .map((edits) => {
    let text = VALID;
    for (const e of edits) {
      const at = Math.min(e.at, text.length);
      text = text.slice(0, at) + e.insert + text.slice(at + e.del);
    }
    return text;
  });

const anyText = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  tokens(YAML_TOKENS, 30),
  mutatedDocument,
);

const scope: ExpressionScope = {
  url: 'http://x/y?a=1',
  method: 'GET',
  statusCode: 200,
  inputs: { id: '1', list: [1, 2, { a: 'b' }] },
  request: { headers: { 'x-key': 'k' }, query: { a: '1' }, path: { id: '1' }, body: { a: [1, 2] } },
  response: {
    headers: { 'content-type': 'application/json' },
    body: { ok: true, items: [{ id: 1 }, { id: 2 }] },
  },
  steps: { s1: { outputs: { id: 7 } } },
  outputs: {},
  workflows: {},
};

describe('properties: never a foreign exception, never a hang', () => {
  it('parseDocumentText + validateArazzo (strict and compat)', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        mustBehave(() => {
          const parsed = parseDocumentText(text, 'fuzz.yaml');
          expect(Array.isArray(parsed.diagnostics)).toBe(true);
          for (const strict of [false, true]) {
            const result = validateArazzo(parsed, { strict });
            if (result.document === undefined) {
              expect(result.diagnostics.some((d) => d.severity === 'error')).toBe(true);
            }
          }
        });
      }),
      { numRuns: RUNS },
    );
  });

  it('loadArazzo on strings (sources served by an injected loader)', async () => {
    await fc.assert(
      fc.asyncProperty(anyText, async (text) => {
        await mustBehaveAsync(() =>
          loadArazzo(text.includes('\n') ? text : `${text}\n`, {
            loader: async () => ({ text: OPENAPI }),
          }),
        );
      }),
      { numRuns: Math.ceil(RUNS / 2) },
    );
  });

  it('parseExpression / evaluateExpression / parseTemplate', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 60 }), tokens(EXPRESSION_TOKENS)), (src) => {
        mustBehave(() => parseExpression(src));
        mustBehave(() => evaluateExpression(src, scope));
        mustBehave(() => parseTemplate(src));
      }),
      { numRuns: RUNS },
    );
  });

  it('parseCondition (compat and strict) and evaluateCriterion of every type never throw', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ maxLength: 60 }), tokens(CONDITION_TOKENS)),
        fc.constantFrom(undefined, 'simple', 'regex', 'jsonpath', 'xpath', 'bogus'),
        fc.constantFrom(
          undefined,
          '$response.body',
          '$statusCode',
          '$inputs.__proto__',
          '$response.header.x',
        ),
        (condition, type, context) => {
          mustBehave(() => parseCondition(condition, { compat: true }));
          mustBehave(() => parseCondition(condition, { compat: false }));
          const started = performance.now();
          // evaluateCriterion must not throw at all, not even an ArazzoError.
          const record = evaluateCriterion(
            {
              condition,
              ...(type !== undefined ? { type } : {}),
              ...(context !== undefined ? { context } : {}),
            } as Parameters<typeof evaluateCriterion>[0],
            scope,
          );
          expect(typeof record.passed).toBe('boolean');
          if (!record.passed)
            expect(typeof record.reason === 'string' || record.reason === undefined).toBe(true);
          expect(performance.now() - started).toBeLessThan(MAX_CALL_MS);
        },
      ),
      { numRuns: RUNS },
    );
  });
});

/**
 * Best of `times` measurements of the CPU time this process spends (user + system, in ms). CPU time, not wall
 * time: other processes on a busy machine delay a call but do not add to its CPU time; and the minimum,
 * because a pause (a collection, a page fault) only ever adds.
 */
function time(fn: () => unknown, times = 5): number {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < times; i++) {
    const started = process.cpuUsage();
    try {
      fn();
    } catch (e) {
      if (!isArazzoError(e)) throw e;
    }
    const used = process.cpuUsage(started);
    best = Math.min(best, (used.user + used.system) / 1000);
  }
  return best;
}

/**
 * The growth ratio from size n to 8n, measured in up to three rounds and the best round kept: a machine
 * busy with other work can stretch any one round (a pause during the 8n runs once gave a ratio of 70), but
 * it cannot make a quadratic algorithm look linear, whose ratio stays near 64 in every round.
 */
function growthRatio(
  run: (n: number) => unknown,
  n: number,
): { ratio: number; small: number; large: number } {
  time(() => run(n), 2); // warm up (JIT)
  let best = { ratio: Number.POSITIVE_INFINITY, small: 0, large: 0 };
  for (let round = 0; round < 3 && best.ratio >= LINEAR_RATIO_LIMIT; round++) {
    // Below a millisecond the timer and the scheduler dominate: a floor keeps the ratio meaningful.
    const small = Math.max(
      time(() => run(n)),
      1,
    );
    const large = time(() => run(n * 8));
    if (large / small < best.ratio) best = { ratio: large / small, small, large };
  }
  return best;
}

/**
 * Worst-case shaped inputs at size n and 8n. A ratio under LINEAR_RATIO_LIMIT (linear would be 8, quadratic
 * 64) is "linear-ish" with room for noise; absolute times are asserted only as a hang bound. Sizes stay where
 * a call's garbage fits V8's young generation (a few hundred KB of text): past it, collection cost grows
 * faster than the input whatever the algorithm (a 2.4 MB broken JSON text measured 60x for 8x).
 */
describe('time grows about linearly with input size', () => {
  const yamlDeep = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
  const yamlDeepOpen = (n: number) => `a: ${'['.repeat(n)}`;
  const yamlBlockDeep = (n: number) => Array.from({ length: n }, (_, i) => `${' '.repeat(i)}k:`).join('\n');
  const yamlManyKeys = (n: number) => Array.from({ length: n }, (_, i) => `k${i % 50}: v`).join('\n');
  const jsonLong = (n: number) => `{"arazzo": "${'x'.repeat(n * 50)}", "bad": }`;
  const condParens = (n: number) => `${'('.repeat(n)}$statusCode == 200${')'.repeat(n)}`;
  const condOpenParens = (n: number) => `${'('.repeat(n)}$statusCode ==`;
  const condChain = (n: number) => Array.from({ length: n }, () => '$statusCode == 200').join(' && ');
  const condQuotes = (n: number) => `$response.body#/a == '${"\\'".repeat(n)}`;
  const exprLongPointer = (n: number) => `$response.body#${'/a~1b'.repeat(n)}`;
  const exprLongDots = (n: number) => `$steps${'.a'.repeat(n)}`;
  const templateBraces = (n: number) => '{$inputs.id}{'.repeat(n);

  it.each<[string, { n: number; run: (n: number) => unknown }]>([
    ['YAML flow nesting [[[...]]]', { n: 100, run: (n) => parseDocumentText(yamlDeep(n), 'x') }],
    ['YAML unclosed flow nesting', { n: 200, run: (n) => parseDocumentText(yamlDeepOpen(n), 'x') }],
    ['YAML block nesting', { n: 150, run: (n) => parseDocumentText(yamlBlockDeep(n), 'x') }],
    [
      'YAML duplicate keys',
      { n: 2000, run: (n) => validateArazzo(parseDocumentText(yamlManyKeys(n), 'x'), { strict: false }) },
    ],
    ['broken JSON with a long string', { n: 1000, run: (n) => parseDocumentText(jsonLong(n), 'x') }],
    ['condition (((...)))', { n: 100, run: (n) => parseCondition(condParens(n)) }],
    ['condition unclosed (((', { n: 100, run: (n) => parseCondition(condOpenParens(n)) }],
    ['condition && chain', { n: 300, run: (n) => evaluateCriterion({ condition: condChain(n) }, scope) }],
    ['condition escaped quotes', { n: 2000, run: (n) => parseCondition(condQuotes(n)) }],
    ['expression long pointer', { n: 2000, run: (n) => evaluateExpression(exprLongPointer(n), scope) }],
    ['expression long dotted path', { n: 2000, run: (n) => parseExpression(exprLongDots(n)) }],
    ['template many braces', { n: 1000, run: (n) => parseTemplate(templateBraces(n)) }],
  ])('%s', (_name, { n, run }) => {
    const { ratio, small, large } = growthRatio(run, n);
    expect(ratio, `1x ${small.toFixed(2)} ms, 8x ${large.toFixed(2)} ms`).toBeLessThan(LINEAR_RATIO_LIMIT);
    expect(large).toBeLessThan(MAX_CALL_MS);
  });
});

describe('the linearity check itself', () => {
  it('fails a quadratic algorithm (the measure can tell the two apart)', () => {
    const quadratic = (n: number): number => {
      let sum = 0;
      for (let i = 0; i < n * 20; i++) for (let j = 0; j < n * 20; j++) sum += i ^ j;
      return sum;
    };
    expect(growthRatio(quadratic, 100).ratio).toBeGreaterThanOrEqual(LINEAR_RATIO_LIMIT);
  });
});

describe('deep nesting', () => {
  // The condition parser bounds its nesting depth (MAX_CONDITION_DEPTH), so this is a CONDITION_SYNTAX error.
  it('parseCondition with 5000 nested parentheses throws only an ArazzoError', () => {
    const src = `${'('.repeat(5000)}$statusCode == 200${')'.repeat(5000)}`;
    expect(() => mustBehave(() => parseCondition(src))).not.toThrow();
  });

  it('evaluateCriterion and checkCriterion survive 5000 nested parentheses', () => {
    const condition = `${'('.repeat(5000)}$statusCode == 200${')'.repeat(5000)}`;
    const record = evaluateCriterion({ condition }, scope);
    expect(record.passed).toBe(false);
    expect(record.reason).toMatch(/cannot evaluate/);
  });

  it.each<[string, string]>([
    ['flow sequences 10k deep, closed', `${'['.repeat(10_000)}${']'.repeat(10_000)}`],
    ['flow sequences 10k deep, unclosed', `a: ${'['.repeat(10_000)}`],
    ['flow mappings 10k deep', `${'{a: '.repeat(10_000)}1${'}'.repeat(10_000)}`],
    ['JSON arrays 10k deep', `{"arazzo": ${'['.repeat(10_000)}${']'.repeat(10_000)}}`],
    ['block mappings 3k deep', Array.from({ length: 3000 }, (_, i) => `${' '.repeat(i)}k:`).join('\n')],
  ])('%s: diagnostics, not a crash', (_name, text) => {
    mustBehave(() => {
      const parsed = parseDocumentText(text, 'deep.yaml');
      const result = validateArazzo(parsed, { strict: false });
      expect(result.document).toBeUndefined();
      const errors = [...parsed.diagnostics, ...result.diagnostics].filter((d) => d.severity === 'error');
      expect(errors.length).toBeGreaterThan(0);
      expect(errors.length).toBeLessThan(100);
    });
  });
});
