import "reflect-metadata";
import { createHash } from "node:crypto";
import fs from "node:fs";
import { parseGlobalId, toGlobalId } from "../../../src/kernel/ids";
import { PreviewLink } from "../../../src/entities/preview-link.entity";
import { SEED_STORY_FILE } from "../../../src/services/seed/seed";
import { useNewsroom } from "../../helpers/newsroom";
import { dataOf, metricOf, startTestServer } from "../../helpers/server";
import type { TestServer } from "../../helpers/server";
import { bearer, mintToken } from "../../helpers/tokens";
import { connect } from "../../helpers/ws";

/*
 * Draft preview links: an editor makes one for one story (expiry required, at most 30 days,
 * revocable); whoever holds its token reads that story as it stands and nothing else; the secret
 * is stored hashed; answers read with it are kept in no cache.
 */

const DAY = 86_400_000;
const inDays = (days: number) => new Date(Date.now() + days * DAY).toISOString();

type Preview = { articlePreview: { id: string; title: string; status: string; body: string; tags: Array<{ name: string }>; institutions: Array<{ name: string }>; people: Array<{ name: string }>; quotes: Array<{ text: string; speaker: { name: string } }>; comments: { nodes: unknown[] }; commentCount: number } | null };

describe("draft preview links", () => {
  const { t, s, as } = useNewsroom({ roles: true });
  const draftId = () => toGlobalId("Article", s.drafts[0]!.pk);

  const create = (article: string, expiresAt: string, headers = as.EDITOR) => t.gql<{ createPreviewLink: { token: string; link: { id: string; active: boolean; createdBy: string; expiresAt: string } } }>(CREATE_LINK, { article, expiresAt }, headers);
  const made = async (article: string, days = 1) => dataOf(await create(article, inDays(days))).createPreviewLink;
  const preview = (token: string, query = PREVIEW) => t.gql<Preview>(query, { token });
  const get = (query: string, variables: Record<string, unknown>) => fetch(`http://127.0.0.1:${t.server.port}/graphql?query=${encodeURIComponent(query)}&variables=${encodeURIComponent(JSON.stringify(variables))}`);

  it("lets the token's holder read the draft as it stands, and nothing else", async () => {
    const { token, link } = await made(draftId());
    expect(token).toMatch(/^nwp_[A-Za-z0-9_-]{43}$/);
    expect(link).toMatchObject({ active: true, createdBy: "editor of the test" });

    const read = dataOf(await preview(token)).articlePreview!;
    expect(read).toMatchObject({ id: draftId(), title: "Draf rahasia tentang Lapas Surabaya", status: "DRAFT", tags: [{ name: "Korupsi" }], institutions: [{ name: s.surabaya.name }], people: [{ name: "Sari Dewi" }] });
    expect(read.quotes).toEqual([{ text: "Kutipan dari draf", speaker: { name: "Sari Dewi" } }]);
    // Comments wait for the story to be published, as for any reader.
    expect(read.comments.nodes).toEqual([]);
    expect(read.commentCount).toBe(0);

    // The same request gets nothing more: other drafts, the story by its id, or what editors see of it.
    const more = await t.gql<{ articlePreview: { title: string; revisions: unknown; previewLinks: unknown }; other: unknown; same: unknown; drafts: { nodes: unknown[] } }>(
      `query($token: String!, $other: ID!, $same: ID!) { articlePreview(token: $token) { title revisions { totalCount } previewLinks { id } } other: article(id: $other) { title } same: article(id: $same) { title } drafts: articles(filter: { status: DRAFT }) { nodes { title } } }`,
      { token, other: toGlobalId("Article", s.drafts[1]!.pk), same: draftId() },
    );
    expect(more.body.data).toEqual({ articlePreview: { title: "Draf rahasia tentang Lapas Surabaya", revisions: null, previewLinks: null }, other: null, same: null, drafts: { nodes: [] } });
    expect(more.body.errors?.map((e) => [e.extensions?.code, e.path])).toEqual([
      ["UNAUTHENTICATED", ["articlePreview", "revisions"]],
      ["UNAUTHENTICATED", ["articlePreview", "previewLinks"]],
    ]);
  });

  it("shows a scheduled story too, and keeps a draft's proposed records out as for any reader", async () => {
    const { token } = await made(toGlobalId("Article", s.scheduled.pk));
    expect(dataOf(await preview(token)).articlePreview).toMatchObject({ title: "Berita terjadwal", status: "SCHEDULED" });

    // Every institution, person and quote of the seed story is new to this store: proposals of the draft.
    const imported = dataOf<{ importArticle: { id: string; quotes: unknown[]; people: unknown[] } }>(
      await t.gql(`mutation($text: String!) { importArticle(text: $text) { id quotes { text } people { name } } }`, { text: fs.readFileSync(SEED_STORY_FILE, "utf8") }, as.EDITOR),
    ).importArticle;
    expect(imported.quotes.length).toBeGreaterThan(0);
    expect(imported.people.length).toBeGreaterThan(0);
    const read = dataOf(await preview((await made(imported.id)).token)).articlePreview!;
    expect(read.title).toContain("Lapas Banyuwangi");
    expect(read.body.length).toBeGreaterThan(500);
    expect([read.institutions, read.people, read.quotes]).toEqual([[], [], []]);
  });

  it("is refused once revoked, and once expired", async () => {
    const { token, link } = await made(draftId());
    expect(dataOf(await preview(token)).articlePreview!.title).toBe("Draf rahasia tentang Lapas Surabaya");
    const revoked = dataOf(await t.gql<{ revokePreviewLink: { id: string; active: boolean; revokedAt: string | null } }>(REVOKE, { id: link.id }, as.EDITOR)).revokePreviewLink;
    expect(revoked).toMatchObject({ id: link.id, active: false });
    const refused = await preview(token);
    expect(refused.body.data?.articlePreview ?? null).toBeNull();
    expect(refused.body.errors?.[0]).toMatchObject({ extensions: { code: "FORBIDDEN" } });
    expect(refused.body.errors?.[0]?.message).toContain(`revoked at ${revoked.revokedAt}`);

    const other = await made(draftId());
    expect(dataOf(await preview(other.token)).articlePreview!.status).toBe("DRAFT");
    const past = new Date(Date.now() - 1000);
    await t.server.db.transaction((em) => em.update(PreviewLink, { pk: parseGlobalId(other.link.id).pk }, { expiresAt: past }));
    const expired = await preview(other.token);
    expect(expired.body.data?.articlePreview ?? null).toBeNull();
    expect(expired.body.errors?.[0]).toMatchObject({ extensions: { code: "FORBIDDEN" } });
    expect(expired.body.errors?.[0]?.message).toContain(`expired at ${past.toISOString()}`);

    const unknown = await preview(`nwp_${"A".repeat(43)}`);
    expect(unknown.body.errors?.[0]).toMatchObject({ extensions: { code: "NOT_FOUND", field: "token" } });
  });

  it("goes with its story: a deleted story's links, revisions and notes are gone, its token names nothing", async () => {
    const id = dataOf<{ createArticle: { id: string } }>(await t.gql(`mutation { createArticle(input: { title: "Berita yang dihapus", body: "Isi." }) { id } }`, {}, as.EDITOR)).createArticle.id;
    await t.gql(`mutation($id: ID!) { updateArticle(id: $id, input: { body: "Isi kedua." }) { id } }`, { id }, as.EDITOR);
    await t.gql(`mutation($id: ID!) { publishArticle(id: $id) { id } }`, { id }, as.EDITOR);
    dataOf(await t.gql(`mutation($id: ID!) { addCorrection(article: $id, text: "Koreksi.") { id } }`, { id }, as.EDITOR));
    const { token } = await made(id);
    const { pk } = parseGlobalId(id);
    const rows = () => Promise.all(["preview_link", "article_revision", "article_correction"].map((table) => t.server.db.reader.createQueryBuilder().from(table, "x").where("x.article_id = :pk", { pk }).getCount()));
    expect(await rows()).toEqual([1, 2, 1]);
    await t.gql(`mutation($id: ID!) { deleteArticle(id: $id) }`, { id }, as.EDITOR);
    expect((await preview(token)).body.errors?.[0]).toMatchObject({ extensions: { code: "NOT_FOUND", field: "token" } });
    expect(await rows()).toEqual([0, 0, 0]);
  });

  it("needs an expiry in the future at most 30 days away, an editor, and a story", async () => {
    for (const [expiresAt, words] of [
      [inDays(-1 / 24), "not in the future"],
      [inDays(30.01), "more than 30 days away"],
    ] as const) {
      const refused = await create(draftId(), expiresAt);
      expect(refused.body.errors?.[0]).toMatchObject({ extensions: { code: "BAD_USER_INPUT", field: "expiresAt" } });
      expect(refused.body.errors?.[0]?.message).toContain(words);
    }
    expect(dataOf(await create(draftId(), inDays(29.99))).createPreviewLink.link.active).toBe(true);
    expect((await create(draftId(), inDays(1), {})).body.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    expect((await create(draftId(), inDays(1), as.MODERATOR)).body.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect((await create(toGlobalId("Article", 999_999), inDays(1))).body.errors?.[0]).toMatchObject({ extensions: { code: "NOT_FOUND", field: "article" } });
  });

  it("stores only the secret's SHA-256, and lists a story's links to editors alone", async () => {
    const story = toGlobalId("Article", s.drafts[1]!.pk);
    const { token, link } = await made(story, 2);
    const stored = await t.server.db.reader.getRepository(PreviewLink).createQueryBuilder("l").addSelect("l.secretHash").where("l.id = :pk", { pk: parseGlobalId(link.id).pk }).getOneOrFail();
    expect(stored.secretHash).toBe(createHash("sha256").update(token).digest("hex"));
    expect(JSON.stringify(stored)).not.toContain(token.slice(4));

    const listed = dataOf<{ article: { previewLinks: Array<{ id: string; active: boolean }> } }>(await t.gql(`query($id: ID!) { article(id: $id) { previewLinks { id active } } }`, { id: story }, as.EDITOR)).article.previewLinks;
    expect(listed).toEqual([{ id: link.id, active: true }]);
    const published = toGlobalId("Article", s.published[0]!.pk);
    const asReader = await t.gql<{ article: { title: string; previewLinks: unknown } }>(`query($id: ID!) { article(id: $id) { title previewLinks { id } } }`, { id: published });
    expect(asReader.body.data?.article).toEqual({ title: s.published[0]!.title, previewLinks: null });
    expect(asReader.body.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  });

  it("caps a story's unexpired links at 20", async () => {
    const story = toGlobalId("Article", s.published[1]!.pk);
    for (let i = 0; i < 20; i++) await made(story, 1);
    const refused = await create(story, inDays(1));
    expect(refused.body.errors?.[0]).toMatchObject({ extensions: { code: "BAD_USER_INPUT", field: "article" } });
  });

  it("answers private, no-store and keeps nothing in the response cache, over POST and GET, alone or beside public fields", async () => {
    const { token } = await made(draftId());
    const counters = async () => [await metricOf(t, "response_cache_hits_total"), await metricOf(t, "response_cache_misses_total"), await metricOf(t, "response_cache_admissions_total")];
    const before = await counters();
    const mixed = `query($token: String!) { articlePreview(token: $token) { title } articles(first: 1) { nodes { title } } }`;
    for (const query of [`query($token: String!) { articlePreview(token: $token) { title } }`, mixed]) {
      for (let i = 0; i < 3; i++) {
        const posted = await fetch(`http://127.0.0.1:${t.server.port}/graphql`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query, variables: { token } }) });
        expect(posted.headers.get("cache-control")).toBe("private, no-store");
        expect(await posted.text()).toContain("Draf rahasia");
        const got = await get(query, { token });
        expect([got.status, got.headers.get("cache-control"), got.headers.get("etag"), got.headers.get("xkey")]).toEqual([200, "private, no-store", null, null]);
        expect(await got.text()).toContain("Draf rahasia");
      }
    }
    expect(await counters()).toEqual(before);
    // A refusal is no more cacheable.
    const refused = await get(`query($token: String!) { articlePreview(token: $token) { title } }`, { token: `nwp_${"B".repeat(43)}` });
    expect(refused.headers.get("cache-control")).toBe("private, no-store");
  });
});

/** `articlePreview` as a query over graphql-ws, from this machine's address as the HTTP requests. */
async function overSocket(t: TestServer, token: string): Promise<{ data?: { articlePreview: { title: string } | null } | null; errors?: Array<{ extensions?: Record<string, unknown> }> }> {
  const client = connect(t.server.port);
  try {
    const [result] = await client.subscribe<{ articlePreview: { title: string } | null }>(PREVIEW_TITLE, { token }).waitFor(1);
    return result as { data?: { articlePreview: { title: string } | null } | null; errors?: Array<{ extensions?: Record<string, unknown> }> };
  } finally {
    await client.close();
  }
}

describe("wrong preview tokens from one address", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ seed: false, config: { previews: { rateLimit: 3, rateWindowSeconds: 600 } } });
  });
  afterAll(async () => {
    await t.close();
  });

  it("are counted, and past the limit every preview read from that address is refused, a right token too", async () => {
    const editor = bearer(await mintToken(t, "EDITOR"));
    const id = dataOf<{ createArticle: { id: string } }>(await t.gql(`mutation { createArticle(input: { title: "Draf pratinjau", body: "Isi." }) { id } }`, {}, editor)).createArticle.id;
    const { token } = dataOf<{ createPreviewLink: { token: string } }>(await t.gql(CREATE_LINK, { article: id, expiresAt: inDays(1) }, editor)).createPreviewLink;
    // A right token does not count, over HTTP or WebSocket.
    for (let i = 0; i < 5; i++) expect(dataOf<Preview>(await t.gql(PREVIEW_TITLE, { token })).articlePreview).toEqual({ title: "Draf pratinjau" });
    expect(await overSocket(t, token)).toEqual({ data: { articlePreview: { title: "Draf pratinjau" } } });
    for (const wrong of ["salah", `nwp_${"C".repeat(43)}`, `${token.slice(0, -1)}x`]) {
      expect((await t.gql(PREVIEW_TITLE, { token: wrong })).body.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
    }
    for (const any of [`nwp_${"D".repeat(43)}`, token]) {
      const refused = await t.gql(PREVIEW_TITLE, { token: any });
      expect(refused.body.errors?.[0]?.extensions).toMatchObject({ code: "RATE_LIMITED" });
      expect(refused.body.errors?.[0]?.message).toContain("preview tokens from this address");
    }
    // The same address over WebSocket is held back too.
    const socket = await overSocket(t, token);
    expect(socket.data?.articlePreview ?? null).toBeNull();
    expect(socket.errors?.[0]?.extensions).toMatchObject({ code: "RATE_LIMITED" });
    // Editors' own reads are not previews and are not held back.
    expect(dataOf<{ article: { title: string } }>(await t.gql(`query($id: ID!) { article(id: $id) { title } }`, { id }, editor)).article.title).toBe("Draf pratinjau");
  });
});

const CREATE_LINK = `mutation($article: ID!, $expiresAt: DateTime!) { createPreviewLink(article: $article, expiresAt: $expiresAt) { token link { id active createdBy expiresAt } } }`;
const REVOKE = `mutation($id: ID!) { revokePreviewLink(id: $id) { id active revokedAt } }`;
const PREVIEW = `query($token: String!) { articlePreview(token: $token) { id title status body tags { name } institutions { name } people { name } quotes { text speaker { name } } comments { nodes { body } } commentCount } }`;
const PREVIEW_TITLE = `query($token: String!) { articlePreview(token: $token) { title } }`;
