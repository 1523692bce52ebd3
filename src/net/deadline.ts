/** The deadline of an exchange: one abort handle per exchange, one timer for every exchange in flight. */

/**
 * The abort handle of one exchange: the minimal EventEmitter shape undici accepts as a `signal`. An
 * AbortController per request costs more than the rest of the transport's own work; this object is a few
 * fields. It fires when the exchange's deadline passes or the caller's signal aborts.
 */
export class ExchangeSignal {
  aborted = false;
  /** Usually one (undici's request handler); an interceptor in the dispatcher chain may add its own. */
  private listeners: Array<() => void> = [];
  on(event: string, listener: () => void): this {
    if (event === 'abort') this.listeners.push(listener);
    return this;
  }
  once(event: string, listener: () => void): this {
    return this.on(event, listener);
  }
  addListener(event: string, listener: () => void): this {
    return this.on(event, listener);
  }
  removeListener(event: string, listener: () => void): this {
    if (event !== 'abort') return this;
    const at = this.listeners.indexOf(listener);
    if (at >= 0) this.listeners.splice(at, 1);
    return this;
  }
  off(event: string, listener: () => void): this {
    return this.removeListener(event, listener);
  }
  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    const listeners = this.listeners;
    this.listeners = [];
    for (const listener of listeners) listener();
  }
}

/** An exchange that must be over by its deadline: `watchDeadline` aborts its signal then. */
export class DeadlineExchange {
  timedOut = false;
  readonly signal = new ExchangeSignal();
  /** performance.now() when the exchange started. */
  readonly started: number;
  /** performance.now() by which the whole exchange must be over. */
  readonly deadline: number;
  constructor(readonly timeoutMs: number) {
    this.started = performance.now();
    this.deadline = this.started + timeoutMs;
  }
}

/**
 * The overall deadlines of the exchanges in flight, watched by one timer armed at the earliest of them
 * (a timer and a closure per request cost more than the rest of the transport's bookkeeping). The timer
 * fires at that deadline, aborts every exchange past its own, and is armed again for the next one; a
 * later deadline never re-arms it. It keeps the process alive exactly while an exchange is in flight (as
 * a timer per request did, whatever the dispatcher holds), and not after.
 */
const inFlight = new Set<DeadlineExchange>();
let watchTimer: ReturnType<typeof setTimeout> | undefined;
let watchAt = Number.POSITIVE_INFINITY;

export function watchDeadline(ex: DeadlineExchange): void {
  inFlight.add(ex);
  if (ex.deadline < watchAt) armWatch(ex.deadline);
  else if (inFlight.size === 1) watchTimer?.ref?.();
}

/** Exchanges in flight and whether the deadline timer holds the process open (for tests). */
export function deadlineWatch(): { inFlight: number; holdsProcess: boolean } {
  return { inFlight: inFlight.size, holdsProcess: watchTimer?.hasRef?.() ?? false };
}

export function unwatchDeadline(ex: DeadlineExchange): void {
  inFlight.delete(ex);
  if (inFlight.size === 0) watchTimer?.unref?.();
}

function armWatch(at: number): void {
  if (watchTimer !== undefined) clearTimeout(watchTimer);
  watchAt = at;
  watchTimer = setTimeout(checkDeadlines, Math.max(0, Math.ceil(at - performance.now())));
  if (inFlight.size === 0) watchTimer.unref?.();
}

function checkDeadlines(): void {
  watchTimer = undefined;
  watchAt = Number.POSITIVE_INFINITY;
  const now = performance.now();
  let next = Number.POSITIVE_INFINITY;
  for (const ex of inFlight) {
    if (ex.deadline <= now) {
      inFlight.delete(ex);
      ex.timedOut = true;
      ex.signal.abort();
    } else if (ex.deadline < next) {
      next = ex.deadline;
    }
  }
  if (next !== Number.POSITIVE_INFINITY) armWatch(next);
}
