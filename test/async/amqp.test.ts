// AMQP channel bindings (AsyncAPI AMQP bindings 0.3.0) against a real rabbitmq-server: the transport
// publishes to the binding's exchange and consumes a queue bound to it; whole workflows run over a topic
// exchange; a declared exchange that conflicts with the broker's fails the step naming it. Operation
// bindings: the message properties a second client sees, cc/bcc copies, and the session passing them on.
import { fileURLToPath } from 'node:url';
import amqp from 'amqplib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { amqpTransport } from '../../src/async/amqp.js';
import type {
  IncomingMessage,
  MessageConnection,
  MessageTransport,
  OutgoingMessage,
} from '../../src/async/types.js';
import { MessagingSession } from '../../src/engine/messaging.js';
import { runWorkflow } from '../../src/index.js';
import type { AmqpChannelBinding, AmqpOperationBinding, AsyncApiSource } from '../../src/sources/types.js';
import { findBinary, type LocalBroker, startRabbit } from '../helpers/brokers.js';

const fixture = (name: string) =>
  fileURLToPath(new URL(`../fixtures/asyncapi/amqp/${name}`, import.meta.url));
const doc = fixture('orders.arazzo.yaml');
const NEVER = new AbortController().signal;
const hasRabbit = findBinary('rabbitmq-server') !== undefined;
if (!hasRabbit)
  process.stderr.write('rabbitmq-server is not installed: the AMQP binding tests are skipped\n');

/** What the test's own client can check on the broker (a channel per call: a refusal closes it). */
async function raw<T>(url: string, use: (ch: amqp.Channel) => Promise<T>): Promise<T> {
  const conn = await amqp.connect(url);
  try {
    const ch = await conn.createChannel();
    ch.on('error', () => {});
    return await use(ch);
  } finally {
    await conn.close().catch(() => {});
  }
}

/** Subscribes with the binding; `message` is the first one to arrive. */
async function firstMessage(
  conn: MessageConnection,
  address: string,
  binding: AmqpChannelBinding | undefined,
): Promise<{ message: Promise<IncomingMessage> }> {
  let resolve!: (m: IncomingMessage) => void;
  const message = new Promise<IncomingMessage>((r) => {
    resolve = r;
  });
  await conn.subscribe(address, (m) => resolve(m), NEVER, binding === undefined ? {} : { amqp: binding });
  return { message };
}

/** The exchange exists (checked passively) with this type and these flags (re-declaring it is refused otherwise). */
async function declared(ch: amqp.Channel, name: string, type: string, flags: amqp.Options.AssertExchange) {
  await ch.checkExchange(name);
  await ch.assertExchange(name, type, flags);
}

const failureOf = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => e as { reason?: string; message?: string },
  );

describe.skipIf(!hasRabbit)('AMQP bindings on rabbitmq', () => {
  let broker: LocalBroker;
  beforeAll(async () => {
    broker = await startRabbit();
  }, 240_000);
  afterAll(async () => {
    await broker?.stop();
  }, 60_000);
  const connect = () =>
    amqpTransport.connect({ url: broker.url, protocol: 'amqp' }, { signal: NEVER, connectTimeoutMs: 5000 });

  interface RouteCase {
    name: string;
    address: string;
    binding: AmqpChannelBinding;
    /** What the broker has afterwards (throws if not). */
    check: (ch: amqp.Channel) => Promise<unknown>;
  }
  const routes: RouteCase[] = [
    {
      name: 'is routingKey on a topic exchange',
      address: 'orders.eu.placed',
      binding: { is: 'routingKey', exchange: { name: 'x.topic', type: 'topic', durable: true } },
      check: (ch) => declared(ch, 'x.topic', 'topic', { durable: true, autoDelete: false }),
    },
    {
      name: 'is routingKey on a direct exchange',
      address: 'orders.placed',
      binding: { is: 'routingKey', exchange: { name: 'x.direct', type: 'direct' } },
      check: (ch) => declared(ch, 'x.direct', 'direct', { durable: false, autoDelete: false }),
    },
    {
      name: 'is routingKey on a fanout exchange (auto-deleted)',
      address: 'anything',
      binding: { is: 'routingKey', exchange: { name: 'x.fanout', type: 'fanout', autoDelete: true } },
      check: (ch) => declared(ch, 'x.fanout', 'fanout', { durable: false, autoDelete: true }),
    },
    {
      name: 'is queue on the default exchange: the named queue, declared durable',
      address: 'orders/placed',
      binding: { is: 'queue', queue: { name: 'q.durable', durable: true } },
      check: async (ch) => {
        await ch.checkQueue('q.durable');
        await ch.assertQueue('q.durable', { durable: true });
      },
    },
    {
      name: 'is queue bound to a direct exchange by the address',
      address: 'orders.bound',
      binding: { is: 'queue', exchange: { name: 'x.forqueue', type: 'direct' }, queue: { name: 'q.bound' } },
      check: (ch) => ch.checkQueue('q.bound'),
    },
    {
      name: 'type default: the default exchange, the address as queue (as without a binding)',
      address: 'q.default',
      binding: { is: 'routingKey', exchange: { name: 'ignored', type: 'default' } },
      check: (ch) => ch.checkQueue('q.default'),
    },
  ];

  it.each(routes)('$name: a message goes through', async ({ address, binding, check }) => {
    const a = await connect();
    const b = await connect();
    try {
      const { message } = await firstMessage(b, address, binding);
      await a.publish(
        {
          channel: address,
          headers: { 'x-correlation-id': 'c-1' },
          body: Buffer.from('{"n":1}'),
          amqp: binding,
        },
        NEVER,
      );
      const got = await message;
      expect(Buffer.from(got.body).toString()).toBe('{"n":1}');
      expect(got.headers['x-correlation-id']).toBe('c-1');
      expect(got.channel).toBe(address);
      await raw(broker.url, check);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('is routingKey: the address is the binding key (another key on the exchange is not received)', async () => {
    const binding: AmqpChannelBinding = { is: 'routingKey', exchange: { name: 'x.keys', type: 'topic' } };
    const a = await connect();
    const b = await connect();
    try {
      const seen: string[] = [];
      await b.subscribe('keys.wanted', (m) => seen.push(Buffer.from(m.body).toString()), NEVER, {
        amqp: binding,
      });
      const { message: wanted } = await firstMessage(b, 'keys.wanted', binding);
      await a.publish(
        { channel: 'keys.other', headers: {}, body: Buffer.from('other'), amqp: binding },
        NEVER,
      );
      await a.publish(
        { channel: 'keys.wanted', headers: {}, body: Buffer.from('wanted'), amqp: binding },
        NEVER,
      );
      await wanted;
      expect(seen).toEqual(['wanted']);
      // Nothing was declared on the default exchange: no queue is named by the address.
      expect(await failureOf(raw(broker.url, (ch) => ch.checkQueue('keys.wanted')))).toBeDefined();
    } finally {
      await a.close();
      await b.close();
    }
  });

  /** A second client consuming a fresh queue (bound to `exchange` by `key` when named): what arrives. */
  async function watchQueue(queue: string, exchange = '', key = queue) {
    const conn = await amqp.connect(broker.url);
    const ch = await conn.createChannel();
    await ch.assertQueue(queue, { exclusive: true });
    if (exchange !== '') {
      await ch.assertExchange(exchange, 'topic', { durable: false });
      await ch.bindQueue(queue, exchange, key);
    }
    const got = new Promise<amqp.ConsumeMessage>((resolve) => {
      void ch.consume(queue, (m) => m !== null && resolve(m), { noAck: true });
    });
    return { got, close: () => conn.close() };
  }

  interface PropertyCase {
    name: string;
    op: AmqpOperationBinding | undefined;
    want: (p: amqp.MessageProperties) => void;
  }
  let propertyQueues = 0;
  const properties: PropertyCase[] = [
    {
      name: 'deliveryMode 2: persistent',
      op: { deliveryMode: 2 },
      want: (p) => expect(p.deliveryMode).toBe(2),
    },
    {
      name: 'deliveryMode 1: transient',
      op: { deliveryMode: 1 },
      want: (p) => expect(p.deliveryMode).toBe(1),
    },
    { name: 'priority', op: { priority: 7 }, want: (p) => expect(p.priority).toBe(7) },
    {
      name: 'expiration: ms as a string',
      op: { expiration: 60000 },
      want: (p) => expect(p.expiration).toBe('60000'),
    },
    {
      name: 'timestamp: the time of publishing, in seconds',
      op: { timestamp: true },
      want: (p) => expect(Math.abs(p.timestamp - Date.now() / 1000)).toBeLessThan(30),
    },
    {
      name: 'timestamp false: none',
      op: { timestamp: false },
      want: (p) => expect(p.timestamp).toBeUndefined(),
    },
    {
      name: "userId: the connection's user",
      op: { userId: 'guest' },
      want: (p) => expect(p.userId).toBe('guest'),
    },
    {
      name: 'all together (mandatory, the queue takes it); ack changes nothing',
      op: { deliveryMode: 2, priority: 1, expiration: 5000, userId: 'guest', mandatory: true, ack: true },
      want: (p) =>
        expect(p).toMatchObject({ deliveryMode: 2, priority: 1, expiration: '5000', userId: 'guest' }),
    },
    {
      name: 'no operation binding: none of them',
      op: undefined,
      want: (p) =>
        expect([p.deliveryMode, p.priority, p.expiration, p.timestamp, p.userId]).toEqual([
          undefined,
          undefined,
          undefined,
          undefined,
          undefined,
        ]),
    },
  ];

  it.each(properties)('operation binding $name: the consumer sees it', async ({ op, want }) => {
    propertyQueues += 1;
    const queue = `props.${propertyQueues}`;
    const watch = await watchQueue(queue);
    const conn = await connect();
    try {
      const message = { channel: queue, headers: { h: '1' }, body: Buffer.from('p') };
      await conn.publish(op === undefined ? message : { ...message, amqpOperation: op }, NEVER);
      const got = await watch.got;
      expect(got.content.toString()).toBe('p');
      expect(got.properties.headers?.h).toBe('1');
      want(got.properties);
    } finally {
      await conn.close();
      await watch.close();
    }
  });

  it('operation binding cc and bcc: copies go to queues bound by those keys; only cc is carried', async () => {
    const binding: AmqpChannelBinding = { is: 'routingKey', exchange: { name: 'x.cc', type: 'topic' } };
    const main = await watchQueue('cc.main', 'x.cc', 'orders.placed');
    const audit = await watchQueue('cc.audit', 'x.cc', 'orders.audit');
    const secret = await watchQueue('cc.secret', 'x.cc', 'orders.secret');
    const conn = await connect();
    try {
      await conn.publish(
        {
          channel: 'orders.placed',
          headers: {},
          body: Buffer.from('cc'),
          amqp: binding,
          amqpOperation: { cc: ['orders.audit'], bcc: ['orders.secret'] },
        },
        NEVER,
      );
      const [m, a, b] = await Promise.all([main.got, audit.got, secret.got]);
      for (const got of [m, a, b]) expect(got.content.toString()).toBe('cc');
      expect(a.fields.routingKey).toBe('orders.placed');
      expect(m.properties.headers?.CC).toEqual(['orders.audit']);
      expect(m.properties.headers?.BCC).toBeUndefined();
    } finally {
      await conn.close();
      for (const w of [main, audit, secret]) await w.close();
    }
  });

  it('mandatory: a message no queue takes is MESSAGE_UNROUTABLE; a routable one at the same time is not', async () => {
    const watch = await watchQueue('mandatory.taken');
    const conn = await connect();
    try {
      const send = (channel: string) =>
        conn.publish(
          { channel, headers: {}, body: Buffer.from(channel), amqpOperation: { mandatory: true } },
          NEVER,
        );
      const [lost, taken, lostAgain] = await Promise.all([
        failureOf(send('mandatory.nobody')),
        failureOf(send('mandatory.taken')),
        failureOf(send('mandatory.nobody2')),
      ]);
      expect(lost?.reason).toBe('MESSAGE_UNROUTABLE');
      expect(lost?.message).toContain('"mandatory.nobody"');
      expect(taken).toBeUndefined();
      expect(lostAgain?.reason).toBe('MESSAGE_UNROUTABLE');
      expect((await watch.got).content.toString()).toBe('mandatory.taken');
      // Without mandatory, an unroutable message is dropped as before.
      await conn.publish({ channel: 'mandatory.nobody', headers: {}, body: Buffer.from('x') }, NEVER);
    } finally {
      await conn.close();
      await watch.close();
    }
  });

  interface FailCase {
    name: string;
    before?: (ch: amqp.Channel) => Promise<unknown>;
    act: (conn: MessageConnection) => Promise<unknown>;
    reason: string;
    mentions: string;
  }
  const topic = (name: string, type = 'topic'): AmqpChannelBinding => ({
    is: 'routingKey',
    exchange: { name, type },
  });
  const send = (binding: AmqpChannelBinding) => (conn: MessageConnection) =>
    conn.publish({ channel: 'k', headers: {}, body: Buffer.from('x'), amqp: binding }, NEVER);
  const failures: FailCase[] = [
    {
      name: 'an exchange declared otherwise on the broker (publish)',
      before: (ch) => ch.assertExchange('x.clash', 'fanout', { durable: false }),
      act: send(topic('x.clash')),
      reason: 'EXCHANGE_CONFLICT',
      mentions: 'exchange "x.clash"',
    },
    {
      name: 'an exchange declared otherwise on the broker (subscribe)',
      before: (ch) => ch.assertExchange('x.clash2', 'topic', { durable: true }),
      act: (conn) => conn.subscribe('k', () => {}, NEVER, { amqp: topic('x.clash2') }),
      reason: 'EXCHANGE_CONFLICT',
      mentions: 'exchange "x.clash2"',
    },
    {
      name: 'a queue declared otherwise on the broker',
      before: (ch) => ch.assertQueue('q.clash', { durable: true }),
      act: (conn) =>
        conn.subscribe('k', () => {}, NEVER, {
          amqp: { is: 'queue', queue: { name: 'q.clash', durable: false } },
        }),
      reason: 'QUEUE_CONFLICT',
      mentions: 'queue "q.clash"',
    },
    {
      name: 'an exchange without a type that does not exist',
      act: send({ is: 'routingKey', exchange: { name: 'x.absent' } }),
      reason: 'EXCHANGE_NOT_FOUND',
      mentions: 'exchange "x.absent"',
    },
    {
      name: 'a headers exchange',
      act: send(topic('x.headers', 'headers')),
      reason: 'BINDING_UNSUPPORTED',
      mentions: 'exchange "x.headers"',
    },
  ];

  it.each(failures)(
    '$name: $reason, and the connection still works',
    async ({ before, act, reason, mentions }) => {
      if (before !== undefined) await raw(broker.url, before);
      const conn = await connect();
      try {
        const error = await failureOf(act(conn));
        expect(error?.reason).toBe(reason);
        expect(error?.message).toContain(mentions);
        const { message } = await firstMessage(conn, 'after.failure', undefined);
        await conn.publish({ channel: 'after.failure', headers: {}, body: Buffer.from('ok') }, NEVER);
        expect(Buffer.from((await message).body).toString()).toBe('ok');
      } finally {
        await conn.close();
      }
    },
  );

  it("a binding's vhost becomes the URL's path; a vhost the broker lacks is BROKER_UNREACHABLE", async () => {
    const session = new MessagingSession({ signal: NEVER, servers: { events: broker.url } });
    const source = { name: 'events', servers: [], securitySchemes: {} } as unknown as AsyncApiSource;
    const amqpBinding: AmqpChannelBinding = {
      is: 'routingKey',
      exchange: { name: 'x', type: 'topic', vhost: 'shop' },
    };
    const channel = { key: 'c', pointer: '/channels/c', address: 'c', parameters: {}, messages: [] };
    const choice = session.brokerFor(source, { ...channel, amqp: amqpBinding });
    expect(choice.target.url).toBe(`${broker.url}/shop`);
    expect(choice.amqp).toBe(amqpBinding);
    expect(session.brokerFor(source, channel).target.url).toBe(broker.url);
    const error = await failureOf(session.connection(choice));
    expect(error?.reason).toBe('BROKER_UNREACHABLE');
    await session.close();
  });

  describe('a workflow over a topic exchange', () => {
    type Reply = (
      order: { orderId: number },
      id: string,
      publish: (payload: object, id: string) => void,
    ) => void;
    let stop: (() => Promise<void>) | undefined;
    afterEach(async () => {
      await stop?.();
      stop = undefined;
    });

    /** The order service: a queue bound to the exchange by orders.placed; replies on orders.eu.confirmed. */
    async function serve(reply: Reply): Promise<{ seen: unknown[]; properties: amqp.MessageProperties[] }> {
      const conn = await amqp.connect(broker.url);
      stop = () => conn.close();
      const ch = await conn.createChannel();
      await ch.assertExchange('orders', 'topic', { durable: false, autoDelete: false });
      const { queue } = await ch.assertQueue('', { exclusive: true });
      await ch.bindQueue(queue, 'orders', 'orders.placed');
      const seen: unknown[] = [];
      const properties: amqp.MessageProperties[] = [];
      await ch.consume(
        queue,
        (msg) => {
          if (msg === null) return;
          const id = String(msg.properties.headers?.['x-correlation-id'] ?? '');
          const order = JSON.parse(msg.content.toString()) as { orderId: number };
          seen.push({ order, id });
          properties.push(msg.properties);
          reply(order, id, (payload, replyId) =>
            ch.publish('orders', 'orders.eu.confirmed', Buffer.from(JSON.stringify(payload)), {
              headers: { 'x-correlation-id': replyId },
              contentType: 'application/json',
            }),
          );
        },
        { noAck: true },
      );
      return { seen, properties };
    }
    const run = (inputs: Record<string, unknown>) =>
      runWorkflow(doc, inputs, { servers: { orderEvents: broker.url } });

    it('sends to the exchange and receives the reply by correlation id; outputs from $message', async () => {
      const service = await serve((order, id, publish) =>
        publish({ orderId: order.orderId, status: 'confirmed' }, id),
      );
      const result = await run({ orderId: 7, correlationId: 'c-7' });
      expect(result.error).toBeUndefined();
      expect(result.status).toBe('succeeded');
      expect(result.outputs).toEqual({ orderId: 7, correlationId: 'c-7' });
      expect(service.seen).toEqual([{ order: { orderId: 7, items: ['book'] }, id: 'c-7' }]);
      const [sent, received] = result.steps;
      expect(sent?.messages?.[0]).toMatchObject({
        direction: 'sent',
        channel: 'orders.placed',
        server: broker.url,
      });
      expect(received?.messages?.[0]).toMatchObject({
        direction: 'received',
        channel: 'orders.eu.confirmed',
        headers: { 'x-correlation-id': 'c-7' },
        payload: { orderId: 7, status: 'confirmed' },
      });
      expect(received?.outputs).toEqual({ orderId: 7, status: 'confirmed', correlationId: 'c-7' });
    });

    it("publishes with the send operation's AMQP binding (by $ref): persistent, priority, expiration, timestamp, userId, cc", async () => {
      const service = await serve((order, id, publish) =>
        publish({ orderId: order.orderId, status: 'confirmed' }, id),
      );
      const result = await run({ orderId: 6, correlationId: 'c-6' });
      expect(result.status).toBe('succeeded');
      const [p] = service.properties;
      expect(p).toMatchObject({ deliveryMode: 2, priority: 5, expiration: '60000', userId: 'guest' });
      expect(p?.headers).toMatchObject({ 'x-correlation-id': 'c-6', CC: ['orders.audit'] });
      expect(Math.abs((p?.timestamp as number) - Date.now() / 1000)).toBeLessThan(30);
    });

    it('mandatory: with no queue bound for the send, the step fails with MESSAGE_UNROUTABLE', async () => {
      const result = await run({ orderId: 5, correlationId: 'c-5' });
      expect(result.status).toBe('failed');
      expect(result.steps[0]?.error?.code).toBe('MESSAGE_UNROUTABLE');
      expect(result.steps[0]?.error?.message).toContain('"orders.placed"');
    });

    it('skips a reply with an unrelated correlation id and takes the matching one', async () => {
      await serve((order, id, publish) => {
        publish({ orderId: 999, status: 'confirmed' }, 'someone-else');
        publish({ orderId: order.orderId, status: 'confirmed' }, id);
      });
      const result = await run({ orderId: 8, correlationId: 'c-8' });
      expect(result.status).toBe('succeeded');
      expect(result.outputs).toEqual({ orderId: 8, correlationId: 'c-8' });
    });

    it('an exchange the broker has with another type fails the first step, naming the exchange', async () => {
      await raw(broker.url, async (ch) => {
        await ch.deleteExchange('orders');
        await ch.assertExchange('orders', 'fanout', { durable: false });
      });
      try {
        const result = await run({ orderId: 9, correlationId: 'c-9' });
        expect(result.status).toBe('failed');
        expect(result.steps[0]?.error?.code).toBe('EXCHANGE_CONFLICT');
        expect(result.steps[0]?.error?.message).toContain('exchange "orders"');
      } finally {
        await raw(broker.url, (ch) => ch.deleteExchange('orders'));
      }
    });
  });
});

describe('the session passes the operation binding to publish', () => {
  it('with or without a channel binding; subscribe options stay the channel binding', async () => {
    const published: OutgoingMessage[] = [];
    const subscribed: unknown[] = [];
    const transport: MessageTransport = {
      connect: async () => ({
        publish: async (m) => void published.push(m),
        subscribe: async (_c, _h, _s, options) => {
          subscribed.push(options);
          return { close: async () => {} };
        },
        onClose: () => {},
        close: async () => {},
      }),
    };
    const session = new MessagingSession({
      signal: NEVER,
      servers: { events: 'amqp://127.0.0.1:1' },
      messageTransports: { amqp: transport },
    });
    const source = { name: 'events', servers: [], securitySchemes: {} } as unknown as AsyncApiSource;
    const channel = { key: 'c', pointer: '/channels/c', address: 'c', parameters: {}, messages: [] };
    const amqpBinding: AmqpChannelBinding = { is: 'routingKey', exchange: { name: 'x', type: 'topic' } };
    const op: AmqpOperationBinding = { deliveryMode: 2 };
    const message = { channel: 'c', headers: {}, body: Buffer.from('') };
    const plain = await session.connection(session.brokerFor(source, channel), op);
    await plain.publish(message, NEVER);
    await plain.subscribe('c', () => {}, NEVER);
    const bound = await session.connection(session.brokerFor(source, { ...channel, amqp: amqpBinding }), op);
    await bound.publish(message, NEVER);
    await bound.subscribe('c', () => {}, NEVER);
    const untouched = await session.connection(session.brokerFor(source, channel));
    await untouched.publish(message, NEVER);
    expect(published).toEqual([
      { ...message, amqpOperation: op },
      { ...message, amqp: amqpBinding, amqpOperation: op },
      message,
    ]);
    expect(subscribed).toEqual([undefined, { amqp: amqpBinding }]);
    await session.close();
  });
});
