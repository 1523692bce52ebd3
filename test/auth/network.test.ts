import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { type AddressInfo, connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runWorkflow } from '../../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'arazzo-net-'));
const PASSPHRASE = 'key-pass-9f8e7d6c';

/** A CA, a server certificate for 127.0.0.1 and a client certificate, made with the openssl CLI. */
function makeCertificates(): void {
  const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  ssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'ca.key',
    '-out',
    'ca.crt',
    '-days',
    '2',
    '-subj',
    '/CN=arazzo-test-ca',
  );
  for (const [name, subject] of [
    ['server', '/CN=127.0.0.1'],
    ['client', '/CN=arazzo-client'],
  ] as const) {
    ssl(
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.csr`,
      '-subj',
      subject,
    );
    writeFileSync(
      join(dir, `${name}.ext`),
      name === 'server' ? 'subjectAltName=IP:127.0.0.1\n' : 'extendedKeyUsage=clientAuth\n',
    );
    ssl(
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      `${name}.crt`,
      '-days',
      '2',
      '-extfile',
      `${name}.ext`,
    );
  }
  ssl(
    'pkey',
    '-in',
    'client.key',
    '-aes256',
    '-passout',
    `pass:${PASSPHRASE}`,
    '-out',
    'client-encrypted.key',
  );
}

/** The certificates are made with the openssl CLI; without it the mutual TLS tests are skipped. */
const hasOpenssl = spawnSync('openssl', ['version']).status === 0;
if (hasOpenssl) makeCertificates();
const read = (name: string) => (hasOpenssl ? readFileSync(join(dir, name)) : Buffer.alloc(0));

function listen(server: Server): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );
}

function closeAll(...servers: Server[]): Promise<unknown> {
  return Promise.all(
    servers.map(
      (s) =>
        new Promise<void>((r) => {
          s.closeAllConnections();
          s.close(() => r());
        }),
    ),
  );
}

function writeWorkflow(url: string): string {
  const sub = mkdtempSync(join(dir, 'wf-'));
  writeFileSync(
    join(sub, 'api.json'),
    JSON.stringify({
      openapi: '3.1.0',
      info: { title: 'who', version: '1' },
      servers: [{ url }],
      paths: { '/whoami': { get: { operationId: 'whoami', responses: { '200': { description: 'ok' } } } } },
    }),
  );
  const file = join(sub, 'arazzo.json');
  writeFileSync(
    file,
    JSON.stringify({
      arazzo: '1.0.1',
      info: { title: 'net', version: '1' },
      sourceDescriptions: [{ name: 'api', url: './api.json', type: 'openapi' }],
      workflows: [{ workflowId: 'w', steps: [{ stepId: 'who', operationId: 'whoami' }] }],
    }),
  );
  return file;
}

describe.skipIf(!hasOpenssl)('mutual TLS per source (needs the openssl CLI)', () => {
  let https: Server;
  let file = '';
  beforeAll(async () => {
    https = createHttpsServer(
      {
        key: read('server.key'),
        cert: read('server.crt'),
        ca: read('ca.crt'),
        requestCert: true,
        rejectUnauthorized: true,
      },
      (req, res) => {
        const peer = (req.socket as TLSSocket).getPeerCertificate();
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ client: peer.subject?.CN }));
      },
    );
    file = writeWorkflow(`https://127.0.0.1:${await listen(https)}`);
  });
  afterAll(async () => {
    await closeAll(https);
  });

  it.each([
    ['for every source', { '*': { cert: read('client.crt'), key: read('client.key'), ca: read('ca.crt') } }],
    [
      'for the source by name',
      { api: { cert: read('client.crt'), key: read('client.key'), ca: read('ca.crt') } },
    ],
    [
      'with an encrypted key and its passphrase',
      {
        api: {
          cert: read('client.crt'),
          key: read('client-encrypted.key'),
          passphrase: PASSPHRASE,
          ca: read('ca.crt'),
        },
      },
    ],
  ])('the server sees the client certificate %s', async (_, tls) => {
    const result = await runWorkflow(file, {}, { tls });
    expect(result.error).toBeUndefined();
    expect(result.steps[0]?.response?.body).toEqual({ client: 'arazzo-client' });
  });

  it('without a client certificate the handshake is refused and the step fails', async () => {
    const result = await runWorkflow(file, {}, { tls: { api: { ca: read('ca.crt') } } });
    expect(result.status).toBe('failed');
    expect(result.steps[0]?.response).toBeUndefined();
    expect(result.steps[0]?.error?.code).not.toBe('HTTP_STATUS');
  });

  it('an unknown source name is an options error', async () => {
    await expect(runWorkflow(file, {}, { tls: { nope: { ca: read('ca.crt') } } })).rejects.toThrow(
      /tls: unknown source "nope"/,
    );
  });
});

describe('forward proxies', () => {
  let api: Server;
  let proxy: Server;
  let apiUrl = '';
  let proxyUrl = '';
  const tunnels: string[] = [];
  beforeAll(async () => {
    api = createHttpServer((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ path: req.url }));
    });
    apiUrl = `http://127.0.0.1:${await listen(api)}`;
    // A real CONNECT proxy: it records each tunnel's target, then relays bytes both ways.
    proxy = createHttpServer((_req, res) => res.writeHead(405).end());
    proxy.on('connect', (req, client: Socket, head: Buffer) => {
      tunnels.push(req.url ?? '');
      const [host = '', port = ''] = (req.url ?? '').split(':');
      const upstream = connect(Number(port), host, () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.write(head);
        upstream.pipe(client);
        client.pipe(upstream);
      });
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
    });
    proxyUrl = `http://127.0.0.1:${await listen(proxy)}`;
  });
  afterAll(async () => {
    await closeAll(api, proxy);
  });

  it.each([
    ['a proxy URL', () => proxyUrl, true],
    ['HTTP_PROXY', () => ({ httpProxy: proxyUrl }), true],
    ['HTTP_PROXY with the host in NO_PROXY', () => ({ httpProxy: proxyUrl, noProxy: '127.0.0.1' }), false],
  ])('%s', async (_, proxyOption, proxied) => {
    tunnels.length = 0;
    const result = await runWorkflow(writeWorkflow(apiUrl), {}, { proxy: proxyOption() });
    expect(result.error).toBeUndefined();
    expect(result.steps[0]?.response?.body).toEqual({ path: '/whoami' });
    expect(tunnels).toEqual(proxied ? [new URL(apiUrl).host] : []);
  });
});
