/**
 * The error family. Every error the library throws is an ArazzoError with a stable `code`;
 * subclasses carry their context as fields. Failed checks (criteria, HTTP statuses, retry budgets)
 * are never thrown: they are recorded in the RunResult.
 */

/** Stable error codes. Never renamed once released; new ones may be added. */
/** How bad a diagnostic is. */
export type Severity = 'error' | 'warning' | 'info';

export interface Diagnostic {
  /** Stable code, e.g. 'schema', 'duplicate-step-id', 'compat-step-retry-fields'. See README "Diagnostic codes". */
  code: string;
  severity: Severity;
  /** "subject: what is wrong", no colour codes. */
  message: string;
  /** RFC 6901 JSON Pointer into `file`, e.g. '/workflows/0/steps/2/operationId'. '' is the root. */
  pointer: string;
  /** Path or URL of the document the pointer refers to. */
  file: string;
  /** 1-based line and column of the node at `pointer` (of its key where that reads better); 0 when unknown. */
  line: number;
  column: number;
}

export type ArazzoErrorCode =
  | 'DOCUMENT_INVALID'
  | 'DOCUMENT_UNREADABLE'
  | 'EXPRESSION_SYNTAX'
  | 'CONDITION_SYNTAX'
  | 'TRANSPORT'
  | 'REQUEST_BUILD'
  | 'MESSAGING'
  | 'OPTIONS_INVALID'
  | 'AUTH_FAILED'
  | 'INTERNAL';

export interface ArazzoErrorOptions {
  cause?: unknown;
}

export class ArazzoError extends Error {
  override name = 'ArazzoError';
  readonly code: ArazzoErrorCode;
  constructor(code: ArazzoErrorCode, message: string, options: ArazzoErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
  }
}

/** The document (or one it references) cannot be used: carries every diagnostic found, not just the first. */
export class DocumentError extends ArazzoError {
  override name = 'DocumentError';
  readonly diagnostics: readonly Diagnostic[];
  constructor(message: string, diagnostics: readonly Diagnostic[], options: ArazzoErrorOptions = {}) {
    super('DOCUMENT_INVALID', message, options);
    this.diagnostics = diagnostics;
  }
}

/** A file, URL or string could not be read or parsed at all. */
export class UnreadableDocumentError extends ArazzoError {
  override name = 'UnreadableDocumentError';
  readonly location: string;
  readonly diagnostics: readonly Diagnostic[];
  constructor(
    message: string,
    location: string,
    diagnostics: readonly Diagnostic[] = [],
    options: ArazzoErrorOptions = {},
  ) {
    super('DOCUMENT_UNREADABLE', message, options);
    this.location = location;
    this.diagnostics = diagnostics;
  }
}

/** A runtime expression or condition does not parse. `offset` is the 0-based index into `source`. */
export class ExpressionSyntaxError extends ArazzoError {
  override name = 'ExpressionSyntaxError';
  readonly source: string;
  readonly offset: number;
  readonly expected: readonly string[];
  constructor(
    message: string,
    source: string,
    offset: number,
    expected: readonly string[] = [],
    code: 'EXPRESSION_SYNTAX' | 'CONDITION_SYNTAX' = 'EXPRESSION_SYNTAX',
  ) {
    super(code, message);
    this.source = source;
    this.offset = offset;
    this.expected = expected;
  }
}

/**
 * A syntax error with the message every parser uses: `<subject> "<source>": <what> at offset N; expected ...`.
 * @example syntaxErrorAt('condition', '$x ==', 'unexpected end', 5, ['a literal'], 'CONDITION_SYNTAX')
 */
export function syntaxErrorAt(
  subject: 'expression' | 'condition',
  source: string,
  what: string,
  offset: number,
  expected: readonly string[],
  code: 'EXPRESSION_SYNTAX' | 'CONDITION_SYNTAX' = 'EXPRESSION_SYNTAX',
): ExpressionSyntaxError {
  const exp =
    expected.length === 0
      ? ''
      : expected.length === 1
        ? `; expected ${expected[0]}`
        : `; expected one of ${expected.join(', ')}`;
  return new ExpressionSyntaxError(
    `${subject} "${source}": ${what} at offset ${offset}${exp}`,
    source,
    offset,
    expected,
    code,
  );
}

/** The HTTP exchange failed below the HTTP level (refused, reset, timeout, too large, bad redirect). */
export class TransportError extends ArazzoError {
  override name = 'TransportError';
  /** Finer-grained reason, e.g. 'ECONNREFUSED', 'TIMEOUT', 'BODY_TOO_LARGE', 'REDIRECT_LOOP'. */
  readonly reason: string;
  readonly request: { method: string; url: string };
  constructor(
    reason: string,
    message: string,
    request: { method: string; url: string },
    options: ArazzoErrorOptions = {},
  ) {
    super('TRANSPORT', message, options);
    this.reason = reason;
    this.request = request;
  }
}

/**
 * A message broker exchange failed below the AsyncAPI level. `reason` is the stable, finer code recorded on
 * the step: 'BROKER_UNREACHABLE', 'CONNECTION_CLOSED', 'PUBLISH_FAILED', 'SUBSCRIBE_FAILED',
 * 'PROTOCOL_UNSUPPORTED', 'CLIENT_MISSING', 'ABORTED'.
 */
export class MessagingError extends ArazzoError {
  override name = 'MessagingError';
  readonly reason: string;
  /** The server (credentials removed) the exchange was with. */
  readonly server: string;
  constructor(reason: string, message: string, server: string, options: ArazzoErrorOptions = {}) {
    super('MESSAGING', message, options);
    this.reason = reason;
    this.server = server;
  }
}

/** A request could not be built from the step (missing required parameter, unresolved value, bad body). */
export class RequestBuildError extends ArazzoError {
  override name = 'RequestBuildError';
  readonly pointer: string | undefined;
  constructor(message: string, pointer?: string, options: ArazzoErrorOptions = {}) {
    super('REQUEST_BUILD', message, options);
    this.pointer = pointer;
  }
}

/** Options passed by the caller are unusable (unknown source name, bad server URL, ...). */
export class OptionsError extends ArazzoError {
  override name = 'OptionsError';
  constructor(message: string, options: ArazzoErrorOptions = {}) {
    super('OPTIONS_INVALID', message, options);
  }
}

/**
 * A credential could not be obtained for a security scheme (token endpoint refused, unreachable, or
 * answered something that is not an OAuth response). The step fails before the API is called.
 */
export class AuthError extends ArazzoError {
  override name = 'AuthError';
  /** The OpenAPI security scheme name. */
  readonly scheme: string;
  /** The authorization server's `error` code, when it answered with one. */
  readonly oauthError: string | undefined;
  constructor(scheme: string, message: string, oauthError?: string, options: ArazzoErrorOptions = {}) {
    super('AUTH_FAILED', message, options);
    this.scheme = scheme;
    this.oauthError = oauthError;
  }
}

export function isArazzoError(value: unknown): value is ArazzoError {
  return value instanceof ArazzoError;
}
export function isDocumentError(value: unknown): value is DocumentError {
  return value instanceof DocumentError;
}
export function isUnreadableDocumentError(value: unknown): value is UnreadableDocumentError {
  return value instanceof UnreadableDocumentError;
}
export function isExpressionSyntaxError(value: unknown): value is ExpressionSyntaxError {
  return value instanceof ExpressionSyntaxError;
}
export function isTransportError(value: unknown): value is TransportError {
  return value instanceof TransportError;
}
export function isRequestBuildError(value: unknown): value is RequestBuildError {
  return value instanceof RequestBuildError;
}
export function isAuthError(value: unknown): value is AuthError {
  return value instanceof AuthError;
}

export function isMessagingError(value: unknown): value is MessagingError {
  return value instanceof MessagingError;
}
