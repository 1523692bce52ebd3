// Regression tests from the review of the performance work (ExchangeSignal): an interceptor that also listens to the request's signal.
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, type Dispatcher } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isTransportError, type TransportError } from '../../src/errors.js';
import type { PreparedRequest, SendOptions } from '../../src/http/index.js';
import { sendRequest } from '../../src/http/index.js';
import { deadlineWatch } from '../../src/net/index.js';
import { getRequest } from './helpers.js';

let server: Server;
let origin: string;
let dispatcher: Agent;
const open = new Set<ServerResponse>();

beforeAll(async () => {
  server = createServer((req, res) => {
    open.add(res);
    res.on('close', () => open.delete(res));
    if (req.url === '/trickle') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      const t = setInterval(() => res.write('x'), 20);
      res.on('close', () => clearInterval(t));
    } // '/never': no answer
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  dispatcher = new Agent();
});

afterAll(async () => {
  for (const res of open) res.destroy();
  await dispatcher.close();
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const get = (path: string): PreparedRequest => getRequest(origin, path);

// undici documents `signal` as an AbortSignal or an EventEmitter: an interceptor may add its own 'abort'
// listener next to undici's RequestHandler. The exchange's timeout and the caller's signal must still abort.
describe('ExchangeSignal with a second abort listener', () => {
  it.each<[string, { path: string; options: () => SendOptions; reason: string }]>([
    [
      'overall timeout on a trickling body',
      { path: '/trickle', options: () => ({ timeoutMs: 200 }), reason: 'TIMEOUT' },
    ],
    [
      'caller abort before headers',
      {
        path: '/never',
        options: () => ({ signal: AbortSignal.timeout(150), timeoutMs: 5000 }),
        reason: 'ABORTED',
      },
    ],
  ])(
    '%s',
    async (_name, c) => {
      const seen: string[] = [];
      const listening = dispatcher.compose(
        (dispatch) => (opts: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler) => {
          const signal = (opts as { signal?: unknown }).signal as {
            addEventListener?: (e: string, l: () => void) => void;
            once?: (e: string, l: () => void) => void;
          };
          if (signal?.addEventListener !== undefined)
            signal.addEventListener('abort', () => seen.push('abort'));
          else signal?.once?.('abort', () => seen.push('abort'));
          return dispatch(opts, handler);
        },
      );
      const started = performance.now();
      let err: TransportError | undefined;
      try {
        await sendRequest(get(c.path), { ...c.options(), dispatcher: listening });
      } catch (e) {
        if (isTransportError(e)) err = e;
      }
      expect(err?.reason).toBe(c.reason);
      expect(performance.now() - started).toBeLessThan(1500);
      expect(seen).toEqual(['abort']);
    },
    8000,
  );
});

describe('the shared deadline timer and the process lifetime', () => {
  // A dispatcher that accepts the request and then holds nothing: only our deadline timer can keep the
  // process alive until the timeout, and it must not keep it alive afterwards.
  const hangs = {
    dispatch(
      _opts: unknown,
      handler: { onConnect?: (abort: (e: Error) => void) => void; onError: (e: Error) => void },
    ) {
      handler.onConnect?.((err) => handler.onError(err));
      return true;
    },
  } as unknown as Dispatcher;

  it('holds the process open while an exchange is in flight, and not after', async () => {
    const started = performance.now();
    const pending = sendRequest(get('/never'), { dispatcher: hangs, timeoutMs: 200 }).catch((e: unknown) =>
      isTransportError(e) ? e.reason : String(e),
    );
    await new Promise((r) => setImmediate(r));
    expect(deadlineWatch()).toEqual({ inFlight: 1, holdsProcess: true });
    expect(await pending).toBe('TIMEOUT');
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
    expect(deadlineWatch()).toEqual({ inFlight: 0, holdsProcess: false });
  });

  it('a later, longer deadline does not re-arm the timer but still holds the process', async () => {
    const first = sendRequest(get('/never'), { dispatcher: hangs, timeoutMs: 150 }).catch(() => 'done');
    const second = sendRequest(get('/never'), { dispatcher: hangs, timeoutMs: 400 }).catch((e: unknown) =>
      isTransportError(e) ? e.reason : String(e),
    );
    await first;
    expect(deadlineWatch()).toEqual({ inFlight: 1, holdsProcess: true });
    expect(await second).toBe('TIMEOUT');
    expect(deadlineWatch()).toEqual({ inFlight: 0, holdsProcess: false });
  });
});
