// The built-in message transports against real brokers started by the test: a message goes through the
// broker both ways, headers survive where the protocol carries them, and failures end with their code.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { amqpTransport } from '../../src/async/amqp.js';
import { mqttTransport } from '../../src/async/mqtt.js';
import { natsTransport } from '../../src/async/nats.js';
import type {
  BrokerTarget,
  IncomingMessage,
  MessageConnection,
  MessageTransport,
} from '../../src/async/types.js';
import { wsTransport } from '../../src/async/ws.js';
import { isMessagingError } from '../../src/errors.js';
import {
  findBinary,
  freePort,
  type LocalBroker,
  startMosquitto,
  startNats,
  startRabbit,
  startWsRelay,
} from '../helpers/brokers.js';

const NEVER = new AbortController().signal;
const connectOptions = { signal: NEVER, connectTimeoutMs: 5000 };

interface Case {
  name: string;
  transport: MessageTransport;
  protocol: string;
  protocolVersion?: string;
  binary?: 'mosquitto' | 'nats-server' | 'rabbitmq-server';
  start: () => Promise<LocalBroker>;
  /** Whether the protocol carries per-message headers. */
  headers: boolean;
}

const cases: Case[] = [
  {
    name: 'MQTT 5',
    transport: mqttTransport,
    protocol: 'mqtt',
    protocolVersion: '5',
    binary: 'mosquitto',
    start: () => startMosquitto(),
    headers: true,
  },
  {
    name: 'MQTT 3.1.1',
    transport: mqttTransport,
    protocol: 'mqtt',
    protocolVersion: '3.1.1',
    binary: 'mosquitto',
    start: () => startMosquitto(),
    headers: false,
  },
  {
    name: 'NATS',
    transport: natsTransport,
    protocol: 'nats',
    binary: 'nats-server',
    start: () => startNats(),
    headers: true,
  },
  { name: 'WebSocket', transport: wsTransport, protocol: 'ws', start: () => startWsRelay(), headers: false },
  {
    name: 'AMQP 0-9-1',
    transport: amqpTransport,
    protocol: 'amqp',
    binary: 'rabbitmq-server',
    start: () => startRabbit(),
    headers: true,
  },
];

function nextMessage(
  conn: MessageConnection,
  channel: string,
): Promise<{ message: Promise<IncomingMessage>; ready: Promise<unknown> }> {
  let resolve!: (m: IncomingMessage) => void;
  const message = new Promise<IncomingMessage>((r) => {
    resolve = r;
  });
  const ready = conn.subscribe(channel, (m) => resolve(m), NEVER);
  return Promise.resolve({ message, ready });
}

for (const c of cases) {
  const missing = c.binary !== undefined && findBinary(c.binary) === undefined;
  if (missing)
    process.stderr.write(`${c.binary} is not installed: the ${c.name} transport tests are skipped\n`);
  describe.skipIf(missing)(`${c.name} transport`, () => {
    let broker: LocalBroker;
    const target = (): BrokerTarget => ({
      url: broker.url,
      protocol: c.protocol,
      ...(c.protocolVersion !== undefined ? { protocolVersion: c.protocolVersion } : {}),
    });
    beforeAll(async () => {
      broker = await c.start();
    }, 240_000);
    afterAll(async () => {
      await broker?.stop();
    }, 60_000);

    it('delivers a published message, with its headers where the protocol has them', async () => {
      const a = await c.transport.connect(target(), connectOptions);
      const b = await c.transport.connect(target(), connectOptions);
      try {
        const { message, ready } = await nextMessage(b, 'orders/confirmed');
        await ready;
        await a.publish(
          {
            channel: 'orders/confirmed',
            headers: { 'x-correlation-id': 'c-42' },
            body: Buffer.from('{"orderId":7}'),
            contentType: 'application/json',
          },
          NEVER,
        );
        const got = await message;
        expect(Buffer.from(got.body).toString('utf8')).toBe('{"orderId":7}');
        expect(got.channel).toBe('orders/confirmed');
        if (c.headers) expect(got.headers['x-correlation-id']).toBe('c-42');
        else expect(got.headers['x-correlation-id']).toBeUndefined();
      } finally {
        await a.close();
        await b.close();
      }
    });

    it('a closed subscription receives nothing more', async () => {
      const a = await c.transport.connect(target(), connectOptions);
      const b = await c.transport.connect(target(), connectOptions);
      try {
        const seen: string[] = [];
        const sub = await b.subscribe('closing', (m) => seen.push(Buffer.from(m.body).toString()), NEVER);
        const { message, ready } = await nextMessage(b, 'closing');
        await ready;
        await a.publish({ channel: 'closing', headers: {}, body: Buffer.from('one') }, NEVER);
        await message;
        await sub.close();
        const second = await nextMessage(b, 'closing');
        await second.ready;
        await a.publish({ channel: 'closing', headers: {}, body: Buffer.from('two') }, NEVER);
        expect(Buffer.from((await second.message).body).toString()).toBe('two');
        expect(seen).toEqual(['one']);
      } finally {
        await a.close();
        await b.close();
      }
    });

    it('an unreachable broker is BROKER_UNREACHABLE, not a hang', async () => {
      const port = await freePort();
      const url = broker.url.replace(/:\d+/, `:${port}`);
      const attempt = (async () => {
        const conn = await c.transport.connect({ ...target(), url }, connectOptions);
        // WebSocket opens a socket per channel, on first use.
        try {
          await conn.subscribe('x', () => {}, NEVER);
        } finally {
          await conn.close();
        }
      })();
      const error = await attempt.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isMessagingError(error)).toBe(true);
      expect((error as { reason: string }).reason).toBe('BROKER_UNREACHABLE');
    });

    it('an aborted subscribe rejects with ABORTED', async () => {
      const conn = await c.transport.connect(target(), connectOptions);
      try {
        const controller = new AbortController();
        controller.abort();
        const error = await conn
          .subscribe('aborted', () => {}, controller.signal)
          .then(
            () => undefined,
            (e: unknown) => e,
          );
        expect((error as { reason?: string }).reason).toBe('ABORTED');
      } finally {
        await conn.close();
      }
    });
  });
}

// The broker going away while a connection is open reaches onClose once (the engine fails the wait).
describe.skipIf(findBinary('mosquitto') === undefined)('connection closed by the broker', () => {
  it.each([
    ['MQTT', mqttTransport, 'mqtt', () => startMosquitto()],
    ['NATS', natsTransport, 'nats', () => startNats()],
  ] as const)(
    '%s: onClose fires with CONNECTION_CLOSED',
    async (_name, transport, protocol, start) => {
      const broker = await start();
      const conn = await transport.connect({ url: broker.url, protocol }, connectOptions);
      const closed = new Promise<unknown>((resolve) => conn.onClose(resolve));
      await conn.subscribe('t', () => {}, NEVER);
      await broker.stop();
      const error = await closed;
      expect((error as { reason?: string }).reason).toBe('CONNECTION_CLOSED');
      await conn.close();
    },
    30_000,
  );
});
