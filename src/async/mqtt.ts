// MQTT 3.1.1 and 5 through the optional `mqtt` package. Topic = channel address; headers = MQTT 5 user
// properties (MQTT 3.1.1 has no message headers: they are not sent).
import type { IClientOptions, MqttClient } from 'mqtt';
import {
  abortedError,
  bounded,
  CloseWatch,
  clientTransport,
  closedError,
  connecting,
  headerText,
  operationFailure,
} from './broker.js';
import type {
  BrokerTarget,
  ConnectOptions,
  IncomingMessage,
  MessageConnection,
  MessageSubscription,
} from './types.js';

type MqttModule = typeof import('mqtt');

/** MQTT 5 unless the server says 3.1.1 (or 3.1). */
function protocolVersion(target: BrokerTarget): 3 | 4 | 5 {
  const v = target.protocolVersion;
  if (v === '3.1.1' || v === '4') return 4;
  if (v === '3.1' || v === '3') return 3;
  return 5;
}

export const mqttTransport = clientTransport<MqttModule>('mqtt', 'MQTT', () => import('mqtt'), connectMqtt);

async function connectMqtt(
  mqtt: MqttModule,
  target: BrokerTarget,
  options: ConnectOptions,
): Promise<MessageConnection> {
  const version = protocolVersion(target);
  const client = mqtt.connect(target.url, clientOptions(version, options));
  // Errors after connecting arrive as 'close' (reconnecting is off); an unhandled 'error' would throw.
  client.on('error', () => {});
  const connack = new Promise<void>((resolve, reject) => {
    client.once('connect', () => resolve());
    client.once('error', reject);
    client.once('close', () => reject(new Error('closed before CONNACK')));
  });
  try {
    await connecting(connack, target, options.signal);
  } catch (error) {
    client.end(true);
    throw error;
  }
  return new MqttConnection(client, target.url, version);
}

function clientOptions(version: 3 | 4 | 5, options: ConnectOptions): IClientOptions {
  const clientOptions: IClientOptions = {
    protocolVersion: version,
    reconnectPeriod: 0,
    connectTimeout: options.connectTimeoutMs,
    clean: true,
  };
  const creds = options.credentials;
  if (creds?.username !== undefined) clientOptions.username = creds.username;
  if (creds?.password !== undefined) clientOptions.password = creds.password;
  else if (creds?.token !== undefined) clientOptions.password = creds.token;
  return clientOptions;
}

class MqttConnection implements MessageConnection {
  private readonly handlers = new Map<string, Set<(m: IncomingMessage) => void>>();
  private readonly watch = new CloseWatch();

  constructor(
    private readonly client: MqttClient,
    private readonly url: string,
    private readonly version: 3 | 4 | 5,
  ) {
    client.on('message', (topic, payload, packet) => {
      const set = this.handlers.get(topic);
      if (set === undefined) return;
      const headers: Record<string, string> = {};
      const props = packet.properties;
      for (const [k, v] of Object.entries(props?.userProperties ?? {})) {
        const text = headerText(v);
        if (text !== undefined) headers[k] = text;
      }
      const message: IncomingMessage = { channel: topic, headers, body: payload };
      if (props?.contentType !== undefined) message.contentType = props.contentType;
      for (const h of set) h(message);
    });
    client.on('close', () => this.watch.fire(closedError(url)));
  }

  async publish(message: Parameters<MessageConnection['publish']>[0], signal: AbortSignal): Promise<void> {
    const properties: NonNullable<Parameters<MqttClient['publishAsync']>[2]>['properties'] = {};
    if (this.version === 5) {
      if (Object.keys(message.headers).length > 0) properties.userProperties = { ...message.headers };
      if (message.contentType !== undefined) properties.contentType = message.contentType;
    }
    try {
      await bounded(
        this.client.publishAsync(message.channel, Buffer.from(message.body), { qos: 0, properties }),
        signal,
        () => abortedError(this.url),
      );
    } catch (error) {
      throw operationFailure('PUBLISH_FAILED', this.url, message.channel, error, signal);
    }
  }

  async subscribe(
    channel: string,
    onMessage: (message: IncomingMessage) => void,
    signal: AbortSignal,
  ): Promise<MessageSubscription> {
    let set = this.handlers.get(channel);
    const first = set === undefined;
    if (set === undefined) {
      set = new Set();
      this.handlers.set(channel, set);
    }
    set.add(onMessage);
    if (first) {
      try {
        // SUBACK received: anything published from now on is delivered to us.
        await bounded(this.client.subscribeAsync(channel, { qos: 0 }), signal, () => abortedError(this.url));
      } catch (error) {
        set.delete(onMessage);
        if (set.size === 0) this.handlers.delete(channel);
        throw operationFailure('SUBSCRIBE_FAILED', this.url, channel, error, signal);
      }
    }
    return {
      close: async () => {
        const current = this.handlers.get(channel);
        current?.delete(onMessage);
        if (current?.size === 0) {
          this.handlers.delete(channel);
          if (this.client.connected) await this.client.unsubscribeAsync(channel).catch(() => {});
        }
      },
    };
  }

  onClose(listener: (error: Error) => void): void {
    this.watch.add(listener);
  }

  async close(): Promise<void> {
    this.watch.closing = true;
    this.handlers.clear();
    await this.client.endAsync(true).catch(() => {});
  }
}
