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
import { changeTagsOf, edgeKeysOf } from "./tags";
import type { ArticleLogEvent } from "../events/log-event";
import { byUpdate, SEARCHES, tagSlugList } from "../services/story-tags";

/**
 * The response cache of one instance, kept fresh by the writes of every instance: each write
 * transaction records the tags of what it wrote in the event log (in the same transaction: the
 * rows and lists its services named, and the kinds of the tables it wrote without naming rows;
 * with CACHE_TAGS=type, the kinds of every table it wrote), this instance drops them at once after its own commits (before a mutation
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
  const mode = config.tags;
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
    db.beforeCommit(async (manager, written, rows) => {
      const tags = changeTagsOf(mode, written, rows);
      if (tags.length > 0) await recordChange(manager, tags);
    }),
  ];
  stops.push(db.onCommit((written, rows) => cache.invalidate(changeTagsOf(mode, written, rows))));
  stops.push(
    bus.listen((event) => {
      if (event.topic === "cache") cache.invalidate(event.tags);
      // A story's or comment's own event comes first in its transaction: what it changed is dropped then already,
      // so a subscriber that has the event never reads an answer from before it.
      else if (event.topic === "article") cache.invalidate(mode === "row" ? storyEventTags(event) : ["Article"]);
      else if (event.topic === "comment") cache.invalidate(mode === "row" ? [`Comment:${event.snapshot.comment.pk}`, "Comment:list", `Article:${event.articlePk}`] : ["Comment"]);
    }),
  );
  if (config.purgeUrl) {
    const purger = new EdgePurger(config.purgeUrl, options.logger, metrics);
    stops.push(
      bus.listen((event) => {
        if (event.topic === "cache") purger.purge(edgeKeysOf(event.tags));
      }),
      () => purger.stop(),
    );
  }
  return {
    http: new HttpCache(options.schema, cache, { maxAgeSeconds: config.maxAgeSeconds, staleWhileRevalidateSeconds: config.staleSeconds, tags: mode }, options.logger, metrics),
    cache,
    stop: () => {
      for (const stop of stops) stop();
    },
  };
}

/**
 * What a story's own event changes, by row: the story, and the lists of stories it may have
 * entered or left as the event's snapshot names them (the change recorded after it in the same
 * transaction names the rest, and exactly). A publish or withdrawal: every list of stories it is
 * in. An update (published before and after, at the same instant; see services/story-tags.ts):
 * the lists ordered by the last edit, every search, and the lists of the records it links now,
 * which it may have just entered.
 */
function storyEventTags(event: ArticleLogEvent): string[] {
  const story = event.snapshot;
  const lists: string[] = [];
  for (const pk of story.institutionPks) lists.push(`Institution:${pk}:articles`);
  for (const pk of story.personPks) lists.push(`Person:${pk}:articles`);
  for (const slug of story.tags) {
    const list = tagSlugList(slug);
    if (list) lists.push(list);
  }
  if ("relations" in story) for (const tag of story.relations.tags) lists.push(`Tag:${tag.pk}:articles`);
  if ("credits" in story) for (const author of story.credits.authors) lists.push(`Author:${author.pk}:articles`);
  const own = `Article:${event.articlePk}`;
  if (event.type === "UPDATED") return [own, byUpdate("Article:list"), SEARCHES, ...lists, ...lists.map(byUpdate)];
  return [own, "Article:list", ...lists];
}
