// The same AsyncAPI workflow through runWorkflow on NATS and WebSocket (the broker chosen by the
// `servers` override's scheme), and a broker that goes away while a receive step waits.
import { fileURLToPath } from 'node:url';
import { connect, headers as natsHeaders } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { runWorkflow } from '../../src/index.js';
import { findBinary, type LocalBroker, startNats, startWsRelay } from '../helpers/brokers.js';

const doc = fileURLToPath(new URL('../fixtures/asyncapi/orders.arazzo.yaml', import.meta.url));
const hasNats = findBinary('nats-server') !== undefined;
if (!hasNats) process.stderr.write('nats-server is not installed: the NATS workflow tests are skipped\n');

describe.skipIf(!hasNats)('on NATS', () => {
  let broker: LocalBroker;
  beforeAll(async () => {
    broker = await startNats();
  }, 30_000);
  afterAll(async () => {
    await broker?.stop();
  });

  it('sends with a header and receives the correlated reply', async () => {
    const nc = await connect({ servers: `127.0.0.1:${broker.port}` });
    nc.subscribe('orders/placed', {
      callback: (_e, msg) => {
        const order = msg.json<{ orderId: number }>();
        const id = msg.headers?.get('x-correlation-id') ?? '';
        const h = natsHeaders();
        h.set('content-type', 'application/json');
        nc.publish(
          'orders/eu/confirmed',
          JSON.stringify({ orderId: order.orderId, status: 'confirmed', correlationId: id }),
          { headers: h },
        );
      },
    });
    await nc.flush();
    try {
      const result = await runWorkflow(
        doc,
        { orderId: 3, correlationId: 'n-3' },
        { servers: { orderEvents: broker.url } },
      );
      expect(result.error).toBeUndefined();
      expect(result.outputs).toEqual({ orderId: 3 });
      expect(result.steps[0]?.messages?.[0]?.headers).toEqual({ 'x-correlation-id': 'n-3' });
    } finally {
      await nc.close();
    }
  });

  it('a broker that goes away mid-wait fails the step with CONNECTION_CLOSED', async () => {
    const own = await startNats();
    const nc = await connect({ servers: `127.0.0.1:${own.port}` });
    // Stop the broker once the order arrived: the receive step is then waiting.
    nc.subscribe('orders/placed', { callback: () => void own.stop() });
    await nc.flush();
    const result = await runWorkflow(
      doc,
      { orderId: 4, correlationId: 'n-4' },
      { servers: { orderEvents: own.url } },
    );
    await nc.close().catch(() => {});
    expect(result.steps[1]?.error?.code).toBe('CONNECTION_CLOSED');
  }, 30_000);
});

describe('on WebSocket', () => {
  let relay: LocalBroker;
  beforeAll(async () => {
    relay = await startWsRelay();
  });
  afterAll(async () => {
    await relay?.stop();
  });

  it('frames relayed per path: send, then the reply on the confirmation path', async () => {
    const open = (path: string) =>
      new Promise<WebSocket>((resolve, reject) => {
        const s = new WebSocket(`${relay.url}/${path}`);
        s.once('open', () => resolve(s));
        s.once('error', reject);
      });
    const orders = await open('orders/placed');
    const replies = await open('orders/eu/confirmed');
    orders.on('message', (data) => {
      const order = JSON.parse(String(data)) as { orderId: number };
      replies.send(JSON.stringify({ orderId: order.orderId, status: 'confirmed' }));
    });
    try {
      const result = await runWorkflow(
        doc,
        { orderId: 6 },
        { workflowId: 'placeAndTakeAny', servers: { orderEvents: relay.url } },
      );
      expect(result.error).toBeUndefined();
      expect(result.steps[1]?.outputs).toEqual({ payload: { orderId: 6, status: 'confirmed' } });
      expect(result.steps[1]?.messages?.[0]).toMatchObject({
        direction: 'received',
        channel: 'orders/eu/confirmed',
      });
    } finally {
      orders.terminate();
      replies.terminate();
    }
  });
});
