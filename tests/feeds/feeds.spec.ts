import "reflect-metadata";
import { parseFeed } from "@rowanmanning/feed-parser";
import { extractFromJson } from "@extractus/feed-extractor";
import { XMLParser } from "fast-xml-parser";
import { toGlobalId } from "../../src/kernel/ids";
import { AuthorRole } from "../../src/entities/author.entity";
import { ArticleStatus } from "../../src/entities/article.entity";
import { addAuthor, addByline, addImage, addStory, addTag, HOUR } from "../helpers/scenarios";
import { startTestServer } from "../helpers/server";
import type { TestServer } from "../helpers/server";
import { bearer, mintToken } from "../helpers/tokens";
import { xmlErrors } from "./xml-check";

const STORY_URL = "https://koran.example/berita/{slug}";
const PUBLIC = "https://api.koran.example";
/** A title with everything XML must escape or leave out: markup, ampersands, quotes, a control character, an emoji. */
const AWKWARD = `Kalapas <b>"Tegas"</b> & 'Ramah' ]]> soal remisi\u0007 🙂`;

/** A parsed XML document with namespace prefixes kept, every element a list. */
const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "@", isArray: (_name, _path, _leaf, isAttribute) => !isAttribute });
type Tree = Record<string, Array<Record<string, unknown>> | string | undefined>;
const first = (node: unknown, name: string): Tree => ((node as Tree)[name] as Array<Tree>)[0]!;
const all = (node: unknown, name: string): Tree[] => ((node as Tree)[name] as Tree[] | undefined) ?? [];
const text = (node: unknown, name: string): string => String(((node as Tree)[name] as Array<unknown>)[0] as string);

describe("feeds and sitemaps", () => {
  let t: TestServer;
  let editor: Record<string, string>;
  let stories: { lead: number; plain: number; draft: number; old: number };

  beforeAll(async () => {
    t = await startTestServer({ seed: false, config: { ticker: { storyUrl: STORY_URL }, feeds: { publicUrl: PUBLIC, siteName: "Koran Contoh", language: "id", items: 20 } } });
    editor = bearer(await mintToken(t, "EDITOR"));
    stories = await t.server.db.transaction(async (em) => {
      const hukum = await addTag(em, "Hukum");
      const writer = await addAuthor(em, "Made Sukarta", AuthorRole.WRITER);
      const photographer = await addAuthor(em, "Yoga Pratama", AuthorRole.PHOTOGRAPHER);
      const secret = await addAuthor(em, "Penulis Rahasia", AuthorRole.WRITER, { listed: false });
      const now = Date.now();
      const lead = await addStory(em, { title: AWKWARD, body: "Paragraf <satu> & seterusnya.\n\nParagraf dua.", summary: "Ringkasan berita.", publishedAt: new Date(now - HOUR), tags: [hukum] });
      await addByline(em, lead, [writer, photographer]);
      await addImage(em, lead, { url: "https://cdn.koran.example/2025/lapas.jpg?w=1200&h=675", alt: "Petugas & warga binaan", lead: true, width: 1200, height: 675, caption: "Suasana studi tiru.", credit: "Foto: Yoga Pratama" });
      await addImage(em, lead, { url: "https://cdn.koran.example/2025/kedua.png", alt: "Foto kedua" });
      const plain = await addStory(em, { title: "Berita tanpa gambar", body: "Hanya teks.", publishedAt: new Date(now - 2 * HOUR) });
      // Published three days ago: in the feed and the stories sitemap, not in the News sitemap.
      const old = await addStory(em, { title: "Berita lama", body: "Dulu.", publishedAt: new Date(now - 72 * HOUR) });
      const draft = await addStory(em, { title: "Draf rahasia", body: "Embargo.", status: ArticleStatus.DRAFT });
      await addByline(em, draft, [secret]);
      await addImage(em, draft, { url: "https://cdn.koran.example/rahasia.jpg", alt: "Rahasia", lead: true });
      return { lead: lead.pk, plain: plain.pk, draft: draft.pk, old: old.pk };
    });
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  const get = (path: string, headers: Record<string, string> = {}) => fetch(new URL(path, t.server.url), { headers });
  const body = async (path: string) => {
    const res = await get(path);
    expect([path, res.status]).toEqual([path, 200]);
    return res.text();
  };

  it("RSS 2.0: well-formed, parsed by a feed parser, with byline, lead image, categories, dates and the full text", async () => {
    const res = await get("/feed.xml");
    expect(res.headers.get("content-type")).toBe("application/rss+xml; charset=utf-8");
    const source = await res.text();
    expect(await xmlErrors(source)).toEqual([]);
    const feed = parseFeed(source);
    expect(feed.meta.type).toBe("rss");
    expect(feed.title).toBe("Koran Contoh");
    expect(feed.language).toBe("id");
    expect(feed.self).toBe(`${PUBLIC}/feed.xml`);
    expect(feed.items.map((i) => i.title)).toEqual([AWKWARD.replace("\u0007", ""), "Berita tanpa gambar", "Berita lama"]);
    const [lead, plain] = feed.items;
    expect(lead!.url).toBe(`https://koran.example/berita/${encodeURIComponent("kalapas-b-tegas-b-ramah-soal-remisi")}`.replace(/%2D/g, "-"));
    expect(lead!.id).toBe(`tag:koran.example,2025:${toGlobalId("Article", stories.lead)}`);
    expect(lead!.authors.map((a) => a.name)).toEqual(["Made Sukarta", "Yoga Pratama"]);
    expect(lead!.categories.map((c) => c.label ?? c.term)).toEqual(["Hukum"]);
    expect(lead!.description).toBe("Ringkasan berita.");
    expect(lead!.content).toContain("<p>Paragraf dua.</p>");
    expect(lead!.published!.getTime()).toBeGreaterThan(Date.now() - 2 * HOUR);
    expect(lead!.mediaImages.map((m) => m.url)).toContain("https://cdn.koran.example/2025/lapas.jpg?w=1200&h=675");
    expect(plain!.mediaImages).toEqual([]);
    // Against RSS 2.0's own rules, which have no published schema: the elements a channel and its items must have.
    const channel = first(first(xml.parse(source), "rss"), "channel");
    for (const name of ["title", "link", "description"]) expect(all(channel, name)).toHaveLength(1);
    // The full text as HTML, the story's own characters escaped in it (the parser above decodes them again).
    expect(text(all(channel, "item")[0], "content:encoded")).toBe("<p>Paragraf &lt;satu&gt; &amp; seterusnya.</p>\n<p>Paragraf dua.</p>");
    const enclosure = first(all(channel, "item")[0], "enclosure");
    expect(enclosure).toMatchObject({ "@url": "https://cdn.koran.example/2025/lapas.jpg?w=1200&h=675", "@type": "image/jpeg", "@length": "0" });
    expect(first(all(channel, "item")[0], "media:content")).toMatchObject({ "@width": "1200", "@height": "675", "@medium": "image" });
    expect(source).not.toMatch(/rahasia|Embargo/i);
  });

  it("Atom 1.0: well-formed, parsed, every entry with id, title, updated, an author and its link", async () => {
    const res = await get("/feed.atom");
    expect(res.headers.get("content-type")).toBe("application/atom+xml; charset=utf-8");
    const source = await res.text();
    expect(await xmlErrors(source)).toEqual([]);
    const feed = parseFeed(source);
    expect(feed.meta.type).toBe("atom");
    expect(feed.items).toHaveLength(3);
    expect(feed.items[0]!.authors.map((a) => a.name)).toEqual(["Made Sukarta", "Yoga Pratama"]);
    expect(feed.items[0]!.content).toContain("<p>Paragraf dua.</p>");
    expect(feed.items[0]!.updated).toBeInstanceOf(Date);
    // RFC 4287 (its schema is RELAX NG Compact, which libxml2 does not read): what it requires, checked here.
    const root = first(xml.parse(source), "feed");
    for (const name of ["id", "title", "updated", "author"]) expect(all(root, name).length).toBeGreaterThan(0);
    for (const entry of all(root, "entry")) {
      for (const name of ["id", "title", "updated", "link"]) expect([name, all(entry, name).length > 0]).toEqual([name, true]);
      expect(Date.parse(text(entry, "updated"))).not.toBeNaN();
    }
    expect(all(all(root, "entry")[0], "link").map((l) => l["@rel"])).toEqual(["alternate", "enclosure"]);
  });

  it("JSON Feed 1.1: parsed by a feed parser, with the fields the version requires", async () => {
    const res = await get("/feed.json");
    expect(res.headers.get("content-type")).toBe("application/feed+json; charset=utf-8");
    const json = (await res.json()) as { version: string; title: string; feed_url: string; items: Array<Record<string, unknown>> };
    expect(json.version).toBe("https://jsonfeed.org/version/1.1");
    const parsed = extractFromJson(json, { normalization: true });
    expect(parsed.title).toBe("Koran Contoh");
    expect(parsed.entries!.map((e) => e.title)).toEqual([AWKWARD, "Berita tanpa gambar", "Berita lama"]);
    const [lead] = json.items;
    expect(lead).toMatchObject({ id: `tag:koran.example,2025:${toGlobalId("Article", stories.lead)}`, image: "https://cdn.koran.example/2025/lapas.jpg?w=1200&h=675", authors: [{ name: "Made Sukarta" }, { name: "Yoga Pratama" }], tags: ["Hukum"], summary: "Ringkasan berita." });
    for (const item of json.items) {
      expect(typeof item.id).toBe("string");
      expect(typeof item.content_html === "string" || typeof item.content_text === "string").toBe(true);
      expect(new Date(String(item.date_published)).toISOString()).toBe(item.date_published);
    }
  });

  it("scopes feeds to a tag, an author, an institution or a person, and answers 404 for one readers cannot see", async () => {
    const tag = parseFeed(await body("/tags/hukum/feed.xml"));
    expect(tag.title).toBe("Koran Contoh: Hukum");
    expect(tag.items).toHaveLength(1);
    const author = parseFeed(await body("/authors/yoga-pratama/feed.atom"));
    expect(author.items.map((i) => i.authors.map((a) => a.name))).toEqual([["Made Sukarta", "Yoga Pratama"]]);
    // An author only a draft carries, a tag nobody uses, a slug that is not one: no such feed.
    for (const path of ["/authors/penulis-rahasia/feed.xml", "/tags/tidak-ada/feed.json", "/people/x/feed.atom", "/tags/NOT_A_SLUG/feed.xml", "/institutions/a--b/feed.xml"]) {
      expect([path, (await get(path)).status]).toEqual([path, 404]);
    }
  });

  it("summary mode carries no full text", async () => {
    const summary = await startTestServer({ seed: true, config: { feeds: { content: "summary" } } });
    try {
      const rss = await (await fetch(new URL("/feed.xml", summary.server.url))).text();
      expect(rss).not.toContain("content:encoded>");
      const json = (await (await fetch(new URL("/feed.json", summary.server.url))).json()) as { items: Array<Record<string, unknown>> };
      expect(json.items[0]).not.toHaveProperty("content_html");
      expect(typeof json.items[0]!.content_text).toBe("string");
    } finally {
      await summary.close();
    }
  });

  it("the sitemap index and the stories sitemap: valid against the sitemaps.org schema", async () => {
    const index = await body("/sitemap.xml");
    expect(await xmlErrors(index)).toEqual([]);
    const locs = all(first(xml.parse(index), "sitemapindex"), "sitemap").map((s) => text(s, "loc"));
    expect(locs).toEqual([`${PUBLIC}/sitemaps/stories-1.xml`, `${PUBLIC}/sitemaps/news.xml`]);
    const res = await get("/sitemaps/stories-1.xml");
    expect(res.headers.get("content-type")).toBe("application/xml; charset=utf-8");
    const stories1 = await res.text();
    expect(await xmlErrors(stories1, "sitemap")).toEqual([]);
    const urls = all(first(xml.parse(stories1), "urlset"), "url");
    expect(urls.map((u) => text(u, "loc"))).toEqual(["https://koran.example/berita/berita-lama", "https://koran.example/berita/berita-tanpa-gambar", expect.stringMatching(/^https:\/\/koran\.example\/berita\/kalapas/)]);
    expect(stories1).not.toContain("draf-rahasia");
    expect((await get("/sitemaps/stories-2.xml")).status).toBe(404);
  });

  it("the Google News sitemap: the last two days only, valid as a sitemap, with Google's news elements", async () => {
    const news = await body("/sitemaps/news.xml");
    const urls = all(first(xml.parse(news), "urlset"), "url");
    expect(urls.map((u) => text(u, "loc"))).toEqual([expect.stringMatching(/kalapas/), "https://koran.example/berita/berita-tanpa-gambar"]);
    for (const url of urls) {
      const item = first(url, "news:news");
      const publication = first(item, "news:publication");
      expect(text(publication, "news:name")).toBe("Koran Contoh");
      // Google's schema: zh-cn, zh-tw or two or three lowercase letters; a W3C date-time; a title.
      expect(text(publication, "news:language")).toMatch(/^(?:zh-cn|zh-tw|[a-z]{2,3})$/);
      expect(text(item, "news:publication_date")).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z$/);
      expect(text(item, "news:title").length).toBeGreaterThan(0);
    }
    // The core of it against the sitemaps.org schema: the news elements taken out (that schema checks other namespaces strictly, and Google's is not to be had here).
    expect(await xmlErrors(news)).toEqual([]);
    expect(await xmlErrors(news.replace(/\s*<news:news>[\s\S]*?<\/news:news>/g, "").replace(/ xmlns:news="[^"]*"/, ""), "sitemap")).toEqual([]);
  });

  it("sends a strong ETag, public caching and xkey tags, 304 on a match, and a new answer after a publish", async () => {
    const res = await get("/feed.json");
    const etag = res.headers.get("etag")!;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    expect(res.headers.get("cache-control")).toMatch(/^public, max-age=\d+, stale-while-revalidate=\d+$/);
    expect(res.headers.get("xkey")!.split(" ")).toEqual(expect.arrayContaining(["Article", "Author", "Tag"]));
    expect((await get("/feed.json", { "if-none-match": etag })).status).toBe(304);
    expect((await get("/feed.json")).headers.get("etag")).toBe(etag);

    const published = await t.gql(`mutation { createArticle(input: { title: "Baru terbit", body: "Isi." }) { id } }`, {}, editor);
    const id = (published.body.data as { createArticle: { id: string } }).createArticle.id;
    await t.gql(`mutation($id: ID!) { publishArticle(id: $id) { status } }`, { id }, editor);
    const after = await get("/feed.json", { "if-none-match": etag });
    expect(after.status).toBe(200);
    expect(((await after.json()) as { items: Array<{ title: string }> }).items[0]!.title).toBe("Baru terbit");
  });

  it("never shows a draft's title, byline or image on any feed or sitemap", async () => {
    const paths = ["/feed.xml", "/feed.atom", "/feed.json", "/tags/hukum/feed.xml", "/authors/made-sukarta/feed.json", "/sitemap.xml", "/sitemaps/stories-1.xml", "/sitemaps/news.xml"];
    for (const path of paths) expect([path, await body(path)]).toEqual([path, expect.not.stringMatching(/rahasia|Embargo|Penulis Rahasia/i)]);
  });
});

