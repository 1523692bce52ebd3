// An HTTP step creates an order, an MQTT send step asks for its fulfilment, a receive step waits for the
// reply with the same request id, and a last HTTP step reads the order. Runs against a real mosquitto
// started by the test; the test's own MQTT client plays the fulfilment service.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { runWorkflow } from 'arazzo-runtime';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findBinary, type LocalBroker, startMosquitto } from '../test/helpers/brokers.js';

const spec = fileURLToPath(new URL('./async-orders.arazzo.yaml', import.meta.url));
const hasMosquitto = findBinary('mosquitto') !== undefined;
if (!hasMosquitto)
  process.stderr.write('mosquitto is not installed: examples/async-orders.test.ts is skipped\n');

describe.skipIf(!hasMosquitto)('order workflow across HTTP and MQTT', () => {
  const orders = new Map<string, { id: string; sku: string; state: string }>();
  let http: Server;
  let baseUrl: string;
  let broker: LocalBroker;
  let fulfilment: MqttClient;

  beforeAll(async () => {
    http = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        res.setHeader('content-type', 'application/json');
        if (req.method === 'POST' && req.url === '/orders') {
          const order = {
            id: `o-${orders.size + 1}`,
            sku: (JSON.parse(body) as { sku: string }).sku,
            state: 'placed',
          };
          orders.set(order.id, order);
          res.statusCode = 201;
          res.end(JSON.stringify(order));
          return;
        }
        const order = orders.get(/^\/orders\/(.+)$/.exec(req.url ?? '')?.[1] ?? '');
        res.statusCode = order === undefined ? 404 : 200;
        res.end(JSON.stringify(order ?? {}));
      });
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    broker = await startMosquitto();
    fulfilment = await mqtt.connectAsync(broker.url, { protocolVersion: 5, reconnectPeriod: 0 });
    await fulfilment.subscribeAsync('fulfilment/requests');
    fulfilment.on('message', (_topic, payload) => {
      const request = JSON.parse(payload.toString()) as { orderId: string; requestId: string };
      const order = orders.get(request.orderId);
      if (order !== undefined) order.state = 'confirmed';
      // Replies at once: the runtime subscribed to the reply channel before it sent the request.
      void fulfilment.publish(
        'fulfilment/replies',
        JSON.stringify({ ...request, state: order?.state ?? 'rejected' }),
      );
    });
  }, 30_000);

  afterAll(async () => {
    await fulfilment?.endAsync(true);
    await broker?.stop();
    await new Promise<void>((resolve) => http.close(() => resolve()));
  });

  it('creates, fulfils over MQTT, and reads the confirmed order', async () => {
    const result = await runWorkflow(
      spec,
      { sku: 'ABC-1', requestId: 'r-42' },
      { servers: { orders: baseUrl, fulfilment: broker.url }, contract: true },
    );
    expect(result.error).toBeUndefined();
    expect(result.outputs).toEqual({ orderId: 'o-1', state: 'confirmed' });
    expect(result.steps.map((s) => s.stepId)).toEqual([
      'createOrder',
      'requestFulfilment',
      'awaitFulfilment',
      'readOrder',
    ]);
    expect(result.steps[1]?.messages?.[0]).toMatchObject({
      direction: 'sent',
      channel: 'fulfilment/requests',
      payload: { orderId: 'o-1', requestId: 'r-42' },
    });
    expect(result.steps[2]?.messages?.[0]).toMatchObject({
      direction: 'received',
      channel: 'fulfilment/replies',
      payload: { orderId: 'o-1', requestId: 'r-42', state: 'confirmed' },
    });
  });
});
