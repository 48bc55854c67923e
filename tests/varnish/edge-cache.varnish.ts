import "reflect-metadata";
import http from "node:http";
import { Writable } from "node:stream";
import fc from "fast-check";
import { createLogger } from "../../src/kernel/logger";
import { toGlobalId } from "../../src/kernel/ids";
import { freePort } from "../helpers/daemon";
import { addStory, BASE_TIME, HOUR, regionalNewsroom } from "../helpers/scenarios";
import type { Newsroom } from "../helpers/newsroom";
import { ArticleStatus } from "../../src/entities/article.entity";
import { MAX_HEADER_TAGS } from "../../src/cache/tags";
import { dataOf, metricOf, startTestServer } from "../helpers/server";
import type { TestServer } from "../helpers/server";
import { bearer, mintToken } from "../helpers/tokens";
import { counterReaches, hasVarnish, purgesSent, startVarnish, VARNISHD } from "../helpers/varnish";
import type { Varnish } from "../helpers/varnish";

if (!hasVarnish) console.warn(`skipped: ${VARNISHD} is absent, so the Varnish test cannot run here (apt-get install varnish varnish-modules)`);

/** GraphQL requests the server itself answered (from its memory or computed). */
const seenByServer = (t: TestServer) => metricOf(t, "graphql_requests_total");

/** A request straight over a socket, from a chosen local address (fetch cannot pick one). */
function rawRequest(url: string, options: { method: string; headers?: Record<string, string>; localAddress?: string }): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: options.method, headers: options.headers, localAddress: options.localAddress }, (res) => {
      let body = "";
      res.on("data", (chunk: Buffer) => (body += chunk.toString()));
      res.on("end", () => resolve({ status: res.statusCode!, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

(hasVarnish ? describe : describe.skip)("Varnish in front (deploy/varnish/default.vcl)", () => {
  let t: TestServer;
  let varnish: Varnish;
  let editor: Record<string, string>;
  let draftsId: string;
  let failedBefore: number;
  let s: Newsroom;

  const through = (query: string, headers: Record<string, string> = {}) => fetch(`${varnish.url}/graphql?query=${encodeURIComponent(query)}`, { headers });
  const post = (query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
    fetch(`${varnish.url}/graphql`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify({ query, variables }) });

  beforeAll(async () => {
    const port = await freePort();
    // A max-age far longer than the test: a page fresh after a change was purged, not expired.
    t = await startTestServer({ seed: false, config: { cache: { purgeUrl: `http://127.0.0.1:${port}/`, maxAgeSeconds: 600, staleSeconds: 0 } } });
    s = await regionalNewsroom(t.server.db);
    draftsId = toGlobalId("Article", s.drafts[0]!.pk);
    editor = bearer(await mintToken(t, "EDITOR"));
    varnish = await startVarnish(port, t.server.port);
    // Writing the newsroom and the token purged before Varnish ran: those failed and are
    // retried; wait until they have gone through so they purge nothing the tests cached.
    await counterReaches(t, "edge_cache_purges_total", 'outcome="sent"', 1, 15_000);
    failedBefore = await metricOf(t, "edge_cache_purges_total", 'outcome="failed"');
  }, 60_000);
  afterAll(async () => {
    await varnish?.stop();
    await t?.close();
  });

  it("answers the second anonymous GET from its cache, without asking the server", async () => {
    const query = `{ institutions(first: 2) { nodes { name } } }`;
    const before = await seenByServer(t);
    const first = await through(query);
    expect(first.status).toBe(200);
    expect(first.headers.get("x-cache")).toBe("miss");
    const body = await first.text();
    expect(body).toContain("Kementerian");
    expect(await seenByServer(t)).toBe(before + 1);

    const second = await through(query);
    expect(second.headers.get("x-cache")).toBe("hit");
    // X-Varnish names this request and the one that fetched the object.
    expect(second.headers.get("x-varnish")).toMatch(/^\d+ \d+$/);
    expect(second.headers.get("etag")).toBe(first.headers.get("etag"));
    expect(second.headers.get("cache-control")).toBe("public, max-age=600, stale-while-revalidate=0");
    expect(await second.text()).toBe(body);
    expect(await seenByServer(t)).toBe(before + 1);

    // A matching If-None-Match is answered 304 by Varnish itself.
    const revalidated = await through(query, { "if-none-match": first.headers.get("etag")! });
    expect(revalidated.status).toBe(304);
    expect(await seenByServer(t)).toBe(before + 1);
  });

  it("shows a story published through the API on the next GET: the server purged the front page's tags", async () => {
    const front = `{ articles(first: 3) { nodes { title } } }`;
    const titles = async (res: Response) => ((await res.json()) as { data: { articles: { nodes: Array<{ title: string }> } } }).data.articles.nodes.map((n) => n.title);
    const sentBefore = await purgesSent(t);
    const created = await post(`mutation { createArticle(input: { title: "Kabar dari tepi", body: "Isi." }) { id } }`, {}, editor);
    const id = ((await created.json()) as { data: { createArticle: { id: string } } }).data.createArticle.id;
    // The draft's own change event is purged too; wait for it so the reads below start clean.
    await counterReaches(t, "edge_cache_purges_total", 'outcome="sent"', sentBefore + 1, 1000);

    const miss = await through(front);
    expect(miss.headers.get("x-cache")).toBe("miss");
    expect(await titles(miss)).not.toContain("Kabar dari tepi");
    const hit = await through(front);
    expect(hit.headers.get("x-cache")).toBe("hit");
    expect(await titles(hit)).not.toContain("Kabar dari tepi");

    const sent = await purgesSent(t);
    const published = await post(`mutation($id: ID!) { publishArticle(id: $id) { status } }`, { id }, editor);
    expect(((await published.json()) as { data: { publishArticle: { status: string } } }).data.publishArticle.status).toBe("PUBLISHED");
    await counterReaches(t, "edge_cache_purges_total", 'outcome="sent"', sent + 1, 1000);

    const fresh = await through(front);
    expect(fresh.headers.get("x-cache")).toBe("miss");
    expect((await titles(fresh))[0]).toBe("Kabar dari tepi");
    expect(await metricOf(t, "edge_cache_purges_total", 'outcome="failed"')).toBe(failedBefore);
  });

  it("serves every feed and sitemap from its cache, and shows a story published through the API within a second", async () => {
    const paths = ["/feed.xml", "/feed.atom", "/feed.json", "/tags/korupsi/feed.xml", "/tags/korupsi/feed.json", "/sitemap.xml", "/sitemaps/stories-1.xml", "/sitemaps/news.xml"];
    const read = (path: string) => fetch(`${varnish.url}${path}`);
    for (const path of paths) {
      expect([path, (await read(path)).status]).toEqual([path, 200]);
      const hit = await read(path);
      expect([path, hit.headers.get("x-cache")]).toEqual([path, "hit"]);
      expect(await hit.text()).not.toContain("Kabar feed terbaru");
    }
    const created = await post(`mutation { createArticle(input: { title: "Kabar feed terbaru", body: "Isi.", tags: ["Korupsi"] }) { id slug } }`, {}, editor);
    const { id, slug } = ((await created.json()) as { data: { createArticle: { id: string; slug: string } } }).data.createArticle;
    await post(`mutation($id: ID!) { publishArticle(id: $id) { status } }`, { id }, editor);
    const published = Date.now();
    // The index lists pages, not stories: it is fresh when it is fetched anew.
    const shows = async (path: string) => {
      const res = await read(path);
      const text = await res.text();
      return path === "/sitemap.xml" ? res.headers.get("x-cache") === "miss" : text.includes(path.startsWith("/sitemaps") ? slug : "Kabar feed terbaru");
    };
    for (const path of paths) {
      while (!(await shows(path))) {
        if (Date.now() - published > 1000) throw new Error(`${path} still showed the page from before the publish ${Date.now() - published} ms after it`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
  });

  it("passes requests with a token through, never cached and never answered with the readers' copy", async () => {
    const query = `{ article(id: "${draftsId}") { title } }`;
    const reader = await through(query);
    const readerBody = await reader.text();
    expect(readerBody).not.toContain("Draf rahasia");
    expect((await through(query)).headers.get("x-cache")).toBe("hit");

    for (let i = 0; i < 2; i++) {
      const before = await seenByServer(t);
      const res = await through(query, editor);
      expect(res.headers.get("x-cache")).toBe("pass");
      expect(res.headers.get("cache-control")).toBe("private, no-store");
      expect(await res.text()).toContain("Draf rahasia tentang Lapas Surabaya");
      expect(await seenByServer(t)).toBe(before + 1);
    }
    // The editor's answer did not replace the readers' copy.
    const again = await through(query);
    expect(again.headers.get("x-cache")).toBe("hit");
    expect(await again.text()).toBe(readerBody);
  });

  it("never serves a preview link's answer from its cache: every read of it reaches the server, and a revoked link is refused at once", async () => {
    const created = await post(`mutation { createArticle(input: { title: "Draf pratinjau di tepi", body: "Isi draf." }) { id } }`, {}, editor);
    const id = ((await created.json()) as { data: { createArticle: { id: string } } }).data.createArticle.id;
    const expiresAt = new Date(Date.now() + 86_400_000).toISOString();
    const made = await post(`mutation($id: ID!, $at: DateTime!) { createPreviewLink(article: $id, expiresAt: $at) { token link { id } } }`, { id, at: expiresAt }, editor);
    const { token, link } = ((await made.json()) as { data: { createPreviewLink: { token: string; link: { id: string } } } }).data.createPreviewLink;
    const url = `${varnish.url}/graphql?query=${encodeURIComponent(`query($token: String!) { articlePreview(token: $token) { title status } }`)}&variables=${encodeURIComponent(JSON.stringify({ token }))}`;

    // The holder twice, then another client (another origin) with the very same URL.
    for (const headers of [{}, {}, { origin: "https://lain.example" }] as Array<Record<string, string>>) {
      const before = await seenByServer(t);
      const res = await fetch(url, { headers });
      expect(res.headers.get("x-cache")).not.toMatch(/^hit/);
      expect(res.headers.get("cache-control")).toBe("private, no-store");
      expect(await res.text()).toContain("Draf pratinjau di tepi");
      expect(await seenByServer(t)).toBe(before + 1);
    }
    await post(`mutation($id: ID!) { revokePreviewLink(id: $id) { id } }`, { id: link.id }, editor);
    const revoked = await fetch(url);
    const body = (await revoked.json()) as { data: { articlePreview: unknown } | null; errors?: Array<{ extensions: { code: string } }> };
    expect(body.errors?.[0]?.extensions.code).toBe("FORBIDDEN");
    expect(JSON.stringify(body)).not.toContain("Draf pratinjau di tepi");
  });

  it("passes POST through", async () => {
    const query = `{ people(first: 2) { nodes { name } } }`;
    for (let i = 0; i < 2; i++) {
      const before = await seenByServer(t);
      const res = await post(query);
      expect(res.status).toBe(200);
      expect(res.headers.get("x-cache")).toBe("pass");
      expect(await res.text()).toContain("Budi Santoso");
      expect(await seenByServer(t)).toBe(before + 1);
    }
  });

  it("purges by row: a publish purges the front page and keeps an unrelated story page; a page past the tag cap is purged by any change of its kind", async () => {
    const rowMode = (process.env.CACHE_TAGS ?? "row") === "row";
    const json = (query: string, variables: Record<string, unknown> = {}) => post(query, variables, editor).then((res) => res.json() as Promise<{ data: Record<string, { id: string }> }>);
    // Enough published stories for a page of the cap's tags (each story, its list, its kind's marker) and one of one more.
    let sent = await purgesSent(t);
    await t.server.db.transaction(async (em) => {
      for (let i = s.published.length; i < MAX_HEADER_TAGS; i++) await addStory(em, { title: `Arsip ${i}`, status: ArticleStatus.PUBLISHED, publishedAt: new Date(BASE_TIME - (i + 1) * HOUR) });
    });
    await counterReaches(t, "edge_cache_purges_total", 'outcome="sent"', sent + 1, 2000);
    const pages = {
      story: `{ article(id: "${toGlobalId("Article", s.published[1]!.pk)}") { id title } }`,
      front: `{ articles(first: 3) { nodes { id title } } }`,
      under: `{ articles(first: ${MAX_HEADER_TAGS - 2}) { nodes { id } } }`,
      over: `{ articles(first: ${MAX_HEADER_TAGS - 1}) { nodes { id } } }`,
    };
    const cacheOf = async (query: string) => (await through(query)).headers.get("x-cache");
    const cacheAll = async () => {
      for (const q of Object.values(pages)) {
        await through(q);
        expect([q, await cacheOf(q)]).toEqual([q, "hit"]);
      }
    };
    await cacheAll();
    const xkeyOf = async (query: string) => (await through(query)).headers.get("xkey")!.split(" ");
    if (rowMode) {
      expect(await xkeyOf(pages.under)).toHaveLength(MAX_HEADER_TAGS);
      expect(await xkeyOf(pages.over)).toEqual(["Article"]);
    }

    // A draft's edit changes no page readers see; the page past the cap names only the kind, so it goes too.
    sent = await purgesSent(t);
    await json(`mutation($id: ID!) { updateArticle(id: $id, input: { title: "Draf diubah" }) { id } }`, { id: draftsId });
    await counterReaches(t, "edge_cache_purges_total", 'outcome="sent"', sent + 1, 2000);
    expect(await cacheOf(pages.over)).toBe("miss");
    expect(await cacheOf(pages.under)).toBe(rowMode ? "hit" : "miss");
    expect(await cacheOf(pages.story)).toBe(rowMode ? "hit" : "miss");
    await cacheAll();

    sent = await purgesSent(t);
    const created = await json(`mutation($i: [ID!]) { createArticle(input: { title: "Kabar lembaga", body: "Isi.", institutionIds: $i }) { id } }`, { i: [toGlobalId("Institution", s.surabaya.pk)] });
    await counterReaches(t, "edge_cache_purges_total", 'outcome="sent"', sent + 1, 2000);
    sent = await purgesSent(t);
    await json(`mutation($id: ID!) { publishArticle(id: $id) { id } }`, { id: created.data.createArticle!.id });
    await counterReaches(t, "edge_cache_purges_total", 'outcome="sent"', sent + 1, 2000);
    const front = await through(pages.front);
    expect(front.headers.get("x-cache")).toBe("miss");
    expect(await front.text()).toContain("Kabar lembaga");
    expect(await cacheOf(pages.under)).toBe("miss");
    expect(await cacheOf(pages.over)).toBe("miss");
    expect(await cacheOf(pages.story)).toBe(rowMode ? "hit" : "miss");
  });

  it("takes purges by tag from the allowed addresses only", async () => {
    const query = `{ tags { name } }`;
    await through(query);
    const cached = await through(query);
    expect(cached.headers.get("x-cache")).toBe("hit");
    // A tag the page carries: the kind with CACHE_TAGS=type, its rows (the rows read) with row.
    const tag = cached.headers.get("xkey")!.split(" ").find((named) => named.startsWith("Tag"));
    expect(tag).toBeDefined();
    // 127.0.0.2 is this machine too, but not in the VCL's purgers ACL.
    const refused = await rawRequest(`${varnish.url}/`, { method: "PURGE", headers: { "xkey-purge": tag! }, localAddress: "127.0.0.2" });
    expect(refused.status).toBe(403);
    expect((await through(query)).headers.get("x-cache")).toBe("hit");
    const nameless = await rawRequest(`${varnish.url}/`, { method: "PURGE" });
    expect(nameless.status).toBe(400);
    expect((await through(query)).headers.get("x-cache")).toBe("hit");
    const accepted = await rawRequest(`${varnish.url}/`, { method: "PURGE", headers: { "xkey-purge": tag! } });
    expect(accepted.status).toBe(200);
    expect((await through(query)).headers.get("x-cache")).toBe("miss");
  });
});

/** Two origins in CORS_ORIGINS, one that is not, and a request without Origin (not a browser's cross-origin request). */
const READER = "https://pembaca.example";
const PARTNER = "https://mitra.example";
const STRANGER = "https://asing.example";
const ORIGINS = [READER, PARTNER, STRANGER, null] as const;
type RequestOrigin = (typeof ORIGINS)[number];

/** The Access-Control-Allow-Origin a request of `origin` must get from a server listing READER and PARTNER. */
const deserved = (origin: RequestOrigin) => (origin === READER || origin === PARTNER ? origin : null);

(hasVarnish ? describe : describe.skip)("Varnish in front of a server with two CORS origins", () => {
  let t: TestServer;
  let varnish: Varnish;
  const from = (origin: RequestOrigin, headers: Record<string, string> = {}) => (origin === null ? headers : { ...headers, origin });
  const through = (pathAndQuery: string, origin: RequestOrigin, headers: Record<string, string> = {}) => fetch(`${varnish.url}${pathAndQuery}`, { headers: from(origin, headers) });
  const graphql = (query: string) => `/graphql?query=${encodeURIComponent(query)}`;
  /** What the client was told: the cache's verdict and the CORS header. */
  const seen = async (res: Response) => {
    await res.arrayBuffer();
    return { status: res.status, cache: res.headers.get("x-cache"), allowOrigin: res.headers.get("access-control-allow-origin") };
  };

  beforeAll(async () => {
    t = await startTestServer({ seed: false, config: { cors: { origins: [READER, PARTNER] }, cache: { maxAgeSeconds: 600, staleSeconds: 0 } } });
    await regionalNewsroom(t.server.db);
    varnish = await startVarnish(await freePort(), t.server.port);
  }, 60_000);
  afterAll(async () => {
    await varnish?.stop();
    await t?.close();
  });

  it("gives origin B and a request without Origin their own answer after origin A's was stored, and A its own after one without Origin", async () => {
    const first = graphql("{ institutions(first: 2) { nodes { name } } }");
    expect(await seen(await through(first, READER))).toEqual({ status: 200, cache: "miss", allowOrigin: READER });
    expect(await seen(await through(first, READER))).toEqual({ status: 200, cache: "hit", allowOrigin: READER });
    expect(await seen(await through(first, PARTNER))).toMatchObject({ status: 200, allowOrigin: PARTNER });
    expect(await seen(await through(first, null))).toMatchObject({ status: 200, allowOrigin: null });
    expect(await seen(await through(first, STRANGER))).toMatchObject({ status: 200, allowOrigin: null });
    expect(await seen(await through(first, PARTNER))).toEqual({ status: 200, cache: "hit", allowOrigin: PARTNER });
    expect(await seen(await through(first, READER))).toEqual({ status: 200, cache: "hit", allowOrigin: READER });

    const second = graphql("{ people(first: 2) { nodes { name } } }");
    expect(await seen(await through(second, null))).toEqual({ status: 200, cache: "miss", allowOrigin: null });
    expect(await seen(await through(second, null))).toEqual({ status: 200, cache: "hit", allowOrigin: null });
    expect(await seen(await through(second, READER))).toMatchObject({ status: 200, allowOrigin: READER });
    expect(await seen(await through(second, READER))).toEqual({ status: 200, cache: "hit", allowOrigin: READER });

    // Varnish answers a revalidation itself, with the headers of the requester's own copy.
    const etag = (await through(first, READER)).headers.get("etag")!;
    expect(await seen(await through(first, PARTNER, { "if-none-match": etag }))).toEqual({ status: 304, cache: "hit", allowOrigin: PARTNER });
    expect(await seen(await through(first, null, { "if-none-match": etag }))).toEqual({ status: 304, cache: "hit", allowOrigin: null });

    // The ticker's script, embedded by other sites' pages, is cached at the edge too.
    expect(await seen(await through("/live/ticker.js", PARTNER))).toMatchObject({ status: 200, allowOrigin: PARTNER });
    expect(await seen(await through("/live/ticker.js", null))).toMatchObject({ status: 200, allowOrigin: null });
    expect(await seen(await through("/live/ticker.js", PARTNER))).toEqual({ status: 200, cache: "hit", allowOrigin: PARTNER });
  });

  it("gives every request, in any order of origins and repeats, the header its own origin deserves", async () => {
    const paths = [graphql("{ tags { name } }"), graphql("{ articles(first: 2) { nodes { title } } }"), graphql("{ institutions(first: 1) { nodes { slug } } }"), "/live/ticker.css"];
    const request = fc.record({ origin: fc.constantFrom(...ORIGINS), path: fc.constantFrom(...paths) });
    let hits = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(request, { minLength: 1, maxLength: 8 }), async (sequence) => {
        for (const { origin, path: asked } of sequence) {
          const answer = await seen(await through(asked, origin));
          if (answer.cache === "hit") hits++;
          expect([asked, origin, answer.status, answer.allowOrigin]).toEqual([asked, origin, 200, deserved(origin)]);
        }
      }),
      { numRuns: 25 },
    );
    // Most of those were answered from Varnish's copies, not passed to the server.
    expect(hits).toBeGreaterThan(0);
  });
});

(hasVarnish ? describe : describe.skip)("edge purges while the cache in front is away", () => {
  it("logs the outage once, not once per event, keeps the tags and purges them when Varnish answers (RESPONSE_CACHE=false too)", async () => {
    const lines: Array<{ level: number; msg: string }> = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString().split("\n")) if (line.trim() !== "") lines.push(JSON.parse(line) as { level: number; msg: string });
        done();
      },
    });
    const port = await freePort();
    const t = await startTestServer({ seed: false, config: { cache: { purgeUrl: `http://127.0.0.1:${port}/`, enabled: false } }, logger: createLogger("info", sink) });
    let varnish: Varnish | null = null;
    try {
      const editor = bearer(await mintToken(t, "EDITOR"));
      for (let i = 0; i < 3; i++) dataOf(await t.gql(`mutation($title: String!) { createArticle(input: { title: $title, body: "Isi." }) { id } }`, { title: `Draf ${i}` }, editor));
      await counterReaches(t, "edge_cache_purges_total", 'outcome="failed"', 2, 5000);
      const outage = lines.filter((line) => line.msg.startsWith("edge cache purge failed"));
      expect(outage).toHaveLength(1);
      expect(outage[0]!.level).toBe(40);
      expect(await purgesSent(t)).toBe(0);

      varnish = await startVarnish(port, t.server.port);
      // The pause between retries grows (250 ms, doubling): the next one finds Varnish.
      await counterReaches(t, "edge_cache_purges_total", 'outcome="sent"', 1, 15_000);
      expect(lines.filter((line) => line.msg.startsWith("edge cache purge failed"))).toHaveLength(1);
      expect(lines.filter((line) => line.msg === "edge cache purges go through again")).toHaveLength(1);
    } finally {
      await varnish?.stop();
      await t.close();
    }
  }, 60_000);
});
