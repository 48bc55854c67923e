import "reflect-metadata";
import { parseGlobalId, toGlobalId } from "../../../src/kernel/ids";
import { EventRecord } from "../../../src/events/event.entity";
import { ArticleRevision } from "../../../src/entities/revision.entity";
import { useNewsroom } from "../../helpers/newsroom";
import { dataOf } from "../../helpers/server";

/*
 * Revisions: every change to a story's title, summary, body or tags is kept with who made it and
 * when; editors list them, diff two of them and restore one. Readers never reach any of it.
 */

type Revision = { id: string; number: number; kind: string; changedFields: string[]; actor: string | null; restoredFrom: number | null; createdAt: string; title: string; summary: string | null; body: string; tags: string[] };
type Part = { change: "SAME" | "ADDED" | "REMOVED"; text: string };
type Diff = { from: { number: number }; to: { number: number }; fields: Array<{ field: string; parts: Part[] }> };

describe("a story's revisions", () => {
  const { t, s, as } = useNewsroom({ seed: true, roles: true });

  const editorial = async <T,>(query: string, variables: Record<string, unknown> = {}) => dataOf<T>(await t.gql<T>(query, variables, as.EDITOR));
  const revisionsOf = async (id: string) => (await editorial<{ article: { revisions: { totalCount: number; nodes: Revision[] } } }>(REVISIONS, { id })).article.revisions;
  const diff = async (id: string, from: number, to: number) => (await editorial<{ articleRevisionDiff: Diff }>(DIFF, { id, from, to })).articleRevisionDiff;
  const updatedEvents = async (pk: number) => t.server.db.reader.getRepository(EventRecord).countBy({ topic: "article", type: "UPDATED", articleId: pk });

  it("keeps one for the story's creation and one for each change to its kept fields, with who and which fields", async () => {
    const id = (await editorial<{ createArticle: { id: string } }>(CREATE, { input: { title: "Napi bebas bersyarat 2024", body: "Sebanyak 120 warga binaan menerima remisi.\n\nParagraf penutup.", tags: ["Remisi"] } })).createArticle.id;
    await editorial(UPDATE, { id, input: { title: "Napi bebas bersyarat 2025", body: "Sebanyak 125 warga binaan menerima remisi.\n\nParagraf penutup." } });
    // Neither the dateline nor the links are kept fields: no revision.
    await editorial(UPDATE, { id, input: { dateline: "SURABAYA", institutionIds: [toGlobalId("Institution", s.surabaya.pk)] } });
    await editorial(UPDATE, { id, input: { tags: ["Remisi", "Pembebasan Bersyarat"], summary: "Ringkasan" } });

    const revisions = await revisionsOf(id);
    expect(revisions.totalCount).toBe(3);
    expect(revisions.nodes.map((r) => [r.number, r.kind, r.changedFields, r.actor])).toEqual([
      [3, "UPDATED", ["SUMMARY", "TAGS"], "editor of the test"],
      [2, "UPDATED", ["TITLE", "BODY"], "editor of the test"],
      [1, "CREATED", ["TITLE", "SUMMARY", "BODY", "TAGS", "IMAGES"], "editor of the test"],
    ]);
    expect(revisions.nodes[2]).toMatchObject({ title: "Napi bebas bersyarat 2024", summary: null, tags: ["Remisi"], body: "Sebanyak 120 warga binaan menerima remisi.\n\nParagraf penutup." });
    expect(revisions.nodes[0]).toMatchObject({ title: "Napi bebas bersyarat 2025", summary: "Ringkasan", tags: ["Remisi", "Pembebasan Bersyarat"] });
    const story = (await editorial<{ article: { updatedAt: string } }>(`query($id: ID!) { article(id: $id) { updatedAt } }`, { id })).article;
    expect(Date.parse(revisions.nodes[0]!.createdAt)).toBeLessThanOrEqual(Date.parse(story.updatedAt));
  });

  it("diffs two revisions field by field, a corrected figure as that figure, and leaves equal fields out", async () => {
    const id = (await editorial<{ createArticle: { id: string } }>(CREATE, { input: { title: "Remisi Natal 2024", body: "Paragraf pembuka.\n\nSebanyak 120 warga binaan menerima remisi.\n\nParagraf penutup.", tags: ["Remisi", "Natal"] } })).createArticle.id;
    await editorial(UPDATE, { id, input: { body: "Paragraf pembuka.\n\nSebanyak 125 warga binaan menerima remisi.\n\nParagraf penutup.", tags: ["Remisi", "Hari Raya"] } });

    const changes = await diff(id, 1, 2);
    expect(changes.from.number).toBe(1);
    expect(changes.to.number).toBe(2);
    expect(changes.fields.map((f) => f.field)).toEqual(["BODY", "TAGS"]);
    const body = changes.fields[0]!.parts;
    expect(body.filter((p) => p.change !== "SAME")).toEqual([
      { change: "REMOVED", text: "120" },
      { change: "ADDED", text: "125" },
    ]);
    // The parts spell out both versions: SAME and REMOVED the earlier, SAME and ADDED the later.
    expect(body.filter((p) => p.change !== "ADDED").map((p) => p.text).join("")).toBe("Paragraf pembuka.\n\nSebanyak 120 warga binaan menerima remisi.\n\nParagraf penutup.");
    expect(body.filter((p) => p.change !== "REMOVED").map((p) => p.text).join("")).toBe("Paragraf pembuka.\n\nSebanyak 125 warga binaan menerima remisi.\n\nParagraf penutup.");
    expect(changes.fields[1]!.parts).toEqual([
      { change: "SAME", text: "Remisi" },
      { change: "REMOVED", text: "Natal" },
      { change: "ADDED", text: "Hari Raya" },
    ]);
    // Backwards, the same change the other way round.
    expect((await diff(id, 2, 1)).fields[0]!.parts.filter((p) => p.change !== "SAME")).toEqual([
      { change: "REMOVED", text: "125" },
      { change: "ADDED", text: "120" },
    ]);
    expect((await diff(id, 2, 2)).fields).toEqual([]);

    const missing = await t.gql(DIFF, { id, from: 1, to: 9 }, as.EDITOR);
    expect(missing.body.errors?.[0]).toMatchObject({ extensions: { code: "NOT_FOUND", field: "to" } });
    expect(missing.body.errors?.[0]?.message).toContain("no revision 9");
  });

  it("restores a revision as a new one, feeds of a published story get UPDATED, and restoring what the story says records nothing", async () => {
    const id = (await editorial<{ createArticle: { id: string } }>(CREATE, { input: { title: "Judul pertama", summary: "Ringkasan pertama", body: "Isi pertama.", tags: ["Awal"] } })).createArticle.id;
    const { pk } = parseGlobalId(id);
    await editorial(`mutation($id: ID!) { publishArticle(id: $id) { status } }`, { id });
    await editorial(UPDATE, { id, input: { title: "Judul kedua", summary: null, body: "Isi kedua.", tags: ["Kedua"] } });
    const first = (await revisionsOf(id)).nodes.find((r) => r.number === 1)!;
    const eventsBefore = await updatedEvents(pk);

    const restored = (await editorial<{ restoreArticleRevision: { title: string; summary: string | null; body: string; tags: Array<{ name: string }>; status: string } }>(RESTORE, { revision: first.id })).restoreArticleRevision;
    expect(restored).toEqual({ title: "Judul pertama", summary: "Ringkasan pertama", body: "Isi pertama.", tags: [{ name: "Awal" }], status: "PUBLISHED" });
    const after = await revisionsOf(id);
    expect(after.nodes[0]).toMatchObject({ number: 3, kind: "RESTORED", restoredFrom: 1, changedFields: ["TITLE", "SUMMARY", "BODY", "TAGS"], title: "Judul pertama", actor: "editor of the test" });
    expect(await updatedEvents(pk)).toBe(eventsBefore + 1);
    // Readers see the restored story.
    expect(dataOf<{ article: { title: string } }>(await t.gql(`query($id: ID!) { article(id: $id) { title } }`, { id })).article.title).toBe("Judul pertama");

    await editorial(RESTORE, { revision: after.nodes[0]!.id });
    expect((await revisionsOf(id)).totalCount).toBe(3);
    expect(await updatedEvents(pk)).toBe(eventsBefore + 1);
  });

  it("keeps the images too: a change to them is a revision, its diff lists them one by one, a restore brings them back", async () => {
    const lead = { url: "https://cdn.example/lapas.jpg", width: 1200, height: 800, alt: "Gerbang Lapas", caption: "Gerbang depan", credit: "Foto: Humas" };
    const second = { url: "https://cdn.example/kegiatan.jpg", alt: "Kegiatan pembinaan" };
    const id = (await editorial<{ createArticle: { id: string } }>(CREATE, { input: { title: "Berita bergambar", body: "Isi.", leadImage: lead, images: [second] } })).createArticle.id;
    await editorial(UPDATE, { id, input: { leadImage: null, images: [second, { url: "https://cdn.example/baru.jpg", alt: "Gambar baru" }] } });
    const revisions = (await editorial<{ article: { revisions: { nodes: Array<{ id: string; number: number; changedFields: string[]; leadImage: { url: string; alt: string } | null; images: Array<{ url: string }> }> } } }>(
      `query($id: ID!) { article(id: $id) { revisions { nodes { id number changedFields leadImage { url alt } images { url } } } } }`,
      { id },
    )).article.revisions.nodes;
    expect(revisions.map((r) => [r.number, r.changedFields, r.leadImage?.url ?? null, r.images.map((i) => i.url)])).toEqual([
      [2, ["IMAGES"], null, ["https://cdn.example/kegiatan.jpg", "https://cdn.example/baru.jpg"]],
      [1, ["TITLE", "SUMMARY", "BODY", "TAGS", "IMAGES"], "https://cdn.example/lapas.jpg", ["https://cdn.example/kegiatan.jpg"]],
    ]);
    const images = (await diff(id, 1, 2)).fields;
    expect(images.map((f) => f.field)).toEqual(["IMAGES"]);
    expect(images[0]!.parts.map((p) => [p.change, (JSON.parse(p.text) as { url: string; lead: boolean }).url, (JSON.parse(p.text) as { lead: boolean }).lead])).toEqual([
      ["REMOVED", "https://cdn.example/lapas.jpg", true],
      ["SAME", "https://cdn.example/kegiatan.jpg", false],
      ["ADDED", "https://cdn.example/baru.jpg", false],
    ]);
    await editorial(RESTORE, { revision: revisions[1]!.id });
    const restored = (await editorial<{ article: { leadImage: unknown; images: Array<{ url: string }> } }>(`query($id: ID!) { article(id: $id) { leadImage { url width height alt caption credit } images { url } } }`, { id })).article;
    expect(restored).toEqual({ leadImage: lead, images: [{ url: "https://cdn.example/kegiatan.jpg" }] });
  });

  it("reads a revision written before images were kept (snapshot version 1): no images shown, compared or restored", async () => {
    const lead = { url: "https://cdn.example/lama.jpg", alt: "Gambar lama" };
    const id = (await editorial<{ createArticle: { id: string } }>(CREATE, { input: { title: "Judul versi satu", body: "Isi.", leadImage: lead } })).createArticle.id;
    const { pk } = parseGlobalId(id);
    await t.server.db.transaction((em) =>
      em.update(ArticleRevision, { articleId: pk, number: 1 }, { snapshotVersion: 1, snapshot: JSON.stringify({ title: "Judul versi satu", summary: null, body: "Isi.", tags: [] }), changed: "TITLE,SUMMARY,BODY,TAGS" }),
    );
    await editorial(UPDATE, { id, input: { title: "Judul versi dua", leadImage: { url: "https://cdn.example/baru.jpg", alt: "Gambar baru" } } });
    const revisions = (await editorial<{ article: { revisions: { nodes: Array<{ id: string; leadImage: unknown; images: unknown }> } } }>(`query($id: ID!) { article(id: $id) { revisions { nodes { id leadImage { url } images { url } } } } }`, { id })).article.revisions.nodes;
    expect(revisions[1]).toMatchObject({ leadImage: null, images: null });
    expect((await diff(id, 1, 2)).fields.map((f) => f.field)).toEqual(["TITLE"]);
    await editorial(RESTORE, { revision: revisions[1]!.id });
    const story = (await editorial<{ article: { title: string; leadImage: { url: string } } }>(`query($id: ID!) { article(id: $id) { title leadImage { url } } }`, { id })).article;
    expect(story).toEqual({ title: "Judul versi satu", leadImage: { url: "https://cdn.example/baru.jpg" } });
  });

  it("records a story stored before revisions were kept as it stood (ORIGINAL) at its first change, so that change can be undone", async () => {
    const id = toGlobalId("Article", s.published[7]!.pk);
    expect((await revisionsOf(id)).totalCount).toBe(0);
    await editorial(UPDATE, { id, input: { title: "Berita nomor 07, diperbarui" } });
    const revisions = (await revisionsOf(id)).nodes;
    expect(revisions.map((r) => [r.number, r.kind, r.changedFields, r.actor, r.title])).toEqual([
      [2, "UPDATED", ["TITLE"], "editor of the test", "Berita nomor 07, diperbarui"],
      [1, "ORIGINAL", ["TITLE", "SUMMARY", "BODY", "TAGS", "IMAGES"], null, "Berita nomor 07"],
    ]);
    expect(revisions[1]!.createdAt).toBe(s.published[7]!.updatedAt.toISOString());
    expect(revisions[1]!.tags).toEqual([]);
    await editorial(RESTORE, { revision: revisions[1]!.id });
    expect(dataOf<{ article: { title: string } }>(await t.gql(`query($id: ID!) { article(id: $id) { title } }`, { id })).article.title).toBe("Berita nomor 07");
  });

  it("keeps the import's revision, by nobody when the seed imported it and by the editor's token through the API", async () => {
    const seed = dataOf<{ articles: { nodes: Array<{ id: string }> } }>(await t.gql(`{ articles(filter: { search: "Bojonegoro" }) { nodes { id } } }`)).articles.nodes[0]!.id;
    expect((await revisionsOf(seed)).nodes.map((r) => [r.number, r.kind, r.actor])).toEqual([[1, "IMPORTED", null]]);
    const text = "Judul Berita Impor Revisi\n\nSURABAYA, Contoh.id – Paragraf pertama berita impor.\n\nParagraf kedua.";
    const imported = (await editorial<{ importArticle: { id: string; title: string } }>(`mutation($text: String!) { importArticle(text: $text) { id title } }`, { text })).importArticle;
    expect((await revisionsOf(imported.id)).nodes.map((r) => [r.number, r.kind, r.actor, r.title])).toEqual([[1, "IMPORTED", "editor of the test", imported.title]]);
  });

  it("is the editors' alone: readers and moderators get an error on request and no count, and cannot diff or restore", async () => {
    const id = toGlobalId("Article", s.published[0]!.pk);
    await editorial(UPDATE, { id, input: { summary: "Ringkasan baru" } });
    const revision = (await revisionsOf(id)).nodes[0]!;
    for (const [who, headers, code] of [
      ["a reader", {}, "UNAUTHENTICATED"],
      ["a moderator", as.MODERATOR, "FORBIDDEN"],
    ] as const) {
      const read = await t.gql<{ article: { title: string; revisions: unknown } }>(`query($id: ID!) { article(id: $id) { title revisions { totalCount nodes { title } } } }`, { id }, headers);
      expect([who, read.body.errors?.map((e) => [e.extensions?.code, e.path])]).toEqual([who, [[code, ["article", "revisions"]]]]);
      expect(read.body.data?.article).toEqual({ title: s.published[0]!.title, revisions: null });
      const diffed = await t.gql(DIFF, { id, from: 1, to: 2 }, headers);
      expect(diffed.body.errors?.[0]?.extensions?.code).toBe(code);
      expect(diffed.body.data ?? null).toBeNull();
      const undone = await t.gql(RESTORE, { revision: revision.id }, headers);
      expect(undone.body.errors?.[0]?.extensions?.code).toBe(code);
    }
    // Their ids lead nowhere through node(id:).
    expect(dataOf<{ node: unknown }>(await t.gql(`query($id: ID!) { node(id: $id) { id } }`, { id: revision.id }, as.EDITOR)).node).toBeNull();
  });

  it("refuses a restore of an id that is not a revision's", async () => {
    const wrong = await t.gql(RESTORE, { revision: toGlobalId("Article", s.published[0]!.pk) }, as.EDITOR);
    expect(wrong.body.errors?.[0]).toMatchObject({ extensions: { code: "BAD_USER_INPUT", field: "revision" } });
    const gone = await t.gql(RESTORE, { revision: toGlobalId("ArticleRevision", 999_999) }, as.EDITOR);
    expect(gone.body.errors?.[0]).toMatchObject({ extensions: { code: "NOT_FOUND", field: "revision" } });
  });
});

const CREATE = `mutation($input: CreateArticleInput!) { createArticle(input: $input) { id } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateArticleInput!) { updateArticle(id: $id, input: $input) { id } }`;
const REVISIONS = `query($id: ID!) { article(id: $id) { revisions(first: 50) { totalCount nodes { id number kind changedFields actor restoredFrom createdAt title summary body tags } } } }`;
const DIFF = `query($id: ID!, $from: Int!, $to: Int!) { articleRevisionDiff(article: $id, from: $from, to: $to) { from { number } to { number } fields { field parts { change text } } } }`;
const RESTORE = `mutation($revision: ID!) { restoreArticleRevision(revision: $revision) { title summary body tags { name } status } }`;
