/**
 * A small Redis client (RESP2 over node:net) shaped as BullMQ's `IRedisClient`, so the queue needs no
 * Redis driver package: BullMQ v6 only ships adapters for drivers it does not install itself.
 * Scope: one standalone Redis server (no Cluster, no Sentinel), TCP or TLS, AUTH and SELECT.
 */

import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { createConnection, type Socket } from 'node:net';
import { Readable } from 'node:stream';
import { connect as tlsConnect } from 'node:tls';

/** Where the Redis server is. A `redis://` or `rediss://` URL string is accepted wherever this is. */
export interface RedisConnectionOptions {
  /** @default '127.0.0.1' */
  host?: string;
  /** @default 6379 */
  port?: number;
  username?: string;
  password?: string;
  /** Database index selected after connecting. @default 0 */
  db?: number;
  /** Use TLS (what `rediss://` sets). @default false */
  tls?: boolean;
  /** Name shown by CLIENT LIST. */
  connectionName?: string;
}

export type RedisConnection = string | RedisConnectionOptions;

/** The message BullMQ recognises as "the connection was closed" (not a command failure). */
const CLOSED = 'Connection is closed.';

type Arg = string | number | Buffer | null | undefined | readonly Arg[];
type Reply = string | number | null | Error | Reply[];
type Transform = (reply: Reply) => unknown;

export class RedisReplyError extends Error {
  override name = 'ReplyError';
}

/** Parse `redis://user:pass@host:port/db` (or `rediss://`) into options. */
export function parseRedisUrl(url: string): RedisConnectionOptions {
  const u = new URL(url);
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') {
    throw new TypeError(`connection: expected a redis:// or rediss:// URL, got "${u.protocol}"`);
  }
  const out: RedisConnectionOptions = { host: u.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1' };
  if (u.port !== '') out.port = Number(u.port);
  if (u.username !== '') out.username = decodeURIComponent(u.username);
  if (u.password !== '') out.password = decodeURIComponent(u.password);
  const db = u.pathname.replace(/^\//, '');
  if (db !== '') out.db = Number(db);
  if (u.protocol === 'rediss:') out.tls = true;
  return out;
}

export function toConnectionOptions(connection: RedisConnection): RedisConnectionOptions {
  return typeof connection === 'string' ? parseRedisUrl(connection) : { ...connection };
}

function flatten(args: readonly Arg[], out: Array<string | Buffer> = []): Array<string | Buffer> {
  for (const a of args) {
    if (Array.isArray(a)) flatten(a as readonly Arg[], out);
    else if (Buffer.isBuffer(a)) out.push(a);
    else out.push(a === null || a === undefined ? '' : String(a));
  }
  return out;
}

function encode(args: ReadonlyArray<string | Buffer>): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const a of args) {
    const b = typeof a === 'string' ? Buffer.from(a) : a;
    parts.push(Buffer.from(`$${b.length}\r\n`), b, Buffer.from('\r\n'));
  }
  return Buffer.concat(parts);
}

/** Parse one RESP2 reply at `at`; undefined when the buffer does not hold all of it yet. */
function parseReply(buf: Buffer, at: number): { value: Reply; next: number } | undefined {
  if (at >= buf.length) return undefined;
  const eol = buf.indexOf('\r\n', at);
  if (eol < 0) return undefined;
  const type = String.fromCharCode(buf[at]!);
  const line = buf.toString('utf8', at + 1, eol);
  const next = eol + 2;
  switch (type) {
    case '+':
      return { value: line, next };
    case '-':
      return { value: new RedisReplyError(line), next };
    case ':':
      return { value: Number(line), next };
    case '$': {
      const len = Number(line);
      if (len < 0) return { value: null, next };
      if (buf.length < next + len + 2) return undefined;
      return { value: buf.toString('utf8', next, next + len), next: next + len + 2 };
    }
    case '*': {
      const count = Number(line);
      if (count < 0) return { value: null, next };
      const items: Reply[] = [];
      let pos = next;
      for (let i = 0; i < count; i++) {
        const item = parseReply(buf, pos);
        if (item === undefined) return undefined;
        items.push(item.value);
        pos = item.next;
      }
      return { value: items, next: pos };
    }
    default:
      throw new RedisReplyError(`protocol error: unexpected reply type "${type}"`);
  }
}

const toObject: Transform = (reply) => {
  const out: Record<string, string> = {};
  if (Array.isArray(reply)) {
    for (let i = 0; i + 1 < reply.length; i += 2) out[String(reply[i])] = String(reply[i + 1]);
  }
  return out;
};

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
  transform?: Transform | undefined;
}

interface Script {
  sha: string;
  lua: string;
  numberOfKeys: number;
}

type Status = 'wait' | 'connecting' | 'connect' | 'ready' | 'reconnecting' | 'end';

/** One Redis connection. Commands sent before it is ready wait for it; replies resolve in order. */
export class RespClient extends EventEmitter {
  status: Status = 'wait';
  readonly isCluster = false;
  readonly options: RedisConnectionOptions & { maxRetriesPerRequest: null };
  readonly #scripts = new Map<string, Script>();
  readonly #knownShas = new Set<string>();
  #socket: Socket | undefined;
  #pending: Pending[] = [];
  #offline: Array<{ payload: Buffer; pending: Pending[] }> = [];
  #buffer: Buffer = Buffer.alloc(0);
  #closing = false;
  #retries = 0;
  #retryTimer: NodeJS.Timeout | undefined;
  #connecting: Promise<void> | undefined;

  constructor(connection: RedisConnection) {
    super();
    this.options = { ...toConnectionOptions(connection), maxRetriesPerRequest: null };
    // Errors also reject the commands they affect; an 'error' event without listener would crash the process.
    this.on('error', () => {});
  }

  connect(): Promise<void> {
    if (this.status === 'ready') return Promise.resolve();
    if (this.#connecting !== undefined) return this.#connecting;
    this.#closing = false;
    this.#connecting = this.#open().finally(() => {
      this.#connecting = undefined;
    });
    return this.#connecting;
  }

  #open(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.status = this.status === 'reconnecting' ? 'reconnecting' : 'connecting';
      const o = this.options;
      const port = o.port ?? 6379;
      const host = o.host ?? '127.0.0.1';
      const socket =
        o.tls === true ? tlsConnect({ port, host, servername: host }) : createConnection({ port, host });
      socket.setNoDelay(true);
      this.#socket = socket;
      this.#buffer = Buffer.alloc(0);
      let settled = false;
      socket.once(o.tls === true ? 'secureConnect' : 'connect', () => {
        this.status = 'connect';
        void this.#handshake().then(
          () => {
            settled = true;
            this.#retries = 0;
            this.status = 'ready';
            const queued = this.#offline;
            this.#offline = [];
            for (const q of queued) this.#write(q.payload, q.pending);
            this.emit('connect');
            this.emit('ready');
            resolve();
          },
          (error: Error) => {
            settled = true;
            this.emit('error', error);
            socket.destroy();
            reject(error);
          },
        );
      });
      socket.on('data', (chunk: Buffer) => this.#onData(chunk));
      socket.on('error', (error) => {
        if (!settled) {
          settled = true;
          reject(error);
        }
        this.emit('error', error);
      });
      socket.on('close', () => {
        if (!settled) {
          settled = true;
          reject(new Error(CLOSED));
        }
        this.#onClose(socket);
      });
    });
  }

  async #handshake(): Promise<void> {
    const o = this.options;
    // The handshake bypasses the offline queue: it runs before the connection is 'ready'.
    const direct = (args: Arg[]) =>
      new Promise<unknown>((resolve, reject) => this.#write(encode(flatten(args)), [{ resolve, reject }]));
    if (o.password !== undefined) {
      await direct(o.username !== undefined ? ['AUTH', o.username, o.password] : ['AUTH', o.password]);
    }
    if (o.db !== undefined && o.db !== 0) await direct(['SELECT', o.db]);
    if (o.connectionName !== undefined) await direct(['CLIENT', 'SETNAME', o.connectionName]);
  }

  #onClose(socket: Socket): void {
    if (socket !== this.#socket) return;
    this.#socket = undefined;
    const failed = this.#pending;
    this.#pending = [];
    for (const p of failed) p.reject(new Error(CLOSED));
    this.#knownShas.clear();
    this.emit('close');
    if (this.#closing) {
      this.status = 'end';
      for (const q of this.#offline.splice(0)) for (const p of q.pending) p.reject(new Error(CLOSED));
      this.emit('end');
      return;
    }
    this.status = 'reconnecting';
    this.emit('reconnecting');
    const wait = Math.min(50 * 2 ** this.#retries, 2000);
    this.#retries++;
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = undefined;
      if (this.#closing) return;
      this.connect().catch(() => {
        // #onClose schedules the next attempt.
      });
    }, wait);
  }

  #onData(chunk: Buffer): void {
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    let pos = 0;
    for (;;) {
      let parsed: { value: Reply; next: number } | undefined;
      try {
        parsed = parseReply(this.#buffer, pos);
      } catch (error) {
        this.emit('error', error);
        this.#socket?.destroy();
        return;
      }
      if (parsed === undefined) break;
      pos = parsed.next;
      const p = this.#pending.shift();
      if (p === undefined) continue;
      const value = parsed.value;
      if (value instanceof Error) p.reject(value);
      else p.resolve(p.transform === undefined ? value : p.transform(value));
    }
    this.#buffer = pos === this.#buffer.length ? Buffer.alloc(0) : this.#buffer.subarray(pos);
  }

  #write(payload: Buffer, pending: Pending[]): void {
    if (this.#socket === undefined || this.status === 'end') {
      for (const p of pending) p.reject(new Error(CLOSED));
      return;
    }
    this.#pending.push(...pending);
    this.#socket.write(payload);
  }

  #send(payload: Buffer, pending: Pending[]): void {
    if (this.status === 'ready') {
      this.#write(payload, pending);
      return;
    }
    if (this.status === 'end' && this.#closing) {
      for (const p of pending) p.reject(new Error(CLOSED));
      return;
    }
    this.#offline.push({ payload, pending });
    if (this.status === 'wait' || this.status === 'end') {
      this.connect().catch(() => {
        // Reconnection is retried; queued commands wait for it.
      });
    }
  }

  /** Send any command. Replies: strings, numbers, null, nested arrays; an error reply rejects. */
  call(command: string, ...args: Arg[]): Promise<unknown> {
    return this.#call([command, ...args]);
  }

  #call(args: Arg[], transform?: Transform): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.#send(encode(flatten(args)), [{ resolve, reject, transform }]);
    });
  }

  disconnect(reconnect = false): void {
    if (this.#retryTimer !== undefined) clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
    this.#closing = !reconnect;
    if (this.#socket !== undefined) {
      this.#socket.destroy();
    } else if (!reconnect && this.status !== 'end') {
      this.status = 'end';
      for (const q of this.#offline.splice(0)) for (const p of q.pending) p.reject(new Error(CLOSED));
      this.emit('end');
    }
  }

  async quit(): Promise<string> {
    if (this.#socket === undefined || this.status !== 'ready') {
      this.disconnect();
      return 'OK';
    }
    this.#closing = true;
    const ended = new Promise<void>((resolve) => this.once('end', () => resolve()));
    const reply = await this.#call(['QUIT']).catch(() => 'OK');
    this.#socket?.end();
    await ended;
    return String(reply);
  }

  duplicate(override?: { connectionName?: string }): RespClient {
    const copy = new RespClient({ ...this.options, ...(override ?? {}) });
    for (const [name, s] of this.#scripts) copy.#scripts.set(name, s);
    return copy;
  }

  defineCommand(name: string, definition: { numberOfKeys: number; lua: string }): void {
    const sha = createHash('sha1').update(definition.lua).digest('hex');
    this.#scripts.set(name, { sha, lua: definition.lua, numberOfKeys: definition.numberOfKeys });
  }

  #scriptArgs(name: string, args: readonly Arg[], useEval: boolean): Arg[] {
    const script = this.#scripts.get(name);
    if (script === undefined) throw new RedisReplyError(`unknown script command "${name}"`);
    return [useEval ? 'EVAL' : 'EVALSHA', useEval ? script.lua : script.sha, script.numberOfKeys, ...args];
  }

  async runCommand(name: string, args: readonly Arg[]): Promise<unknown> {
    const script = this.#scripts.get(name);
    if (script === undefined) throw new RedisReplyError(`unknown script command "${name}"`);
    try {
      const out = await this.#call(this.#scriptArgs(name, args, !this.#knownShas.has(script.sha)));
      this.#knownShas.add(script.sha);
      return out;
    } catch (error) {
      if (!(error instanceof RedisReplyError) || !error.message.startsWith('NOSCRIPT')) throw error;
      this.#knownShas.delete(script.sha);
      const out = await this.#call(this.#scriptArgs(name, args, true));
      this.#knownShas.add(script.sha);
      return out;
    }
  }

  multi(): RespBatch {
    return new RespBatch(this, true);
  }

  pipeline(): RespBatch {
    return new RespBatch(this, false);
  }

  /** @internal Sends a batch; used by RespBatch. */
  execBatch(
    commands: Array<{ args: Arg[]; transform?: Transform | undefined; sha?: string | undefined }>,
    atomic: boolean,
  ): Promise<Array<[Error | null, unknown]> | null> {
    const all = atomic ? [{ args: ['MULTI'] as Arg[] }, ...commands, { args: ['EXEC'] as Arg[] }] : commands;
    const payload = Buffer.concat(all.map((c) => encode(flatten(c.args))));
    const results: Array<Promise<[Error | null, unknown]>> = all.map(
      () => undefined as unknown as Promise<[Error | null, unknown]>,
    );
    const pending: Pending[] = [];
    for (let i = 0; i < all.length; i++) {
      results[i] = new Promise<[Error | null, unknown]>((resolve) => {
        pending.push({
          resolve: (value) => resolve([null, value]),
          reject: (error) => resolve([error, null]),
        });
      });
    }
    this.#send(payload, pending);
    return Promise.all(results).then((settled) => {
      for (const c of commands) if (c.sha !== undefined) this.#knownShas.add(c.sha);
      if (!atomic) {
        return settled.map(([error, value], i) => {
          const t = commands[i]?.transform;
          return error !== null ? [error, null] : [null, t === undefined ? value : t(value as Reply)];
        });
      }
      const [execError, execReply] = settled[settled.length - 1]!;
      if (execError !== null) throw execError;
      if (execReply === null) return null;
      return (execReply as Reply[]).map((value, i): [Error | null, unknown] => {
        if (value instanceof Error) return [value, null];
        const t = commands[i]?.transform;
        return [null, t === undefined ? value : t(value)];
      });
    });
  }

  /** @internal */
  scriptFor(name: string): { args: (args: readonly Arg[]) => Arg[]; sha: string } {
    const script = this.#scripts.get(name);
    if (script === undefined) throw new RedisReplyError(`unknown script command "${name}"`);
    const known = this.#knownShas.has(script.sha);
    return { args: (args) => this.#scriptArgs(name, args, !known), sha: script.sha };
  }

  hgetall(key: string): Promise<Record<string, string>> {
    return this.#call(['HGETALL', key], toObject) as Promise<Record<string, string>>;
  }
  hget(key: string, field: string): Promise<string | null> {
    return this.#call(['HGET', key, field]) as Promise<string | null>;
  }
  hmget(key: string, ...fields: string[]): Promise<Array<string | null>> {
    return this.#call(['HMGET', key, ...fields]) as Promise<Array<string | null>>;
  }
  hset(key: string, data: Record<string, string | number>): Promise<number> {
    return this.#call(['HSET', key, ...Object.entries(data).flat()]) as Promise<number>;
  }
  hdel(key: string, ...fields: string[]): Promise<number> {
    return this.#call(['HDEL', key, ...fields]) as Promise<number>;
  }
  hexists(key: string, field: string): Promise<number> {
    return this.#call(['HEXISTS', key, field]) as Promise<number>;
  }
  get(key: string): Promise<string | null> {
    return this.#call(['GET', key]) as Promise<string | null>;
  }
  set(key: string, value: string | number, options?: { PX?: number; EX?: number }): Promise<string | null> {
    const extra: Arg[] = [];
    if (options?.PX !== undefined) extra.push('PX', options.PX);
    else if (options?.EX !== undefined) extra.push('EX', options.EX);
    return this.#call(['SET', key, value, ...extra]) as Promise<string | null>;
  }
  del(...keys: string[]): Promise<number> {
    return this.#call(['DEL', ...keys]) as Promise<number>;
  }
  zrange(key: string, start: number, end: number, options?: { WITHSCORES?: boolean }): Promise<string[]> {
    return this.#call(['ZRANGE', key, start, end, ...(options?.WITHSCORES ? ['WITHSCORES'] : [])]) as Promise<
      string[]
    >;
  }
  zrevrange(key: string, start: number, end: number, options?: { WITHSCORES?: boolean }): Promise<string[]> {
    return this.#call([
      'ZREVRANGE',
      key,
      start,
      end,
      ...(options?.WITHSCORES ? ['WITHSCORES'] : []),
    ]) as Promise<string[]>;
  }
  zcard(key: string): Promise<number> {
    return this.#call(['ZCARD', key]) as Promise<number>;
  }
  zscore(key: string, member: string): Promise<string | null> {
    return this.#call(['ZSCORE', key, member]) as Promise<string | null>;
  }
  lrange(key: string, start: number, end: number): Promise<string[]> {
    return this.#call(['LRANGE', key, start, end]) as Promise<string[]>;
  }
  llen(key: string): Promise<number> {
    return this.#call(['LLEN', key]) as Promise<number>;
  }
  ltrim(key: string, start: number, end: number): Promise<string> {
    return this.#call(['LTRIM', key, start, end]) as Promise<string>;
  }
  lpos(key: string, value: string): Promise<number | null> {
    return this.#call(['LPOS', key, value]) as Promise<number | null>;
  }
  smembers(key: string): Promise<string[]> {
    return this.#call(['SMEMBERS', key]) as Promise<string[]>;
  }
  xadd(
    key: string,
    id: string,
    fields: Record<string, string | number>,
    options?: { MAXLEN?: number; approximate?: boolean },
  ): Promise<string> {
    const trim: Arg[] =
      options?.MAXLEN !== undefined
        ? ['MAXLEN', ...(options.approximate !== false ? ['~'] : []), options.MAXLEN]
        : [];
    return this.#call(['XADD', key, ...trim, id, ...Object.entries(fields).flat()]) as Promise<string>;
  }
  xread(
    streams: Array<{ key: string; id: string }>,
    options?: { BLOCK?: number; COUNT?: number },
  ): Promise<unknown> {
    const args: Arg[] = ['XREAD'];
    if (options?.BLOCK !== undefined) args.push('BLOCK', options.BLOCK);
    if (options?.COUNT !== undefined) args.push('COUNT', options.COUNT);
    args.push('STREAMS', ...streams.map((s) => s.key), ...streams.map((s) => s.id));
    return this.#call(args);
  }
  xtrim(
    key: string,
    strategy: 'MAXLEN',
    threshold: number,
    options?: { approximate?: boolean },
  ): Promise<number> {
    return this.#call([
      'XTRIM',
      key,
      strategy,
      ...(options?.approximate !== false ? ['~'] : []),
      threshold,
    ]) as Promise<number>;
  }
  bzpopmin(key: string, timeout: number): Promise<[string, string, string] | null> {
    return this.#call(['BZPOPMIN', key, timeout]) as Promise<[string, string, string] | null>;
  }
  info(): Promise<string> {
    return this.#call(['INFO']) as Promise<string>;
  }
  clientSetName(name: string): Promise<unknown> {
    return this.#call(['CLIENT', 'SETNAME', name]);
  }
  clientList(): Promise<string> {
    return this.#call(['CLIENT', 'LIST']) as Promise<string>;
  }
  clientInfo(): Promise<string> {
    return this.#call(['CLIENT', 'INFO']) as Promise<string>;
  }
  scan(cursor: string | number, options: { MATCH?: string; COUNT?: number }): Promise<[string, string[]]> {
    const args: Arg[] = ['SCAN', cursor];
    if (options.MATCH !== undefined) args.push('MATCH', options.MATCH);
    if (options.COUNT !== undefined) args.push('COUNT', options.COUNT);
    return this.#call(args) as Promise<[string, string[]]>;
  }
  scanStream(options: { match: string; count?: number }): Readable {
    const scan = (cursor: string) =>
      this.scan(cursor, {
        MATCH: options.match,
        ...(options.count !== undefined ? { COUNT: options.count } : {}),
      });
    async function* batches(): AsyncGenerator<string[]> {
      let cursor = '0';
      do {
        const [next, keys] = await scan(cursor);
        cursor = next;
        if (keys.length > 0) yield keys;
      } while (cursor !== '0');
    }
    return Readable.from(batches(), { objectMode: true });
  }
}

/** MULTI/EXEC (atomic) or a plain pipeline: commands queued, then sent in one write. */
export class RespBatch {
  readonly #commands: Array<{ args: Arg[]; transform?: Transform | undefined; sha?: string | undefined }> =
    [];
  constructor(
    private readonly client: RespClient,
    private readonly atomic: boolean,
  ) {}

  #add(args: Arg[], transform?: Transform): this {
    this.#commands.push({ args, transform });
    return this;
  }
  hgetall(key: string): this {
    return this.#add(['HGETALL', key], toObject);
  }
  hset(key: string, data: Record<string, string | number>): this {
    return this.#add(['HSET', key, ...Object.entries(data).flat()]);
  }
  hscan(key: string, cursor: string | number, options?: { COUNT?: number }): this {
    return this.#add([
      'HSCAN',
      key,
      cursor,
      ...(options?.COUNT !== undefined ? ['COUNT', options.COUNT] : []),
    ]);
  }
  smembers(key: string): this {
    return this.#add(['SMEMBERS', key]);
  }
  sscan(key: string, cursor: string | number, options?: { COUNT?: number }): this {
    return this.#add([
      'SSCAN',
      key,
      cursor,
      ...(options?.COUNT !== undefined ? ['COUNT', options.COUNT] : []),
    ]);
  }
  zrange(key: string, start: number, end: number): this {
    return this.#add(['ZRANGE', key, start, end]);
  }
  lrange(key: string, start: number, end: number): this {
    return this.#add(['LRANGE', key, start, end]);
  }
  llen(key: string): this {
    return this.#add(['LLEN', key]);
  }
  del(...keys: string[]): this {
    return this.#add(['DEL', ...keys]);
  }
  runCommand(name: string, args: readonly Arg[]): this {
    // EVAL for a script this connection has not run yet, so MULTI never aborts on NOSCRIPT.
    const script = this.client.scriptFor(name);
    this.#commands.push({ args: script.args(args), sha: script.sha });
    return this;
  }
  exec(): Promise<Array<[Error | null, unknown]> | null> {
    return this.client.execBatch(this.#commands, this.atomic);
  }
}
