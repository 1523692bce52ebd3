// npm run bench: measures the runtime side by side with a hand-written undici baseline, in one run.
// Prints a table and writes bench/results/latest.json. A script, not a timed test.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Agent, request } from 'undici';

// Retained memory is measured after a forced collection: re-run with --expose-gc when it is missing.
if (typeof globalThis.gc !== 'function') {
  const r = spawnSync(process.execPath, ['--expose-gc', ...process.argv.slice(1)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}

/** CPU time stolen by the hypervisor, from /proc/stat (Linux): the noise behind every wall-clock row. */
function stealTicks() {
  try {
    const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    return { steal: cpu[7] ?? 0, total: cpu.reduce((a, b) => a + b, 0) };
  } catch {
    return undefined;
  }
}
const stealAtStart = stealTicks();

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = (p) => new URL(`../dist/${p}`, import.meta.url).href;
const {
  runWorkflow,
  loadArazzo,
  composioSpec,
  parseExpression,
  evaluateExpression,
  parseCondition,
  evaluateCriterion,
} = await import(dist('index.js'));

const { upgradeArazzoText } = await import(dist('document/upgrade.js'));
const quick = process.argv.includes('--quick');
const rows = [];
const results = {};
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};
const fmt = (n, d = 2) => (typeof n === 'number' ? n.toFixed(d) : String(n));
function row(name, value, target, met) {
  rows.push({ name, value, target, met: met === undefined ? '' : met ? 'yes' : 'NO' });
}

const inputs = {
  apiKey: 'sim_test_key',
  toolkitSlug: 'gmail',
  authType: 'use_composio_managed_auth',
  userId: 'bench',
};

// 1. Per-step overhead: runWorkflow vs the same four requests with undici directly.
/**
 * The simulator runs in its own process, so the server's CPU is not charged to the runtime (or to the
 * baseline): both send the same requests to the same loopback server.
 */
async function startSimulatorProcess() {
  const code = `const { startComposioSimulator } = await import(${JSON.stringify(dist('simulator/index.js'))});
const sim = await startComposioSimulator({ pollsUntilActive: 0, maxLoggedRequests: 10 });
process.stdout.write(sim.url + '\\n');
process.stdin.resume();
process.stdin.on('end', () => sim.close().then(() => process.exit(0)));`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', code], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const url = await new Promise((resolve, reject) => {
    child.stdout.once('data', (d) => resolve(String(d).trim()));
    child.once('exit', (c) => reject(new Error(`simulator exited (${c})`)));
  });
  return { url, close: async () => child.stdin.end() };
}

async function perStep() {
  const sim = await startSimulatorProcess();
  const dispatcher = new Agent({ keepAliveTimeout: 10_000, connections: 16 });
  const loaded = await loadArazzo(composioSpec);
  const headers = { 'x-api-key': inputs.apiKey, 'content-type': 'application/json' };
  async function baseline() {
    const a = await request(`${sim.url}/api/v3/auth_configs`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ toolkit: { slug: 'gmail' }, auth_config: { type: inputs.authType } }),
      dispatcher,
    });
    const ac = await a.body.json();
    const b = await request(`${sim.url}/api/v3/connected_accounts`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ auth_config: { id: ac.auth_config.id }, connection: { user_id: 'bench' } }),
      dispatcher,
    });
    const ca = await b.body.json();
    for (let i = 0; i < 2; i++) {
      const c = await request(`${sim.url}/api/v3/connected_accounts/${ca.id}`, {
        headers: { 'x-api-key': inputs.apiKey },
        dispatcher,
      });
      await c.body.json();
    }
  }
  const runtime = async () => {
    const r = await runWorkflow(loaded, inputs, { servers: { composioApi: sim.url }, dispatcher });
    if (r.status !== 'succeeded') throw new Error(`bench run failed: ${JSON.stringify(r.error)}`);
  };
  const n = quick ? 300 : 2000;
  // Warm-up: both code paths and the simulator process reach their optimized steady state (a few hundred
  // runs are not enough for the simulator; its latency keeps falling for about a thousand requests).
  for (let i = 0; i < (quick ? 200 : 600); i++) {
    await baseline();
    await runtime();
  }
  const tb = [];
  const tr = [];
  const cb = [];
  const cr = [];
  // Interleave run by run so both see the same machine noise.
  for (let i = 0; i < n; i++) {
    let c = process.cpuUsage();
    let t = performance.now();
    await baseline();
    tb.push(performance.now() - t);
    let u = process.cpuUsage(c);
    cb.push(u.user + u.system);
    c = process.cpuUsage();
    t = performance.now();
    await runtime();
    tr.push(performance.now() - t);
    u = process.cpuUsage(c);
    cr.push(u.user + u.system);
  }
  const mb = median(tb);
  const mr = median(tr);
  const perStepUs = ((mr - mb) / 4) * 1000;
  // CPU time of this process per run (the simulator runs in another process): less noisy than wall time
  // on a machine with steal, and the honest "cost of the runtime" figure.
  const cpuB = cb.reduce((a, b) => a + b, 0) / n;
  const cpuR = cr.reduce((a, b) => a + b, 0) / n;
  const cpuPerStepUs = (cpuR - cpuB) / 4;
  results.perStep = {
    runs: n,
    baselineMedianMs: mb,
    runtimeMedianMs: mr,
    ratio: mr / mb,
    overheadPerStepUs: perStepUs,
    baselineCpuUsPerRun: cpuB,
    runtimeCpuUsPerRun: cpuR,
    cpuOverheadPerStepUs: cpuPerStepUs,
  };
  row('1. per-run median: undici baseline (4 requests)', `${fmt(mb, 3)} ms`, '');
  row('1. per-run median: runWorkflow (4 steps)', `${fmt(mr, 3)} ms`, '');
  row('1. ratio runtime / baseline', `${fmt(mr / mb)}x`, '< 1.15x', mr / mb < 1.15);
  row('1. runtime overhead per step (wall)', `${fmt(perStepUs, 1)} µs`, '< 100 µs', perStepUs < 100);
  row(
    '1. runtime CPU per step, beyond the baseline',
    `${fmt(cpuPerStepUs, 1)} µs (${fmt(cpuB, 0)} vs ${fmt(cpuR, 0)} µs/run)`,
    '',
  );

  // 2. Throughput: 1,000 concurrent runs on one dispatcher, and the same concurrency of the hand-written
  // baseline first: the server's own capacity bounds both, so the baseline row says what is reachable.
  const concurrent = quick ? 200 : 1000;
  // One warm-up round each (JIT, connection pool, server): the rows report steady-state throughput.
  await Promise.all(Array.from({ length: concurrent }, () => baseline()));
  await Promise.all(
    Array.from({ length: concurrent }, () =>
      runWorkflow(loaded, inputs, { servers: { composioApi: sim.url }, dispatcher }),
    ),
  );
  // Three measured rounds of each, alternating; the median round is reported.
  const rounds = quick ? 1 : 3;
  const baseRates = [];
  const rates = [];
  const cpuRates = [];
  const baseCpuRates = [];
  const peaks = [];
  let steps = 0;
  let failed = 0;
  for (let round = 0; round < rounds; round++) {
    const b0 = performance.now();
    const bc = process.cpuUsage();
    await Promise.all(Array.from({ length: concurrent }, () => baseline()));
    baseRates.push((concurrent * 4) / ((performance.now() - b0) / 1000));
    const bu = process.cpuUsage(bc);
    baseCpuRates.push((concurrent * 4) / ((bu.user + bu.system) / 1e6));
    globalThis.gc();
    const before = process.memoryUsage().heapUsed;
    let peak = before;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().heapUsed);
    }, 5);
    const t0 = performance.now();
    const rc = process.cpuUsage();
    const all = await Promise.all(
      Array.from({ length: concurrent }, () =>
        runWorkflow(loaded, inputs, { servers: { composioApi: sim.url }, dispatcher }),
      ),
    );
    const elapsed = (performance.now() - t0) / 1000;
    const ru = process.cpuUsage(rc);
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().heapUsed);
    steps = all.reduce((s, r) => s + r.steps.length, 0);
    failed += all.filter((r) => r.status !== 'succeeded').length;
    rates.push(steps / elapsed);
    // Steps per CPU-second of this process (GC threads included): what one core of our own sustains,
    // whatever the simulator process and the machine's other tenants take.
    cpuRates.push(steps / ((ru.user + ru.system) / 1e6));
    peaks.push((peak - before) / concurrent / 1024);
  }
  const baselineStepsPerSec = median(baseRates);
  const stepsPerSec = median(rates);
  const stepsPerCpuSec = median(cpuRates);
  const baselinePerCpuSec = median(baseCpuRates);
  const perRunKb = median(peaks);
  // Retained memory per in-flight run: start the batch, let the first requests go out, collect garbage
  // while (nearly) every run is still in flight, and divide what is left by the runs not yet finished.
  globalThis.gc();
  const idleHeap = process.memoryUsage().heapUsed;
  let inFlight = concurrent;
  const batch = Promise.all(
    Array.from({ length: concurrent }, () =>
      runWorkflow(loaded, inputs, { servers: { composioApi: sim.url }, dispatcher }).finally(() => {
        inFlight--;
      }),
    ),
  );
  await new Promise((r) => setTimeout(r, 40));
  const liveRuns = inFlight;
  globalThis.gc();
  const retainedKb = (process.memoryUsage().heapUsed - idleHeap) / Math.max(1, liveRuns) / 1024;
  await batch;
  results.throughput = {
    concurrent,
    rounds,
    baselineStepsPerSec,
    steps,
    failed,
    stepsPerSec,
    stepsPerSecRounds: rates,
    stepsPerCpuSecond: stepsPerCpuSec,
    baselineRequestsPerCpuSecond: baselinePerCpuSec,
    peakHeapDeltaKbPerRun: perRunKb,
    retainedKbPerInFlightRun: retainedKb,
    runsInFlightAtSample: liveRuns,
  };
  row(
    `2. baseline throughput, ${concurrent} concurrent (4 requests each)`,
    `${fmt(baselineStepsPerSec, 0)} requests/s`,
    '',
  );
  row(
    `2. throughput, ${concurrent} concurrent runs`,
    `${fmt(stepsPerSec, 0)} steps/s (${failed} failed)`,
    '>= 5000 steps/s',
    stepsPerSec >= 5000 && failed === 0,
  );
  row(
    '2. throughput per CPU-second of the runtime process',
    `${fmt(stepsPerCpuSec, 0)} steps (baseline ${fmt(baselinePerCpuSec, 0)} requests)`,
    '',
  );
  row(
    '2. heap retained per in-flight run (after GC)',
    `${fmt(retainedKb, 1)} KB (${liveRuns} runs in flight)`,
    '< 50 KB',
    retainedKb < 50,
  );
  row('2. peak heap growth per run, garbage included', `${fmt(perRunKb, 1)} KB`, '');
  await dispatcher.close();
  return sim;
}

// 3. Cold start: `arazzo run` vs a plain node script doing the same requests.
async function coldStart(simUrl) {
  const dir = mkdtempSync(join(tmpdir(), 'arazzo-bench-'));
  const plain = join(dir, 'plain.mjs');
  writeFileSync(
    plain,
    `const h={'x-api-key':'${inputs.apiKey}','content-type':'application/json'};const u='${simUrl}';
const a=await (await fetch(u+'/api/v3/auth_configs',{method:'POST',headers:h,body:JSON.stringify({toolkit:{slug:'gmail'},auth_config:{type:'use_composio_managed_auth'}})})).json();
const b=await (await fetch(u+'/api/v3/connected_accounts',{method:'POST',headers:h,body:JSON.stringify({auth_config:{id:a.auth_config.id},connection:{user_id:'u'}})})).json();
for(let i=0;i<2;i++) await (await fetch(u+'/api/v3/connected_accounts/'+b.id,{headers:h})).json();
`,
  );
  const cli = join(root, 'dist/cli/bin.js');
  const args = ['run', composioSpec, '--server', `composioApi=${simUrl}`, '--reporter', 'json'];
  for (const [k, v] of Object.entries(inputs)) args.push('--input', `${k}=${v}`);
  // Spawned asynchronously: the simulator answers from this process's event loop.
  const time = (cmd) =>
    new Promise((resolve, reject) => {
      const t = performance.now();
      const child = spawn(process.execPath, cmd, { stdio: ['ignore', 'pipe', 'pipe'] });
      let err = '';
      child.stderr.on('data', (d) => (err += d));
      child.stdout.resume();
      child.on('close', (code) => {
        if (code !== 0) reject(new Error(`cold start command failed (${code}): ${err}`));
        else resolve(performance.now() - t);
      });
    });
  const n = quick ? 5 : 21;
  const tp = [];
  const tc = [];
  for (let i = 0; i < n; i++) {
    tp.push(await time([plain]));
    tc.push(await time([cli, ...args]));
  }
  rmSync(dir, { recursive: true, force: true });
  const mp = median(tp);
  const mc = median(tc);
  results.coldStart = { runs: n, plainMs: mp, cliMs: mc, ratio: mc / mp };
  row('3. cold start: plain node script', `${fmt(mp, 0)} ms`, '');
  row('3. cold start: arazzo run (CLI)', `${fmt(mc, 0)} ms (${fmt(mc / mp)}x)`, '< 2x', mc / mp < 2);
}

// 4. Loading: Composio (2 MB OpenAPI) and a synthetic 20 MB document with 5,000 operations.
function synthetic(dir) {
  const paths = {};
  const pad = 'x'.repeat(3300);
  for (let i = 0; i < 5000; i++) {
    paths[`/resources${i}/{id}`] = {
      get: {
        operationId: `getResource${i}`,
        description: pad,
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        responses: {
          200: {
            description: 'ok',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } },
          },
        },
      },
    };
  }
  const doc = {
    openapi: '3.1.0',
    info: { title: 'synthetic', version: '1' },
    servers: [{ url: 'http://127.0.0.1:1' }],
    paths,
    components: { schemas: { Thing: { type: 'object', properties: { id: { type: 'string' } } } } },
  };
  const openapi = join(dir, 'big.json');
  writeFileSync(openapi, JSON.stringify(doc));
  const steps = [1, 2500, 4999]
    .map(
      (i) =>
        `      - stepId: s${i}\n        operationId: getResource${i}\n        parameters: [ { name: id, in: path, value: 'a' } ]`,
    )
    .join('\n');
  const arazzo = join(dir, 'big.arazzo.yaml');
  writeFileSync(
    arazzo,
    `arazzo: 1.0.1\ninfo: { title: big, version: '1' }\nsourceDescriptions:\n  - { name: big, url: ./big.json, type: openapi }\nworkflows:\n  - workflowId: three\n    steps:\n${steps}\n`,
  );
  return arazzo;
}

/** The Composio spec rewritten by `arazzo upgrade`, its OpenAPI source as an absolute file URL. */
function upgradedComposio(dir) {
  const file = composioSpec;
  const { text, changes } = upgradeArazzoText(readFileSync(file, 'utf8'));
  if (changes.length === 0) throw new Error('the Composio spec did not upgrade');
  const out = join(dir, 'composio-1.1.yml');
  const openapi = pathToFileURL(resolve(dirname(file), '../openapi/composio-openapi-original.json')).href;
  writeFileSync(out, text.replace('../openapi/composio-openapi-original.json', openapi));
  return out;
}

function loading() {
  const dir = mkdtempSync(join(tmpdir(), 'arazzo-bench-'));
  const big = synthetic(dir);
  const script = (file) =>
    `const t0=performance.now();const m=await import(${JSON.stringify(dist('index.js'))});const t=performance.now();const l=await m.loadArazzo(${JSON.stringify(file)});` +
    `const ms=performance.now()-t;process.stdout.write(JSON.stringify({ms,importMs:t-t0,rss:process.memoryUsage().rss,heap:process.memoryUsage().heapUsed,diags:l.diagnostics.length}));`;
  const measure = (file) => {
    const runs = [];
    for (let i = 0; i < (quick ? 3 : 7); i++) {
      const r = spawnSync(process.execPath, ['--input-type=module', '-e', script(file)], {
        encoding: 'utf8',
      });
      if (r.status !== 0) throw new Error(r.stderr);
      runs.push(JSON.parse(r.stdout));
    }
    return {
      ms: median(runs.map((r) => r.ms)),
      importMs: median(runs.map((r) => r.importMs)),
      rssMb: median(runs.map((r) => r.rss)) / 2 ** 20,
    };
  };
  const c = measure(composioSpec);
  const c11 = measure(upgradedComposio(dir));
  const s = measure(big);
  rmSync(dir, { recursive: true, force: true });
  results.loading = { composio: c, composio11: c11, synthetic20mb: s };
  row(
    '4. load + validate Composio (2 MB OpenAPI)',
    `${fmt(c.ms, 0)} ms, RSS ${fmt(c.rssMb, 0)} MB`,
    '< 150 ms',
    c.ms < 150,
  );
  row(
    '4. load + validate Composio upgraded to Arazzo 1.1',
    `${fmt(c11.ms, 0)} ms, RSS ${fmt(c11.rssMb, 0)} MB`,
    '< 150 ms',
    c11.ms < 150,
  );
  row(
    '4. load + validate synthetic (20 MB, 5,000 ops)',
    `${fmt(s.ms, 0)} ms, RSS ${fmt(s.rssMb, 0)} MB`,
    '< 1000 ms',
    s.ms < 1000,
  );
}

// 5. Expressions and conditions: parses and evaluations per second.
function expressions() {
  const scope = {
    statusCode: 200,
    inputs: { name: 'x' },
    response: {
      headers: { 'content-type': 'application/json' },
      body: { status: 'ACTIVE', items: [{ id: 1 }] },
    },
    steps: { a: { outputs: { id: 'abc' } } },
  };
  const rate = (fn, ms = 300) => {
    let n = 0;
    const end = performance.now() + ms;
    while (performance.now() < end) {
      for (let i = 0; i < 1000; i++) fn(i);
      n += 1000;
    }
    return n / (ms / 1000);
  };
  const exprs = ['$response.body#/items/0/id', '$steps.a.outputs.id', '$statusCode', '$inputs.name'];
  // Unique sources, so the parse cache never answers: this is the cost of a first parse.
  let unique = 0;
  const parse = rate(() => parseExpression(`$response.body#/items/${unique++}/id`));
  const evalCached = rate((i) => evaluateExpression(exprs[i % 4], scope));
  const cond = { condition: "$statusCode == 200 && $response.body#/status == 'ACTIVE'" };
  const condParse = rate(() =>
    parseCondition(`$statusCode == ${unique++} && $response.body#/status == 'ACTIVE'`),
  );
  const condEval = rate(() => evaluateCriterion(cond, scope));
  const jp = { context: '$response.body', condition: '$.items[?@.id == 1]', type: 'jsonpath' };
  const jsonpath = rate(() => evaluateCriterion(jp, scope));
  results.expressions = {
    parsePerSec: parse,
    evaluatePerSec: evalCached,
    conditionParsePerSec: condParse,
    conditionEvaluatePerSec: condEval,
    jsonpathPerSec: jsonpath,
  };
  row('5. expression parse (uncached)', `${fmt(parse / 1e6)} M/s`, '');
  row('5. expression evaluate (cached parse)', `${fmt(evalCached / 1e6)} M/s`, '');
  row('5. condition parse (uncached)', `${fmt(condParse / 1e6)} M/s`, '');
  row('5. simple criterion evaluate', `${fmt(condEval / 1e6)} M/s`, '');
  row('5. jsonpath criterion evaluate', `${fmt(jsonpath / 1e3, 0)} k/s`, '');
}

// 6. Durable runs: BullMQ workers (skipped without redis-server).
async function queue() {
  const { findRedisServer } = await import(dist('queue/index.js')).catch(() => ({}));
  if (typeof findRedisServer !== 'function' || !findRedisServer()) {
    row('6. queue workers', 'skipped (apt-get install redis-server)', '');
    return;
  }
  const { benchQueueAll } = await import('./queue.mjs');
  const list = await benchQueueAll(quick ? 100 : 400);
  results.queue = list;
  for (const r of list) {
    row(
      `6. queue, ${r.workers} worker process${r.workers > 1 ? 'es' : ''} (${r.runs} runs)`,
      `${r.runsPerSec} runs/s, ${r.stepsPerSec} steps/s`,
      '',
    );
  }
}

// 7. MCP: one tool call (SDK client -> in-memory transport -> arazzo-runtime/mcp) vs a direct runWorkflow.
async function mcpCall(simUrl) {
  const deps = await Promise.all([
    import(dist('mcp/index.js')),
    import('@modelcontextprotocol/sdk/client/index.js'),
    import('@modelcontextprotocol/sdk/inMemory.js'),
  ]).catch(() => undefined);
  if (deps === undefined) {
    row('7. MCP tool call', 'skipped (npm install @modelcontextprotocol/sdk zod)', '');
    return;
  }
  const [{ createMcpServer }, { Client }, { InMemoryTransport }] = deps;
  const dispatcher = new Agent({ keepAliveTimeout: 10_000, connections: 16 });
  const runOptions = { servers: { composioApi: simUrl }, dispatcher };
  const loaded = await loadArazzo(composioSpec);
  const mcp = await createMcpServer([loaded], { inputs: { apiKey: inputs.apiKey }, env: {}, runOptions });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await mcp.connect(serverSide);
  const client = new Client({ name: 'bench', version: '1' });
  await client.connect(clientSide);
  await client.listTools();
  const { apiKey: _secret, ...args } = inputs;
  const viaTool = async () => {
    const r = await client.callTool({ name: 'connect-account-via-auth-config', arguments: args });
    if (r.isError) throw new Error(`bench tool call failed: ${JSON.stringify(r.content)}`);
  };
  const direct = async () => {
    const r = await runWorkflow(loaded, inputs, runOptions);
    if (r.status !== 'succeeded') throw new Error(`bench run failed: ${JSON.stringify(r.error)}`);
  };
  const n = quick ? 200 : 1000;
  for (let i = 0; i < n / 2; i++) {
    await direct();
    await viaTool();
  }
  const td = [];
  const tt = [];
  for (let i = 0; i < n; i++) {
    let t = performance.now();
    await direct();
    td.push(performance.now() - t);
    t = performance.now();
    await viaTool();
    tt.push(performance.now() - t);
  }
  await client.close();
  await dispatcher.close();
  const md = median(td);
  const mt = median(tt);
  results.mcp = { runs: n, directMs: md, toolCallMs: mt, ratio: mt / md };
  row('7. MCP: direct runWorkflow (Composio, 4 requests)', `${fmt(md, 3)} ms`, '');
  row('7. MCP: the same as one tool call', `${fmt(mt, 3)} ms (${fmt(mt / md)}x)`, '');
}

if (process.argv.includes('--mcp-only')) {
  const only = await startSimulatorProcess();
  await mcpCall(only.url);
  await only.close();
  for (const r of rows) console.log(`${r.name}  ${r.value}`);
  process.exit(0);
}

// 8. AsyncAPI round trip over MQTT (skipped without mosquitto).
async function asyncRoundTrip() {
  const { benchAsync } = await import('./async.mjs');
  const r = await benchAsync(quick ? 50 : 200);
  if (r === undefined) {
    row('8. AsyncAPI send+receive over MQTT', 'skipped (apt-get install mosquitto)', '');
    return;
  }
  results.asyncRoundTrip = r;
  row(
    `8. AsyncAPI send+receive, runtime / hand-written mqtt client (${r.rounds} rounds)`,
    `${fmt(r.ratio)}x (${fmt(r.runtimeMedianMs)} / ${fmt(r.baselineMedianMs)} ms median)`,
    '',
  );
}

const sim = await perStep();
await coldStart(sim.url);
if (!process.argv.includes('--no-mcp')) await mcpCall(sim.url);
await sim.close();
loading();
expressions();
if (!process.argv.includes('--no-queue')) await queue();
await asyncRoundTrip();

const machine = `${cpus()[0]?.model ?? 'unknown cpu'} x${cpus().length}, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}`;
const stealAtEnd = stealTicks();
const stealPct =
  stealAtStart && stealAtEnd && stealAtEnd.total > stealAtStart.total
    ? (100 * (stealAtEnd.steal - stealAtStart.steal)) / (stealAtEnd.total - stealAtStart.total)
    : undefined;
results.stealPercent = stealPct;
if (stealPct !== undefined)
  row('CPU time stolen by the hypervisor during the run', `${fmt(stealPct, 1)} %`, '');
const width = Math.max(...rows.map((r) => r.name.length));
const vw = Math.max(...rows.map((r) => String(r.value).length));
console.log(`\narazzo-runtime benchmark — ${machine}\n`);
console.log(`${'measure'.padEnd(width)}  ${'value'.padEnd(vw)}  target       met`);
for (const r of rows)
  console.log(`${r.name.padEnd(width)}  ${String(r.value).padEnd(vw)}  ${r.target.padEnd(11)}  ${r.met}`);
mkdirSync(join(root, 'bench/results'), { recursive: true });
writeFileSync(
  join(root, 'bench/results/latest.json'),
  `${JSON.stringify({ machine, date: new Date().toISOString(), results }, null, 2)}\n`,
);
console.log('\nwritten bench/results/latest.json');
process.exit(0);
