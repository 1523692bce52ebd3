/**
 * Real message brokers for the AsyncAPI tests, each on a free loopback port in its own temp dir:
 * mosquitto, nats-server, rabbitmq-server (slow to boot: start it once per file) and a `ws` server.
 * `available(name)` says whether the binary is installed; tests skip, saying why, only when it is not.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { freePort } from '../../src/queue/redis-server.js';

export interface LocalBroker {
  url: string;
  port: number;
  stop(): Promise<void>;
}

const BINARIES = {
  mosquitto: ['/usr/sbin/mosquitto', '/usr/bin/mosquitto', '/usr/local/sbin/mosquitto'],
  'nats-server': ['/usr/sbin/nats-server', '/usr/bin/nats-server', '/usr/local/bin/nats-server'],
  'rabbitmq-server': ['/usr/lib/rabbitmq/bin/rabbitmq-server'],
} as const;

export function findBinary(name: keyof typeof BINARIES): string | undefined {
  return BINARIES[name].find((p) => existsSync(p));
}

export { freePort };

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function waitForPort(port: number, exited: () => boolean, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until && !exited()) {
    if (await canConnect(port)) return true;
    await delay(50);
  }
  return false;
}

async function stopChild(child: ChildProcess, exited: () => boolean): Promise<void> {
  if (exited()) return;
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  await Promise.race([gone, delay(10_000)]);
  if (!exited()) child.kill('SIGKILL');
}

async function spawnUntilListening(
  start: (
    port: number,
    dir: string,
  ) => Promise<{ child: ChildProcess; url: string; helpers?: ChildProcess[] }>,
  prefix: string,
  bootMs = 10_000,
): Promise<LocalBroker> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const { child, url, helpers = [] } = await start(port, dir);
    let exited = false;
    child.once('exit', () => {
      exited = true;
    });
    const stopAll = async (): Promise<void> => {
      await stopChild(child, () => exited);
      for (const h of helpers) if (h.exitCode === null && h.signalCode === null) h.kill('SIGKILL');
    };
    if (await waitForPort(port, () => exited, bootMs)) {
      return {
        url,
        port,
        async stop() {
          await stopAll();
          await rm(dir, { recursive: true, force: true });
        },
      };
    }
    await stopAll();
  }
  await rm(dir, { recursive: true, force: true });
  throw new Error(`${prefix}: the broker did not start`);
}

/** mosquitto 2 on loopback; with `users`, anonymous access is off and a password file is written. */
export function startMosquitto(options: { users?: Record<string, string> } = {}): Promise<LocalBroker> {
  const binary = findBinary('mosquitto');
  if (binary === undefined) throw new Error('mosquitto is not installed');
  return spawnUntilListening(async (port, dir) => {
    const lines = [`listener ${port} 127.0.0.1`, 'persistence false'];
    if (options.users !== undefined) {
      const file = join(dir, 'passwd');
      await writeFile(file, '');
      for (const [user, password] of Object.entries(options.users))
        execFileSync('mosquitto_passwd', ['-b', file, user, password]);
      // Started as root, mosquitto drops to its own user, which must be able to read the file.
      await chmod(dir, 0o755);
      await chmod(file, 0o644);
      lines.push('allow_anonymous false', `password_file ${file}`);
    } else {
      lines.push('allow_anonymous true');
    }
    const conf = join(dir, `mosquitto-${port}.conf`);
    await writeFile(conf, `${lines.join('\n')}\n`);
    const child = spawn(binary, ['-c', conf], { stdio: 'ignore', cwd: dir });
    return { child, url: `mqtt://127.0.0.1:${port}` };
  }, 'arazzo-mosquitto-');
}

export function startNats(options: { user?: string; pass?: string } = {}): Promise<LocalBroker> {
  const binary = findBinary('nats-server');
  if (binary === undefined) throw new Error('nats-server is not installed');
  return spawnUntilListening(async (port, dir) => {
    const args = ['-a', '127.0.0.1', '-p', String(port)];
    if (options.user !== undefined) args.push('--user', options.user, '--pass', options.pass ?? '');
    const child = spawn(binary, args, { stdio: 'ignore', cwd: dir });
    return { child, url: `nats://127.0.0.1:${port}` };
  }, 'arazzo-nats-');
}

/**
 * rabbitmq-server in a temp dir (its own node name, mnesia and log dirs, no plugins, its own epmd port).
 * Takes several seconds (Erlang boot): start one per test file with a generous hook timeout.
 */
export function startRabbit(): Promise<LocalBroker> {
  const binary = findBinary('rabbitmq-server');
  if (binary === undefined) throw new Error('rabbitmq-server is not installed');
  return spawnUntilListening(
    async (port, dir) => {
      // Our own epmd in the foreground (rabbit would otherwise leave a daemon running after the tests).
      const epmd = await freePort();
      const epmdChild = spawn('epmd', ['-port', String(epmd), '-address', '127.0.0.1'], { stdio: 'ignore' });
      epmdChild.on('error', () => {});
      await writeFile(join(dir, 'enabled_plugins'), '[].\n');
      const name = `arazzo${port}`;
      const child = spawn(binary, [], {
        stdio: 'ignore',
        cwd: dir,
        env: {
          ...process.env,
          HOME: dir,
          RABBITMQ_NODE_PORT: String(port),
          RABBITMQ_NODE_IP_ADDRESS: '127.0.0.1',
          RABBITMQ_DIST_PORT: String(await freePort()),
          RABBITMQ_NODENAME: `${name}@localhost`,
          RABBITMQ_MNESIA_BASE: join(dir, 'mnesia'),
          RABBITMQ_LOG_BASE: join(dir, 'log'),
          RABBITMQ_ENABLED_PLUGINS_FILE: join(dir, 'enabled_plugins'),
          RABBITMQ_CONFIG_FILE: join(dir, 'rabbitmq'),
          ERL_EPMD_PORT: String(epmd),
        },
      });
      return { child, url: `amqp://127.0.0.1:${port}`, helpers: [epmdChild] };
    },
    'arazzo-rabbit-',
    90_000,
  );
}

/**
 * A `ws` server acting as a broker: a frame received on a path is relayed to every other socket on that
 * path. `sockets(path)` lets a test play the other side directly.
 */
export async function startWsRelay(): Promise<LocalBroker & { headersSeen: Array<Record<string, unknown>> }> {
  const { WebSocketServer } = await import('ws');
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  const headersSeen: Array<Record<string, unknown>> = [];
  wss.on('connection', (socket, request) => {
    headersSeen.push({ ...request.headers, path: request.url ?? '' });
    socket.on('message', (data, isBinary) => {
      for (const other of wss.clients) {
        if (other === socket || other.readyState !== other.OPEN) continue;
        const otherPath = (other as unknown as { arazzoPath?: string }).arazzoPath;
        if (otherPath === request.url) other.send(data, { binary: isBinary });
      }
    });
    (socket as unknown as { arazzoPath?: string }).arazzoPath = request.url ?? '';
  });
  const address = wss.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    url: `ws://127.0.0.1:${port}`,
    port,
    headersSeen,
    async stop() {
      for (const c of wss.clients) c.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
