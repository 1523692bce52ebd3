/**
 * The authorization code flow on the command line: a loopback redirect listener (RFC 8252 section 7.3)
 * per credential, the authorization URL printed (and opened with --open), the redirect handed back.
 */
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AuthValues } from '../engine/types.js';
import type { OAuthCredential } from '../http/types.js';
import { UsageError } from './args.js';
import type { CommandContext } from './context.js';

export interface RedirectListeners {
  /** The credentials, authorization-code ones completed with `redirectUri` and `authorize`. */
  auth: AuthValues | undefined;
  close(): Promise<void>;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

function wantsRedirect(credential: AuthValues[string]): credential is OAuthCredential {
  return (
    typeof credential === 'object' &&
    'clientId' in credential &&
    credential.flow === 'authorizationCode' &&
    credential.authorize === undefined
  );
}

/** Start a listener for every credential that uses the authorization code flow without a callback. */
export async function startRedirectListeners(
  auth: AuthValues | undefined,
  ctx: CommandContext,
  open: boolean,
): Promise<RedirectListeners> {
  const servers: Server[] = [];
  const close = async (): Promise<void> => {
    await Promise.all(
      servers.map(
        (server) =>
          new Promise<void>((resolve) => {
            server.closeAllConnections();
            server.close(() => resolve());
          }),
      ),
    );
  };
  if (auth === undefined || !Object.values(auth).some(wantsRedirect)) return { auth, close };
  const out: AuthValues = { ...auth };
  for (const [scheme, credential] of Object.entries(auth)) {
    if (!wantsRedirect(credential)) continue;
    const wanted = new URL(credential.redirectUri ?? 'http://127.0.0.1/callback');
    if (wanted.protocol !== 'http:' || !LOOPBACK_HOSTS.has(wanted.hostname)) {
      throw new UsageError(
        `--auth ${scheme}.redirectUri: the CLI listens on a loopback http address, not ${wanted.origin}`,
      );
    }
    const server = createServer();
    servers.push(server);
    const host = wanted.hostname === '[::1]' ? '::1' : wanted.hostname;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(Number(wanted.port || 0), host, () => resolve());
    });
    const redirect = new URL(wanted.href);
    redirect.port = String((server.address() as AddressInfo).port);
    out[scheme] = {
      ...credential,
      redirectUri: redirect.href,
      authorize: (url) => awaitRedirect(server, redirect, url, scheme, ctx, open),
    };
  }
  return { auth: out, close };
}

function awaitRedirect(
  server: Server,
  redirect: URL,
  authorizationUrl: string,
  scheme: string,
  ctx: CommandContext,
  open: boolean,
): Promise<string> {
  ctx.err.write(`arazzo: security scheme "${scheme}": sign in at\n  ${authorizationUrl}\n`);
  if (open) openBrowser(authorizationUrl, ctx);
  return new Promise((resolve) => {
    server.on('request', (req, res) => {
      const url = new URL(req.url ?? '/', redirect);
      if (url.pathname !== redirect.pathname) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('arazzo: authorization received; you can close this window.\n');
      resolve(url.href);
    });
  });
}

function openBrowser(url: string, ctx: CommandContext): void {
  const [command, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '', url]]
        : ['xdg-open', [url]];
  try {
    const child = spawn(command, args as string[], { stdio: 'ignore', detached: true });
    child.on('error', () =>
      ctx.err.write(`arazzo: warning: could not start ${command}; open the URL yourself\n`),
    );
    child.unref();
  } catch {
    ctx.err.write(`arazzo: warning: could not start ${command}; open the URL yourself\n`);
  }
}
