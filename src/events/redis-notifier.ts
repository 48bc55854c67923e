import Redis from "ioredis";
import type { Logger } from "../kernel/logger";
import { createOutageLog } from "../kernel/outage-log";
import type { OutageLog } from "../kernel/outage-log";
import type { Notifier } from "./bus";

const CHANNEL = "newsroom:events";

/**
 * Tells other instances through Redis pub/sub that the event log grew. Only a hint: every
 * instance also reads the log on a timer, so a lost message or a Redis outage delays a push by
 * at most that interval and never drops it. Redis errors are logged, never thrown at callers.
 */
export async function createRedisNotifier(url: string, logger: Logger, outageSummaryMs: number): Promise<Notifier> {
  const options = { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: false, retryStrategy: (times: number) => Math.min(times * 200, 2000) };
  const publisher = new Redis(url, options);
  const subscriber = new Redis(url, options);
  const listeners: Array<() => void> = [];
  // Both connections go down together; one log per connection says how each fares.
  const watch = (client: Redis, role: string): OutageLog => {
    const outage = createOutageLog(logger, `event notifications (${role})`, "events still arrive by polling", outageSummaryMs);
    client.on("error", (error: Error) => outage.failed(error.message));
    client.on("ready", () => outage.recovered());
    return outage;
  };
  const publisherOutage = watch(publisher, "publisher");
  watch(subscriber, "subscriber");
  subscriber.on("message", (channel: string) => {
    if (channel !== CHANNEL) return;
    for (const listener of listeners) listener();
  });
  // Subscribe again after every reconnect (ioredis does it too; this also covers the first connect).
  subscriber.on("ready", () => void subscriber.subscribe(CHANNEL).catch(() => undefined));
  await Promise.allSettled([publisher.connect(), subscriber.connect()]);
  return {
    publish(seq) {
      // While Redis is down every event fails to go out: that is the outage's to report, not a line per event.
      publisher.publish(CHANNEL, String(seq)).catch((error: unknown) => publisherOutage.failed(String(error)));
    },
    onNotify(listener) {
      listeners.push(listener);
    },
    async close() {
      publisher.disconnect();
      subscriber.disconnect();
    },
  };
}
