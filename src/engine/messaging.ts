// Arazzo 1.1.0 "Step Object" (action, correlationId, timeout): the run's broker connections and mailboxes.
import { displayServer } from '../async/broker.js';
import { transportFor } from '../async/transports.js';
import type {
  BrokerCredentials,
  BrokerTarget,
  IncomingMessage,
  MessageConnection,
  MessageSubscription,
  MessageTransport,
  OutgoingMessage,
} from '../async/types.js';
import { isMessagingError, MessagingError } from '../errors.js';
import type { AsyncApiServer } from '../sources/asyncapi.js';
import type {
  AmqpChannelBinding,
  AmqpOperationBinding,
  AsyncApiChannel,
  AsyncApiSource,
} from '../sources/types.js';
import type { AuthValues } from './types.js';

/** Messages kept per channel for receive steps that have not started yet; the oldest go first. */
const MAILBOX_LIMIT = 1000;
const CONNECT_TIMEOUT_MS = 10_000;

/** A message waiting in a mailbox, or handed to a waiting receive step. */
export interface Delivered {
  message: IncomingMessage;
  /** Set once a receive step took it: no other step sees it again. */
  taken: boolean;
}

/** A receive step waiting: `take` says whether it took the message; `fail` ends the wait. */
export interface Waiter {
  take(d: Delivered): boolean;
  fail(error: MessagingError): void;
}

/** Every message on one channel of one broker since the run subscribed to it. */
class Mailbox {
  readonly kept: Delivered[] = [];
  readonly waiters = new Set<Waiter>();
  failure: MessagingError | undefined;

  constructor(readonly ready: Promise<MessageSubscription>) {}

  deliver(message: IncomingMessage): void {
    const d: Delivered = { message, taken: false };
    for (const w of this.waiters) if (w.take(d)) return;
    this.kept.push(d);
    if (this.kept.length > MAILBOX_LIMIT) this.kept.shift();
  }

  fail(error: MessagingError): void {
    this.failure = error;
    for (const w of [...this.waiters]) w.fail(error);
  }

  /**
   * The first kept message that `matches`, or the first to arrive that does. `waiting` gets the way to stop
   * waiting (the caller's timeout).
   */
  async first(matches: (d: Delivered) => boolean, waiting: (stop: () => void) => void): Promise<Delivered> {
    await this.ready;
    if (this.failure !== undefined) throw this.failure;
    const kept = this.kept.find(matches);
    if (kept !== undefined) return kept;
    return new Promise<Delivered>((resolve, reject) => {
      const waiter: Waiter = {
        take: (d: Delivered): boolean => {
          if (!matches(d)) return false;
          this.waiters.delete(waiter);
          resolve(d);
          return true;
        },
        fail: (e: MessagingError): void => {
          this.waiters.delete(waiter);
          reject(e);
        },
      };
      this.waiters.add(waiter);
      waiting(() => this.waiters.delete(waiter));
    });
  }
}

export interface BrokerChoice {
  target: BrokerTarget;
  credentials?: BrokerCredentials;
  /** The server name in the AsyncAPI document, or 'override'. */
  serverName: string;
  /** The channel's AMQP binding (AsyncAPI AMQP bindings 0.3.0), passed to the transport. */
  amqp?: AmqpChannelBinding;
}

/** What tells two channels with one address apart: their AMQP exchange and queue. */
function bindingKey(amqp: AmqpChannelBinding | undefined): string {
  if (amqp === undefined) return '';
  return `\u0002${amqp.is}\u0002${amqp.exchange?.name ?? ''}\u0002${amqp.exchange?.type ?? ''}\u0002${amqp.queue?.name ?? ''}`;
}

/** An AMQP binding's vhost as the URL's path when the URL names none (`amqp://host:5672` -> `/vhost`). */
function withVhost(target: BrokerTarget, amqp: AmqpChannelBinding | undefined): BrokerTarget {
  const vhost = amqp?.exchange?.vhost ?? amqp?.queue?.vhost;
  if (vhost === undefined || !/^amqps?$/.test(target.protocol)) return target;
  try {
    const u = new URL(target.url);
    if (u.pathname !== '' && u.pathname !== '/') return target;
    u.pathname = `/${encodeURIComponent(vhost)}`;
    return { ...target, url: u.href };
  } catch {
    return target;
  }
}

/**
 * The connection as a channel or operation with bindings sees it: what it publishes carries the
 * channel's binding and the operation's.
 */
function boundConnection(
  conn: MessageConnection,
  amqp: AmqpChannelBinding | undefined,
  operation: AmqpOperationBinding | undefined,
): MessageConnection {
  const bound: Pick<OutgoingMessage, 'amqp' | 'amqpOperation'> = {};
  if (amqp !== undefined) bound.amqp = amqp;
  if (operation !== undefined) bound.amqpOperation = operation;
  const subscribeOptions = amqp === undefined ? undefined : { amqp };
  return {
    publish: (message, signal) => conn.publish({ ...message, ...bound }, signal),
    subscribe: (channel, onMessage, signal, options) =>
      conn.subscribe(channel, onMessage, signal, options ?? subscribeOptions),
    onClose: (listener) => conn.onClose(listener),
    close: () => conn.close(),
  };
}

/**
 * A run's messaging: one connection per broker, one subscription (mailbox) per channel address, all
 * closed when the run ends. Created only for documents with an AsyncAPI source.
 */
export class MessagingSession {
  private readonly connections = new Map<string, Promise<MessageConnection>>();
  private readonly mailboxes = new Map<string, Mailbox>();
  private closed = false;

  constructor(
    private readonly options: {
      servers?: Record<string, string> | undefined;
      serverVariables?: Record<string, string> | undefined;
      auth?: AuthValues | undefined;
      messageTransports?: Record<string, MessageTransport> | undefined;
      signal: AbortSignal;
    },
  ) {}

  /** The broker for a channel: the `servers` override of the source, else the first usable server. */
  brokerFor(source: AsyncApiSource, channel: AsyncApiChannel): BrokerChoice {
    const choice = this.serverFor(source, channel);
    if (channel.amqp === undefined) return choice;
    choice.target = withVhost(choice.target, channel.amqp);
    choice.amqp = channel.amqp;
    return choice;
  }

  private serverFor(source: AsyncApiSource, channel: AsyncApiChannel): BrokerChoice {
    const override = this.options.servers?.[source.name];
    const candidates = source.servers.filter(
      (s) => channel.servers === undefined || channel.servers.includes(s.name),
    );
    if (override !== undefined) {
      const protocol = /^([a-z][a-z0-9+.-]*):/i.exec(override)?.[1]?.toLowerCase() ?? '';
      const same = candidates.find((s) => s.protocol === protocol) ?? candidates[0];
      const target: BrokerTarget = { url: override, protocol };
      if (same?.protocolVersion !== undefined && same.protocol === protocol)
        target.protocolVersion = same.protocolVersion;
      return this.withCredentials({ target, serverName: 'override' }, source, same);
    }
    const server = candidates[0];
    if (server === undefined)
      throw new MessagingError(
        'NO_SERVER',
        `source "${source.name}" declares no server for channel "${channel.key}"; give one with the servers option (CLI --server ${source.name}=mqtt://host:port)`,
        '',
      );
    const target: BrokerTarget = { url: this.fillVariables(server), protocol: server.protocol };
    if (server.protocolVersion !== undefined) target.protocolVersion = server.protocolVersion;
    return this.withCredentials({ target, serverName: server.name }, source, server);
  }

  private fillVariables(server: AsyncApiServer): string {
    return server.url.replace(/\{([^}]+)\}/g, (whole: string, name: string) => {
      const given = this.options.serverVariables?.[name];
      return given ?? server.variables[name]?.default ?? server.variables[name]?.enum?.[0] ?? whole;
    });
  }

  /** Credentials from `auth` by the security scheme names the server asks for (the first given wins). */
  private withCredentials(
    choice: BrokerChoice,
    source: AsyncApiSource,
    server: AsyncApiServer | undefined,
  ): BrokerChoice {
    const auth = this.options.auth;
    if (auth === undefined) return choice;
    const names = server?.security.length ? server.security : Object.keys(source.securitySchemes);
    for (const name of names) {
      const value = Object.hasOwn(auth, name) ? auth[name] : undefined;
      if (value === undefined) continue;
      const scheme = source.securitySchemes[name];
      const c: BrokerCredentials = {};
      if (typeof value === 'string') {
        if (scheme?.type === 'userPassword' && value.includes(':')) {
          c.username = value.slice(0, value.indexOf(':'));
          c.password = value.slice(value.indexOf(':') + 1);
        } else if (scheme?.type === 'httpApiKey' && scheme.name !== undefined && scheme.in === 'header') {
          c.headers = { [scheme.name.toLowerCase()]: value };
        } else {
          c.token = value;
        }
      } else if ('clientId' in value) {
        // OAuth credentials obtain HTTP tokens; brokers take none of them.
      } else if ('username' in value) {
        c.username = value.username;
        c.password = value.password;
      } else if ('token' in value) {
        c.token = value.token;
      } else if (scheme?.type === 'httpApiKey' && scheme.name !== undefined) {
        c.headers = { [scheme.name.toLowerCase()]: value.value };
      } else {
        c.token = value.value;
      }
      choice.credentials = c;
      return choice;
    }
    return choice;
  }

  /**
   * The broker's connection; for a channel (or operation) with an AMQP binding, a view whose publish
   * carries it.
   */
  connection(choice: BrokerChoice, operation?: AmqpOperationBinding): Promise<MessageConnection> {
    const amqp = choice.amqp;
    const conn = this.brokerConnection(choice);
    if (amqp === undefined && operation === undefined) return conn;
    return conn.then((c) => boundConnection(c, amqp, operation));
  }

  private brokerConnection(choice: BrokerChoice): Promise<MessageConnection> {
    if (this.closed) return Promise.reject(new MessagingError('ABORTED', 'the run has ended', ''));
    const key = `${choice.target.protocol}\u0000${choice.target.url}\u0000${choice.target.protocolVersion ?? ''}`;
    let conn = this.connections.get(key);
    if (conn === undefined) {
      const transport = transportFor(
        choice.target.protocol,
        this.options.messageTransports,
        displayServer(choice.target.url),
      );
      conn = transport.connect(choice.target, {
        signal: this.options.signal,
        connectTimeoutMs: CONNECT_TIMEOUT_MS,
        ...(choice.credentials !== undefined ? { credentials: choice.credentials } : {}),
      });
      this.connections.set(key, conn);
      conn.then(
        (c) =>
          c.onClose((error) => {
            this.connections.delete(key);
            const failure = isMessagingError(error)
              ? error
              : new MessagingError('CONNECTION_CLOSED', error.message, displayServer(choice.target.url));
            for (const [k, box] of this.mailboxes) if (k.startsWith(`${key}\u0001`)) box.fail(failure);
          }),
        () => this.connections.delete(key),
      );
    }
    return conn;
  }

  /**
   * The mailbox of a channel address, subscribing on first use. Subscribing early (when a workflow starts
   * and before a send) is what keeps a reply that comes at once from being lost.
   */
  mailbox(choice: BrokerChoice, address: string): Mailbox {
    const key = `${choice.target.protocol}\u0000${choice.target.url}\u0000${choice.target.protocolVersion ?? ''}\u0001${address}${bindingKey(choice.amqp)}`;
    let box = this.mailboxes.get(key);
    if (box === undefined || box.failure !== undefined) {
      let created: Mailbox | undefined;
      const options = choice.amqp === undefined ? undefined : { amqp: choice.amqp };
      const ready = this.brokerConnection(choice).then((conn) =>
        conn.subscribe(address, (m) => created?.deliver(m), this.options.signal, options),
      );
      created = new Mailbox(ready);
      box = created;
      const mine = created;
      ready.catch((error: unknown) => {
        mine.fail(
          isMessagingError(error)
            ? error
            : new MessagingError('SUBSCRIBE_FAILED', String(error), displayServer(choice.target.url)),
        );
      });
      this.mailboxes.set(key, box);
    }
    return box;
  }

  /** Disconnect everything (a closed connection ends its subscriptions: no unsubscribe round trips); idempotent. */
  async close(): Promise<void> {
    this.closed = true;
    const boxes = [...this.mailboxes.values()];
    this.mailboxes.clear();
    // A subscription still being set up settles (or fails) before its connection goes.
    await Promise.all(boxes.map((b) => b.ready.catch(() => undefined)));
    const conns = [...this.connections.values()];
    this.connections.clear();
    await Promise.all(
      conns.map((c) =>
        c.then(
          (conn) => conn.close().catch(() => {}),
          () => {},
        ),
      ),
    );
  }
}

export type { Mailbox };
