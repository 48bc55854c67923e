import type { Logger } from "../kernel/logger";
import type { Metrics } from "../observability/metrics";

/** Purge requests one instance has on the way to the cache in front at once. */
const CONCURRENCY = 4;
/** How long one purge may take before it counts as failed (and is retried). */
const TIMEOUT_MS = 2000;
/** The first pause after a failure; it doubles on every further failure, up to the cap. */
const RETRY_FIRST_MS = 250;
const RETRY_MAX_MS = 30_000;

/** The URL as it may appear in a log line: credentials in it are not. */
function shown(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

/**
 * Purges tags at the HTTP cache in front (Varnish with deploy/varnish/default.vcl: a `PURGE`
 * request naming the tags in `xkey-purge`). Tags waiting to be sent are merged into one request,
 * so however fast events come, what waits is at most the set of tag names and at most
 * {@link CONCURRENCY} requests are open. A purge that fails (refused, timed out, unreachable)
 * puts its tags back and is retried with a growing pause: purging again is harmless, and a page
 * left unpurged would be served stale until its max-age runs out. An outage is logged when it
 * starts and when it ends, not once per event. Nothing here is awaited by the event bus.
 */
export class EdgePurger {
  private readonly url: URL;
  private readonly pending = new Set<string>();
  private readonly open = new Set<AbortController>();
  private retryTimer: NodeJS.Timeout | null = null;
  private retryDelayMs = RETRY_FIRST_MS;
  /** Failed attempts since the last purge that went through; > 0 while the edge is out of reach. */
  private failures = 0;
  private stopped = false;

  constructor(
    url: string,
    private readonly logger: Logger,
    private readonly metrics: Metrics,
  ) {
    this.url = new URL(url);
  }

  /** Asks for these tags to be purged at the edge as soon as a request can be sent. */
  purge(tags: readonly string[]): void {
    if (this.stopped || tags.length === 0) return;
    for (const tag of tags) this.pending.add(tag);
    this.pump();
  }

  /** Abandons what is pending or on its way (the server is stopping). */
  stop(): void {
    this.stopped = true;
    this.pending.clear();
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    for (const controller of this.open) controller.abort();
  }

  private pump(): void {
    // While backing off after a failure, the timer sends what has gathered meanwhile.
    if (this.retryTimer || this.stopped) return;
    while (this.open.size < CONCURRENCY && this.pending.size > 0) {
      const tags = [...this.pending];
      this.pending.clear();
      void this.send(tags);
    }
  }

  private async send(tags: readonly string[]): Promise<void> {
    const controller = new AbortController();
    this.open.add(controller);
    const timer = setTimeout(() => controller.abort(new Error(`no answer within ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
    try {
      const res = await fetch(this.url, { method: "PURGE", headers: { "xkey-purge": tags.join(" ") }, signal: controller.signal });
      await res.arrayBuffer();
      if (!res.ok) throw new Error(`the cache answered ${res.status} ${res.statusText}`);
      this.metrics.edgePurges.inc({ outcome: "sent" });
      if (this.failures > 0) this.logger.info({ url: shown(this.url), failedAttempts: this.failures }, "edge cache purges go through again");
      this.failures = 0;
      this.retryDelayMs = RETRY_FIRST_MS;
    } catch (error) {
      if (this.stopped) return;
      this.metrics.edgePurges.inc({ outcome: "failed" });
      if (this.failures === 0) {
        const cause = (error as { cause?: unknown }).cause;
        this.logger.warn(
          { err: error, ...(cause === undefined ? {} : { cause: String((cause as Error).message ?? cause) }), url: shown(this.url), tags },
          "edge cache purge failed; retrying with a growing pause, logged again when purges go through",
        );
      }
      this.failures++;
      for (const tag of tags) this.pending.add(tag);
      if (!this.retryTimer) {
        this.retryTimer = setTimeout(() => {
          this.retryTimer = null;
          this.pump();
        }, this.retryDelayMs);
        this.retryTimer.unref();
        this.retryDelayMs = Math.min(this.retryDelayMs * 2, RETRY_MAX_MS);
      }
    } finally {
      clearTimeout(timer);
      this.open.delete(controller);
      this.pump();
    }
  }
}
