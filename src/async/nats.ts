// NATS through the optional `nats` package. Subject = channel address; headers = NATS message headers.
import type { ConnectionOptions, Msg, NatsConnection, Subscription } from 'nats';
import {
  abortedError,
  bounded,
  CloseWatch,
  clientTransport,
  closedError,
  connecting,
  operationFailure,
} from './broker.js';
import type {
  BrokerTarget,
  ConnectOptions,
  IncomingMessage,
  MessageConnection,
  MessageSubscription,
  OutgoingMessage,
} from './types.js';

type NatsModule = typeof import('nats');

/** nats.js wants `host:port`; user and password in the URL become options. */
function natsOptions(target: BrokerTarget, options: ConnectOptions): ConnectionOptions {
  const out: ConnectionOptions = { reconnect: false, timeout: options.connectTimeoutMs };
  try {
    const u = new URL(target.url);
    out.servers = `${u.hostname}:${u.port || '4222'}`;
    if (u.username !== '') out.user = decodeURIComponent(u.username);
    if (u.password !== '') out.pass = decodeURIComponent(u.password);
  } catch {
    out.servers = target.url;
  }
  const c = options.credentials;
  if (c?.username !== undefined) out.user = c.username;
  if (c?.password !== undefined) out.pass = c.password;
  if (c?.token !== undefined) out.token = c.token;
  return out;
}

export const natsTransport = clientTransport<NatsModule>('nats', 'NATS', () => import('nats'), connectNats);

async function connectNats(
  nats: NatsModule,
  target: BrokerTarget,
  options: ConnectOptions,
): Promise<MessageConnection> {
  const nc = await connecting(nats.connect(natsOptions(target, options)), target, options.signal);
  return new NatsMessageConnection(nats, nc, target.url);
}

class NatsMessageConnection implements MessageConnection {
  private readonly watch = new CloseWatch();
  private readonly subs = new Set<Subscription>();

  constructor(
    private readonly nats: NatsModule,
    private readonly nc: NatsConnection,
    private readonly url: string,
  ) {
    void nc.closed().then((error) => this.watch.fire(closedError(url, error ?? undefined)));
  }

  async publish(message: OutgoingMessage, signal: AbortSignal): Promise<void> {
    try {
      const headers = this.nats.headers();
      for (const [k, v] of Object.entries(message.headers)) headers.set(k, v);
      if (message.contentType !== undefined && !headers.has('content-type'))
        headers.set('content-type', message.contentType);
      this.nc.publish(message.channel, message.body, { headers });
      // nats.js buffers publishes: a flush (PING/PONG) is how we know the message left this process.
      await bounded(this.nc.flush(), signal, () => abortedError(this.url));
    } catch (error) {
      throw operationFailure('PUBLISH_FAILED', this.url, message.channel, error, signal);
    }
  }

  async subscribe(
    channel: string,
    onMessage: (message: IncomingMessage) => void,
    signal: AbortSignal,
  ): Promise<MessageSubscription> {
    let sub: Subscription;
    try {
      sub = this.nc.subscribe(channel, {
        callback: (error, msg) => {
          if (error === null) onMessage(incoming(msg));
        },
      });
      this.subs.add(sub);
      // After the round trip the server knows the subscription.
      await bounded(this.nc.flush(), signal, () => abortedError(this.url));
    } catch (error) {
      throw operationFailure('SUBSCRIBE_FAILED', this.url, channel, error, signal);
    }
    return {
      close: async () => {
        this.subs.delete(sub);
        if (!this.nc.isClosed()) sub.unsubscribe();
      },
    };
  }

  onClose(listener: (error: Error) => void): void {
    this.watch.add(listener);
  }

  async close(): Promise<void> {
    this.watch.closing = true;
    this.subs.clear();
    if (!this.nc.isClosed()) await this.nc.close().catch(() => {});
  }
}

function incoming(msg: Msg): IncomingMessage {
  const headers: Record<string, string> = {};
  let contentType: string | undefined;
  if (msg.headers !== undefined) {
    for (const [k, values] of msg.headers) {
      headers[k] = values.join(', ');
      if (k.toLowerCase() === 'content-type') contentType = values[0];
    }
  }
  const out: IncomingMessage = { channel: msg.subject, headers, body: msg.data };
  if (contentType !== undefined) out.contentType = contentType;
  return out;
}
