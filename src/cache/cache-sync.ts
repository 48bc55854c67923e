import type { GraphQLSchema } from "graphql";
import type { AppConfig } from "../config";
import type { Logger } from "../common/logger";
import type { Database } from "../db/database";
import type { EventBus } from "../events/bus";
import { recordChange } from "../events/outbox";
import type { ChangePayload } from "../events/outbox";
import type { Metrics } from "../observability/metrics";
import { HttpCache } from "./http-cache";
import { ResponseCache } from "./response-cache";
import { tagsOfTables } from "./tags";
import type { CacheTag } from "./tags";

/**
 * The response cache of one instance, kept fresh by the writes of every instance: each write
 * transaction records the tags of the tables it wrote in the event log (in the same
 * transaction), this instance drops them at once after its own commits (before a mutation
 * answers), and every instance drops them again when it reads the event from the log, in log
 * order, so no instance serves an answer older than the events it has delivered.
 */
export function startResponseCache(options: { db: Database; bus: EventBus; schema: GraphQLSchema; config: Pick<AppConfig, "responseCache" | "responseCacheBytes" | "cacheMaxAgeSeconds" | "cacheStaleSeconds">; logger: Logger; metrics: Metrics }): { http: HttpCache; stop(): void } {
  const { db, bus, config, metrics } = options;
  const cache = config.responseCache
    ? new ResponseCache(config.responseCacheBytes, {
        hit: () => metrics.cacheHits.inc(),
        miss: () => metrics.cacheMisses.inc(),
        evicted: () => metrics.cacheEvictions.inc(),
        invalidated: (entries) => metrics.cacheInvalidations.inc(entries),
        bytes: (bytes) => metrics.cacheBytes.set(bytes),
      })
    : null;
  // The change is recorded whether or not this instance caches: other instances may.
  const stops = [
    db.beforeCommit(async (manager, written) => {
      const tags = tagsOfTables(written);
      if (tags.length > 0) await recordChange(manager, tags);
    }),
  ];
  if (cache) {
    stops.push(db.onCommit((written) => cache.invalidate(tagsOfTables(written))));
    stops.push(
      bus.listen((event) => {
        if (event.topic === "cache") cache.invalidate((event.payload as ChangePayload).tags as CacheTag[]);
        // A story's or comment's own event comes first in its transaction: its kind is dropped then already,
        // so a subscriber that has the event never reads an answer from before it.
        else if (event.topic === "article") cache.invalidate(["Article"]);
        else if (event.topic === "comment") cache.invalidate(["Comment"]);
      }),
    );
  }
  return {
    http: new HttpCache(options.schema, cache, { maxAgeSeconds: config.cacheMaxAgeSeconds, staleWhileRevalidateSeconds: config.cacheStaleSeconds }, options.logger, metrics),
    stop: () => {
      for (const stop of stops) stop();
    },
  };
}
