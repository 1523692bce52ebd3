/** The network client for what a run's options ask of the connection: client certificates (mTLS) and proxies. */
import type { Dispatcher } from 'undici';

/**
 * TLS material for connections to one source's servers (PEM text or bytes).
 * @example { cert: readFileSync('client.crt'), key: readFileSync('client.key'), ca: readFileSync('ca.crt') }
 */
export interface TlsOptions {
  cert?: string | Buffer;
  key?: string | Buffer;
  passphrase?: string;
  /** Trusted CAs instead of Node's default list. */
  ca?: string | Buffer | Array<string | Buffer>;
}

/**
 * A forward proxy URL for every request, or the variables' values (HTTP_PROXY, HTTPS_PROXY, NO_PROXY)
 * given explicitly: library code reads no environment.
 * @example 'http://proxy.corp:3128'  or  { httpsProxy: process.env.HTTPS_PROXY, noProxy: process.env.NO_PROXY }
 */
export type ProxyOption = string | { httpProxy?: string; httpsProxy?: string; noProxy?: string };

/** True when the proxy option asks for anything (an object of unset variables does not). */
export function wantsProxy(proxy: ProxyOption | undefined): proxy is ProxyOption {
  if (proxy === undefined) return false;
  if (typeof proxy === 'string') return proxy !== '';
  return proxy.httpProxy !== undefined || proxy.httpsProxy !== undefined;
}

/** An undici dispatcher with the TLS material and proxy; undici is loaded here, on first use. */
export async function createDispatcher(
  tls: TlsOptions | undefined,
  proxy: ProxyOption | undefined,
): Promise<Dispatcher> {
  const undici = await import('undici');
  const connect = tls === undefined ? {} : { connect: { ...tls }, requestTls: { ...tls } };
  if (!wantsProxy(proxy)) return new undici.Agent(tls === undefined ? {} : { connect: { ...tls } });
  if (typeof proxy === 'string') return new undici.ProxyAgent({ uri: proxy, ...connect });
  return new undici.EnvHttpProxyAgent({
    ...(proxy.httpProxy !== undefined ? { httpProxy: proxy.httpProxy } : {}),
    ...(proxy.httpsProxy !== undefined ? { httpsProxy: proxy.httpsProxy } : {}),
    ...(proxy.noProxy !== undefined ? { noProxy: proxy.noProxy } : {}),
    ...connect,
  });
}
