/** Options of runWorkflow. Every option is optional; defaults are given with each. */
import type { Dispatcher } from 'undici';
import type { MessageMock, MessageTransport } from '../async/types.js';
import type { ContractOptions } from '../contract/types.js';
import type { Transport } from '../http/types.js';
import type { ProxyOption, TlsOptions } from '../net/index.js';
import type { Masker } from '../secrets/index.js';
import type { DocumentLoader } from '../sources/types.js';
import type { AuthValues, RunEvent } from './types.js';

export interface RunOptions {
  /**
   * The workflow to run. Default: the first workflow of the document.
   * @example { workflowId: 'connect-account-via-auth-config' }
   */
  workflowId?: string;
  /**
   * Override source description URLs by name when loading (relative paths resolve against the current
   * directory). Default: none.
   * @example { sources: { petStore: './openapi/petstore.yaml' } }
   */
  sources?: Record<string, string>;
  /**
   * Replace the whole server URL (base path included) of a source's operations. Naming an unknown
   * source is an error. Default: the OpenAPI document's servers.
   * @example { servers: { composioApi: 'http://127.0.0.1:4010' } }
   */
  servers?: Record<string, string>;
  /**
   * Values for OpenAPI server variables, by variable name. Default: each variable's `default`.
   * @example { serverVariables: { region: 'eu' } }
   */
  serverVariables?: Record<string, string>;
  /**
   * The undici Dispatcher for every request. Default: a shared keep-alive Agent.
   * @example { dispatcher: new MockAgent() }
   */
  dispatcher?: Dispatcher;
  /**
   * Credentials by OpenAPI security scheme name, applied to operations that require them; explicit step
   * parameters win. Values are masked in every report. An `oauth2` / `openIdConnect` scheme takes a token
   * or `{ clientId, ... }` (OAuthCredential) to obtain tokens itself: from the flow's tokenUrl (or by
   * discovery), with the scopes of the operation's security requirement, cached per (scheme, scopes) with
   * the credential object until expiry, refreshed, and fetched afresh once after a 401. Default: none.
   * @example { auth: { ApiKeyAuth: 'sk_live_...', basic: { username: 'u', password: 'p' } } }
   * @example { auth: { oauth: { clientId: 'ci', clientSecret: process.env.SECRET, scopes: ['read'] } } }
   */
  auth?: AuthValues;
  /**
   * The clock for token expiry, in ms since the epoch. Default: Date.now. Tests inject a fake.
   * @example { now: () => fakeTime }
   */
  now?: () => number;
  /** Cancels the run, including a retry wait. Default: none. */
  signal?: AbortSignal;
  /**
   * Wall-clock limit for the whole run in ms. Default: none (the step budget still bounds loops).
   * @example { timeoutMs: 120_000 }
   */
  timeoutMs?: number;
  /** Per-request timeout in ms (headers and body). Default: 30000. */
  requestTimeoutMs?: number;
  /** Response body cap in bytes. Default: 10 MiB. */
  maxResponseBytes?: number;
  /**
   * Step budget: every attempt of every step, child workflows included, counts one. Default: 1000.
   * @example { maxSteps: 50 }
   */
  maxSteps?: number;
  /**
   * Upper bound for any retry wait, whether from `retryAfter` or an HTTP `Retry-After` header, in ms.
   * Mock and test runs set it low to shorten waits. Default: 120000.
   * @example { maxRetryDelayMs: 0 }
   */
  maxRetryDelayMs?: number;
  /** Treat compat rewrites (real-world deviations from the spec) as errors. Default: false. */
  strict?: boolean;
  /** Receives progress events; values in them are masked. A throwing listener does not stop the run. */
  onEvent?: (event: RunEvent) => void;
  /**
   * Waits between retries. Default: a timer that honours `signal`. Tests inject a fake.
   * @example { sleep: async () => {} }
   */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /**
   * Load limits when `spec` is a path or URL (see loadArazzo): refuse http(s) sources (false) or allow
   * only listed hosts. Default: true.
   * @example { allowRemote: ['api.example.com'] }
   */
  allowRemote?: boolean | string[];
  /** File sources must lie inside this folder (symlinks resolved). Default: none. */
  rootDir?: string;
  /** Largest document or source read, in bytes. Default: 50 MiB. */
  maxDocumentBytes?: number;
  /** Reads documents (file:, http:, https:). Default: the file system and undici. */
  loader?: DocumentLoader;
  /**
   * Sends requests instead of the network (mock mode and tests use it). Default: undici via `dispatcher`.
   */
  transport?: Transport;
  /** Follow redirects to other origins (credentials are stripped all the same). Default: false. */
  allowCrossOriginRedirects?: boolean;
  /**
   * Check every response against its OpenAPI operation (status declared, content type declared, body valid
   * against the schema), and every message an AsyncAPI step sends (before sending it) or receives against
   * its message's payload and headers schemas. Failed checks of severity 'error' fail the step (error code
   * CONTRACT; a send is then not published); 'warning' checks are only recorded, in `StepRecord.checks`.
   * Default: false.
   * @example { contract: true } or { contract: { severity: { 'content-type': 'warning' } } }
   */
  contract?: boolean | ContractOptions;
  /**
   * Client certificate, key, passphrase and CA by source name (mutual TLS); `'*'` applies to every source
   * without its own entry. Not combinable with `dispatcher`. Default: none.
   * @example { tls: { bankApi: { cert: readFileSync('client.crt'), key: readFileSync('client.key') } } }
   */
  tls?: Record<string, TlsOptions>;
  /**
   * Send requests (and token requests) through a forward proxy: a URL, or the values of HTTP_PROXY,
   * HTTPS_PROXY and NO_PROXY (the CLI passes its environment's). Not combinable with `dispatcher`.
   * Default: no proxy.
   * @example { proxy: 'http://proxy.corp:3128' }
   */
  proxy?: ProxyOption;
  /**
   * Message transports by AsyncAPI protocol name, used before the built-in ones (mqtt, amqp, nats, ws).
   * Default: the built-in transports only.
   * @example { messageTransports: { kafka: myKafkaTransport } }
   */
  messageTransports?: Record<string, MessageTransport>;
  /**
   * How long a `receive` step without its own `timeout` waits for its message, in ms. Default: 30000.
   * @example { messageTimeoutMs: 5000 }
   */
  messageTimeoutMs?: number;
  /**
   * Answers `receive` steps without a broker (mock mode): given the step, returns the message that
   * arrives, or undefined for none (the step then times out). Default: none (real brokers).
   */
  messageMock?: MessageMock;
  /**
   * Extra secret strings to mask in records, events and error messages. Outputs are never masked: they
   * are the workflow's data. Default: none.
   */
  secrets?: string[];
  /**
   * The masker the run declares its secrets to (auth values, security-scheme values, `format: password`
   * inputs with their defaults, Authorization/Cookie/Proxy-Authorization values), so a caller that
   * reports the result can mask it with the same secrets. Default: a new one per run.
   * @example const masker = new Masker(); const r = await runWorkflow(doc, inputs, { masker }); print(masker.value(r))
   */
  masker?: Masker;
}

// The seams are declared by the layers that own them; re-exported here for the engine's callers.
export type { MessageMock } from '../async/types.js';
export type { Transport, TransportContext } from '../http/types.js';
