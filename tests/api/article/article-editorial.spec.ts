import "reflect-metadata";
import { toGlobalId } from "../../../src/kernel/ids";
import { addInstitution, addPerson } from "../../helpers/scenarios";
import { dataOf } from "../../helpers/server";
import { bearer, mintToken } from "../../helpers/tokens";
import { InstitutionKind } from "../../../src/entities/institution.entity";
import { useTestServer } from "../../helpers/fixture";

type Story = { id: string; slug: string; title: string; status: string; summary: string | null; body: string; paragraphs: string[]; dateline: string | null; source: string | null; publishedAt: string | null; scheduledFor: string | null; createdAt: string; updatedAt: string; tags: Array<{ slug: string; name: string }>; institutions: Array<{ name: string }>; people: Array<{ name: string }> };

describe("the editorial workflow", () => {
  const t = useTestServer({ seed: true, config: { events: { schedulerIntervalMs: 100 } } });
  let editor: Record<string, string>;
  let institutionId: string;
  let personId: string;

  beforeAll(async () => {
    editor = bearer(await mintToken(t, "EDITOR"));
    const ids = await t.server.db.transaction(async (em) => ({
      institution: (await addInstitution(em, { name: "Rumah Tahanan Negara Kelas IIB Denpasar", shortName: "Rutan Denpasar", kind: InstitutionKind.RUTAN })).pk,
      person: (await addPerson(em, "Budi Santoso")).pk,
    }));
    institutionId = toGlobalId("Institution", ids.institution);
    personId = toGlobalId("Person", ids.person);
  });

  const create = async (input: Record<string, unknown>) => dataOf<{ createArticle: Story }>(await t.gql(CREATE, { input }, editor)).createArticle;
  const readerSees = async (slug: string) => dataOf<{ article: { title: string } | null }>(await t.gql(`query($slug: String) { article(slug: $slug) { title } }`, { slug })).article;
  const countRows = async () => {
    const [row] = await t.server.db.reader.query(`SELECT (SELECT COUNT(*) FROM article) AS a, (SELECT COUNT(*) FROM tag) AS t, (SELECT COUNT(*) FROM article_institution) AS ai, (SELECT COUNT(*) FROM article_person) AS ap, (SELECT COUNT(*) FROM slug_alias) AS s`);
    return row as Record<string, number>;
  };

  it("creates a DRAFT with a slug derived from an Indonesian title, its tags, institutions and people", async () => {
    const story = await create({
      title: "Warga Binaan Rutan Dénpasar Ikuti Pelatihan: Menjahit & Memasak!",
      summary: "  Pelatihan   kemandirian ",
      body: "Paragraf pertama.\r\n\r\nParagraf kedua\u0007 dengan bel.",
      dateline: "DENPASAR",
      source: "Contoh.id",
      tags: ["Pelatihan Kerja", "Rutan"],
      institutionIds: [institutionId],
      personIds: [personId],
    });
    expect(story).toMatchObject({
      slug: "warga-binaan-rutan-denpasar-ikuti-pelatihan-menjahit-memasak",
      status: "DRAFT",
      summary: "Pelatihan kemandirian",
      body: "Paragraf pertama.\n\nParagraf kedua dengan bel.",
      paragraphs: ["Paragraf pertama.", "Paragraf kedua dengan bel."],
      publishedAt: null,
      scheduledFor: null,
      tags: [{ slug: "pelatihan-kerja", name: "Pelatihan Kerja" }, { slug: "rutan", name: "Rutan" }],
      institutions: [{ name: "Rumah Tahanan Negara Kelas IIB Denpasar" }],
      people: [{ name: "Budi Santoso" }],
    });
    expect(await readerSees(story.slug)).toBeNull();
    const asEditor = dataOf<{ article: { id: string } }>(await t.gql(BY_SLUG, { slug: story.slug }, editor)).article;
    expect(asEditor.id).toBe(story.id);
    const editorList = dataOf<{ articles: { nodes: Array<{ id: string }> } }>(await t.gql(`{ articles(filter: { status: DRAFT }) { nodes { id } } }`, {}, editor)).articles.nodes.map((n) => n.id);
    expect(editorList).toContain(story.id);
  });

  it("suffixes a derived slug that is taken, and refuses a hand-picked one that is", async () => {
    const a = await create({ title: "Kunjungan Kerja", body: "Isi." });
    const b = await create({ title: "Kunjungan kerja", body: "Isi." });
    const c = await create({ title: "KUNJUNGAN KERJA!", body: "Isi." });
    expect([a.slug, b.slug, c.slug]).toEqual(["kunjungan-kerja", "kunjungan-kerja-2", "kunjungan-kerja-3"]);
    const before = await countRows();
    const taken = await t.gql(CREATE, { input: { title: "Lain", body: "Isi.", slug: "kunjungan-kerja" } }, editor);
    expect(taken.body.errors?.[0]).toMatchObject({ extensions: { code: "BAD_USER_INPUT", field: "input.slug" } });
    expect(taken.body.errors?.[0]?.message).toContain("'kunjungan-kerja'");
    expect(await countRows()).toEqual(before);
  });

  it("updates only what it is given, and an old slug keeps resolving after a rename", async () => {
    const story = await create({ title: "Judul lama", body: "Isi lama.", summary: "Ringkasan", tags: ["Lama"] });
    const updated = dataOf<{ updateArticle: Story }>(await t.gql(UPDATE, { id: story.id, input: { title: "Judul baru", slug: "judul-baru", summary: null, tags: ["Baru"] } }, editor)).updateArticle;
    expect(updated).toMatchObject({ title: "Judul baru", slug: "judul-baru", body: "Isi lama.", summary: null, tags: [{ slug: "baru", name: "Baru" }] });
    expect(Date.parse(updated.updatedAt)).toBeGreaterThanOrEqual(Date.parse(story.updatedAt));
    await t.gql(PUBLISH, { id: story.id }, editor);
    expect(await readerSees("judul-lama")).toEqual({ title: "Judul baru" });
    expect(await readerSees("judul-baru")).toEqual({ title: "Judul baru" });
    // A former slug is never handed to another story.
    const next = await create({ title: "Judul lama", body: "Isi." });
    expect(next.slug).toBe("judul-lama-2");
  });

  it("publishes now: PUBLISHED with publishedAt, visible to readers; unpublishing hides it again", async () => {
    const story = await create({ title: "Segera terbit", body: "Isi." });
    const published = dataOf<{ publishArticle: Story }>(await t.gql(PUBLISH, { id: story.id }, editor)).publishArticle;
    expect(published.status).toBe("PUBLISHED");
    expect(Math.abs(Date.parse(published.publishedAt!) - Date.now())).toBeLessThan(10_000);
    expect(await readerSees(story.slug)).toEqual({ title: "Segera terbit" });
    const again = dataOf<{ publishArticle: Story }>(await t.gql(PUBLISH, { id: story.id }, editor)).publishArticle;
    expect(again.publishedAt).toBe(published.publishedAt);
    const draft = dataOf<{ unpublishArticle: Story }>(await t.gql(UNPUBLISH, { id: story.id }, editor)).unpublishArticle;
    expect(draft).toMatchObject({ status: "DRAFT", publishedAt: null });
    expect(await readerSees(story.slug)).toBeNull();
  });

  it("schedules a future time: SCHEDULED and hidden, then published by the scheduler when due", async () => {
    const story = await create({ title: "Terbit sedetik lagi", body: "Isi." });
    const at = new Date(Date.now() + 1000).toISOString();
    const scheduled = dataOf<{ publishArticle: Story }>(await t.gql(PUBLISH, { id: story.id, at }, editor)).publishArticle;
    expect(scheduled).toMatchObject({ status: "SCHEDULED", scheduledFor: at, publishedAt: null });
    expect(await readerSees(story.slug)).toBeNull();
    const deadline = Date.now() + 10_000;
    let seen = await readerSees(story.slug);
    while (!seen && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      seen = await readerSees(story.slug);
    }
    expect(seen).toEqual({ title: "Terbit sedetik lagi" });
    const live = dataOf<{ article: Story }>(await t.gql(`query($slug: String) { article(slug: $slug) { status publishedAt scheduledFor } }`, { slug: story.slug })).article;
    expect(live.status).toBe("PUBLISHED");
    expect(Date.parse(live.publishedAt!)).toBeGreaterThanOrEqual(Date.parse(at));
    expect(live.scheduledFor).toBeNull();
  });

  it("publishes at once when `at` is now or past, refuses to schedule a published story, and unschedules with unpublish", async () => {
    const past = await create({ title: "Tanggal lewat", body: "Isi." });
    const published = dataOf<{ publishArticle: Story }>(await t.gql(PUBLISH, { id: past.id, at: "2020-01-01T00:00:00Z" }, editor)).publishArticle;
    expect(published.status).toBe("PUBLISHED");
    const refused = await t.gql(PUBLISH, { id: past.id, at: "2099-01-01T00:00:00Z" }, editor);
    expect(refused.body.errors?.[0]).toMatchObject({ extensions: { code: "BAD_USER_INPUT", field: "at" } });
    const later = await create({ title: "Nanti saja", body: "Isi." });
    await t.gql(PUBLISH, { id: later.id, at: "2099-01-01T00:00:00Z" }, editor);
    const back = dataOf<{ unpublishArticle: Story }>(await t.gql(UNPUBLISH, { id: later.id }, editor)).unpublishArticle;
    expect(back).toMatchObject({ status: "DRAFT", scheduledFor: null });
    const badDate = await t.gql(PUBLISH, { id: later.id, at: "besok pagi" }, editor);
    expect(badDate.body.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(badDate.body.errors?.[0]?.message).toContain("besok pagi");
  });

  it("deletes a story with its links, and NOT_FOUND names an id that is gone", async () => {
    const story = await create({ title: "Akan dihapus", body: "Isi.", tags: ["Hapus"], institutionIds: [institutionId] });
    expect(dataOf<{ deleteArticle: string }>(await t.gql(DELETE, { id: story.id }, editor)).deleteArticle).toBe(story.id);
    expect(dataOf<{ article: unknown }>(await t.gql(`query($id: ID) { article(id: $id) { id } }`, { id: story.id }, editor)).article).toBeNull();
    const links = await t.server.db.reader.query(`SELECT COUNT(*) AS n FROM article_institution WHERE article_id = ${Number(Buffer.from(story.id, "base64url").toString().split(":")[1])}`);
    expect(Number(links[0].n)).toBe(0);
    for (const doc of [DELETE, PUBLISH, UNPUBLISH]) {
      const gone = await t.gql(doc, { id: story.id }, editor);
      expect(gone.body.errors?.[0]).toMatchObject({ extensions: { code: "NOT_FOUND", field: "id" } });
      expect(gone.body.errors?.[0]?.message).toContain(story.id);
    }
  });

  describe("validation: every rule refuses with BAD_USER_INPUT (or NOT_FOUND) and changes nothing", () => {
    const cases: Array<[string, Record<string, unknown>, string, string]> = [
      ["a blank title", { title: "   ", body: "Isi." }, "BAD_USER_INPUT", "input.title"],
      ["a title of 301 characters", { title: "j".repeat(301), body: "Isi." }, "BAD_USER_INPUT", "input.title"],
      ["a summary of 1,001 characters", { title: "Judul", body: "Isi.", summary: "s".repeat(1001) }, "BAD_USER_INPUT", "input.summary"],
      ["a blank body", { title: "Judul", body: "\n\n" }, "BAD_USER_INPUT", "input.body"],
      ["a body of 200,001 characters", { title: "Judul", body: "b".repeat(200_001) }, "BAD_USER_INPUT", "input.body"],
      ["a malformed slug", { title: "Judul", body: "Isi.", slug: "Bukan Slug!" }, "BAD_USER_INPUT", "input.slug"],
      ["a malformed institution id", { title: "Judul", body: "Isi.", institutionIds: ["xyz"] }, "BAD_USER_INPUT", "input.institutionIds"],
      ["a person id given as an institution", { title: "Judul", body: "Isi.", institutionIds: [toGlobalId("Person", 1)] }, "BAD_USER_INPUT", "input.institutionIds"],
      ["an institution that does not exist", { title: "Judul", body: "Isi.", institutionIds: [toGlobalId("Institution", 9999)] }, "NOT_FOUND", "input.institutionIds"],
      ["a person that does not exist", { title: "Judul", body: "Isi.", tags: ["Baru sekali"], personIds: [toGlobalId("Person", 9999)] }, "NOT_FOUND", "input.personIds"],
      ["the same institution twice", { title: "Judul", body: "Isi.", institutionIds: ["a", "a"] }, "BAD_USER_INPUT", "input.institutionIds"],
      ["a tag with no letters", { title: "Judul", body: "Isi.", tags: ["!!!"] }, "BAD_USER_INPUT", "input.tags[0]"],
    ];
    it.each(cases)("createArticle with %s", async (_name, input, code, field) => {
      const before = await countRows();
      const res = await t.gql(CREATE, { input }, editor);
      expect(res.body.errors).toHaveLength(1);
      expect(res.body.errors![0]).toMatchObject({ extensions: { code, field } });
      // The message names the field or the offending value.
      const message = res.body.errors![0]!.message;
      const values = JSON.stringify(input).match(/"[^"]{1,40}"/g)!.map((v) => v.slice(1, -1));
      expect(message.includes(field) || values.some((v) => message.includes(`'${v}'`))).toBe(true);
      expect(await countRows()).toEqual(before);
    });

    it("updateArticle refuses a bad field and leaves the story as it was", async () => {
      const story = await create({ title: "Tetap sama", body: "Isi tetap." });
      for (const input of [{ title: "" }, { summary: "x".repeat(1001) }, { personIds: [toGlobalId("Person", 424242)] }, { slug: "kunjungan-kerja" }]) {
        const res = await t.gql(UPDATE, { id: story.id, input }, editor);
        expect(["BAD_USER_INPUT", "NOT_FOUND"]).toContain(res.body.errors?.[0]?.extensions?.code);
      }
      const after = dataOf<{ article: Story }>(await t.gql(`query($id: ID) { article(id: $id) { title body slug summary people { name } updatedAt } }`, { id: story.id }, editor)).article;
      expect(after).toEqual({ title: "Tetap sama", body: "Isi tetap.", slug: story.slug, summary: null, people: [], updatedAt: story.updatedAt });
    });
  });

  describe("roles", () => {
    // Documents are looked up when the test runs: the constants stand at the bottom of the file.
    const documents: Array<[string, () => string, (id: string) => Record<string, unknown>]> = [
      ["createArticle", () => CREATE, () => ({ input: { title: "Judul", body: "Isi." } })],
      ["updateArticle", () => UPDATE, (id) => ({ id, input: { title: "Diubah" } })],
      ["publishArticle", () => PUBLISH, (id) => ({ id })],
      ["unpublishArticle", () => UNPUBLISH, (id) => ({ id })],
      ["deleteArticle", () => DELETE, (id) => ({ id })],
    ];
    it.each(documents)("%s: UNAUTHENTICATED without a token, FORBIDDEN for a moderator, allowed for an admin", async (_name, documentOf, vars) => {
      const doc = documentOf();
      const story = await create({ title: "Untuk uji peran", body: "Isi." });
      const before = await countRows();
      const anonymous = await t.gql(doc, vars(story.id));
      expect(anonymous.body.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
      const moderator = await t.gql(doc, vars(story.id), bearer(await mintToken(t, "MODERATOR")));
      expect(moderator.body.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
      expect(await countRows()).toEqual(before);
      const admin = await t.gql(doc, vars(story.id), bearer(await mintToken(t, "ADMIN")));
      expect(admin.body.errors).toBeUndefined();
    });
  });
});

const STORY_FIELDS = `id slug title status summary body paragraphs dateline source publishedAt scheduledFor createdAt updatedAt tags { slug name } institutions { name } people { name }`;
const CREATE = `mutation Create($input: CreateArticleInput!) { createArticle(input: $input) { ${STORY_FIELDS} } }`;
const UPDATE = `mutation Update($id: ID!, $input: UpdateArticleInput!) { updateArticle(id: $id, input: $input) { ${STORY_FIELDS} } }`;
const PUBLISH = `mutation Publish($id: ID!, $at: DateTime) { publishArticle(id: $id, at: $at) { ${STORY_FIELDS} } }`;
const UNPUBLISH = `mutation Unpublish($id: ID!) { unpublishArticle(id: $id) { ${STORY_FIELDS} } }`;
const DELETE = `mutation Delete($id: ID!) { deleteArticle(id: $id) }`;
const BY_SLUG = `query BySlug($slug: String) { article(slug: $slug) { id title } }`;
