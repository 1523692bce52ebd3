/** What the built-in message transports share: server display, error shapes, abort handling. */
import { MessagingError } from '../errors.js';
import type { BrokerTarget, ConnectOptions, MessageConnection, MessageTransport } from './types.js';

/** A server URL with any user:password removed, for messages and records. */
export function displayServer(url: string): string {
  try {
    const u = new URL(url);
    if (u.username === '' && u.password === '') return url;
    u.username = '';
    u.password = '';
    return u.href;
  } catch {
    return url.replace(/\/\/[^@/]*@/, '//');
  }
}

export function reasonText(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return reasonText(error.errors[0]);
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}

export function unreachable(url: string, error: unknown): MessagingError {
  return new MessagingError(
    'BROKER_UNREACHABLE',
    `cannot connect to ${displayServer(url)}: ${reasonText(error)}`,
    displayServer(url),
    { cause: error },
  );
}

export function closedError(url: string, error?: unknown): MessagingError {
  return new MessagingError(
    'CONNECTION_CLOSED',
    `the connection to ${displayServer(url)} closed${error === undefined ? '' : `: ${reasonText(error)}`}`,
    displayServer(url),
    error === undefined ? {} : { cause: error },
  );
}

export function failed(
  reason: 'PUBLISH_FAILED' | 'SUBSCRIBE_FAILED',
  url: string,
  channel: string,
  error: unknown,
): MessagingError {
  const verb = reason === 'PUBLISH_FAILED' ? 'publish to' : 'subscribe to';
  return new MessagingError(
    reason,
    `cannot ${verb} "${channel}" on ${displayServer(url)}: ${reasonText(error)}`,
    displayServer(url),
    { cause: error },
  );
}

/** The error a failed publish or subscribe throws: ABORTED when the run's signal aborted, else `reason`. */
export function operationFailure(
  reason: 'PUBLISH_FAILED' | 'SUBSCRIBE_FAILED',
  url: string,
  channel: string,
  error: unknown,
  signal: AbortSignal,
): MessagingError {
  return signal.aborted ? abortedError(url) : failed(reason, url, channel, error);
}

export function abortedError(url: string): MessagingError {
  return new MessagingError('ABORTED', 'the run was cancelled', displayServer(url));
}

/**
 * A client library loaded on first use (an optional peer dependency): one import shared by every
 * connection, tried again after a failure, and its absence reported as CLIENT_MISSING naming the package.
 * @example const loadMqtt = lazyClient('mqtt', 'MQTT', () => import('mqtt'));
 */
export function lazyClient<T>(pkg: string, protocol: string, load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () => {
    loading ??= load().catch((error: unknown) => {
      loading = undefined;
      throw clientMissing(pkg, protocol, error);
    });
    return loading;
  };
}

/**
 * A built-in transport over an optional client library: the library is loaded on the first `connect`
 * (see lazyClient), then `connect` opens the connection with it.
 * @example export const natsTransport = clientTransport('nats', 'NATS', () => import('nats'), connectNats);
 */
export function clientTransport<T>(
  pkg: string,
  protocol: string,
  load: () => Promise<T>,
  connect: (client: T, target: BrokerTarget, options: ConnectOptions) => Promise<MessageConnection>,
): MessageTransport {
  const loadClient = lazyClient(pkg, protocol, load);
  return {
    async connect(target, options) {
      return connect(await loadClient(), target, options);
    },
  };
}

/**
 * A connection attempt bounded by the run's signal: ABORTED when the signal aborts (also when the attempt
 * failed because of it), BROKER_UNREACHABLE when it fails otherwise.
 */
export async function connecting<T>(
  attempt: Promise<T>,
  target: BrokerTarget,
  signal: AbortSignal,
): Promise<T> {
  try {
    return await bounded(attempt, signal, () => abortedError(target.url));
  } catch (error) {
    if (signal.aborted) throw abortedError(target.url);
    throw unreachable(target.url, error);
  }
}

export function clientMissing(pkg: string, protocol: string, error: unknown): MessagingError {
  return new MessagingError(
    'CLIENT_MISSING',
    `${protocol} steps need the "${pkg}" package (npm install ${pkg}): ${reasonText(error)}`,
    '',
    { cause: error },
  );
}

/**
 * Settles with `promise`, or rejects with `onAbort()` when the signal aborts or with `onTimeout()` after
 * `timeoutMs`; the timer and listener are removed either way.
 */
export function bounded<T>(
  promise: Promise<T>,
  signal: AbortSignal,
  onAbort: () => Error,
  timeout?: { ms: number; error: () => Error },
): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => {});
    return Promise.reject(onAbort());
  }
  return new Promise<T>((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const done = (): void => {
      signal.removeEventListener('abort', abort);
      if (timer !== undefined) clearTimeout(timer);
    };
    const abort = (): void => {
      done();
      reject(onAbort());
    };
    signal.addEventListener('abort', abort, { once: true });
    if (timeout !== undefined) {
      timer = setTimeout(() => {
        done();
        reject(timeout.error());
      }, timeout.ms);
    }
    promise.then(
      (v) => {
        done();
        resolve(v);
      },
      (e: unknown) => {
        done();
        reject(e);
      },
    );
  });
}

/** Registers close listeners and calls them once, unless the close was asked for. */
export class CloseWatch {
  private listeners: Array<(error: Error) => void> = [];
  private fired = false;
  closing = false;

  add(listener: (error: Error) => void): void {
    this.listeners.push(listener);
  }

  fire(error: Error): void {
    if (this.fired || this.closing) return;
    this.fired = true;
    for (const l of this.listeners) {
      try {
        l(error);
      } catch {
        // A listener's failure must not hide the close from the others.
      }
    }
  }
}

/** Headers as plain strings (protocols deliver buffers, arrays, numbers). */
export function headerText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
  if (Array.isArray(value)) return value.map((v) => headerText(v) ?? '').join(', ');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
