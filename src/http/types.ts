/** Contract types for building and sending HTTP requests. */
import type { Dispatcher } from 'undici';

/** A request ready to send. `secrets` are values that must be masked wherever the request is shown. */
export interface PreparedRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  /** Encoded body bytes or text, as sent. */
  body?: string | Uint8Array;
  /** The body before encoding (for $request.body and records). */
  bodyValue?: unknown;
  contentType?: string;
  /** Values of path/query/header/cookie parameters as given, for $request.{path,query,header}. */
  pathParams: Record<string, unknown>;
  queryParams: Record<string, unknown>;
  secrets: string[];
}

export interface HttpResponse {
  statusCode: number;
  headers: Record<string, string | string[]>;
  /** Parsed by content type: JSON -> value, text/XML -> string, other -> Uint8Array. */
  body: unknown;
  contentType?: string;
  /** Bytes received. */
  size: number;
  durationMs: number;
  /** The final URL after redirects. */
  url: string;
}

export interface SendOptions {
  dispatcher?: Dispatcher;
  /** Per-request timeout in ms (headers and body). Default 30000. */
  timeoutMs?: number;
  /** Response body cap in bytes. Default 10 MiB. */
  maxBodyBytes?: number;
  signal?: AbortSignal;
  /** Follow redirects within the same origin. Default 5 hops. 0 disables. */
  maxRedirects?: number;
  /** Allow redirects to other origins (credentials are stripped all the same). Default false. */
  allowCrossOriginRedirects?: boolean;
}
