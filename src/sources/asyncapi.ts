// Arazzo 1.1.0 "Source Description Object" (type asyncapi): an index over AsyncAPI 3.0 and 2.6 documents.
// A small own reader: @asyncapi/parser took 2-8 s to import and 3-12 s for its first parse here (README).
import type { Diagnostic } from '../document/diagnostic.js';
import type { JsonValue } from '../document/model.js';
import { isRecord } from '../own.js';
import { escapePointerToken, formatPointer, parseFragmentPointer, parsePointer } from '../pointer.js';
import { type DocumentSet, type RefProblem, RefResolver } from './refs.js';

type Obj = Record<string, unknown>;

export interface AsyncApiMessage {
  /** The message's key in its channel (3.0) or its `name`/`messageId` (2.6). */
  name: string;
  pointer: string;
  contentType?: string;
  /** JSON Schema of the payload, $refs resolved (cycles kept as $ref). */
  payload?: JsonValue;
  /** JSON Schema of the headers object. */
  headers?: JsonValue;
  examples: Array<{ name?: string; headers?: Record<string, unknown>; payload?: unknown }>;
  /** Runtime expression `$message.header#/...` or `$message.payload#/...`. */
  correlationId?: { location: string; description?: string };
}

export interface AsyncApiParameter {
  enum?: string[];
  default?: string;
  /** `$message.payload#/...`: where the value can be read from a message. */
  location?: string;
}

export interface AsyncApiChannel {
  key: string;
  pointer: string;
  /** The address template (`orders/{orderId}`); null when unknown until run time (3.0). */
  address: string | null;
  parameters: Record<string, AsyncApiParameter>;
  messages: AsyncApiMessage[];
  /** Names of the servers the channel is available on; absent: all. */
  servers?: string[];
  /** Channel bindings as written (amqp, mqtt, ws, ...). */
  bindings?: Obj;
  /** `bindings.amqp` (AMQP bindings 0.3.0), read: what the AMQP transport honours. */
  amqp?: AmqpChannelBinding;
}

/** An AMQP exchange as a channel binding declares it (AsyncAPI AMQP bindings 0.3.0, Channel Binding). */
export interface AmqpExchange {
  /** The exchange; absent or '' (or type `default`): the default exchange. */
  name?: string;
  /** `topic`, `direct`, `fanout`, `default` or `headers`, as written; absent: use the exchange as it exists. */
  type?: string;
  durable?: boolean;
  autoDelete?: boolean;
  vhost?: string;
}

/** An AMQP queue as a channel binding declares it (AsyncAPI AMQP bindings 0.3.0, Channel Binding). */
export interface AmqpQueue {
  /** The queue; absent: the channel address. */
  name?: string;
  durable?: boolean;
  exclusive?: boolean;
  autoDelete?: boolean;
  vhost?: string;
}

/**
 * AsyncAPI AMQP bindings 0.3.0 "Channel Binding Object": `is: routingKey` (the default) makes the channel
 * address a routing key on `exchange`; `is: queue` makes the channel the queue `queue`.
 */
export interface AmqpChannelBinding {
  is: 'routingKey' | 'queue';
  exchange?: AmqpExchange;
  queue?: AmqpQueue;
}

/**
 * AsyncAPI AMQP bindings 0.3.0 "Operation Binding Object", as read (ill-typed fields dropped). The AMQP
 * transport honours `expiration`, `userId`, `cc`, `bcc`, `priority`, `deliveryMode` and `timestamp` on
 * publish; `mandatory` and `ack` are read but not honoured (README).
 */
export interface AmqpOperationBinding {
  /** TTL of the message in ms (a non-negative integer). */
  expiration?: number;
  userId?: string;
  /** Routing keys the message is also routed by (carried in its headers). */
  cc?: string[];
  /** Like `cc`, but not carried in the message. */
  bcc?: string[];
  /** 0-255. */
  priority?: number;
  /** 1 transient, 2 persistent. */
  deliveryMode?: 1 | 2;
  mandatory?: boolean;
  /** Stamp the message with the time it is published. */
  timestamp?: boolean;
  ack?: boolean;
}

export interface AsyncApiServerVariable {
  default?: string;
  enum?: string[];
}

export interface AsyncApiServer {
  name: string;
  protocol: string;
  protocolVersion?: string;
  /** `protocol://host/pathname` with `{variables}` left for the caller to fill. */
  url: string;
  variables: Record<string, AsyncApiServerVariable>;
  /** Security scheme names the server asks for (any of them). */
  security: string[];
}

export interface AsyncApiSecurityScheme {
  /** userPassword, apiKey, httpApiKey, http, plain, scramSha256, scramSha512, X509, oauth2, ... */
  type: string;
  /** httpApiKey: header/query/cookie; apiKey: user/password. */
  in?: string;
  /** httpApiKey: the header or query name. */
  name?: string;
  /** http: basic or bearer. */
  scheme?: string;
}

export interface AsyncApiOperation {
  sourceName: string;
  operationId: string;
  /** As the document says: 3.0 `action`; 2.6 `publish` -> 'send', `subscribe` -> 'receive'. */
  action: 'send' | 'receive';
  pointer: string;
  channel: AsyncApiChannel;
  /** The operation's messages (its `messages` list, else every message of the channel). */
  messages: AsyncApiMessage[];
  security: string[];
  /** `bindings.amqp` of the operation (AMQP bindings 0.3.0), read. */
  amqp?: AmqpOperationBinding;
}

export interface AsyncApiSource {
  kind: 'asyncapi';
  name: string;
  url: string;
  /** The `asyncapi` field, e.g. '3.0.0' or '2.6.0'. */
  version: string;
  servers: AsyncApiServer[];
  securitySchemes: Record<string, AsyncApiSecurityScheme>;
  getOperationById(operationId: string): AsyncApiOperation | undefined;
  /** An operation (`/operations/x`, 2.6 `/channels/a~1b/publish`) by JSON Pointer. */
  getOperationByPointer(pointer: string): AsyncApiOperation | undefined;
  /** A channel (`/channels/x`) by JSON Pointer. */
  getChannelByPointer(pointer: string): AsyncApiChannel | undefined;
  operationIds(): string[];
  channels(): AsyncApiChannel[];
  readonly raw: unknown;
}

export interface AsyncApiSourceInit {
  name: string;
  url: string;
  displayUrl: string;
  raw: unknown;
  documents: DocumentSet;
}

/** 'x.y.z' when the value looks like an AsyncAPI document of a version we read, else why not. */
export function detectAsyncApiVersion(raw: unknown): { version: string; major: 2 | 3 } | { error: string } {
  if (!isRecord(raw)) return { error: 'not an AsyncAPI document (not an object)' };
  const v = raw.asyncapi;
  if (typeof v !== 'string') return { error: 'not an AsyncAPI document (no "asyncapi" field)' };
  if (/^3\.\d+\.\d+/.test(v)) return { version: v, major: 3 };
  if (/^2\.\d+\.\d+/.test(v)) return { version: v, major: 2 };
  return { error: `AsyncAPI ${v} is not supported (2.x and 3.x are)` };
}

/** Reads the parts a run needs; $refs resolved through the same resolver as OpenAPI sources. */
class Reader {
  readonly problems: RefProblem[] = [];
  private readonly resolver: RefResolver;
  private readonly messageMemo = new Map<unknown, AsyncApiMessage>();

  constructor(private readonly init: AsyncApiSourceInit) {
    this.resolver = new RefResolver(init.documents, init.url);
  }

  /** The value behind a $ref chain, with the pointer it was found at. */
  follow(value: unknown, pointer: string): { value: unknown; pointer: string } {
    const f = this.resolver.follow(value, this.init.url, pointer, this.problems);
    return { value: f.value, pointer: f.pointer };
  }

  deep(value: unknown, pointer: string): JsonValue {
    return this.resolver.deep(value, this.init.url, pointer, this.problems) as JsonValue;
  }

  message(value: unknown, pointer: string, fallbackName: string): AsyncApiMessage | undefined {
    const f = this.follow(value, pointer);
    if (!isRecord(f.value)) return undefined;
    const memo = this.messageMemo.get(f.value);
    if (memo !== undefined) return memo;
    const m = f.value;
    const name =
      typeof m.name === 'string'
        ? m.name
        : typeof m.messageId === 'string'
          ? m.messageId
          : (parsePointer(f.pointer)?.at(-1) ?? fallbackName);
    const out: AsyncApiMessage = { name, pointer: f.pointer, examples: [] };
    const traits = Array.isArray(m.traits) ? m.traits : [];
    const merged: Obj = {};
    for (let i = 0; i < traits.length; i++) {
      const t = this.follow(traits[i], `${f.pointer}/traits/${i}`).value;
      if (isRecord(t)) Object.assign(merged, t);
    }
    Object.assign(merged, m);
    if (typeof merged.contentType === 'string') out.contentType = merged.contentType;
    if (merged.payload !== undefined) out.payload = this.schemaOf(merged.payload, `${f.pointer}/payload`);
    if (merged.headers !== undefined) out.headers = this.schemaOf(merged.headers, `${f.pointer}/headers`);
    if (Array.isArray(merged.examples)) {
      for (const ex of merged.examples) {
        if (!isRecord(ex)) continue;
        const e: AsyncApiMessage['examples'][number] = {};
        if (typeof ex.name === 'string') e.name = ex.name;
        if (isRecord(ex.headers)) e.headers = ex.headers;
        if (ex.payload !== undefined) e.payload = ex.payload;
        out.examples.push(e);
      }
    }
    const corr = this.follow(merged.correlationId, `${f.pointer}/correlationId`).value;
    if (isRecord(corr) && typeof corr.location === 'string') {
      out.correlationId = { location: corr.location };
      if (typeof corr.description === 'string') out.correlationId.description = corr.description;
    }
    this.messageMemo.set(f.value, out);
    return out;
  }

  /** 3.0 multi-format schemas (`{ schemaFormat, schema }`) are unwrapped; JSON Schema is kept as is. */
  private schemaOf(value: unknown, pointer: string): JsonValue {
    const f = this.follow(value, pointer);
    if (isRecord(f.value) && typeof f.value.schemaFormat === 'string' && f.value.schema !== undefined)
      return this.deep(f.value.schema, `${f.pointer}/schema`);
    return this.deep(f.value, f.pointer);
  }

  parameters(value: unknown, pointer: string): Record<string, AsyncApiParameter> {
    const out: Record<string, AsyncApiParameter> = {};
    const params = this.follow(value, pointer).value;
    if (!isRecord(params)) return out;
    for (const [key, raw] of Object.entries(params)) {
      const p = this.follow(raw, `${pointer}/${escapePointerToken(key)}`).value;
      const param: AsyncApiParameter = {};
      if (isRecord(p)) {
        // 2.6 keeps enum/default in a schema; 3.0 on the parameter itself.
        const schema = isRecord(p.schema) ? this.follow(p.schema, '').value : p;
        const src = isRecord(schema) ? schema : p;
        if (Array.isArray(src.enum)) param.enum = src.enum.map(String);
        if (src.default !== undefined) param.default = String(src.default);
        if (typeof p.location === 'string') param.location = p.location;
      }
      out[key] = param;
    }
    return out;
  }
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** Names of the security schemes a list asks for (3.0: references or objects; 2.6: requirement maps). */
function securityNames(reader: Reader, value: unknown, schemes: Obj): string[] {
  if (!Array.isArray(value)) return [];
  const out: string[] = [];
  value.forEach((entry) => {
    if (isRecord(entry) && typeof entry.$ref === 'string') {
      const hash = entry.$ref.indexOf('#');
      const tokens = hash < 0 ? undefined : parseFragmentPointer(entry.$ref.slice(hash));
      if (tokens?.length === 3 && tokens[0] === 'components' && tokens[1] === 'securitySchemes')
        out.push(tokens[2] as string);
      return;
    }
    if (isRecord(entry) && typeof entry.type === 'string') {
      const found = Object.entries(schemes).find(([, s]) => reader.follow(s, '').value === entry);
      if (found !== undefined) out.push(found[0]);
      return;
    }
    if (isRecord(entry)) out.push(...Object.keys(entry));
  });
  return out;
}

function readSchemes(reader: Reader, raw: Obj): Record<string, AsyncApiSecurityScheme> {
  const out: Record<string, AsyncApiSecurityScheme> = {};
  const schemes =
    isRecord(raw.components) && isRecord(raw.components.securitySchemes)
      ? raw.components.securitySchemes
      : {};
  for (const [name, value] of Object.entries(schemes)) {
    const s = reader.follow(value, `/components/securitySchemes/${escapePointerToken(name)}`).value;
    if (!isRecord(s) || typeof s.type !== 'string') continue;
    const scheme: AsyncApiSecurityScheme = { type: s.type };
    if (typeof s.in === 'string') scheme.in = s.in;
    if (typeof s.name === 'string') scheme.name = s.name;
    if (typeof s.scheme === 'string') scheme.scheme = s.scheme.toLowerCase();
    out[name] = scheme;
  }
  return out;
}

function readServers(reader: Reader, raw: Obj, major: 2 | 3): AsyncApiServer[] {
  const out: AsyncApiServer[] = [];
  const servers = isRecord(raw.servers) ? raw.servers : {};
  const schemes =
    isRecord(raw.components) && isRecord(raw.components.securitySchemes)
      ? raw.components.securitySchemes
      : {};
  for (const [name, value] of Object.entries(servers)) {
    const pointer = `/servers/${escapePointerToken(name)}`;
    const s = reader.follow(value, pointer).value;
    if (!isRecord(s) || typeof s.protocol !== 'string') continue;
    const protocol = s.protocol.toLowerCase();
    let url: string;
    if (major === 3) {
      const host = typeof s.host === 'string' ? s.host : '';
      const pathname = typeof s.pathname === 'string' ? s.pathname : '';
      url = `${protocol}://${host}${pathname}`;
    } else {
      const u = typeof s.url === 'string' ? s.url : '';
      url = /^[a-z][a-z0-9+.-]*:\/\//i.test(u) ? u : `${protocol}://${u}`;
    }
    const variables: Record<string, AsyncApiServerVariable> = {};
    if (isRecord(s.variables)) {
      for (const [vn, vv] of Object.entries(s.variables)) {
        const v = reader.follow(vv, '').value;
        const variable: AsyncApiServerVariable = {};
        if (isRecord(v) && v.default !== undefined) variable.default = String(v.default);
        if (isRecord(v) && Array.isArray(v.enum)) variable.enum = v.enum.map(String);
        variables[vn] = variable;
      }
    }
    const server: AsyncApiServer = {
      name,
      protocol,
      url,
      variables,
      security: securityNames(reader, s.security, schemes),
    };
    if (typeof s.protocolVersion === 'string' || typeof s.protocolVersion === 'number')
      server.protocolVersion = String(s.protocolVersion);
    out.push(server);
  }
  return out;
}

function channelMessages(reader: Reader, messages: unknown, pointer: string): AsyncApiMessage[] {
  const out: AsyncApiMessage[] = [];
  const m = reader.follow(messages, pointer).value;
  if (!isRecord(m)) return out;
  for (const [key, value] of Object.entries(m)) {
    const msg = reader.message(value, `${pointer}/${escapePointerToken(key)}`, key);
    if (msg !== undefined) out.push(msg);
  }
  return out;
}

/** 2.6 `message` may be one message or `oneOf` a list. */
function operationMessages2(reader: Reader, value: unknown, pointer: string): AsyncApiMessage[] {
  const f = reader.follow(value, pointer);
  if (!isRecord(f.value)) return [];
  if (Array.isArray(f.value.oneOf)) return messageList(reader, f.value.oneOf, `${f.pointer}/oneOf`);
  const one = reader.message(f.value, f.pointer, 'message');
  return one === undefined ? [] : [one];
}

/** A list of messages (2.6 `oneOf`, 3.0 operation `messages`), named `message<i>` unless they say. */
function messageList(reader: Reader, list: unknown[], pointer: string): AsyncApiMessage[] {
  return list
    .map((m, i) => reader.message(m, `${pointer}/${i}`, `message${i}`))
    .filter((m): m is AsyncApiMessage => m !== undefined);
}

interface Index {
  byId: Map<string, AsyncApiOperation>;
  byPointer: Map<string, AsyncApiOperation>;
  channels: Map<string, AsyncApiChannel>;
}

/** One document being indexed: its reader, the source's name, its security schemes, the index filled. */
interface Indexing {
  reader: Reader;
  sourceName: string;
  schemes: Obj;
  idx: Index;
}

/** Visit every channel after following a channel-level $ref: its key, pointer, where it lives, its object. */
function eachChannel(
  reader: Reader,
  raw: Obj,
  visit: (key: string, pointer: string, at: string, c: Obj) => void,
): void {
  const channels = isRecord(raw.channels) ? raw.channels : {};
  for (const [key, value] of Object.entries(channels)) {
    const pointer = `/channels/${escapePointerToken(key)}`;
    const f = reader.follow(value, pointer);
    if (isRecord(f.value)) visit(key, pointer, f.pointer, f.value);
  }
}

function boolField<K extends string>(out: Partial<Record<K, boolean>>, from: Obj, keys: readonly K[]): void {
  for (const k of keys) if (typeof from[k] === 'boolean') out[k] = from[k] as boolean;
}

function stringField<K extends string>(out: Partial<Record<K, string>>, from: Obj, keys: readonly K[]): void {
  for (const k of keys) if (typeof from[k] === 'string') out[k] = from[k] as string;
}

/**
 * `bindings.amqp` of a channel (AMQP bindings 0.3.0, either level may be a $ref): `is`, `exchange`,
 * `queue`; their other fields (and `bindingVersion`) are not read.
 */
function amqpBinding(reader: Reader, bindings: Obj, at: string): AmqpChannelBinding | undefined {
  const all = reader.follow(bindings, `${at}/bindings`);
  if (!isRecord(all.value)) return undefined;
  const b = reader.follow(all.value.amqp, `${all.pointer}/amqp`).value;
  if (!isRecord(b)) return undefined;
  const out: AmqpChannelBinding = { is: b.is === 'queue' ? 'queue' : 'routingKey' };
  if (isRecord(b.exchange)) {
    const exchange: AmqpExchange = {};
    stringField(exchange, b.exchange, ['name', 'type', 'vhost'] as const);
    boolField(exchange, b.exchange, ['durable', 'autoDelete'] as const);
    out.exchange = exchange;
  }
  if (isRecord(b.queue)) {
    const queue: AmqpQueue = {};
    stringField(queue, b.queue, ['name', 'vhost'] as const);
    boolField(queue, b.queue, ['durable', 'exclusive', 'autoDelete'] as const);
    out.queue = queue;
  }
  return out;
}

const isNatural = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
const isStringList = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');

/**
 * `bindings.amqp` of an operation (AMQP bindings 0.3.0, either level may be a $ref); a field of the
 * wrong type (or out of range) is dropped, as is `bindingVersion`.
 */
function amqpOperationBinding(
  reader: Reader,
  bindings: unknown,
  at: string,
): AmqpOperationBinding | undefined {
  const all = reader.follow(bindings, `${at}/bindings`);
  if (!isRecord(all.value)) return undefined;
  const b = reader.follow(all.value.amqp, `${all.pointer}/amqp`).value;
  if (!isRecord(b)) return undefined;
  const out: AmqpOperationBinding = {};
  stringField(out, b, ['userId'] as const);
  boolField(out, b, ['mandatory', 'timestamp', 'ack'] as const);
  if (isNatural(b.expiration)) out.expiration = b.expiration;
  if (isNatural(b.priority) && b.priority <= 255) out.priority = b.priority;
  if (b.deliveryMode === 1 || b.deliveryMode === 2) out.deliveryMode = b.deliveryMode;
  if (isStringList(b.cc)) out.cc = b.cc;
  if (isStringList(b.bcc)) out.bcc = b.bcc;
  return out;
}

/** A channel with no messages yet (3.0 lists them on the channel, 2.6 on its operations). */
function newChannel(
  reader: Reader,
  c: Obj,
  where: { key: string; pointer: string; at: string },
  address: string | null,
  servers: string[],
): AsyncApiChannel {
  const channel: AsyncApiChannel = {
    key: where.key,
    pointer: where.pointer,
    address,
    parameters: reader.parameters(c.parameters, `${where.at}/parameters`),
    messages: [],
  };
  if (servers.length > 0) channel.servers = servers;
  if (isRecord(c.bindings)) {
    channel.bindings = c.bindings;
    const amqp = amqpBinding(reader, c.bindings, where.at);
    if (amqp !== undefined) channel.amqp = amqp;
  }
  return channel;
}

/** An operation; `at` is where `o` is written (its $ref followed), for its bindings' $refs. */
function newOperation(
  ix: Indexing,
  o: Obj,
  at: string,
  operationId: string,
  action: AsyncApiOperation['action'],
  pointer: string,
  channel: AsyncApiChannel,
  messages: AsyncApiMessage[],
): AsyncApiOperation {
  const op: AsyncApiOperation = {
    sourceName: ix.sourceName,
    operationId,
    action,
    pointer,
    channel,
    messages,
    security: securityNames(ix.reader, o.security, ix.schemes),
  };
  const amqp = o.bindings === undefined ? undefined : amqpOperationBinding(ix.reader, o.bindings, at);
  if (amqp !== undefined) op.amqp = amqp;
  return op;
}

/** 3.0 channel `servers`: a list of $refs to `#/servers/<name>`; the names. */
function serverRefNames(servers: unknown): string[] {
  return (Array.isArray(servers) ? servers : [])
    .map((s) =>
      isRecord(s) && typeof s.$ref === 'string' ? /\/servers\/([^/]+)$/.exec(s.$ref)?.[1] : undefined,
    )
    .filter((s): s is string => s !== undefined);
}

function index3(ix: Indexing, raw: Obj): void {
  const { reader, idx } = ix;
  eachChannel(reader, raw, (key, pointer, at, c) => {
    const address = typeof c.address === 'string' ? c.address : c.address === null ? null : key;
    const channel = newChannel(reader, c, { key, pointer, at }, address, serverRefNames(c.servers));
    channel.messages = channelMessages(reader, c.messages, `${at}/messages`);
    idx.channels.set(pointer, channel);
    if (at !== pointer) idx.channels.set(at, channel);
  });
  const operations = isRecord(raw.operations) ? raw.operations : {};
  for (const [id, value] of Object.entries(operations)) index3Operation(ix, id, value);
}

/** A 3.0 operation; one whose channel is not a local $ref to an indexed channel is left out. */
function index3Operation(ix: Indexing, id: string, value: unknown): void {
  const pointer = `/operations/${escapePointerToken(id)}`;
  const f = ix.reader.follow(value, pointer);
  if (!isRecord(f.value)) return;
  const o = f.value;
  const ref = isRecord(o.channel) && typeof o.channel.$ref === 'string' ? o.channel.$ref : undefined;
  const tokens = ref === undefined ? undefined : parseFragmentPointer(ref);
  const channel = tokens === undefined ? undefined : ix.idx.channels.get(formatPointer(tokens));
  if (channel === undefined) return;
  const messages =
    Array.isArray(o.messages) && o.messages.length > 0
      ? messageList(ix.reader, o.messages, `${pointer}/messages`)
      : channel.messages;
  const action = o.action === 'receive' ? 'receive' : 'send';
  const op = newOperation(ix, o, f.pointer, id, action, pointer, channel, messages);
  ix.idx.byId.set(id, op);
  ix.idx.byPointer.set(pointer, op);
}

function index2(ix: Indexing, raw: Obj): void {
  eachChannel(ix.reader, raw, (address, pointer, at, c) => {
    const channel = newChannel(ix.reader, c, { key: address, pointer, at }, address, stringList(c.servers));
    ix.idx.channels.set(pointer, channel);
    for (const kind of ['publish', 'subscribe'] as const) index2Operation(ix, channel, c, at, kind);
  });
}

/** A 2.6 `publish` (-> send) or `subscribe` (-> receive); its messages are the channel's too. */
function index2Operation(
  ix: Indexing,
  channel: AsyncApiChannel,
  c: Obj,
  at: string,
  kind: 'publish' | 'subscribe',
): void {
  const f = ix.reader.follow(c[kind], `${at}/${kind}`);
  if (!isRecord(f.value)) return;
  const o = f.value;
  const opPointer = `${channel.pointer}/${kind}`;
  const messages = operationMessages2(ix.reader, o.message, `${opPointer}/message`);
  channel.messages.push(...messages);
  const id = typeof o.operationId === 'string' ? o.operationId : `${kind}:${channel.key}`;
  const action = kind === 'publish' ? 'send' : 'receive';
  const op = newOperation(ix, o, f.pointer, id, action, opPointer, channel, messages);
  if (typeof o.operationId === 'string') ix.idx.byId.set(id, op);
  ix.idx.byPointer.set(opPointer, op);
}

/** Index an AsyncAPI document: operations by id and pointer, channels, servers, security schemes. */
export function createAsyncApiSource(init: AsyncApiSourceInit): {
  source: AsyncApiSource | undefined;
  diagnostics: Diagnostic[];
} {
  const diagnostics: Diagnostic[] = [];
  const detected = detectAsyncApiVersion(init.raw);
  if ('error' in detected) {
    diagnostics.push({
      code: 'source-not-asyncapi',
      severity: 'error',
      message: `source "${init.name}" (${init.displayUrl}): ${detected.error}`,
      pointer: '',
      file: init.displayUrl,
      line: 0,
      column: 0,
    });
    return { source: undefined, diagnostics };
  }
  const raw = init.raw as Obj;
  const reader = new Reader(init);
  const schemes =
    isRecord(raw.components) && isRecord(raw.components.securitySchemes)
      ? raw.components.securitySchemes
      : {};
  const idx: Index = { byId: new Map(), byPointer: new Map(), channels: new Map() };
  const ix: Indexing = { reader, sourceName: init.name, schemes, idx };
  if (detected.major === 3) index3(ix, raw);
  else index2(ix, raw);
  for (const p of reader.problems) {
    diagnostics.push({
      code: p.code.replace(/^openapi-/, 'asyncapi-'),
      severity: 'warning',
      message: `source "${init.name}": ${p.message}`,
      pointer: p.pointer,
      file: init.displayUrl,
      line: 0,
      column: 0,
    });
  }
  const source: AsyncApiSource = {
    kind: 'asyncapi',
    name: init.name,
    url: init.url,
    version: detected.version,
    servers: readServers(reader, raw, detected.major),
    securitySchemes: readSchemes(reader, raw),
    getOperationById: (id) => idx.byId.get(id),
    getOperationByPointer: (pointer) => idx.byPointer.get(pointer),
    getChannelByPointer: (pointer) => idx.channels.get(pointer),
    operationIds: () => [...idx.byId.keys()],
    channels: () => [...new Set(idx.channels.values())],
    raw: init.raw,
  };
  return { source, diagnostics };
}
