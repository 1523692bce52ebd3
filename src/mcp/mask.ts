/**
 * The MCP server's one use of the package's masking: which values are secrets, and the last guard that
 * masks every message before it leaves through a transport (results, progress, errors alike).
 */
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import type { AuthValues } from '../engine/types.js';
import { looksLikeCredential, Masker } from '../secrets/index.js';
import type { PreparedTool } from './tools.js';

/** Whether a header carries a credential by its name alone (`Authorization`, `X-API-Key`, `Cookie`...). */
export function isCredentialHeader(name: string): boolean {
  return looksLikeCredential(name);
}

/** Server input values that are credentials: every one except plain settings with a harmless name. */
export function secretValues(
  tools: ReadonlyArray<{ tool: PreparedTool; values: Record<string, unknown> }>,
  auth: AuthValues | undefined,
  extra: readonly string[],
): string[] {
  const out = new Set<string>(extra);
  for (const { tool, values } of tools) {
    for (const [name, value] of Object.entries(values)) {
      const credential = tool.schemes.has(name) || looksLikeCredential(name) || tool.secretInputs.has(name);
      if (credential && (typeof value === 'string' || typeof value === 'number')) out.add(String(value));
    }
  }
  for (const value of Object.values(auth ?? {})) {
    if (typeof value === 'string') out.add(value);
    else for (const v of Object.values(value)) out.add(v);
  }
  return [...out];
}

/** A masker loaded with the secrets: `value()` returns a message with every secret form replaced. */
export function messageMasker(secrets: readonly string[]): (message: unknown) => unknown {
  const masker = new Masker();
  for (const s of secrets) {
    masker.add(s);
    // A basic-auth `user:pass` also leaks through its password alone.
    const colon = s.indexOf(':');
    if (colon >= 0) masker.add(s.slice(colon + 1));
  }
  return masker.size === 0 ? (message) => message : (message) => masker.value(message);
}

/** Everything `transport.send` is given goes through `mask` first. */
export function maskTransport(transport: Transport, mask: (message: unknown) => unknown): Transport {
  const send = transport.send.bind(transport);
  transport.send = (message, options) => send(mask(message) as JSONRPCMessage, options);
  return transport;
}
