import "reflect-metadata";
import { createHash } from "node:crypto";
import { toGlobalId } from "../../src/kernel/ids";
import { startNewsroom } from "../helpers/newsroom";
import type { Newsroom, RoleHeaders } from "../helpers/newsroom";
import { dataOf, metricOf, startTestServer } from "../helpers/server";
import type { TestServer } from "../helpers/server";

/*
 * The response cache, walked as a reader: each kind of write makes every cached answer that
 * shows it fresh on the next read, drafts never enter an anonymous answer, and editors' answers
 * are never cached. The same scenarios run on two PostgreSQL instances in tests/postgres.
 */

const get = (t: TestServer, query: string, headers: Record<string, string> = {}) => fetch(`http://127.0.0.1:${t.server.port}/graphql?query=${encodeURIComponent(query)}`, { headers });

describe("the response cache", () => {
  let t: TestServer;
  let s: Newsroom;
  let as: RoleHeaders;
  beforeAll(async () => {
    ({ t, s, as } = await startNewsroom({ roles: true }));
  });
  afterAll(async () => {
    await t.close();
  });

  /**
   * Reads twice; the second read must be a hit (the cache is in use for this document): the
   * first answer is kept, the cache having room (tests/cache/cache-admission.spec.ts).
   */
  async function cachedRead<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const hits = await metricOf(t, "response_cache_hits_total");
    const first = dataOf<T>(await t.gql(query, variables));
    const second = dataOf<T>(await t.gql(query, variables));
    expect(second).toEqual(first);
    expect(await metricOf(t, "response_cache_hits_total")).toBe(hits + 1);
    return second;
  }

  const FRONT = `{ articles(first: 3) { nodes { title institutions { name } } } }`;

  it("answers a repeated anonymous query from memory, and a publish makes the front page fresh on the next read", async () => {
    await cachedRead(FRONT);
    const id = dataOf<{ createArticle: { id: string } }>(await t.gql(`mutation { createArticle(input: { title: "Baru terbit", body: "Isi." }) { id } }`, {}, as.EDITOR)).createArticle.id;
    // A draft changes the store, not what readers see; the answer stays the same.
    expect(JSON.stringify(dataOf(await t.gql(FRONT)))).not.toContain("Baru terbit");
    await t.gql(`mutation($id: ID!) { publishArticle(id: $id) { status } }`, { id }, as.EDITOR);
    const after = dataOf<{ articles: { nodes: Array<{ title: string }> } }>(await t.gql(FRONT));
    expect(after.articles.nodes[0]!.title).toBe("Baru terbit");
    await t.gql(`mutation($id: ID!) { unpublishArticle(id: $id) { status } }`, { id }, as.EDITOR);
    const unpublished = dataOf<{ articles: { nodes: Array<{ title: string }> } }>(await t.gql(FRONT));
    expect(unpublished.articles.nodes.map((n) => n.title)).not.toContain("Baru terbit");
  });

  it("shows an institution's new name on the next read of a page that shows it", async () => {
    const query = `{ article(id: "${toGlobalId("Article", s.published[0]!.pk)}") { title institutions { name } } }`;
    const before = await cachedRead<{ article: { institutions: Array<{ name: string }> } }>(query);
    expect(before.article.institutions.map((i) => i.name)).toContain("Lembaga Pemasyarakatan Kelas I Surabaya");
    await t.gql(`mutation($id: ID!) { updateInstitution(id: $id, input: { name: "Lembaga Pemasyarakatan Kelas I Surabaya Baru" }) { name } }`, { id: toGlobalId("Institution", s.surabaya.pk) }, as.EDITOR);
    const after = dataOf<{ article: { institutions: Array<{ name: string }> } }>(await t.gql(query));
    expect(after.article.institutions.map((i) => i.name)).toContain("Lembaga Pemasyarakatan Kelas I Surabaya Baru");
  });

  it("shows a new quote and a moderation on the next read", async () => {
    const story = toGlobalId("Article", s.published[1]!.pk);
    const query = `{ article(id: "${story}") { quotes { text } comments { nodes { body } } } }`;
    await cachedRead(query);
    await t.gql(`mutation($a: ID!, $p: ID!) { addQuote(input: { articleId: $a, speakerId: $p, text: "Kutipan yang baru" }) { id } }`, { a: story, p: toGlobalId("Person", s.budi.pk) }, as.EDITOR);
    expect(JSON.stringify(dataOf(await t.gql(query)))).toContain("Kutipan yang baru");

    const comments = `{ article(id: "${toGlobalId("Article", s.published[0]!.pk)}") { comments { nodes { body } } } }`;
    const before = await cachedRead<unknown>(comments);
    expect(JSON.stringify(before)).toContain("Komentar disetujui");
    await t.gql(`mutation($id: ID!) { moderateComment(id: $id, status: SPAM) { status } }`, { id: toGlobalId("Comment", s.comments.approved.pk) }, as.MODERATOR);
    expect(JSON.stringify(dataOf(await t.gql(comments)))).not.toContain("Komentar disetujui");
  });

  it("shows a story the scheduler published on the next read", async () => {
    const query = `{ articles(first: 1) { nodes { title } } }`;
    await cachedRead(query);
    const id = dataOf<{ createArticle: { id: string } }>(await t.gql(`mutation { createArticle(input: { title: "Terbit sendiri", body: "Isi." }) { id } }`, {}, as.EDITOR)).createArticle.id;
    await t.gql(`mutation($id: ID!, $at: DateTime) { publishArticle(id: $id, at: $at) { status } }`, { id, at: new Date(Date.now() + 300).toISOString() }, as.EDITOR);
    const deadline = Date.now() + 5000;
    let title = "";
    while (Date.now() < deadline && title !== "Terbit sendiri") {
      await new Promise((resolve) => setTimeout(resolve, 100));
      title = dataOf<{ articles: { nodes: Array<{ title: string }> } }>(await t.gql(query)).articles.nodes[0]!.title;
    }
    expect(title).toBe("Terbit sendiri");
  });

  it("never serves an editor's answer to a reader, nor caches answers sent with a token", async () => {
    const drafts = `{ articles(first: 50, filter: { status: DRAFT }) { nodes { title } } }`;
    const asEditor = await t.gql(drafts, {}, as.EDITOR);
    expect(JSON.stringify(asEditor.body)).toContain("Draf rahasia");
    const asReader = await t.gql(drafts);
    expect(JSON.stringify(asReader.body)).not.toContain("Draf rahasia");
    const hits = await metricOf(t, "response_cache_hits_total");
    await t.gql(drafts, {}, as.EDITOR);
    expect(await metricOf(t, "response_cache_hits_total")).toBe(hits);
    const res = await get(t, drafts, as.EDITOR);
    expect(res.headers.get("cache-control")).toBe("private, no-store");
  });

  it("gives anonymous GET answers public caching headers, a strong ETag, tags, and 304 on a matching If-None-Match", async () => {
    const query = `{ institutions(first: 2) { nodes { name } } }`;
    const first = await get(t, query);
    expect(first.status).toBe(200);
    expect(first.headers.get("cache-control")).toBe("public, max-age=5, stale-while-revalidate=30");
    expect(first.headers.get("vary")).toMatch(/Authorization/);
    // The institutions it shows, by the rows read (CACHE_TAGS=row, the default), or their kind (type).
    expect(first.headers.get("xkey")).toMatch(/^Institution$|^(Institution:\d+ ){2}Institution:list Institution:rows$/);
    const etag = first.headers.get("etag");
    expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    const body = await first.text();
    const second = await get(t, query);
    expect(second.headers.get("etag")).toBe(etag);
    expect(await second.text()).toBe(body);
    const revalidated = await get(t, query, { "if-none-match": etag! });
    expect(revalidated.status).toBe(304);
    const post = await t.gql(query);
    expect(post.status).toBe(200);
  });
});

describe("automatic persisted queries", () => {
  it("registers a text once, then answers its hash alone over POST and GET, the GET with public caching headers; an unknown hash asks for the text", async () => {
    const t = await startTestServer({ seed: true, config: { graphql: { persistedQueriesBytes: 4096 } } });
    try {
      const query = `{ articles(first: 2) { nodes { title } } }`;
      const sha256Hash = createHash("sha256").update(query).digest("hex");
      const extensions = { persistedQuery: { version: 1, sha256Hash } };
      const post = (body: unknown) => fetch(`http://127.0.0.1:${t.server.port}/graphql`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
      const unknown = (await (await post({ extensions })).json()) as { errors: Array<{ extensions: { code: string } }> };
      expect(unknown.errors[0]!.extensions.code).toBe("PERSISTED_QUERY_NOT_FOUND");
      const registered = (await (await post({ query, extensions })).json()) as { data: unknown };
      expect(registered.data).toBeTruthy();
      expect(((await (await post({ extensions })).json()) as { data: unknown }).data).toEqual(registered.data);
      const get = await fetch(`http://127.0.0.1:${t.server.port}/graphql?extensions=${encodeURIComponent(JSON.stringify(extensions))}`);
      expect(get.status).toBe(200);
      expect(get.headers.get("cache-control")).toMatch(/^public/);
      expect(get.headers.get("etag")).toBeTruthy();
      // The store is bounded: 4 KB holds a few texts, and a flood of registrations pushes the first out.
      for (let i = 0; i < 100; i++) {
        const filler = `{ a${i}: articles(first: 1) { nodes { title slug summary } } }`;
        await post({ query: filler, extensions: { persistedQuery: { version: 1, sha256Hash: createHash("sha256").update(filler).digest("hex") } } });
      }
      // The very bytes sent before are still answered from the response cache (the hash names the
      // same text, so the answer is the same); spelled anew, the request needs the store, which has let the text go.
      const respelled = await fetch(`http://127.0.0.1:${t.server.port}/graphql`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ extensions }, null, 1) });
      const evicted = (await respelled.json()) as { errors: Array<{ extensions: { code: string } }> };
      expect(evicted.errors[0]!.extensions.code).toBe("PERSISTED_QUERY_NOT_FOUND");
    } finally {
      await t.close();
    }
  });
});

describe("RESPONSE_CACHE=false", () => {
  it("computes every answer afresh", async () => {
    const t = await startTestServer({ seed: true, config: { cache: { enabled: false } } });
    try {
      for (let i = 0; i < 3; i++) await t.gql(`{ articles(first: 1) { nodes { title } } }`);
      expect(await metricOf(t, "response_cache_hits_total")).toBe(0);
      expect(await metricOf(t, "response_cache_misses_total")).toBe(0);
      // A CDN in front still gets what it caches by.
      const res = await get(t, `{ articles(first: 1) { nodes { title } } }`);
      expect(res.headers.get("cache-control")).toMatch(/^public/);
      expect(res.headers.get("etag")).toBeTruthy();
      expect(res.headers.get("xkey")).toMatch(/^Article$|^Article:\d+ Article:list Article:rows$/);
    } finally {
      await t.close();
    }
  });
});
