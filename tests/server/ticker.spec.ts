import "reflect-metadata";
import vm from "node:vm";
import { ConfigError, loadConfig } from "../../src/config";
import { EventRecord } from "../../src/events/event.entity";
import { pkOf } from "../../src/kernel/ids";
import { dataOf, metricOf, startTestServer } from "../helpers/server";
import type { TestServer } from "../helpers/server";
import { bearer, mintToken } from "../helpers/tokens";
import { connect } from "../helpers/ws";

const FIRST_CURSOR = "0000000000000000";
const DRAFT_TITLE = "Draf Tiker Yang Tidak Boleh Bocor";
const EMBEDDER = "https://portal.example";

/** The request headers a response says it varies on, lower case. */
const varyOf = (res: Response) => (res.headers.get("vary") ?? "").split(",").map((name) => name.trim().toLowerCase());

/** A GraphQL operation of the ticker's own script, by name, so the tests send what browsers send. */
function operationOf(script: string, name: string): string {
  const found = new RegExp("`((?:query|subscription) " + name + "[^`]*)`").exec(script);
  if (!found) throw new Error(`ticker.js has no operation ${name}`);
  return found[1]!;
}

describe("the live ticker over HTTP", () => {
  let t: TestServer;
  let base: string;
  let editor: Record<string, string>;
  beforeAll(async () => {
    t = await startTestServer({
      seed: true,
      config: { ticker: { storyUrl: "https://news.example/berita/{slug}", frameAncestors: `'self' ${EMBEDDER}` }, cors: { origins: [EMBEDDER] }, graphql: { playground: false } },
    });
    base = `http://127.0.0.1:${t.server.port}`;
    editor = bearer(await mintToken(t, "EDITOR"));
    // A draft, and one that was published and is a draft again: neither may reach what the ticker serves.
    const draft = dataOf<{ createArticle: { id: string } }>(await t.gql(`mutation ($input: CreateArticleInput!) { createArticle(input: $input) { id } }`, { input: { title: DRAFT_TITLE, body: "Rahasia." } }, editor));
    dataOf(await t.gql(`mutation ($id: ID!) { updateArticle(id: $id, input: { summary: "Masih draf." }) { id } }`, { id: draft.createArticle.id }, editor));
  });
  afterAll(async () => {
    await t.close();
  });

  it("serves the page with its CSP (frame-ancestors from TICKER_FRAME_ANCESTORS) and nothing inline, also with the playground off", async () => {
    const res = await fetch(`${base}/live`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const csp = res.headers.get("content-security-policy")!;
    const directives = Object.fromEntries(csp.split(/;\s*/).map((d) => [d.split(" ")[0], d.split(" ").slice(1).join(" ")]));
    expect(directives["frame-ancestors"]).toBe(`'self' ${EMBEDDER}`);
    expect(directives["default-src"]).toBe("'none'");
    expect(directives["script-src"]).toBe("'self'");
    expect(directives["style-src"]).toBe("'self'");
    expect(directives["connect-src"]).toBe(`'self' ws://127.0.0.1:${t.server.port} wss://127.0.0.1:${t.server.port}`);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("x-frame-options")).toBeNull();
    const html = await res.text();
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(html).toContain('<script src="/live/ticker.js" defer></script>');
    expect(html).toContain('<link rel="stylesheet" href="/live/ticker.css">');
    // Every script has a src and nothing carries a style attribute or handler: the CSP would refuse them.
    expect(html.match(/<script\b[^>]*>/g)).toEqual(['<script src="/live/ticker.js" defer>']);
    expect(html).not.toMatch(/\sstyle=|\son[a-z]+=|<style/);
    expect(html).not.toContain(DRAFT_TITLE);
  });

  it("defaults frame-ancestors to 'self'", async () => {
    const other = await startTestServer({ seed: false });
    try {
      const res = await fetch(`http://127.0.0.1:${other.server.port}/live`);
      expect(res.headers.get("content-security-policy")).toMatch(/; frame-ancestors 'self'$/);
    } finally {
      await other.close();
    }
  });

  it("takes the filters from the URL as the element's attributes, and refuses one that is not a slug", async () => {
    const html = await (await fetch(`${base}/live?institution=lapas-banyuwangi&tag=hukum&person=ratna-sari`)).text();
    expect(html).toContain('<newsroom-ticker institution="lapas-banyuwangi" tag="hukum" person="ratna-sari"></newsroom-ticker>');
    for (const query of ['tag=%22%3E%3Cscript%3E', "tag=Hukum", "tag=a&tag=b", `person=${"a".repeat(201)}`]) {
      const res = await fetch(`${base}/live?${query}`);
      expect(res.status).toBe(400);
      expect(res.headers.get("content-type")).toBe("text/plain; charset=utf-8");
      // The message names the value; as plain text a browser does not sniff into HTML, it is inert.
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(await res.text()).toMatch(/^(The \w+ filter must be a slug|Give tag once)/);
    }
    // Just within: a 200-character slug.
    expect((await fetch(`${base}/live?person=${"a".repeat(200)}`)).status).toBe(200);
  });

  it("serves ticker.js (with TICKER_STORY_URL written in) and ticker.css, cacheable and revalidated by ETag", async () => {
    const res = await fetch(`${base}/live/ticker.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(res.headers.get("cache-control")).toBe("public, max-age=300");
    expect(res.headers.get("cross-origin-resource-policy")).toBe("cross-origin");
    const script = await res.text();
    expect(script).toContain('const DEFAULTS = {"storyUrl":"https://news.example/berita/{slug}","endpoint":"/graphql"};');
    expect(script).toContain('customElements.define("newsroom-ticker"');
    // Nothing from elsewhere: no URL of another host in the script.
    expect((script.match(/https?:\/\/[^\s"'`]+/g) ?? []).filter((url) => !url.startsWith("https://news.example"))).toEqual([]);
    const etag = res.headers.get("etag")!;
    expect((await fetch(`${base}/live/ticker.js`, { headers: { "if-none-match": etag } })).status).toBe(304);
    expect((await fetch(`${base}/live/ticker.js`, { headers: { "if-none-match": '"other"' } })).status).toBe(200);

    const css = await fetch(`${base}/live/ticker.css`);
    expect(css.status).toBe(200);
    expect(css.headers.get("content-type")).toBe("text/css; charset=utf-8");
    expect(await css.text()).toContain("main {");
    for (const served of [script, await (await fetch(`${base}/live/ticker.css`)).text()]) expect(served).not.toContain(DRAFT_TITLE);
  });

  it("answers the element's list as a cacheable anonymous GET, with CORS for a listed origin, drafts left out", async () => {
    const script = await (await fetch(`${base}/live/ticker.js`)).text();
    const url = new URL(`${base}/graphql`);
    url.searchParams.set("query", operationOf(script, "TickerList"));
    url.searchParams.set("operationName", "TickerList");
    url.searchParams.set("variables", JSON.stringify({ first: 50, filter: null }));
    const res = await fetch(url, { headers: { accept: "application/graphql-response+json, application/json", origin: EMBEDDER } });
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe(EMBEDDER);
    expect(res.headers.get("cache-control")).toMatch(/^public, max-age=\d+/);
    // A shared cache must keep the embedder's copy (with its CORS header) apart from everyone else's.
    expect(varyOf(res)).toEqual(expect.arrayContaining(["origin", "authorization", "accept"]));
    const text = await res.text();
    expect(text).not.toContain(DRAFT_TITLE);
    const body = JSON.parse(text) as { data: { liveCursor: string; articles: { nodes: Array<{ title: string }> } } };
    expect(body.data.liveCursor).toMatch(/^\d{16}$/);
    expect(body.data.articles.nodes.map((n) => n.title)).toContain("Sukses Raih Predikat WBK, Lapas Banyuwangi Jadi Rujukan Studi Tiru Lapas Bojonegoro");
    // The ticker reads through the cache: its first read was stored (the cache has room; the
    // origin is not part of the key), so the next ones come from the response cache.
    const hits = await metricOf(t, "response_cache_hits_total");
    let again: Response | undefined;
    for (let i = 0; i < 2; i++) {
      again = await fetch(url, { headers: { accept: "application/graphql-response+json, application/json" } });
      expect(await again.text()).toBe(text);
    }
    expect(await metricOf(t, "response_cache_hits_total")).toBe(hits + 2);
    if (!again) throw new Error("no second read");
    expect(again.headers.get("access-control-allow-origin")).toBeNull();
    expect(varyOf(again)).toEqual(expect.arrayContaining(["origin", "authorization", "accept"]));
  });

  it("gives no draft to the element's anonymous subscription, replayed from the first event", async () => {
    const script = await (await fetch(`${base}/live/ticker.js`)).text();
    const live = connect(t.server.port);
    try {
      const feed = live.subscribe<{ articleEvents: { type: string; article: { title: string } } }>(operationOf(script, "TickerEvents"), { filter: null, after: FIRST_CURSOR });
      // A published story after the drafts: once it arrives, anything before it has been replayed.
      const sentinel = "Tiker Sesudah Draf";
      const created = dataOf<{ createArticle: { id: string } }>(await t.gql(`mutation ($input: CreateArticleInput!) { createArticle(input: $input) { id } }`, { input: { title: sentinel, body: "Terbit." } }, editor));
      dataOf(await t.gql(`mutation ($id: ID!) { publishArticle(id: $id) { status } }`, { id: created.createArticle.id }, editor));
      const deadline = Date.now() + 10_000;
      while (!feed.received.some((r) => r.data?.articleEvents.article.title === sentinel) && Date.now() < deadline) await feed.waitFor(feed.received.length + 1, 10_000);
      expect(feed.received.every((r) => r.errors === undefined)).toBe(true);
      expect(feed.received.map((r) => r.data!.articleEvents.article.title)).toContain(sentinel);
      expect(JSON.stringify(feed.received)).not.toContain(DRAFT_TITLE);
    } finally {
      await live.close();
    }
  });
});

describe("Query.liveCursor", () => {
  let t: TestServer;
  let editor: Record<string, string>;
  beforeAll(async () => {
    t = await startTestServer({ seed: true });
    editor = bearer(await mintToken(t, "EDITOR"));
  });
  afterAll(async () => {
    await t.close();
  });

  const cursorByGet = async () => {
    const res = await fetch(`http://127.0.0.1:${t.server.port}/graphql?query=${encodeURIComponent("{ liveCursor }")}`, { headers: { accept: "application/json" } });
    return ((await res.json()) as { data: { liveCursor: string } }).data.liveCursor;
  };

  it("moves with each story event, through the response cache, and following from it brings what came after", async () => {
    const before = await cursorByGet();
    expect(await cursorByGet()).toBe(before);
    const live = connect(t.server.port);
    try {
      const feed = live.subscribe<{ articleEvents: { cursor: string; type: string; article: { title: string } } }>(
        `subscription ($after: String) { articleEvents(after: $after) { cursor type article { title } } }`,
        { after: before },
      );
      const created = dataOf<{ createArticle: { id: string } }>(await t.gql(`mutation { createArticle(input: { title: "Kursor Bergerak", body: "Isi." }) { id } }`, {}, editor));
      dataOf(await t.gql(`mutation ($id: ID!) { publishArticle(id: $id) { status } }`, { id: created.createArticle.id }, editor));
      const [first] = await feed.waitFor(1, 10_000);
      expect(first!.data!.articleEvents).toMatchObject({ type: "PUBLISHED", article: { title: "Kursor Bergerak" } });
      await t.server.bus.settle();
      const after = await cursorByGet();
      // At or past the event (the log also carries the cache's change records, which article feeds skip).
      expect(after >= first!.data!.articleEvents.cursor).toBe(true);
      expect(after > before).toBe(true);
    } finally {
      await live.close();
    }
  });
});

describe("TICKER_STORY_URL and TICKER_FRAME_ANCESTORS", () => {
  it("default to /articles/{slug} and 'self'", () => {
    const config = loadConfig({});
    expect(config.ticker.storyUrl).toBe("/articles/{slug}");
    expect(config.ticker.frameAncestors).toBe("'self'");
  });

  it("take a URL or path with {slug}, and CSP sources separated by spaces or commas", () => {
    expect(loadConfig({ TICKER_STORY_URL: "https://news.example/berita/{slug}?from=ticker" }).ticker.storyUrl).toBe("https://news.example/berita/{slug}?from=ticker");
    expect(loadConfig({ TICKER_STORY_URL: "/berita/{slug}" }).ticker.storyUrl).toBe("/berita/{slug}");
    expect(loadConfig({ TICKER_FRAME_ANCESTORS: "'self', https://portal.example  https://*.example.org:8443" }).ticker.frameAncestors).toBe("'self' https://portal.example https://*.example.org:8443");
    expect(loadConfig({ TICKER_FRAME_ANCESTORS: "'none'" }).ticker.frameAncestors).toBe("'none'");
  });

  it.each(["https://news.example/{slug}", "/articles/{slug}", "http://localhost:8080/{slug}", "HTTPS://News.Example/berita/{slug}/#top", "/{slug}", "/berita/{slug}?a=$'&b=$&"])("takes TICKER_STORY_URL=%s as it is", (value) => {
    expect(loadConfig({ TICKER_STORY_URL: value }).ticker.storyUrl).toBe(value);
  });

  it.each([
    "/berita/",
    "https://news.example/berita/",
    "javascript:alert(1)//{slug}",
    "javascript:alert('{slug}')",
    "data:text/html,{slug}",
    "//evil.example/{slug}",
    "/\\evil.example/{slug}",
    "\\\\evil.example/{slug}",
    "\\/evil.example/{slug}",
    "/berita\\{slug}",
    "https://news.example\\@evil.example/{slug}",
    "https:/\\evil.example/{slug}",
    "https:evil.example/{slug}",
    "https:///evil.example/{slug}",
    "/\t/evil.example/{slug}",
    "/\n/evil.example/{slug}",
    "/berita/{slug}\r",
    "/berita/\x7f{slug}",
    "/berita/\u0085{slug}",
    "berita/{slug}",
    "https://news.example/{slug} x",
    "/berita/\u00a0{slug}",
  ])("refuses TICKER_STORY_URL=%j in one line naming it and what is taken", (value) => {
    expect(() => loadConfig({ TICKER_STORY_URL: value })).toThrow(ConfigError);
    let message = "";
    try {
      loadConfig({ TICKER_STORY_URL: value });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^TICKER_STORY_URL must be an http:\/\/ or https:\/\/ URL or a path starting with a single \/, containing \{slug\}, .*, got '.*'$/);
    expect(message).not.toMatch(/[\x00-\x1f\x7f-\x9f]/);
  });

  it("writes TICKER_STORY_URL into ticker.js exactly, $' and $& included", async () => {
    const storyUrl = "https://news.example/berita/{slug}?from=$'&via=$&&t=$$";
    const t = await startTestServer({ seed: false, config: { ticker: { storyUrl: loadConfig({ TICKER_STORY_URL: storyUrl }).ticker.storyUrl } } });
    try {
      const script = await (await fetch(`http://127.0.0.1:${t.server.port}/live/ticker.js`)).text();
      expect(script).toContain(`const DEFAULTS = ${JSON.stringify({ storyUrl, endpoint: "/graphql" })};`);
      expect(script.split("const DEFAULTS = ")).toHaveLength(2);
      // Still a script that parses.
      expect(() => new vm.Script(script)).not.toThrow();
    } finally {
      await t.close();
    }
  });

  it.each(["'self'; script-src *", "https://portal.example/'x'", "self", "'none' https://portal.example", "'unsafe-inline'"])("refuses TICKER_FRAME_ANCESTORS=%s", (value) => {
    expect(() => loadConfig({ TICKER_FRAME_ANCESTORS: value })).toThrow(ConfigError);
    expect(() => loadConfig({ TICKER_FRAME_ANCESTORS: value })).toThrow(/^TICKER_FRAME_ANCESTORS/);
  });
});

const CDN = "https://cdn.koran.example";
const LOCAL_IMAGES = "http://127.0.0.1:8089";

/** The page's CSP as directive → sources. */
function policyOf(res: Response): Record<string, string> {
  const csp = res.headers.get("content-security-policy")!;
  return Object.fromEntries(csp.split(/;\s*/).map((d) => [d.split(" ")[0]!, d.split(" ").slice(1).join(" ")]));
}

describe("lead images in the ticker (TICKER_IMAGE_ORIGINS)", () => {
  it("open the page's img-src to exactly the listed origins, and tell ticker.js which; without the setting, img-src is 'self' and the script names none", async () => {
    const plain = await startTestServer({ seed: false });
    const open = await startTestServer({ seed: false, config: { ticker: { imageOrigins: loadConfig({ TICKER_IMAGE_ORIGINS: `${CDN}, ${LOCAL_IMAGES}` }).ticker.imageOrigins } } });
    try {
      const without = await fetch(`http://127.0.0.1:${plain.server.port}/live`);
      expect(policyOf(without)["img-src"]).toBe("'self'");
      expect(policyOf(without)["default-src"]).toBe("'none'");
      expect(await (await fetch(`http://127.0.0.1:${plain.server.port}/live/ticker.js`)).text()).toContain('const DEFAULTS = {"storyUrl":"/articles/{slug}","endpoint":"/graphql"};');

      const res = await fetch(`http://127.0.0.1:${open.server.port}/live`);
      const policy = policyOf(res);
      expect(policy["img-src"]).toBe(`'self' ${CDN} ${LOCAL_IMAGES}`);
      // Nothing else moved.
      expect({ ...policy, "img-src": "'self'", "connect-src": "" }).toEqual({ ...policyOf(without), "connect-src": "" });
      const script = await (await fetch(`http://127.0.0.1:${open.server.port}/live/ticker.js`)).text();
      expect(script).toContain(`const DEFAULTS = ${JSON.stringify({ storyUrl: "/articles/{slug}", endpoint: "/graphql", imageOrigins: [CDN, LOCAL_IMAGES] })};`);
      expect(() => new vm.Script(script)).not.toThrow();
      // The thumbnail is asked for with the story, in the list and in the events alike.
      expect(operationOf(script, "TickerList")).toContain("leadImage { url alt caption }");
      expect(operationOf(script, "TickerEvents")).toContain("leadImage { url alt caption }");
    } finally {
      await plain.close();
      await open.close();
    }
  });

  it("takes origins as URLs give them, separated by commas or spaces, once each; unset or blank is none", () => {
    expect(loadConfig({}).ticker.imageOrigins).toEqual([]);
    expect(loadConfig({ TICKER_IMAGE_ORIGINS: "  " }).ticker.imageOrigins).toEqual([]);
    expect(loadConfig({ TICKER_IMAGE_ORIGINS: `${CDN},${LOCAL_IMAGES} https://[::1]:8443  ${CDN}` }).ticker.imageOrigins).toEqual([CDN, LOCAL_IMAGES, "https://[::1]:8443"]);
    expect(loadConfig({ TICKER_IMAGE_ORIGINS: "https://img-1.cdn.koran.example:8443" }).ticker.imageOrigins).toEqual(["https://img-1.cdn.koran.example:8443"]);
  });

  it.each([
    ["https://cdn.koran.example/", "did you mean 'https://cdn.koran.example'"],
    ["https://cdn.koran.example/gambar", "did you mean 'https://cdn.koran.example'"],
    ["HTTPS://CDN.koran.example", "did you mean 'https://cdn.koran.example'"],
    ["https://cdn.koran.example:443", "did you mean 'https://cdn.koran.example'"],
    ["https://*.koran.example", "no wildcard"],
    ["*", "no wildcard"],
    ["cdn.koran.example", "got 'cdn.koran.example'"],
    ["'self'", "got ''self''"],
    ["https://cdn.koran.example;script-src", "got 'https://cdn.koran.example;script-src'"],
    ["https://cdn%3Bkoran.example", "got 'https://cdn%3Bkoran.example'"],
    ["https://cdn.koran.example'", "got"],
    ["https://cdn_1.koran.example", "got"],
    ["https://user@cdn.koran.example", "got"],
    ["ftp://cdn.koran.example", "got"],
    ["data:", "got"],
    ["https://cdn.koran.example:99999", "got"],
  ])("refuses TICKER_IMAGE_ORIGINS=%s, naming it (loadConfig throws, so the server does not start)", (value, mention) => {
    let message = "";
    try {
      loadConfig({ TICKER_IMAGE_ORIGINS: `${CDN} ${value}` });
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      message = (error as Error).message;
    }
    expect(message).toMatch(/^TICKER_IMAGE_ORIGINS must list origins/);
    expect(message).toContain(mention);
  });
});

describe("a draft's lead image never reaches an anonymous ticker", () => {
  let t: TestServer;
  let editor: Record<string, string>;
  const image = (name: string) => ({ url: `${CDN}/foto/${name}.jpg`, width: 1200, height: 800, alt: `Foto ${name}`, caption: null });
  beforeAll(async () => {
    t = await startTestServer({ seed: true, config: { ticker: { imageOrigins: [CDN] } } });
    editor = bearer(await mintToken(t, "EDITOR"));
  });
  afterAll(async () => {
    await t.close();
  });

  const create = async (title: string, leadImage: Record<string, unknown>) =>
    dataOf<{ createArticle: { id: string } }>(await t.gql(`mutation ($input: CreateArticleInput!) { createArticle(input: $input) { id } }`, { input: { title, body: `${title}.`, leadImage } }, editor)).createArticle.id;
  const run = async (mutation: string, variables: Record<string, unknown>) => dataOf(await t.gql(mutation, variables, editor));
  const PUBLISH = `mutation ($id: ID!) { publishArticle(id: $id) { status } }`;

  it("walks the ticker as an anonymous reader: the list, the page, the script and every event replayed from the first carry published images only", async () => {
    // Never published.
    const draft = await create("Draf Bergambar", image("draf-rahasia"));
    // Published, taken back, and given a new picture as a draft.
    const withdrawn = await create("Terbit Lalu Ditarik", image("terbit-dulu"));
    await run(PUBLISH, { id: withdrawn });
    await run(`mutation ($id: ID!) { unpublishArticle(id: $id) { status } }`, { id: withdrawn });
    await run(`mutation ($id: ID!, $image: ImageInput) { updateArticle(id: $id, input: { leadImage: $image }) { id } }`, { id: withdrawn, image: image("draf-pengganti") });
    // Published, its picture changed while published: both are public.
    const published = await create("Terbit Bergambar", image("terbit-pertama"));
    await run(PUBLISH, { id: published });
    await run(`mutation ($id: ID!, $image: ImageInput) { updateArticle(id: $id, input: { leadImage: $image }) { id } }`, { id: published, image: image("terbit-kedua") });
    // An event as servers before payload version 3 wrote it (no images), of the story that is a draft now.
    const article = { pk: pkOf(draft, "Article"), slug: "draf-bergambar", title: "Draf Bergambar (versi lama)", summary: null, body: "Isi.", dateline: null, source: null, status: "PUBLISHED", publishedAt: "2025-01-01T00:00:00.000Z", scheduledFor: null, createdAt: "2025-01-01T00:00:00.000Z", updatedAt: "2025-01-01T00:00:00.000Z" };
    const payload = JSON.stringify({ version: 2, article, institutionPks: [], personPks: [], tags: [], relations: { tags: [], quotes: [] } });
    await t.server.db.transaction((em) => em.insert(EventRecord, { topic: "article", type: "PUBLISHED", articleId: article.pk, commentId: null, payload, createdAt: new Date() }));

    const base = `http://127.0.0.1:${t.server.port}`;
    const script = await (await fetch(`${base}/live/ticker.js`)).text();
    const page = await (await fetch(`${base}/live`)).text();
    const url = new URL(`${base}/graphql`);
    url.searchParams.set("query", operationOf(script, "TickerList"));
    url.searchParams.set("operationName", "TickerList");
    url.searchParams.set("variables", JSON.stringify({ first: 50, filter: null }));
    const listed = await (await fetch(url, { headers: { accept: "application/json" } })).text();
    const list = (JSON.parse(listed) as { data: { articles: { nodes: Array<{ title: string; leadImage: { url: string; alt: string } | null }> } } }).data.articles.nodes;
    expect(list.find((n) => n.title === "Terbit Bergambar")!.leadImage).toEqual({ url: image("terbit-kedua").url, alt: "Foto terbit-kedua", caption: null });
    expect(list.map((n) => n.title)).not.toContain("Terbit Lalu Ditarik");

    const live = connect(t.server.port);
    try {
      const feed = live.subscribe<{ articleEvents: { type: string; article: { title: string; leadImage: { url: string } | null } } }>(operationOf(script, "TickerEvents"), { filter: null, after: FIRST_CURSOR });
      const sentinel = await create("Tiker Gambar Penutup", image("penutup"));
      await run(PUBLISH, { id: sentinel });
      const deadline = Date.now() + 10_000;
      while (!feed.received.some((r) => r.data?.articleEvents.article.title === "Tiker Gambar Penutup") && Date.now() < deadline) await feed.waitFor(feed.received.length + 1, 10_000);
      expect(feed.received.every((r) => r.errors === undefined)).toBe(true);
      const events = feed.received.map((r) => r.data!.articleEvents);
      const seen = (title: string) => events.filter((e) => e.article.title === title).map((e) => [e.type, e.article.leadImage?.url ?? null]);
      // As published, then taken down by id (the UNPUBLISHED event carries the story as it was last published).
      expect(seen("Terbit Lalu Ditarik")).toEqual([
        ["PUBLISHED", image("terbit-dulu").url],
        ["UNPUBLISHED", image("terbit-dulu").url],
      ]);
      expect(seen("Terbit Bergambar")).toEqual([
        ["PUBLISHED", image("terbit-pertama").url],
        ["UPDATED", image("terbit-kedua").url],
      ]);
      // The older event is still read; its picture would come from today's rows, and the story is a draft today.
      expect(seen("Draf Bergambar (versi lama)")).toEqual([["PUBLISHED", null]]);
      expect(seen("Tiker Gambar Penutup")).toEqual([["PUBLISHED", image("penutup").url]]);
      for (const served of [script, page, listed, JSON.stringify(feed.received)]) {
        expect(served).not.toContain("draf-rahasia");
        expect(served).not.toContain("draf-pengganti");
      }
    } finally {
      await live.close();
    }
  });
});
