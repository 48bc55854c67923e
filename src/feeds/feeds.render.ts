import { toGlobalId } from "../kernel/ids";
import { splitParagraphs } from "../kernel/text";
import type { ArticleImage } from "../entities/image.entity";
import type { FeedContent, FeedStory } from "./feeds.data";
import { el, xmlDocument } from "./xml";
import type { XmlElement } from "./xml";

/** Where a feed lives and what it says of its site: the parts of the settings and the request a rendering needs. */
export interface FeedSite {
  readonly siteName: string;
  readonly language: string;
  readonly content: "full" | "summary";
  /** The site's home page (the story URL's origin). */
  readonly home: string;
  /** The absolute URL of a story's page. */
  storyUrl(slug: string): string;
  /** The absolute URL of a path of this server (a feed's own address, a sitemap). */
  selfUrl(path: string): string;
  /** The host named in entry ids (tag URIs). */
  readonly idHost: string;
}

/** The three formats of each feed, and the path suffix each is served at. */
export const FEED_FORMATS = { rss: "feed.xml", atom: "feed.atom", json: "feed.json" } as const;
export type FeedFormat = keyof typeof FEED_FORMATS;

export const MEDIA_TYPES: Readonly<Record<FeedFormat | "sitemap", string>> = {
  rss: "application/rss+xml; charset=utf-8",
  atom: "application/atom+xml; charset=utf-8",
  json: "application/feed+json; charset=utf-8",
  sitemap: "application/xml; charset=utf-8",
};

const SUMMARY_CHARS = 300;
/** An instant no story precedes: a feed without stories was last updated then (it must name some instant). */
const EPOCH = new Date(0);

const HTML_ESCAPES: Readonly<Record<string, string>> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/** The story's text as HTML paragraphs. */
function bodyHtml(body: string): string {
  return splitParagraphs(body)
    .map((p) => `<p>${escapeHtml(p)}</p>`)
    .join("\n");
}

/** The story's summary, or its first paragraph cut at a word near {@link SUMMARY_CHARS} characters. */
function summaryOf(story: FeedStory): string {
  if (story.article.summary) return story.article.summary;
  const first = splitParagraphs(story.body)[0] ?? "";
  if (first.length <= SUMMARY_CHARS) return first;
  const cut = first.slice(0, SUMMARY_CHARS);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(" "), SUMMARY_CHARS / 2)).trimEnd()}…`;
}

/** An image's media type from its file name where that says it; null otherwise (a CDN address often does not). */
export function imageType(url: string): string | null {
  const ext = /\.([a-z0-9]+)$/i.exec(new URL(url).pathname)?.[1]?.toLowerCase();
  const types: Record<string, string> = { jpg: "image/jpeg", jpeg: "image/jpeg", png: "image/png", gif: "image/gif", webp: "image/webp", avif: "image/avif", svg: "image/svg+xml" };
  return ext ? (types[ext] ?? null) : null;
}

/** A story's entry id: a tag URI (RFC 4151) on its global id, which a rename or a new story URL never changes. */
function entryId(site: FeedSite, story: FeedStory): string {
  return `tag:${site.idHost},2025:${toGlobalId("Article", story.article.pk)}`;
}

function title(site: FeedSite, content: FeedContent): string {
  return content.scopeName === null ? site.siteName : `${site.siteName}: ${content.scopeName}`;
}

function lastUpdate(content: FeedContent): Date {
  return content.stories.reduce((latest, s) => (s.article.updatedAt > latest ? s.article.updatedAt : latest), EPOCH);
}

function published(story: FeedStory): Date {
  return story.article.publishedAt ?? story.article.updatedAt;
}

function mediaContent(image: ArticleImage): XmlElement {
  return el(
    "media:content",
    { url: image.url, medium: "image", type: imageType(image.url), width: image.width, height: image.height },
    image.caption ? el("media:title", { type: "plain" }, image.caption) : null,
    // What the picture shows: the alternative text a page gives it.
    el("media:description", { type: "plain" }, image.alt),
    image.credit ? el("media:credit", {}, image.credit) : null,
  );
}

/** RSS 2.0, with the full text in content:encoded, authors as dc:creator (RSS's own author wants an email) and the lead image as enclosure and media:content. */
export function renderRss(site: FeedSite, content: FeedContent, selfPath: string): string {
  const items = content.stories.map((story) =>
    el(
      "item",
      {},
      el("title", {}, story.article.title),
      el("link", {}, site.storyUrl(story.article.slug)),
      el("guid", { isPermaLink: "false" }, entryId(site, story)),
      el("pubDate", {}, published(story).toUTCString()),
      el("description", {}, summaryOf(story)),
      site.content === "full" ? el("content:encoded", {}, bodyHtml(story.body)) : null,
      ...story.authors.map((author) => el("dc:creator", {}, author.name)),
      ...story.tags.map((tag) => el("category", {}, tag.name)),
      // RSS requires a length; the server does not fetch the file, so it says 0 (unknown), as common readers accept.
      story.lead ? el("enclosure", { url: story.lead.url, length: 0, type: imageType(story.lead.url) ?? "image/jpeg" }) : null,
      story.lead ? mediaContent(story.lead) : null,
    ),
  );
  const updated = lastUpdate(content);
  return xmlDocument(
    el(
      "rss",
      { version: "2.0", "xmlns:atom": "http://www.w3.org/2005/Atom", "xmlns:content": "http://purl.org/rss/1.0/modules/content/", "xmlns:dc": "http://purl.org/dc/elements/1.1/", "xmlns:media": "http://search.yahoo.com/mrss/" },
      el(
        "channel",
        {},
        el("title", {}, title(site, content)),
        el("link", {}, site.home),
        el("description", {}, content.scopeName === null ? `The latest stories of ${site.siteName}.` : `The latest stories of ${site.siteName} on ${content.scopeName}.`),
        el("language", {}, site.language),
        content.stories.length > 0 ? el("lastBuildDate", {}, updated.toUTCString()) : null,
        el("atom:link", { href: site.selfUrl(selfPath), rel: "self", type: MEDIA_TYPES.rss.split(";")[0] }),
        ...items,
      ),
    ),
  );
}

/** Atom 1.0 (RFC 4287): each entry's authors, summary and (full text) content as HTML, the lead image as an enclosure link. */
export function renderAtom(site: FeedSite, content: FeedContent, selfPath: string): string {
  const entries = content.stories.map((story) =>
    el(
      "entry",
      {},
      el("id", {}, entryId(site, story)),
      el("title", { type: "text" }, story.article.title),
      el("link", { rel: "alternate", type: "text/html", href: site.storyUrl(story.article.slug) }),
      el("published", {}, published(story).toISOString()),
      el("updated", {}, story.article.updatedAt.toISOString()),
      ...story.authors.map((author) => el("author", {}, el("name", {}, author.name))),
      ...story.tags.map((tag) => el("category", { term: tag.slug, label: tag.name })),
      el("summary", { type: "text" }, summaryOf(story)),
      site.content === "full" ? el("content", { type: "html" }, bodyHtml(story.body)) : null,
      story.lead ? el("link", { rel: "enclosure", href: story.lead.url, type: imageType(story.lead.url), title: story.lead.alt }) : null,
      story.lead ? mediaContent(story.lead) : null,
    ),
  );
  return xmlDocument(
    el(
      "feed",
      { xmlns: "http://www.w3.org/2005/Atom", "xmlns:media": "http://search.yahoo.com/mrss/", "xml:lang": site.language },
      el("id", {}, site.selfUrl(selfPath)),
      el("title", { type: "text" }, title(site, content)),
      el("updated", {}, lastUpdate(content).toISOString()),
      // An entry without a byline is the publication's: RFC 4287 wants an author for each entry, from the entry or the feed.
      el("author", {}, el("name", {}, site.siteName)),
      el("link", { rel: "self", type: MEDIA_TYPES.atom.split(";")[0], href: site.selfUrl(selfPath) }),
      el("link", { rel: "alternate", type: "text/html", href: site.home }),
      ...entries,
    ),
  );
}

/** JSON Feed 1.1. */
export function renderJsonFeed(site: FeedSite, content: FeedContent, selfPath: string): string {
  const items = content.stories.map((story) => ({
    id: entryId(site, story),
    url: site.storyUrl(story.article.slug),
    title: story.article.title,
    ...(site.content === "full" ? { content_html: bodyHtml(story.body), summary: summaryOf(story) } : { content_text: summaryOf(story) }),
    ...(story.lead ? { image: story.lead.url } : {}),
    date_published: published(story).toISOString(),
    date_modified: story.article.updatedAt.toISOString(),
    ...(story.authors.length > 0 ? { authors: story.authors.map((author) => ({ name: author.name })) } : {}),
    ...(story.tags.length > 0 ? { tags: story.tags.map((tag) => tag.name) } : {}),
    language: site.language,
  }));
  const feed = {
    version: "https://jsonfeed.org/version/1.1",
    title: title(site, content),
    home_page_url: site.home,
    feed_url: site.selfUrl(selfPath),
    language: site.language,
    authors: [{ name: site.siteName }],
    items,
  };
  return `${JSON.stringify(feed, null, 2)}\n`;
}

const SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9";

/** The sitemap index: each page of the stories sitemap, and the Google News sitemap. */
export function renderSitemapIndex(site: FeedSite, storyPages: number): string {
  const sitemaps = [...Array.from({ length: storyPages }, (_, i) => `/sitemaps/stories-${i + 1}.xml`), "/sitemaps/news.xml"];
  return xmlDocument(el("sitemapindex", { xmlns: SITEMAP_NS }, ...sitemaps.map((path) => el("sitemap", {}, el("loc", {}, site.selfUrl(path))))));
}

/** A page of the stories sitemap: each story's page and when it last changed. */
export function renderStoriesSitemap(site: FeedSite, stories: ReadonlyArray<{ slug: string; updatedAt: Date }>): string {
  return xmlDocument(el("urlset", { xmlns: SITEMAP_NS }, ...stories.map((s) => el("url", {}, el("loc", {}, site.storyUrl(s.slug)), el("lastmod", {}, s.updatedAt.toISOString())))));
}

/** The Google News sitemap: stories published in the last two days, with the publication's name and language. */
export function renderNewsSitemap(site: FeedSite, stories: ReadonlyArray<{ slug: string; title: string; publishedAt: Date | null }>): string {
  return xmlDocument(
    el(
      "urlset",
      { xmlns: SITEMAP_NS, "xmlns:news": "http://www.google.com/schemas/sitemap-news/0.9" },
      ...stories.map((s) =>
        el(
          "url",
          {},
          el("loc", {}, site.storyUrl(s.slug)),
          el(
            "news:news",
            {},
            el("news:publication", {}, el("news:name", {}, site.siteName), el("news:language", {}, site.language)),
            el("news:publication_date", {}, (s.publishedAt ?? new Date(0)).toISOString()),
            el("news:title", {}, s.title),
          ),
        ),
      ),
    ),
  );
}
