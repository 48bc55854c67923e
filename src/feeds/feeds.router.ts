import express from "express";
import type { Request, Response, Router } from "express";
import type { FeedsConfig } from "../config";
import type { Logger } from "../kernel/logger";
import { scopeOf } from "../kernel/request-scope";
import type { ResponseCache } from "../cache/response-cache";
import type { CacheTag } from "../cache/tags";
import { ArticleOrder } from "../services/article.inputs";
import type { Services } from "../services/services";
import { readerContext, readFeed } from "./feeds.data";
import type { FeedScope } from "./feeds.data";
import { FEED_FORMATS, MEDIA_TYPES, renderAtom, renderJsonFeed, renderNewsSitemap, renderRss, renderSitemapIndex, renderStoriesSitemap } from "./feeds.render";
import type { FeedFormat, FeedSite } from "./feeds.render";

/** Options of {@link createFeedsRouter}, from the server's configuration. */
export interface FeedsOptions {
  readonly services: Services;
  /** The response cache GraphQL answers share (feeds are dropped by the same changes). */
  readonly cache: ResponseCache;
  readonly feeds: FeedsConfig;
  /** TICKER_STORY_URL: a story's page, `{slug}` standing for its slug; the ticker's headlines link there too. */
  readonly storyUrl: string;
  /** Cache-Control of the answers, as of GraphQL's anonymous GETs. */
  readonly maxAgeSeconds: number;
  readonly staleWhileRevalidateSeconds: number;
  readonly logger: Logger;
}

/** Stories per page of the stories sitemap (the protocol allows 50,000; a smaller page is rebuilt faster after a publish). */
export const STORIES_PER_SITEMAP = 10_000;
/** The Google News sitemap lists stories of the last two days, at most 1,000 (Google's limits). */
const NEWS_WINDOW_MS = 2 * 86_400_000;
const NEWS_MAX = 1000;

/** What feeds and sitemaps show: stories, their bylines and tags, and the names of what a feed is scoped to. */
const TAGS: readonly CacheTag[] = ["Article", "Author", "Institution", "Person", "Tag"];

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
// A plain host[:port] (or a bracketed IPv6 address): anything else in Host is not written into a feed.
const HOST = /^(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

const SCOPES = [
  ["tags", "tag"],
  ["institutions", "institution"],
  ["people", "person"],
  ["authors", "author"],
] as const;

/** This server's public origin: PUBLIC_URL, else the request's own scheme and (plain) host. */
function originOf(req: Request, options: FeedsOptions): string {
  if (options.feeds.publicUrl) return options.feeds.publicUrl;
  const host = req.get("host");
  return `${req.protocol}://${host !== undefined && HOST.test(host) ? host.toLowerCase() : "localhost"}`;
}

function siteOf(origin: string, options: FeedsOptions): FeedSite {
  const absolute = /^https?:\/\//i.test(options.storyUrl);
  const home = absolute ? `${new URL(options.storyUrl).origin}/` : `${origin}/`;
  return {
    siteName: options.feeds.siteName,
    language: options.feeds.language,
    content: options.feeds.content,
    home,
    idHost: new URL(home).host,
    storyUrl: (slug) => {
      const filled = options.storyUrl.replace("{slug}", () => encodeURIComponent(slug));
      return absolute ? filled : `${origin}${filled}`;
    },
    selfUrl: (path) => `${origin}${path}`,
  };
}

/**
 * An express router serving the feeds and sitemaps of published stories, computed from the
 * services as an anonymous reader's (drafts never show):
 *
 * - `/feed.xml` (RSS 2.0), `/feed.atom` (Atom 1.0), `/feed.json` (JSON Feed 1.1): the latest stories;
 * - the same three below `/tags/<slug>/`, `/institutions/<slug>/`, `/people/<slug>/`, `/authors/<slug>/`;
 * - `/sitemap.xml` (the index), `/sitemaps/stories-<n>.xml`, `/sitemaps/news.xml` (Google News, last two days).
 *
 * Every answer carries a strong ETag (304 on If-None-Match), `Cache-Control: public` like
 * GraphQL's anonymous GETs, and `xkey`/`Surrogate-Key` tags, so the purge a publish sends to
 * the cache in front drops them; in this process they share the response cache and its
 * invalidation (an answer read before a change is sent `no-store` and not kept).
 */
export function createFeedsRouter(options: FeedsOptions): Router {
  const { services, cache } = options;
  const router = express.Router();
  const control = `public, max-age=${options.maxAgeSeconds}, stale-while-revalidate=${options.staleWhileRevalidateSeconds}`;

  const send = (req: Request, res: Response, media: string, etag: string, body: Buffer | string, cacheable: boolean): void => {
    res.set({ "content-type": media, "x-content-type-options": "nosniff", etag, "cache-control": cacheable ? control : "no-store" });
    if (cacheable) res.set({ xkey: TAGS.join(" "), "surrogate-key": TAGS.join(" ") });
    if (cacheable && req.get("if-none-match") === etag) {
      res.status(304).end();
      return;
    }
    res.send(body);
  };

  /**
   * Answers from the response cache, or computes, keeps and sends. `keep: false` for an answer
   * that changes with the clock alone (the news sitemap): nothing drops it when a story ages out.
   */
  const answer = async (req: Request, res: Response, media: string, compute: () => Promise<string | null>, keep = true): Promise<void> => {
    const key = `feeds\u0000${originOf(req, options)}\u0000${req.path}`;
    const found = keep ? cache.lookup(key, TAGS) : { slot: cache.passingSlot(key, TAGS) };
    if (found.hit) {
      send(req, res, media, found.hit.etag, found.hit.bytes, true);
      return;
    }
    let body: string | null;
    try {
      body = await compute();
    } catch (error) {
      options.logger.error({ err: error, reqId: scopeOf(res)?.id, path: req.path }, "unexpected error");
      res.status(500).type("text/plain").set("cache-control", "no-store").send("Unexpected error.");
      return;
    }
    if (body === null) {
      res.status(404).type("text/plain").set("cache-control", `public, max-age=${options.maxAgeSeconds}`).send("No such feed.");
      return;
    }
    const entry = cache.store(found.slot, body);
    if (entry === "stale") {
      send(req, res, media, "", body, false);
      return;
    }
    send(req, res, media, entry.etag, entry.bytes, true);
  };

  const feed = (scope: (req: Request) => FeedScope | null, format: FeedFormat) => async (req: Request, res: Response) => {
    const which = scope(req);
    if (which === null) {
      res.status(404).type("text/plain").send("No such feed.");
      return;
    }
    await answer(req, res, MEDIA_TYPES[format], async () => {
      const content = await readFeed(services, readerContext(scopeOf(res) ?? null), which, options.feeds.items);
      if (content === null) return null;
      const site = siteOf(originOf(req, options), options);
      return format === "rss" ? renderRss(site, content, req.path) : format === "atom" ? renderAtom(site, content, req.path) : renderJsonFeed(site, content, req.path);
    });
  };

  for (const [format, file] of Object.entries(FEED_FORMATS) as Array<[FeedFormat, string]>) {
    router.get(`/${file}`, feed(() => ({ kind: "all" }), format));
    for (const [segment, kind] of SCOPES) {
      router.get(
        `/${segment}/:slug/${file}`,
        feed((req) => {
          const slug = String(req.params.slug);
          return slug.length <= 200 && SLUG.test(slug) ? { kind, slug } : null;
        }, format),
      );
    }
  }

  router.get("/sitemap.xml", (req, res) =>
    answer(req, res, MEDIA_TYPES.sitemap, async () => {
      const count = await services.articles.publishedCount(readerContext(scopeOf(res) ?? null));
      return renderSitemapIndex(siteOf(originOf(req, options), options), Math.max(1, Math.ceil(count / STORIES_PER_SITEMAP)));
    }),
  );
  router.get("/sitemaps/stories-:page.xml", (req, res) => {
    const page = /^[1-9][0-9]{0,6}$/.test(String(req.params.page)) ? Number(req.params.page) : 0;
    return answer(req, res, MEDIA_TYPES.sitemap, async () => {
      const ctx = readerContext(scopeOf(res) ?? null);
      const stories = page === 0 ? [] : await services.articles.publishedInOrder(ctx, (page - 1) * STORIES_PER_SITEMAP, STORIES_PER_SITEMAP);
      // The first page exists even before the first story; a page past the last does not.
      if (stories.length === 0 && page !== 1) return null;
      return renderStoriesSitemap(siteOf(originOf(req, options), options), stories);
    });
  });
  router.get("/sitemaps/news.xml", (req, res) =>
    answer(
      req,
      res,
      MEDIA_TYPES.sitemap,
      async () => {
        const since = new Date(Date.now() - NEWS_WINDOW_MS);
        const page = await services.articles.list(readerContext(scopeOf(res) ?? null), { publishedAfter: since }, ArticleOrder.PUBLISHED_AT_DESC, { count: NEWS_MAX, backward: false, after: null, before: null });
        return renderNewsSitemap(siteOf(originOf(req, options), options), (page.rows ?? []) as Array<{ slug: string; title: string; publishedAt: Date | null }>);
      },
      false,
    ),
  );
  return router;
}
