// WebSocket through the optional `ws` package. One socket per channel: its URL is the server URL joined
// with the channel address; a message is one frame (WebSocket frames carry no headers: they are not sent).
import type { WebSocket as WsSocket } from 'ws';
import {
  abortedError,
  bounded,
  CloseWatch,
  clientTransport,
  closedError,
  failed,
  unreachable,
} from './broker.js';
import type {
  ConnectOptions,
  IncomingMessage,
  MessageConnection,
  MessageSubscription,
  OutgoingMessage,
} from './types.js';

type WsModule = typeof import('ws');

/** The server URL and the channel address joined by exactly one slash. */
export function channelUrl(server: string, channel: string): string {
  if (channel === '') return server;
  return `${server.replace(/\/+$/, '')}/${channel.replace(/^\/+/, '')}`;
}

function handshakeHeaders(options: ConnectOptions): Record<string, string> {
  const c = options.credentials;
  const headers: Record<string, string> = { ...(c?.headers ?? {}) };
  if (c?.token !== undefined && headers.authorization === undefined)
    headers.authorization = `Bearer ${c.token}`;
  else if (c?.username !== undefined && headers.authorization === undefined)
    headers.authorization = `Basic ${Buffer.from(`${c.username}:${c.password ?? ''}`).toString('base64')}`;
  return headers;
}

export const wsTransport = clientTransport<WsModule>(
  'ws',
  'WebSocket',
  () => import('ws'),
  async (ws, target, options) => new WsConnection(ws, target.url, options),
);

interface ChannelSocket {
  socket: WsSocket;
  open: Promise<void>;
  handlers: Set<(m: IncomingMessage) => void>;
}

class WsConnection implements MessageConnection {
  private readonly watch = new CloseWatch();
  private readonly sockets = new Map<string, ChannelSocket>();
  private readonly headers: Record<string, string>;

  constructor(
    private readonly ws: WsModule,
    private readonly url: string,
    private readonly options: ConnectOptions,
  ) {
    this.headers = handshakeHeaders(options);
  }

  /** The channel's socket, opened on first use. */
  private async socketFor(channel: string, signal: AbortSignal): Promise<ChannelSocket> {
    let entry = this.sockets.get(channel);
    if (entry === undefined) {
      const target = channelUrl(this.url, channel);
      const socket = new this.ws.WebSocket(target, {
        headers: this.headers,
        handshakeTimeout: this.options.connectTimeoutMs,
      });
      const handlers = new Set<(m: IncomingMessage) => void>();
      const open = new Promise<void>((resolve, reject) => {
        socket.once('open', () => resolve());
        socket.once('error', reject);
        socket.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
      });
      socket.on('error', () => {});
      socket.on('message', (data, isBinary) => {
        const body = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
        const message: IncomingMessage = { channel, headers: {}, body };
        if (!isBinary) message.contentType = 'text/plain';
        for (const h of handlers) h(message);
      });
      entry = { socket, open, handlers };
      this.sockets.set(channel, entry);
      open.then(
        () => socket.once('close', (code) => this.watch.fire(closedError(target, new Error(`code ${code}`)))),
        () => this.sockets.delete(channel),
      );
    }
    try {
      await bounded(entry.open, signal, () => abortedError(this.url));
    } catch (error) {
      if (signal.aborted) throw abortedError(this.url);
      throw unreachable(channelUrl(this.url, channel), error);
    }
    return entry;
  }

  async publish(message: OutgoingMessage, signal: AbortSignal): Promise<void> {
    const entry = await this.socketFor(message.channel, signal);
    try {
      await new Promise<void>((resolve, reject) => {
        const binary = message.contentType !== undefined && !/json|text|xml/i.test(message.contentType);
        entry.socket.send(message.body, { binary }, (error) => (error ? reject(error) : resolve()));
      });
    } catch (error) {
      throw failed('PUBLISH_FAILED', this.url, message.channel, error);
    }
  }

  async subscribe(
    channel: string,
    onMessage: (message: IncomingMessage) => void,
    signal: AbortSignal,
  ): Promise<MessageSubscription> {
    const entry = await this.socketFor(channel, signal);
    entry.handlers.add(onMessage);
    return {
      close: async () => {
        entry.handlers.delete(onMessage);
      },
    };
  }

  onClose(listener: (error: Error) => void): void {
    this.watch.add(listener);
  }

  async close(): Promise<void> {
    this.watch.closing = true;
    const closing: Array<Promise<void>> = [];
    for (const { socket } of this.sockets.values()) {
      if (socket.readyState === socket.CLOSED) continue;
      closing.push(
        new Promise<void>((resolve) => {
          socket.once('close', () => resolve());
          socket.terminate();
        }),
      );
    }
    this.sockets.clear();
    await Promise.all(closing);
  }
}
