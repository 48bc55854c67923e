import type { Logger } from "../kernel/logger";
import type { ArticleService } from "./article.service";

/** A running scheduler; `stop` waits for a round in progress to finish. */
export interface Scheduler {
  stop(): Promise<void>;
  /** Runs one round now (also what the timer does); resolves with the keys it published. */
  runOnce(): Promise<number[]>;
}

/**
 * Publishes scheduled stories when they fall due, checking every `intervalMs`. Rounds never
 * overlap; a failed round is logged and the next one tries again.
 */
export function startScheduler(articles: ArticleService, intervalMs: number, logger: Logger): Scheduler {
  let running: Promise<number[]> | null = null;
  let stopped = false;
  const runOnce = (): Promise<number[]> => {
    running ??= articles
      .publishDue(new Date())
      .then((published) => {
        if (published.length > 0) logger.info({ published }, "scheduler published due stories");
        return published;
      })
      .catch((error: unknown) => {
        logger.error({ err: error }, "scheduler round failed");
        return [];
      })
      .finally(() => {
        running = null;
      });
    return running;
  };
  const timer = setInterval(() => {
    if (!stopped && running === null) void runOnce();
  }, intervalMs);
  timer.unref();
  return {
    runOnce,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
