// A whole workflow over WebSocket: the ws relay of the helpers plays the broker, and the test's own socket
// on the order channel plays the order service (frames carry no headers: the correlation id is in the payload).
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { runWorkflow } from '../../src/index.js';
import { type LocalBroker, startWsRelay } from '../helpers/brokers.js';

const doc = fileURLToPath(new URL('../fixtures/asyncapi/ws/orders.arazzo.yaml', import.meta.url));

type Order = { orderId: number; correlationId: string };
type Reply = (order: Order, send: (payload: object) => void) => void;

describe('AsyncAPI steps over a WebSocket relay', () => {
  let relay: LocalBroker;
  const sockets: WebSocket[] = [];
  beforeAll(async () => {
    relay = await startWsRelay();
  });
  afterAll(async () => {
    await relay?.stop();
  });
  afterEach(() => {
    for (const s of sockets.splice(0)) s.terminate();
  });

  const open = async (path: string): Promise<WebSocket> => {
    const socket = new WebSocket(`${relay.url}${path}`);
    sockets.push(socket);
    await new Promise((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
    });
    return socket;
  };

  /** The order service: reads orders on /orders/placed, answers on /orders/eu/confirmed as `reply` says. */
  async function serve(reply: Reply): Promise<{ seen: Order[] }> {
    const placed = await open('/orders/placed');
    const confirmed = await open('/orders/eu/confirmed');
    const seen: Order[] = [];
    placed.on('message', (data) => {
      const order = JSON.parse(String(data)) as Order;
      seen.push(order);
      reply(order, (payload) => confirmed.send(JSON.stringify(payload)));
    });
    return { seen };
  }
  const run = (inputs: Record<string, unknown>) =>
    runWorkflow(doc, inputs, { servers: { orderEvents: relay.url } });

  it('sends the order and receives the confirmation with the same correlation id', async () => {
    const service = await serve((o, send) =>
      send({ orderId: o.orderId, status: 'confirmed', correlationId: o.correlationId }),
    );
    const result = await run({ orderId: 7, correlationId: 'c-7' });
    expect(result.error).toBeUndefined();
    expect(result.status).toBe('succeeded');
    expect(result.outputs).toEqual({ orderId: 7, status: 'confirmed' });
    expect(service.seen).toEqual([{ orderId: 7, correlationId: 'c-7' }]);
    const [sent, received] = result.steps;
    expect(sent?.messages?.[0]).toMatchObject({
      direction: 'sent',
      channel: '/orders/placed',
      server: relay.url,
      payload: { orderId: 7, correlationId: 'c-7' },
    });
    expect(received?.messages?.[0]).toMatchObject({
      direction: 'received',
      channel: '/orders/eu/confirmed',
      payload: { orderId: 7, status: 'confirmed', correlationId: 'c-7' },
    });
  });

  it('skips an unrelated confirmation and takes the matching one', async () => {
    await serve((o, send) => {
      send({ orderId: 999, status: 'confirmed', correlationId: 'someone-else' });
      send({ orderId: o.orderId, status: 'confirmed', correlationId: o.correlationId });
    });
    const result = await run({ orderId: 8, correlationId: 'c-8' });
    expect(result.status).toBe('succeeded');
    expect(result.outputs).toEqual({ orderId: 8, status: 'confirmed' });
  });

  it('a rejection fails successCriteria', async () => {
    await serve((o, send) =>
      send({ orderId: o.orderId, status: 'rejected', correlationId: o.correlationId }),
    );
    const result = await run({ orderId: 9, correlationId: 'c-9' });
    expect(result.status).toBe('failed');
    expect(result.steps[1]?.outcome).toBe('failed');
    expect(result.steps[1]?.criteria[0]).toMatchObject({ passed: false });
  });

  it('a silent service times the receive step out (MESSAGE_TIMEOUT)', async () => {
    await serve(() => {});
    const result = await run({ orderId: 10, correlationId: 'c-10' });
    expect(result.steps[1]?.error?.code).toBe('MESSAGE_TIMEOUT');
  });
});
