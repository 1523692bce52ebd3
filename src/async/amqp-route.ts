// AsyncAPI AMQP bindings 0.3.0 "Channel Binding Object": where a channel's messages go and come from.
import { MessagingError } from '../errors.js';
import type { AmqpChannelBinding, AmqpExchange, AmqpQueue } from '../sources/types.js';
import { displayServer, reasonText } from './broker.js';

/** Exchange types a binding may declare (`default` means the default exchange, never declared). */
const DECLARABLE = new Set(['topic', 'direct', 'fanout']);

/** A channel on the broker: the exchange to publish to with the routing key, and the queue to consume. */
export interface AmqpRoute {
  /** '' is the default exchange. */
  exchange: string;
  /** The exchange to declare (or check, without a type) before first use; absent for the default one. */
  declareExchange?: AmqpExchange;
  routingKey: string;
  /** The queue to consume; absent: an exclusive server-named queue bound to the exchange by `routingKey`. */
  queue?: string;
  /** How to declare the queue; absent: use it as it exists, declaring it non-durable if it does not. */
  declareQueue?: AmqpQueue;
  /** Bind the consumed queue to the exchange by `routingKey` (a named exchange only). */
  bind: boolean;
}

function usesDefaultExchange(exchange: AmqpExchange | undefined): boolean {
  return exchange?.name === undefined || exchange.name === '' || exchange.type === 'default';
}

/** The queue's flags when the binding gives any; else undefined (use the queue as it exists). */
function queueFlags(queue: AmqpQueue | undefined): AmqpQueue | undefined {
  if (queue === undefined) return undefined;
  const given = queue.durable ?? queue.exclusive ?? queue.autoDelete;
  return given === undefined ? undefined : queue;
}

/**
 * The route of a channel address. Without a binding (or with the default exchange and `is: routingKey`)
 * the address is a queue on the default exchange, as before bindings were read.
 */
export function amqpRoute(
  address: string,
  binding: AmqpChannelBinding | undefined,
  server: string,
): AmqpRoute {
  const exchange = binding?.exchange;
  const isQueue = binding?.is === 'queue';
  const queueName = isQueue ? (binding?.queue?.name ?? address) : address;
  if (usesDefaultExchange(exchange)) {
    const route: AmqpRoute = { exchange: '', routingKey: queueName, queue: queueName, bind: false };
    const flags = isQueue ? queueFlags(binding?.queue) : undefined;
    if (flags !== undefined) route.declareQueue = flags;
    return route;
  }
  const named = exchange as AmqpExchange & { name: string };
  if (named.type !== undefined && !DECLARABLE.has(named.type))
    throw new MessagingError(
      'BINDING_UNSUPPORTED',
      `exchange "${named.name}" on ${displayServer(server)}: type "${named.type}" is not supported (topic, direct, fanout and default are)`,
      displayServer(server),
    );
  const route: AmqpRoute = { exchange: named.name, declareExchange: named, routingKey: address, bind: true };
  if (isQueue) {
    route.queue = queueName;
    const flags = queueFlags(binding?.queue);
    if (flags !== undefined) route.declareQueue = flags;
  }
  return route;
}

/** A route's key among a connection's consumers: one consumer per queue and binding. */
export function routeKey(route: AmqpRoute): string {
  return `${route.exchange}\u0000${route.queue ?? ''}\u0000${route.routingKey}`;
}

/**
 * A failed declaration named: 406 PRECONDITION_FAILED (it exists otherwise) -> EXCHANGE_CONFLICT or
 * QUEUE_CONFLICT, 404 NOT_FOUND (checked, not declared) -> EXCHANGE_NOT_FOUND or QUEUE_NOT_FOUND.
 */
export function declareFailure(
  what: 'exchange' | 'queue',
  name: string,
  url: string,
  error: unknown,
  fallback: 'PUBLISH_FAILED' | 'SUBSCRIBE_FAILED',
): MessagingError {
  const code = (error as { code?: unknown } | undefined)?.code;
  const prefix = what.toUpperCase();
  const [reason, detail] =
    code === 406
      ? [`${prefix}_CONFLICT`, 'exists with other properties than the channel binding declares']
      : code === 404
        ? [`${prefix}_NOT_FOUND`, 'does not exist (the binding declares no type to create it with)']
        : [fallback, 'cannot be declared'];
  return new MessagingError(
    reason,
    `${what} "${name}" on ${displayServer(url)} ${detail}: ${reasonText(error)}`,
    displayServer(url),
    { cause: error },
  );
}
