import { RateLimitedError } from "../kernel/errors";

/**
 * An async iterator fed by pushes: what a subscription hands to graphql-ws. Unlike an async
 * generator, `return()` completes at once even while `next()` waits, so an unsubscribe never
 * hangs and never leaves a listener behind.
 */
export class Channel<T> implements AsyncIterableIterator<T> {
  private readonly queue: T[] = [];
  private waiting: { resolve: (r: IteratorResult<T>) => void; reject: (e: unknown) => void } | null = null;
  private failure: unknown = null;
  private done = false;
  private readonly closeListeners: Array<() => void> = [];
  private roomWaiter: { below: number; wake: () => void } | null = null;

  /** @param limit how many undelivered items a slow consumer may fall behind before the channel fails. */
  constructor(private readonly limit: number) {}

  get closed(): boolean {
    return this.done;
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
    if (this.waiting) {
      const { resolve } = this.waiting;
      this.waiting = null;
      resolve({ value, done: false });
      return;
    }
    if (this.queue.length >= this.limit) {
      this.fail(new RateLimitedError(`The subscriber fell more than ${this.limit} events behind; resume with the last cursor received.`, 1));
      return;
    }
    this.queue.push(value);
  }

  /** Ends the channel with an error the consumer receives after what is queued. */
  fail(error: unknown): void {
    if (this.done) return;
    this.failure = error;
    if (this.waiting) {
      const { reject } = this.waiting;
      this.waiting = null;
      reject(error);
    }
    this.close();
  }

  next(): Promise<IteratorResult<T>> {
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
