// AsyncAPI round trip: send + correlated receive through runWorkflow, against a hand-written MQTT client
// doing the same (connect, subscribe, publish, wait for the matching reply, disconnect) on the same
// mosquitto. Needs `npm run build` and mosquitto. Usage: node bench/async.mjs [rounds]
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const MOSQUITTO = ['/usr/sbin/mosquitto', '/usr/bin/mosquitto'].find((p) => existsSync(p));

function freePort() {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function startMosquitto() {
  const dir = mkdtempSync(join(tmpdir(), 'arazzo-bench-mqtt-'));
  const port = await freePort();
  const conf = join(dir, 'm.conf');
  writeFileSync(conf, `listener ${port} 127.0.0.1\nallow_anonymous true\npersistence false\n`);
  const child = spawn(MOSQUITTO, ['-c', conf], { stdio: 'ignore' });
  for (let i = 0; i < 200; i++) {
    const ok = await new Promise((r) => {
      const s = createConnection({ host: '127.0.0.1', port }, () => {
        s.destroy();
        r(true);
      });
      s.once('error', () => r(false));
    });
    if (ok) break;
    await delay(50);
  }
  return {
    url: `mqtt://127.0.0.1:${port}`,
    stop: () => {
      child.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function benchAsync(rounds = 200) {
  if (MOSQUITTO === undefined) return undefined;
  const { runWorkflow, loadArazzo } = await import('../dist/index.js');
  const mqtt = (await import('mqtt')).default;
  const broker = await startMosquitto();
  const responder = await mqtt.connectAsync(broker.url, { protocolVersion: 5, reconnectPeriod: 0 });
  await responder.subscribeAsync('orders/placed');
  responder.on('message', (_t, payload, packet) => {
    const id = String(packet.properties?.userProperties?.['x-correlation-id'] ?? '');
    const { orderId } = JSON.parse(payload.toString());
    responder.publish(
      'orders/eu/confirmed',
      JSON.stringify({ orderId, status: 'confirmed', correlationId: id }),
    );
  });
  // Loaded once, as a service running the same workflow repeatedly would.
  const doc = await loadArazzo(
    fileURLToPath(new URL('../test/fixtures/asyncapi/orders.arazzo.yaml', import.meta.url)),
  );
  const runtime = [];
  const baseline = [];
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now();
    const r = await runWorkflow(
      doc,
      { orderId: i, correlationId: `r-${i}` },
      { servers: { orderEvents: broker.url } },
    );
    runtime.push(performance.now() - t0);
    if (r.status !== 'succeeded')
      throw new Error(`round ${i}: ${JSON.stringify(r.error ?? r.steps.at(-1)?.error)}`);
    const t1 = performance.now();
    const client = await mqtt.connectAsync(broker.url, { protocolVersion: 5, reconnectPeriod: 0 });
    await client.subscribeAsync('orders/eu/confirmed');
    const id = `b-${i}`;
    const got = new Promise((resolve) =>
      client.on('message', (_t, p) => {
        const m = JSON.parse(p.toString());
        if (m.correlationId === id && m.status === 'confirmed') resolve(m);
      }),
    );
    await client.publishAsync('orders/placed', JSON.stringify({ orderId: i, items: ['book'] }), {
      properties: { userProperties: { 'x-correlation-id': id }, contentType: 'application/json' },
    });
    await got;
    await client.endAsync(true);
    baseline.push(performance.now() - t1);
  }
  await responder.endAsync(true);
  broker.stop();
  const mr = median(runtime);
  const mb = median(baseline);
  return { rounds, runtimeMedianMs: mr, baselineMedianMs: mb, ratio: mr / mb };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await benchAsync(Number(process.argv[2] ?? 200));
  process.stdout.write(`${r === undefined ? 'mosquitto not installed' : JSON.stringify(r)}\n`);
}
