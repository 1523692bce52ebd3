/** The built-in message transports by AsyncAPI protocol name; injected ones (`messageTransports`) win. */
import { MessagingError } from '../errors.js';
import { amqpTransport } from './amqp.js';
import { mqttTransport } from './mqtt.js';
import { natsTransport } from './nats.js';
import type { MessageTransport } from './types.js';
import { wsTransport } from './ws.js';

// Each module imports its client library only when `connect` is first called.
const BUILT_IN: Readonly<Record<string, MessageTransport>> = {
  mqtt: mqttTransport,
  mqtts: mqttTransport,
  'secure-mqtt': mqttTransport,
  amqp: amqpTransport,
  amqps: amqpTransport,
  nats: natsTransport,
  ws: wsTransport,
  wss: wsTransport,
};

export const BUILT_IN_PROTOCOLS = Object.keys(BUILT_IN);

/** The transport for a protocol, or a PROTOCOL_UNSUPPORTED MessagingError naming what would work. */
export function transportFor(
  protocol: string,
  injected: Readonly<Record<string, MessageTransport>> | undefined,
  server: string,
): MessageTransport {
  const name = protocol.toLowerCase();
  const found =
    (injected !== undefined && Object.hasOwn(injected, name) ? injected[name] : undefined) ??
    (Object.hasOwn(BUILT_IN, name) ? BUILT_IN[name] : undefined);
  if (found !== undefined) return found;
  const known = [...new Set([...BUILT_IN_PROTOCOLS, ...Object.keys(injected ?? {})])].join(', ');
  throw new MessagingError(
    'PROTOCOL_UNSUPPORTED',
    `protocol "${protocol}" has no message transport (built in: ${known}); pass one in the messageTransports option`,
    server,
  );
}
