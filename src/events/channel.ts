import { RateLimitedError } from "../kernel/errors";

/**
 * Takes an item past the channel's consumer (see {@link Channel.bypassWith}): true when it took
 * it, and then it calls `settle` exactly once, when the item is written or dropped (at once, or
 * later); false when it did not take it, and then it never calls `settle`.
 */
export type Bypass<T> = (value: T, settle: () => void) => boolean;

/**
 * An async iterator fed by pushes: what a subscription hands to graphql-ws. Unlike an async
 * generator, `return()` completes at once even while `next()` waits, so an unsubscribe never
 * hangs and never leaves a listener behind.
 *
 * A bypass may take items straight to the subscriber while the consumer is idle (waiting in
 * `next()` with nothing queued): the WebSocket fan-out's direct lane. Order holds across the two
 * ways: an item is offered to the bypass only when nothing is queued before it, and nothing is
 * handed to the consumer while an item the bypass took is not yet settled.
 */
export class Channel<T> implements AsyncIterableIterator<T> {
  private readonly queue: T[] = [];
  private waiting: { resolve: (r: IteratorResult<T>) => void; reject: (e: unknown) => void } | null = null;
  private failure: unknown = null;
  private done = false;
  /** Set by return(): the consumer wants nothing more, not even what the bypass holds. */
  private returned = false;
  private readonly closeListeners: Array<() => void> = [];
  private roomWaiter: { below: number; wake: () => void } | null = null;
  private bypass: Bypass<T> | null = null;
  /** Items the bypass took and has not settled. */
  private bypassed = 0;
  private readonly settle = () => {
    this.bypassed--;
    if (this.bypassed === 0) this.serve();
  };

  /** @param limit how many undelivered items (queued, or taken by the bypass and not settled) a slow consumer may fall behind before the channel fails. */
  constructor(private readonly limit: number) {}

  get closed(): boolean {
    return this.done;
  }

  /** Whether the consumer stopped (unsubscribed, or its socket closed): what is in flight for it is dropped. */
  get stopped(): boolean {
    return this.returned;
  }

  /** Offers every later push to `bypass` first, while the consumer is idle and nothing is queued. */
  bypassWith(bypass: Bypass<T>): void {
    this.bypass = bypass;
  }

  /** Resolves once fewer than `below` items wait for the consumer (or the channel is closed): a producer paces itself by it. */
  room(below: number): Promise<void> {
    if (this.done || this.queue.length < below) return Promise.resolve();
    return new Promise((resolve) => (this.roomWaiter = { below, wake: resolve }));
  }

  private wakeProducer(): void {
    const waiter = this.roomWaiter;
    if (waiter && (this.done || this.queue.length < waiter.below)) {
      this.roomWaiter = null;
      waiter.wake();
    }
  }

  /** Runs `listener` once when the consumer stops or the channel fails. */
  onClose(listener: () => void): void {
    if (this.done) listener();
    else this.closeListeners.push(listener);
  }

  push(value: T): void {
    if (this.done) return;
    if (this.bypass !== null && this.waiting !== null && this.queue.length === 0) {
      this.bypassed++;
      if (this.bypass(value, this.settle)) return;
      this.bypassed--;
    }
    if (this.waiting && this.bypassed === 0) {
      const { resolve } = this.waiting;
      this.waiting = null;
      resolve({ value, done: false });
      return;
    }
    // What the bypass holds counts: a subscriber's socket that stopped reading holds both.
    if (this.queue.length + this.bypassed >= this.limit) {
      this.fail(new RateLimitedError(`The subscriber fell more than ${this.limit} events behind; resume with the last cursor received.`, 1));
      return;
    }
    this.queue.push(value);
  }

  /** Ends the channel with an error the consumer receives after what is queued. */
  fail(error: unknown): void {
    if (this.done) return;
    this.failure = error;
    if (this.waiting && this.bypassed === 0) {
      const { reject } = this.waiting;
      this.waiting = null;
      reject(error);
    }
    this.close();
  }

  /** Hands the waiting consumer what comes next, once the bypass has settled everything it took. */
  private serve(): void {
    const waiting = this.waiting;
    if (waiting === null || this.bypassed > 0) return;
    if (this.queue.length === 0 && this.failure === null && !this.done) return;
    this.waiting = null;
    this.next().then(waiting.resolve, waiting.reject);
  }

  next(): Promise<IteratorResult<T>> {
    // What the bypass holds goes out first.
    if (this.bypassed > 0 && !this.returned) return new Promise((resolve, reject) => (this.waiting = { resolve, reject }));
    if (this.queue.length > 0) {
      const value = this.queue.shift()!;
      this.wakeProducer();
      return Promise.resolve({ value, done: false });
    }
    if (this.failure !== null) {
      const error = this.failure;
      this.failure = null;
      return Promise.reject(error);
    }
    if (this.done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => (this.waiting = { resolve, reject }));
  }

  return(): Promise<IteratorResult<T>> {
    this.returned = true;
    this.queue.length = 0;
    this.failure = null;
    if (this.waiting) {
      const { resolve } = this.waiting;
      this.waiting = null;
      resolve({ value: undefined, done: true });
    }
    this.close();
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(error: unknown): Promise<IteratorResult<T>> {
    void this.return();
    return Promise.reject(error);
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }

  private close(): void {
    if (this.done) return;
    this.done = true;
    this.wakeProducer();
    for (const listener of this.closeListeners.splice(0)) listener();
  }
}
