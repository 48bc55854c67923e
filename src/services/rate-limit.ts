import Redis from "ioredis";
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import type { IRateLimiterOptions, RateLimiterAbstract } from "rate-limiter-flexible";
import { RateLimitedError } from "../kernel/errors";
import type { Logger } from "../kernel/logger";
import { createOutageLog } from "../kernel/outage-log";

/** Counts attempts per key and refuses the ones over the limit. */
export interface RateLimiter {
  /** Takes one attempt for `key`; RATE_LIMITED (naming `what`) when the window's attempts are used up. */
  consume(key: string, what: string): Promise<void>;
  /**
   * RATE_LIMITED (naming `what`) when `key`'s attempts in this window are used up, taking none:
   * for limits that count failures only, checked before an attempt that may succeed.
   */
  check(key: string, what: string): Promise<void>;
}

/** How many attempts per key and window. */
export interface RateLimit {
  readonly points: number;
  readonly durationSeconds: number;
}

/** Where the limits of a process are counted. */
export interface RateLimitStoreOptions {
  /** Count in this Redis, shared by every instance; null: in this process alone. */
  readonly redisUrl: string | null;
  readonly logger: Logger;
  /** While Redis is down, how often to log that it still is. */
  readonly outageSummaryMs: number;
}

/** The limits of one process, all counted in one place: one Redis connection, or this process's memory. */
export interface RateLimits {
  /**
   * A fixed-window limiter whose keys are `name`'s own: two limits never share a count, however
   * their keys are spelled.
   */
  limiter(name: string, limit: RateLimit): RateLimiter;
  /** Lets go of the shared store's connection, if there is one. */
  close(): Promise<void>;
}

/** Every limit's Redis key starts with this, to keep them apart from whatever else that Redis holds. */
const KEY_PREFIX = "newsroom:rate-limit";

function limiterOver(counter: Pick<RateLimiterAbstract, "consume" | "get">, { points, durationSeconds }: RateLimit): RateLimiter {
  const refusal = (res: RateLimiterRes, what: string) => {
    const retry = Math.max(1, Math.ceil(res.msBeforeNext / 1000));
    return new RateLimitedError(`Too many ${what}: at most ${points} every ${durationSeconds} s. Try again in ${retry} s.`, retry);
  };
  return {
    async consume(key, what) {
      try {
        await counter.consume(key);
      } catch (rejection) {
        if (rejection instanceof RateLimiterRes) throw refusal(rejection, what);
        throw rejection;
      }
    },
    async check(key, what) {
      const used = await counter.get(key);
      if (used !== null && used.consumedPoints >= points) throw refusal(used, what);
    },
  };
}

/** The in-memory counter Redis falls back on, which says when it is used (that is, when Redis failed a count). */
class InsuranceLimiter extends RateLimiterMemory {
  constructor(
    options: IRateLimiterOptions,
    private readonly onUse: () => void,
  ) {
    super(options);
  }

  override consume(key: string | number, pointsToConsume?: number, options?: Record<string, unknown>): Promise<RateLimiterRes> {
    this.onUse();
    return super.consume(key, pointsToConsume, options);
  }
}

/**
 * Opens the store of a process's rate limits. Without Redis each instance counts on its own. With
 * Redis every instance counts in the same keys, over one connection for all the limits; while
 * Redis cannot answer (down, or slower than a second) each instance counts in its own memory, so
 * every limit still holds per instance and never fails open. The outage is logged when it
 * starts, in a summary every `outageSummaryMs` while it lasts, and when it ends, once for all
 * the limits.
 */
export async function openRateLimits(options: RateLimitStoreOptions): Promise<RateLimits> {
  const { redisUrl, logger } = options;
  if (redisUrl === null) {
    return {
      // Each limiter counts in a memory of its own: the name is not needed to keep them apart.
      limiter: (_name, limit) => limiterOver(new RateLimiterMemory({ points: limit.points, duration: limit.durationSeconds }), limit),
      close: async () => undefined,
    };
  }

  const redis = new Redis(redisUrl, {
    lazyConnect: true,
    // Named per process, so CLIENT LIST tells whose connection it is.
    connectionName: `newsroom-rate-limit-${process.pid}`,
    // A count that cannot be made at once goes to the insurance limiter instead of waiting.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: 1000,
    retryStrategy: (times: number) => Math.min(times * 200, 2000),
  });
  // ioredis reports every failed reconnect; the outage log makes one line of its start, a
  // summary now and then, and one of its end.
  const outage = createOutageLog(logger, "rate limits", "counting on this instance only until it is back", options.outageSummaryMs);
  redis.on("error", (error: Error) => outage.failed(error.message));
  redis.on("ready", () => outage.recovered());
  // Not reachable at start: the error handler has logged it, the insurance counts, ioredis retries.
  await redis.connect().catch(() => undefined);
  return {
    limiter: (name, limit) =>
      limiterOver(
        new RateLimiterRedis({
          storeClient: redis,
          keyPrefix: `${KEY_PREFIX}:${name}`,
          points: limit.points,
          duration: limit.durationSeconds,
          rejectIfRedisNotReady: true,
          insuranceLimiter: new InsuranceLimiter({ points: limit.points, duration: limit.durationSeconds }, () => outage.failed("a count failed")),
        }),
        limit,
      ),
    close: async () => {
      // QUIT lets Redis finish what it was sent; a connection that is not up has nothing to finish.
      if (redis.status === "ready") await redis.quit().catch(() => redis.disconnect());
      else redis.disconnect();
    },
  };
}
