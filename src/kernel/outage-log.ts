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
 * `what` names the connection, `meanwhile` what the server does without it.
 */
export function createOutageLog(logger: Logger, what: string, meanwhile: string, summaryIntervalMs: number): OutageLog {
  let since: number | null = null;
  let attempts = 0;
  let lastLine = 0;
  return {
    failed(reason) {
      const at = Date.now();
      if (since === null) {
        since = at;
        attempts = 1;
        lastLine = at;
        logger.warn({ err: reason }, `${what}: Redis unreachable; ${meanwhile}`);
        return;
      }
      attempts += 1;
      if (at - lastLine < summaryIntervalMs) return;
      lastLine = at;
      logger.warn({ err: reason, downSeconds: Math.round((at - since) / 1000), failedAttempts: attempts }, `${what}: Redis still unreachable`);
    },
    recovered() {
      if (since === null) return;
      logger.info({ downSeconds: Math.round((Date.now() - since) / 1000), failedAttempts: attempts }, `${what}: Redis is back`);
      since = null;
      attempts = 0;
    },
  };
}
