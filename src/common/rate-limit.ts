import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import { RateLimitedError } from "./errors";

/** Counts attempts per key and refuses the ones over the limit. */
export interface RateLimiter {
  /** Takes one attempt for `key`; RATE_LIMITED (naming `what`) when the window's attempts are used up. */
  consume(key: string, what: string): Promise<void>;
}

/**
 * A fixed-window limiter kept in this process's memory: `points` attempts per `durationSeconds`.
 * Several instances each count on their own (a shared store would count across them).
 */
export function createMemoryRateLimiter(points: number, durationSeconds: number): RateLimiter {
  const limiter = new RateLimiterMemory({ points, duration: durationSeconds });
  return {
    async consume(key, what) {
      try {
        await limiter.consume(key);
      } catch (rejection) {
        if (rejection instanceof RateLimiterRes) {
          const retry = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
          throw new RateLimitedError(`Too many ${what}: at most ${points} every ${durationSeconds} s. Try again in ${retry} s.`, retry);
        }
        throw rejection;
      }
    },
  };
}
