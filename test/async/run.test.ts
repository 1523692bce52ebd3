// AsyncAPI send/receive steps against a real mosquitto: the test's own MQTT client plays the order
// service (replies with the same correlation id, at once, with a failure, after an unrelated one, never).
import { fileURLToPath } from 'node:url';
import mqtt from 'mqtt';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { runWorkflow } from '../../src/index.js';
import { captureIO } from '../cli/helpers.js';
import { findBinary, freePort, type LocalBroker, startMosquitto } from '../helpers/brokers.js';

const doc = fileURLToPath(new URL('../fixtures/asyncapi/orders.arazzo.yaml', import.meta.url));
const hasMosquitto = findBinary('mosquitto') !== undefined;
if (!hasMosquitto) process.stderr.write('mosquitto is not installed: the AsyncAPI run tests are skipped\n');

type Reply = (order: { orderId: number }, correlationId: string, publish: (payload: string) => void) => void;

const confirm: Reply = (order, id, publish) =>
  publish(JSON.stringify({ orderId: order.orderId, status: 'confirmed', correlationId: id }));

/** The order service: answers each order placed on orders/placed as `reply` says. */
async function responder(url: string, reply: Reply): Promise<{ stop(): Promise<void>; seen: unknown[] }> {
  const client = await mqtt.connectAsync(url, { protocolVersion: 5, reconnectPeriod: 0 });
  const seen: unknown[] = [];
  await client.subscribeAsync('orders/placed');
  client.on('message', (_topic, payload, packet) => {
    const id = String(packet.properties?.userProperties?.['x-correlation-id'] ?? '');
    const order = JSON.parse(payload.toString()) as { orderId: number };
    seen.push({ order, id });
    // Published from the message handler itself: the reply may beat the receive step.
    reply(order, id, (p) => void client.publish('orders/eu/confirmed', p));
  });
  return { seen, stop: () => client.endAsync(true) };
}

describe.skipIf(!hasMosquitto)('AsyncAPI steps on mosquitto', () => {
  let broker: LocalBroker;
  let stopResponder: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    broker = await startMosquitto();
  }, 30_000);
  afterAll(async () => {
    await broker?.stop();
  });
  afterEach(async () => {
    await stopResponder?.();
    stopResponder = undefined;
  });
  const run = (inputs: Record<string, unknown>, extra: Parameters<typeof runWorkflow>[2] = {}) =>
    runWorkflow(doc, inputs, { servers: { orderEvents: broker.url }, ...extra });
  const serve = async (reply: Reply) => {
    const r = await responder(broker.url, reply);
    stopResponder = r.stop;
    return r;
  };

  it('sends the order and receives the confirmation with the same correlation id', async () => {
    const r = await serve(confirm);
    const result = await run({ orderId: 7, correlationId: 'c-7' });
    expect(result.error).toBeUndefined();
    expect(result.status).toBe('succeeded');
    expect(result.outputs).toEqual({ orderId: 7 });
    expect(r.seen).toEqual([{ order: { orderId: 7, items: ['book'] }, id: 'c-7' }]);
    const [sent, received] = result.steps;
    expect(sent?.messages).toEqual([
      {
        direction: 'sent',
        channel: 'orders/placed',
        server: broker.url,
        headers: { 'x-correlation-id': 'c-7' },
        payload: { orderId: 7, items: ['book'] },
        contentType: 'application/json',
      },
    ]);
    expect(received?.messages?.[0]).toMatchObject({
      direction: 'received',
      channel: 'orders/eu/confirmed',
      payload: { orderId: 7, status: 'confirmed', correlationId: 'c-7' },
    });
    expect(received?.outputs).toEqual({ orderId: 7, status: 'confirmed' });
  });

  it('skips a message with an unrelated correlation id and takes the matching one', async () => {
    await serve((order, id, publish) => {
      publish(JSON.stringify({ orderId: 999, status: 'confirmed', correlationId: 'someone-else' }));
      publish(JSON.stringify({ orderId: order.orderId, status: 'confirmed', correlationId: id }));
    });
    const result = await run({ orderId: 8, correlationId: 'c-8' });
    expect(result.status).toBe('succeeded');
    expect(result.outputs).toEqual({ orderId: 8 });
  });

  it('a failure payload fails successCriteria; onFailure applies', async () => {
    await serve((order, id, publish) =>
      publish(JSON.stringify({ orderId: order.orderId, status: 'rejected', correlationId: id })),
    );
    const result = await run({ orderId: 9, correlationId: 'c-9' });
    const step = result.steps[1];
    expect(step?.outcome).toBe('failed');
    expect(step?.criteria[0]).toMatchObject({ passed: false });
    expect(step?.action).toMatchObject({ type: 'end', name: 'giveUp' });
  });

  it('a silent service times the receive step out (MESSAGE_TIMEOUT), no hang', async () => {
    await serve(() => {});
    const result = await run({ orderId: 10, correlationId: 'c-10' });
    expect(result.steps[1]?.error?.code).toBe('MESSAGE_TIMEOUT');
    expect(result.steps[1]?.error?.message).toContain('"c-10"');
  });

  it('a non-JSON reply fails with MESSAGE_NOT_JSON (no correlation id asked)', async () => {
    await serve((_o, _id, publish) => publish('<xml/>'));
    const result = await run({ orderId: 11 }, { workflowId: 'placeAndTakeAny' });
    expect(result.steps[1]?.error?.code).toBe('MESSAGE_NOT_JSON');
    expect(result.steps[1]?.messages?.[0]?.payload).toBe('<xml/>');
  });

  it('a non-JSON reply cannot carry a payload correlation id: the step times out, nothing throws', async () => {
    await serve((_o, _id, publish) => publish('<xml/>'));
    const result = await run({ orderId: 11, correlationId: 'c-11' });
    expect(result.steps[1]?.error?.code).toBe('MESSAGE_TIMEOUT');
  });

  it('with contract: a reply that breaks the message schema fails with CONTRACT', async () => {
    await serve((order, id, publish) =>
      publish(JSON.stringify({ orderId: String(order.orderId), status: 'confirmed', correlationId: id })),
    );
    const result = await run({ orderId: 12, correlationId: 'c-12' }, { contract: true });
    expect(result.steps[1]?.error?.code).toBe('CONTRACT');
    expect(result.steps[1]?.error?.message).toMatch(/OrderConfirmed/);
  });

  it('an unreachable broker fails the step with BROKER_UNREACHABLE', async () => {
    const port = await freePort();
    const result = await runWorkflow(
      doc,
      { orderId: 1, correlationId: 'x' },
      {
        servers: { orderEvents: `mqtt://127.0.0.1:${port}` },
      },
    );
    expect(result.status).toBe('failed');
    expect(result.steps[0]?.error?.code).toBe('BROKER_UNREACHABLE');
  });

  it('leaves no socket or timer behind', async () => {
    await serve(confirm);
    const before = process
      .getActiveResourcesInfo()
      .filter((r) => r === 'TCPSocketWrap' || r === 'Timeout').length;
    await run({ orderId: 13, correlationId: 'c-13' });
    await new Promise((r) => setImmediate(r));
    const after = process
      .getActiveResourcesInfo()
      .filter((r) => r === 'TCPSocketWrap' || r === 'Timeout').length;
    expect(after).toBeLessThanOrEqual(before);
  });
});

describe.skipIf(!hasMosquitto)('broker credentials through auth', () => {
  let broker: LocalBroker;
  beforeAll(async () => {
    broker = await startMosquitto({ users: { orders: 's3cret-broker-pass' } });
  }, 30_000);
  afterAll(async () => {
    await broker?.stop();
  });

  it('logs in with the security scheme named in auth, and masks the password', async () => {
    const client = await mqtt.connectAsync(broker.url, {
      protocolVersion: 5,
      reconnectPeriod: 0,
      username: 'orders',
      password: 's3cret-broker-pass',
    });
    await client.subscribeAsync('orders/placed');
    client.on('message', (_t, payload, packet) => {
      const id = String(packet.properties?.userProperties?.['x-correlation-id'] ?? '');
      const order = JSON.parse(payload.toString()) as { orderId: number };
      void client.publish(
        'orders/eu/confirmed',
        JSON.stringify({
          orderId: order.orderId,
          status: 'confirmed',
          correlationId: id,
          echo: 's3cret-broker-pass',
        }),
      );
    });
    try {
      const result = await runWorkflow(
        doc,
        { orderId: 5, correlationId: 'c-5' },
        {
          servers: { orderEvents: broker.url },
          auth: { brokerLogin: { username: 'orders', password: 's3cret-broker-pass' } },
        },
      );
      expect(result.status).toBe('succeeded');
      expect(JSON.stringify(result)).not.toContain('s3cret-broker-pass');
      expect(result.steps[1]?.messages?.[0]?.payload).toMatchObject({ echo: '***' });
      const cap = captureIO({ stdin: JSON.stringify({ orderId: 6, correlationId: 'c-6' }) });
      const code = await main(
        [
          'run',
          doc,
          '--inputs',
          '-',
          '--server',
          `orderEvents=${broker.url}`,
          '--auth',
          'brokerLogin=orders:s3cret-broker-pass',
          '-r',
          'json',
        ],
        cap.io,
      );
      expect(cap.stderr()).toBe('');
      expect(code).toBe(0);
      expect(cap.stdout()).not.toContain('s3cret-broker-pass');
      const refused = await runWorkflow(
        doc,
        { orderId: 5, correlationId: 'c-5' },
        { servers: { orderEvents: broker.url } },
      );
      expect(refused.steps[0]?.error?.code).toBe('BROKER_UNREACHABLE');
    } finally {
      await client.endAsync(true);
    }
  });
});
