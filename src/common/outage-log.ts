import type { Logger } from "./logger";

/** What {@link createOutageLog} is told about one Redis connection. */
export interface OutageLog {
  /** A connection attempt failed (ioredis reports each one, every couple of seconds while down). */
  failed(reason: string): void;
  /** The connection is up (again). */
  recovered(): void;
}

/**
 * Logs a Redis outage as three kinds of lines instead of one warning per failed reconnect: a
 * warning when it starts, a summary at most every `summaryIntervalMs` while it lasts (how long,
 * how many attempts, the last reason), and one info line when it ends. Summaries ride on the
 * failures themselves, so nothing keeps a timer running and a stopped client stops logging.
 */
export function createOutageLog(logger: Logger, what: string, summaryIntervalMs: number, now: () => number = Date.now): OutageLog {
  let since: number | null = null;
  let attempts = 0;
  let lastLine = 0;
  return {
    failed(reason) {
      const at = now();
      if (since === null) {
        since = at;
        attempts = 1;
        lastLine = at;
        logger.warn({ err: reason }, `${what}: Redis unreachable`);
        return;
      }
      attempts += 1;
      if (at - lastLine < summaryIntervalMs) return;
      lastLine = at;
      logger.warn({ err: reason, downSeconds: Math.round((at - since) / 1000), failedAttempts: attempts }, `${what}: Redis still unreachable`);
    },
    recovered() {
      if (since === null) return;
      logger.info({ downSeconds: Math.round((now() - since) / 1000), failedAttempts: attempts }, `${what}: Redis is back`);
      since = null;
      attempts = 0;
    },
  };
}
