/** OpenAPI Server Object resolution (servers, server variables, relative URLs) and URL joining. */
import { OptionsError, RequestBuildError } from '../errors.js';
import type { ResolvedOperation, ServerObject } from '../sources/types.js';

/** Options of {@link resolveServerUrl}. */
export interface ServerUrlOptions {
  /**
   * Replaces the whole base URL (scheme, host and base path) of the operation's servers.
   * Must be absolute. Default: none. @example 'http://127.0.0.1:8080/api/v3'
   */
  override?: string;
  /** Server variable values by name; unnamed variables take their defaults. Default: {}. */
  variables?: Record<string, string>;
  /**
   * Where a server with no host (relative in a file: document, or none declared) is resolved instead of
   * failing; for transports that send nothing. Default: none (such a server is an error).
   * @example 'http://mock.invalid'
   */
  hostless?: string;
}

/**
 * The base URL for an operation: the first of its effective servers, variables substituted (enum-checked),
 * resolved against the OpenAPI document's URL when relative. No servers means the OpenAPI default "/".
 * Returned without a trailing slash. Throws RequestBuildError when there is no usable host (a relative
 * server in a file: document), OptionsError for an unusable override.
 *
 * @example resolveServerUrl(op, { variables: { env: 'staging' } }) // 'https://staging.example.com/v1'
 */
export function resolveServerUrl(op: ResolvedOperation, options: ServerUrlOptions = {}): string {
  const where = describe(op);
  if (options.override !== undefined) {
    let url: URL;
    try {
      url = new URL(options.override);
    } catch (cause) {
      throw new OptionsError(`server override "${options.override}" for ${where} is not an absolute URL`, {
        cause,
      });
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new OptionsError(`server override "${options.override}" for ${where} must be http: or https:`);
    }
    return stripTrailingSlash(url.href);
  }
  const server: ServerObject = op.servers[0] ?? { url: '/' };
  const substituted = substituteVariables(server, options.variables ?? {}, where);
  let base: URL | undefined;
  try {
    base = new URL(op.documentUrl);
  } catch {
    base = undefined;
  }
  let resolved: URL | undefined;
  let cause: unknown;
  try {
    resolved = base === undefined ? new URL(substituted) : new URL(substituted, base);
  } catch (error) {
    cause = error;
  }
  if (resolved === undefined || (resolved.protocol !== 'http:' && resolved.protocol !== 'https:')) {
    if (options.hostless === undefined) throw noHost(op, where, substituted, cause);
    // A protocol-relative server keeps its host; anything else becomes a path on the stand-in origin.
    const path = substituted.startsWith('//') ? substituted : substituted.replace(/^\/*/, '/');
    resolved = new URL(path, options.hostless);
  }
  return stripTrailingSlash(resolved.href);
}

function noHost(op: ResolvedOperation, where: string, server: string, cause?: unknown): RequestBuildError {
  const what =
    op.servers.length === 0 ? 'declares no servers' : `has the server "${server}", which has no host`;
  return new RequestBuildError(
    `${where}: source "${op.sourceName}" (${op.documentUrl}) ${what}; give a server with --server ${op.sourceName}=<url>`,
    op.pointer,
    cause === undefined ? {} : { cause },
  );
}

function substituteVariables(server: ServerObject, given: Record<string, string>, where: string): string {
  return server.url.replace(/\{([^{}]+)\}/g, (_match, name: string) => {
    const declared = server.variables?.[name];
    const value = Object.hasOwn(given, name) ? given[name] : declared?.default;
    if (value === undefined) {
      throw new RequestBuildError(`${where}: server variable "${name}" in "${server.url}" has no value`);
    }
    if (declared?.enum !== undefined && declared.enum.length > 0 && !declared.enum.includes(value)) {
      throw new RequestBuildError(
        `${where}: server variable "${name}" is "${value}", expected one of ${declared.enum.map((e) => `"${e}"`).join(', ')}`,
      );
    }
    return value;
  });
}

function describe(op: ResolvedOperation): string {
  return op.operationId !== undefined ? `operation "${op.operationId}"` : `operation ${op.method} ${op.path}`;
}

function stripTrailingSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

/** Join a base URL and a path with exactly one slash between them. */
export function joinUrl(base: string, path: string): string {
  const b = base.replace(/\/+$/, '');
  if (path === '' || path === '/') return `${b}/`;
  return `${b}/${path.replace(/^\/+/, '')}`;
}
