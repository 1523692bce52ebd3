// AMQP 0-9-1 through the optional `amqplib` package. Channel address = a queue name on the default
// exchange (publish routes by it; receive consumes from it, declaring it non-durable if it does not exist).
import type { Channel, ChannelModel, ConsumeMessage } from 'amqplib';
import {
  abortedError,
  bounded,
  CloseWatch,
  clientTransport,
  closedError,
  connecting,
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
} from './types.js';

type AmqpModule = typeof import('amqplib');

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
    try {
      const options: Parameters<Channel['publish']>[3] = { headers: { ...message.headers } };
      if (message.contentType !== undefined) options.contentType = message.contentType;
      this.channel.publish('', message.channel, Buffer.from(message.body), options);
    } catch (error) {
      throw failed('PUBLISH_FAILED', this.url, message.channel, error);
    }
  }

  /** Use the queue as it is declared if it exists; declare it (non-durable) otherwise. */
  private async ensureQueue(queue: string): Promise<void> {
    if (this.declared.has(queue)) return;
    const probe = await this.model.createChannel();
    probe.on('error', () => {});
    let exists = true;
    try {
      await probe.checkQueue(queue);
    } catch {
      exists = false;
    }
    await probe.close().catch(() => {});
    if (!exists) await this.channel.assertQueue(queue, { durable: false });
    this.declared.add(queue);
  }

  /**
   * One consumer per queue, fanned out to every handler: two consumers on one queue would share its
   * messages round-robin, and each waiting step must see every message.
   */
  async subscribe(
    channel: string,
    onMessage: (message: IncomingMessage) => void,
    signal: AbortSignal,
  ): Promise<MessageSubscription> {
    let consumer = this.consumers.get(channel);
    if (consumer === undefined) {
      const handlers = new Set<(m: IncomingMessage) => void>();
      const tag = (async () => {
        await this.ensureQueue(channel);
        const ok = await this.channel.consume(
          channel,
          (msg: ConsumeMessage | null) => {
            if (msg === null) return;
            const m = incoming(channel, msg);
            for (const h of handlers) h(m);
          },
          { noAck: true },
        );
        return ok.consumerTag;
      })();
      consumer = { handlers, tag };
      this.consumers.set(channel, consumer);
      tag.catch(() => this.consumers.delete(channel));
    }
    const current = consumer;
    current.handlers.add(onMessage);
    try {
      await bounded(current.tag, signal, () => abortedError(this.url));
    } catch (error) {
      current.handlers.delete(onMessage);
      throw operationFailure('SUBSCRIBE_FAILED', this.url, channel, error, signal);
    }
    return {
      close: async () => {
        current.handlers.delete(onMessage);
        if (current.handlers.size > 0 || this.consumers.get(channel) !== current) return;
        this.consumers.delete(channel);
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
