import type { GraphQLSchema } from "graphql";
import type { CacheConfig } from "../config";
import type { Logger } from "../kernel/logger";
import type { Database } from "../db/database";
import type { EventBus } from "../events/bus";
import { recordChange } from "../events/outbox";
import type { Metrics } from "../observability/metrics";
import { EdgePurger } from "./edge-purge";
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
 *
 * With CACHE_PURGE_URL, every instance also purges each event's tags at the HTTP cache in front
 * once it has dropped them here (whether or not it caches itself): the edge may have fetched
 * the page from an instance that had not yet read the event, and that instance's own purge,
 * sent after it has, is what drops such a page.
 */
export function startResponseCache(options: { db: Database; bus: EventBus; schema: GraphQLSchema; config: CacheConfig; logger: Logger; metrics: Metrics }): {
  http: HttpCache;
  /** The same store, for answers other than GraphQL's (feeds, sitemaps), kept fresh by the same changes. */
  cache: ResponseCache;
  stop(): void;
} {
  const { db, bus, config, metrics } = options;
  const cache = new ResponseCache(
    { maxBytes: config.bytes, admitAfter: config.admitAfter, keeps: config.enabled },
    {
      hit: () => metrics.cacheHits.inc(),
      miss: () => metrics.cacheMisses.inc(),
      evicted: () => metrics.cacheEvictions.inc(),
      admitted: () => metrics.cacheAdmissions.inc({ outcome: "admitted" }),
      rejected: () => metrics.cacheAdmissions.inc({ outcome: "rejected" }),
      invalidated: (entries) => metrics.cacheInvalidations.inc(entries),
      bytes: (bytes) => metrics.cacheBytes.set(bytes),
    },
  );
  // The change is recorded whether or not this instance caches: other instances may.
  const stops = [
    db.beforeCommit(async (manager, written) => {
      const tags = tagsOfTables(written);
      if (tags.length > 0) await recordChange(manager, tags);
    }),
  ];
  stops.push(db.onCommit((written) => cache.invalidate(tagsOfTables(written))));
  stops.push(
    bus.listen((event) => {
      if (event.topic === "cache") cache.invalidate(event.tags as CacheTag[]);
      // A story's or comment's own event comes first in its transaction: its kind is dropped then already,
      // so a subscriber that has the event never reads an answer from before it.
      else if (event.topic === "article") cache.invalidate(["Article"]);
      else if (event.topic === "comment") cache.invalidate(["Comment"]);
    }),
  );
  if (config.purgeUrl) {
    const purger = new EdgePurger(config.purgeUrl, options.logger, metrics);
    stops.push(
      bus.listen((event) => {
        if (event.topic === "cache") purger.purge(event.tags);
      }),
      () => purger.stop(),
    );
  }
  return {
    http: new HttpCache(options.schema, cache, { maxAgeSeconds: config.maxAgeSeconds, staleWhileRevalidateSeconds: config.staleSeconds }, options.logger, metrics),
    cache,
    stop: () => {
      for (const stop of stops) stop();
    },
  };
}
