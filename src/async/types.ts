/**
 * The message-transport seam (AsyncAPI steps): how the engine reaches a broker. Built-in implementations
 * (MQTT, AMQP 0-9-1, NATS, WebSocket) sit behind it; another protocol plugs in through the
 * `messageTransports` run option with the same shape.
 */

import type { AmqpChannelBinding, AmqpOperationBinding, AsyncApiMessage } from '../sources/types.js';

/** A broker to talk to, from the AsyncAPI server (or a `servers` override). */
export interface BrokerTarget {
  /** e.g. 'mqtt://127.0.0.1:1883', 'amqp://host:5672/vhost', 'nats://host:4222', 'ws://host:8080/base'. */
  url: string;
  /** The AsyncAPI protocol name: 'mqtt', 'mqtts', 'amqp', 'amqps', 'nats', 'ws', 'wss', or another. */
  protocol: string;
  /** AsyncAPI `protocolVersion`, e.g. '5' or '3.1.1' for MQTT. */
  protocolVersion?: string;
}

/** Credentials the `auth` option gave for the server's security schemes. Never shown unmasked. */
export interface BrokerCredentials {
  username?: string;
  password?: string;
  token?: string;
  /** Extra headers (WebSocket handshake: `httpApiKey`, `http` bearer/basic). */
  headers?: Record<string, string>;
}

export interface ConnectOptions {
  signal: AbortSignal;
  credentials?: BrokerCredentials;
  /** Give up connecting after this many ms. */
  connectTimeoutMs: number;
}

/** What is published: the channel address, headers, and the encoded payload. */
export interface OutgoingMessage {
  /** The channel address after parameter substitution (MQTT topic, NATS subject, AMQP queue, WS path). */
  channel: string;
  headers: Record<string, string>;
  body: Uint8Array;
  contentType?: string;
  /** The channel's AMQP binding: publish to its exchange (transports of other protocols ignore it). */
  amqp?: AmqpChannelBinding;
  /** The operation's AMQP binding: message properties to publish with (other transports ignore it). */
  amqpOperation?: AmqpOperationBinding;
}

/** How to subscribe beyond the address: the channel's bindings. */
export interface SubscribeOptions {
  /** The channel's AMQP binding: consume its queue, or a queue bound to its exchange. */
  amqp?: AmqpChannelBinding;
}

/** What arrived: headers as the protocol carries them and the raw body (decoded by the engine). */
export interface IncomingMessage {
  channel: string;
  headers: Record<string, string>;
  body: Uint8Array;
  contentType?: string;
}

export interface MessageSubscription {
  /** Stop receiving; resolves once the broker was told (or the connection is gone). */
  close(): Promise<void>;
}

/** One open connection to one broker. Every method honours the signal it is given. */
export interface MessageConnection {
  /** Resolves once the message left this process (no broker acknowledgement is modelled, as the spec says). */
  publish(message: OutgoingMessage, signal: AbortSignal): Promise<void>;
  /** Resolves once the subscription is in place: a message published after that is delivered. */
  subscribe(
    channel: string,
    onMessage: (message: IncomingMessage) => void,
    signal: AbortSignal,
    options?: SubscribeOptions,
  ): Promise<MessageSubscription>;
  /** Called once if the connection ends without `close()` (the broker went away). */
  onClose(listener: (error: Error) => void): void;
  /** Closes the connection and every subscription; idempotent; leaves no socket or timer behind. */
  close(): Promise<void>;
}

/**
 * Connects to one broker. Rejects with a MessagingError (reason BROKER_UNREACHABLE, CLIENT_MISSING, ...).
 * @example
 * const kafka: MessageTransport = { connect: async (target, options) => myKafkaConnection(target, options) };
 * await runWorkflow(doc, inputs, { messageTransports: { kafka } });
 */
export interface MessageTransport {
  connect(target: BrokerTarget, options: ConnectOptions): Promise<MessageConnection>;
}

/** What a mocked `receive` step gets. `correlation` is the value the step waits for, if any. */
export type MessageMock = (request: {
  workflowId: string;
  stepId: string;
  operationId?: string;
  channel: string;
  messages: AsyncApiMessage[];
  correlation?: { location: string; value: string };
}) => { headers?: Record<string, string>; payload?: unknown } | undefined;
