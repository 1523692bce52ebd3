// The message-transport seam: an injected transport replaces the built-in one for its protocol, and a
// protocol nobody handles fails the step with PROTOCOL_UNSUPPORTED.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { IncomingMessage, MessageTransport } from '../../src/index.js';
import { runWorkflow } from '../../src/index.js';

const doc = fileURLToPath(new URL('../fixtures/asyncapi/orders.arazzo.yaml', import.meta.url));

/** An in-process "broker" whose order service confirms every order on the reply channel. */
function memoryTransport(log: string[]): MessageTransport {
  const subscribers = new Map<string, Set<(m: IncomingMessage) => void>>();
  return {
    async connect(target) {
      log.push(`connect ${target.url}`);
      return {
        async publish(m) {
          log.push(`publish ${m.channel}`);
          const order = JSON.parse(Buffer.from(m.body).toString()) as { orderId: number };
          const reply = {
            orderId: order.orderId,
            status: 'confirmed',
            correlationId: m.headers['x-correlation-id'],
          };
          for (const s of subscribers.get('orders/eu/confirmed') ?? [])
            s({ channel: 'orders/eu/confirmed', headers: {}, body: Buffer.from(JSON.stringify(reply)) });
        },
        async subscribe(channel, onMessage) {
          log.push(`subscribe ${channel}`);
          const set = subscribers.get(channel) ?? new Set();
          set.add(onMessage);
          subscribers.set(channel, set);
          return { close: async () => void set.delete(onMessage) };
        },
        onClose() {},
        async close() {
          log.push('close');
        },
      };
    },
  };
}

describe('messageTransports', () => {
  it('an injected transport serves its protocol; the reply sent during publish is not lost', async () => {
    const log: string[] = [];
    const result = await runWorkflow(
      doc,
      { orderId: 2, correlationId: 'm-2' },
      {
        messageTransports: { mqtt: memoryTransport(log) },
      },
    );
    expect(result.error).toBeUndefined();
    expect(result.outputs).toEqual({ orderId: 2 });
    // Subscribed when the workflow started, before the send published; closed at the end.
    expect(log).toEqual([
      'connect mqtt://127.0.0.1:1883',
      'subscribe orders/eu/confirmed',
      'publish orders/placed',
      'close',
    ]);
  });

  it('a protocol without a transport fails the step with PROTOCOL_UNSUPPORTED', async () => {
    const result = await runWorkflow(
      doc,
      { orderId: 2, correlationId: 'm-2' },
      {
        servers: { orderEvents: 'kafka://127.0.0.1:9092' },
      },
    );
    expect(result.steps[0]?.error?.code).toBe('PROTOCOL_UNSUPPORTED');
    expect(result.steps[0]?.error?.message).toContain('messageTransports');
  });
});
