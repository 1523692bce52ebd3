// AMQP 0-9-1 through the optional `amqplib` package. Without a channel binding the address is a queue on
// the default exchange (publish routes by it; receive consumes it, declaring it non-durable if missing);
// with one (AsyncAPI AMQP bindings 0.3.0) see amqp-route.ts: a named exchange and the address as routing key.
import type { Channel, ChannelModel, ConfirmChannel, ConsumeMessage } from 'amqplib';
import { isMessagingError, MessagingError } from '../errors.js';
import type { AmqpExchange, AmqpOperationBinding, AmqpQueue } from '../sources/types.js';
import { type AmqpRoute, amqpRoute, declareFailure, routeKey } from './amqp-route.js';
import {
  abortedError,
  bounded,
  CloseWatch,
  clientTransport,
  closedError,
  connecting,
  displayServer,
  failed,
  headerText,
  operationFailure,
  unreachable,
} from './broker.js';
import type {
  BrokerTarget,
  ConnectOptions,
  IncomingMessage,
  MessageConnection,
  MessageSubscription,
  OutgoingMessage,
  SubscribeOptions,
} from './types.js';

type AmqpModule = typeof import('amqplib');
type PublishOptions = NonNullable<Parameters<Channel['publish']>[3]>;

interface MandatoryPublish {
  exchange: string;
  routingKey: string;
  body: Buffer;
  options: PublishOptions;
  /** The channel address, for messages. */
  channel: string;
}

/**
 * AsyncAPI AMQP bindings 0.3.0 "Operation Binding Object" as message properties: `expiration` (ms, a
 * string on the wire), `userId` (the broker may refuse one other than the connection's user), `priority`,
 * `deliveryMode` 2 -> persistent, `cc`/`bcc` (more routing keys), `timestamp` -> the time of publishing
 * (AMQP timestamps are seconds). `mandatory` is honoured by `publishMandatory`; `ack` is not (README).
 */
function withOperationBinding(options: PublishOptions, op: AmqpOperationBinding): void {
  if (op.expiration !== undefined) options.expiration = String(op.expiration);
  if (op.userId !== undefined) options.userId = op.userId;
  if (op.priority !== undefined) options.priority = op.priority;
  if (op.deliveryMode !== undefined) options.persistent = op.deliveryMode === 2;
  if (op.cc !== undefined) options.CC = op.cc;
  if (op.bcc !== undefined) options.BCC = op.bcc;
  if (op.timestamp === true) options.timestamp = Math.floor(Date.now() / 1000);
}

function amqpUrl(target: BrokerTarget, options: ConnectOptions): string {
  const c = options.credentials;
  if (c?.username === undefined && c?.password === undefined) return target.url;
  try {
    const u = new URL(target.url);
    if (c.username !== undefined) u.username = encodeURIComponent(c.username);
    if (c.password !== undefined) u.password = encodeURIComponent(c.password);
    return u.href;
  } catch {
    return target.url;
  }
}

export const amqpTransport = clientTransport<AmqpModule>(
  'amqplib',
  'AMQP',
  () => import('amqplib'),
  connectAmqp,
);

async function connectAmqp(
  amqp: AmqpModule,
  target: BrokerTarget,
  options: ConnectOptions,
): Promise<MessageConnection> {
  const attempt = amqp.connect(amqpUrl(target, options), { timeout: options.connectTimeoutMs });
  const model = await connecting(attempt, target, options.signal);
  model.on('error', () => {});
  try {
    const channel = await model.createChannel();
    return new AmqpConnection(model, channel, target.url);
  } catch (error) {
    await model.close().catch(() => {});
    throw unreachable(target.url, error);
  }
}

class AmqpConnection implements MessageConnection {
  private readonly watch = new CloseWatch();
  private readonly declared = new Set<string>();
  private readonly exchanges = new Map<string, Promise<void>>();
  private confirming: Promise<ConfirmChannel> | undefined;
  private mandatoryQueue: Promise<unknown> = Promise.resolve();
  private readonly consumers = new Map<
    string,
    { handlers: Set<(m: IncomingMessage) => void>; tag: Promise<string> }
  >();

  constructor(
    private readonly model: ChannelModel,
    private readonly channel: Channel,
    private readonly url: string,
  ) {
    channel.on('error', () => {});
    model.on('close', (error: unknown) => this.watch.fire(closedError(url, error ?? undefined)));
    channel.on('close', () => this.watch.fire(closedError(url, new Error('channel closed'))));
  }

  async publish(message: OutgoingMessage, signal: AbortSignal): Promise<void> {
    if (signal.aborted) throw abortedError(this.url);
    // Without a binding: the default exchange, the address as routing key (no route object per send).
    const route = message.amqp === undefined ? undefined : amqpRoute(message.channel, message.amqp, this.url);
    if (route?.declareExchange !== undefined)
      await bounded(this.ensureExchange(route.declareExchange, 'PUBLISH_FAILED'), signal, () =>
        abortedError(this.url),
      );
    const options: PublishOptions = { headers: { ...message.headers } };
    if (message.contentType !== undefined) options.contentType = message.contentType;
    if (message.amqpOperation !== undefined) withOperationBinding(options, message.amqpOperation);
    const exchange = route?.exchange ?? '';
    const routingKey = route?.routingKey ?? message.channel;
    const body = Buffer.from(message.body);
    if (message.amqpOperation?.mandatory === true) {
      const sent = this.publishMandatory({ exchange, routingKey, body, options, channel: message.channel });
      return bounded(sent, signal, () => abortedError(this.url));
    }
    try {
      this.channel.publish(exchange, routingKey, body, options);
    } catch (error) {
      throw failed('PUBLISH_FAILED', this.url, message.channel, error);
    }
  }

  /**
   * `mandatory: true`: published one at a time on a confirm channel of its own. The broker sends
   * basic.return before its basic.ack for a message no queue takes (RabbitMQ publisher confirms), so a
   * return that arrives before the ack is this message's: MESSAGE_UNROUTABLE.
   */
  private publishMandatory(p: MandatoryPublish): Promise<void> {
    const run = this.mandatoryQueue.then(() => this.publishConfirmed(p));
    this.mandatoryQueue = run.catch(() => {});
    return run;
  }

  private async publishConfirmed(p: MandatoryPublish): Promise<void> {
    let returned = false;
    const onReturn = () => {
      returned = true;
    };
    let ch: ConfirmChannel | undefined;
    try {
      ch = await this.confirmChannel();
      ch.on('return', onReturn);
      const confirm = ch;
      await new Promise<void>((resolve, reject) =>
        confirm.publish(p.exchange, p.routingKey, p.body, { ...p.options, mandatory: true }, (error) =>
          error ? reject(error) : resolve(),
        ),
      );
    } catch (error) {
      throw failed('PUBLISH_FAILED', this.url, p.channel, error);
    } finally {
      ch?.off('return', onReturn);
    }
    if (returned)
      throw new MessagingError(
        'MESSAGE_UNROUTABLE',
        `message to "${p.channel}" on ${displayServer(this.url)} was returned: no queue is bound for routing key "${p.routingKey}" (mandatory)`,
        displayServer(this.url),
      );
  }

  /** The confirm channel for mandatory publishes, opened on first use and again after it closes. */
  private confirmChannel(): Promise<ConfirmChannel> {
    if (this.confirming === undefined) {
      const opening = this.model.createConfirmChannel().then((ch) => {
        ch.on('error', () => {});
        ch.on('close', () => {
          if (this.confirming === opening) this.confirming = undefined;
        });
        return ch;
      });
      opening.catch(() => {
        if (this.confirming === opening) this.confirming = undefined;
      });
      this.confirming = opening;
    }
    return this.confirming;
  }

  /** Run `declare` on a channel of its own: a refusal closes that channel, not the one messages use. */
  private async onProbe<T>(declare: (probe: Channel) => Promise<T>): Promise<T> {
    const probe = await this.model.createChannel();
    probe.on('error', () => {});
    try {
      return await declare(probe);
    } finally {
      await probe.close().catch(() => {});
    }
  }

  /**
   * The binding's exchange, declared once per connection with its type and durability (AMQP protocol
   * defaults: not durable, not auto-deleted); without a type, or an `amq.` name, only checked.
   */
  private ensureExchange(
    exchange: AmqpExchange & { name?: string },
    fallback: 'PUBLISH_FAILED' | 'SUBSCRIBE_FAILED',
  ): Promise<void> {
    const name = exchange.name ?? '';
    let ready = this.exchanges.get(name);
    if (ready === undefined) {
      const type = exchange.type;
      ready = this.onProbe(async (probe) => {
        if (type === undefined || name.startsWith('amq.')) await probe.checkExchange(name);
        else
          await probe.assertExchange(name, type, {
            durable: exchange.durable ?? false,
            autoDelete: exchange.autoDelete ?? false,
          });
      }).catch((error: unknown) => {
        this.exchanges.delete(name);
        throw declareFailure('exchange', name, this.url, error, fallback);
      });
      this.exchanges.set(name, ready);
    }
    return ready;
  }

  /** The binding's queue declared with its flags (AMQP defaults: false); a refusal names the queue. */
  private async declareQueue(name: string, queue: AmqpQueue): Promise<void> {
    try {
      await this.onProbe((probe) =>
        probe.assertQueue(name, {
          durable: queue.durable ?? false,
          exclusive: queue.exclusive ?? false,
          autoDelete: queue.autoDelete ?? false,
        }),
      );
    } catch (error) {
      throw declareFailure('queue', name, this.url, error, 'SUBSCRIBE_FAILED');
    }
  }

  /** Use the queue as it is declared if it exists; declare it (non-durable) otherwise. */
  private async ensureQueue(queue: string): Promise<void> {
    if (this.declared.has(queue)) return;
    let exists = true;
    await this.onProbe((probe) => probe.checkQueue(queue)).catch(() => {
      exists = false;
    });
    if (!exists) await this.channel.assertQueue(queue, { durable: false });
    this.declared.add(queue);
  }

  /**
   * The queue a route is consumed from: its named queue (declared as the binding says, else used as it
   * exists), or an exclusive server-named one; bound to the route's exchange by the channel address.
   */
  private async queueOf(route: AmqpRoute): Promise<string> {
    if (route.declareExchange !== undefined)
      await this.ensureExchange(route.declareExchange, 'SUBSCRIBE_FAILED');
    let queue = route.queue;
    if (queue === undefined)
      queue = (await this.channel.assertQueue('', { exclusive: true, autoDelete: true })).queue;
    else if (route.declareQueue !== undefined) await this.declareQueue(queue, route.declareQueue);
    else await this.ensureQueue(queue);
    if (route.bind) await this.channel.bindQueue(queue, route.exchange, route.routingKey);
    return queue;
  }

  /** Consume the route's queue, handing every message to each handler; resolves to the consumer tag. */
  private async consume(
    channel: string,
    route: AmqpRoute,
    handlers: Set<(m: IncomingMessage) => void>,
  ): Promise<string> {
    const queue = await this.queueOf(route);
    const ok = await this.channel.consume(
      queue,
      (msg: ConsumeMessage | null) => {
        if (msg === null) return;
        const m = incoming(channel, msg);
        for (const h of handlers) h(m);
      },
      { noAck: true },
    );
    return ok.consumerTag;
  }

  /**
   * One consumer per queue, fanned out to every handler: two consumers on one queue would share its
   * messages round-robin, and each waiting step must see every message.
   */
  async subscribe(
    channel: string,
    onMessage: (message: IncomingMessage) => void,
    signal: AbortSignal,
    options?: SubscribeOptions,
  ): Promise<MessageSubscription> {
    const route = amqpRoute(channel, options?.amqp, this.url);
    const key = routeKey(route);
    let consumer = this.consumers.get(key);
    if (consumer === undefined) {
      const handlers = new Set<(m: IncomingMessage) => void>();
      const tag = this.consume(channel, route, handlers);
      consumer = { handlers, tag };
      this.consumers.set(key, consumer);
      tag.catch(() => this.consumers.delete(key));
    }
    const current = consumer;
    current.handlers.add(onMessage);
    try {
      await bounded(current.tag, signal, () => abortedError(this.url));
    } catch (error) {
      current.handlers.delete(onMessage);
      if (isMessagingError(error)) throw error;
      throw operationFailure('SUBSCRIBE_FAILED', this.url, channel, error, signal);
    }
    return {
      close: async () => {
        current.handlers.delete(onMessage);
        if (current.handlers.size > 0 || this.consumers.get(key) !== current) return;
        this.consumers.delete(key);
        await this.channel.cancel(await current.tag).catch(() => {});
      },
    };
  }

  onClose(listener: (error: Error) => void): void {
    this.watch.add(listener);
  }

  async close(): Promise<void> {
    this.watch.closing = true;
    await this.model.close().catch(() => {});
  }
}

function incoming(channel: string, msg: ConsumeMessage): IncomingMessage {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(msg.properties.headers ?? {})) {
    const text = headerText(v);
    if (text !== undefined) headers[k] = text;
  }
  const out: IncomingMessage = { channel, headers, body: msg.content };
  const ct: unknown = msg.properties.contentType;
  if (typeof ct === 'string') out.contentType = ct;
  return out;
}
