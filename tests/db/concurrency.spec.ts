import "reflect-metadata";
import { toGlobalId } from "../../src/kernel/ids";
import { Tag } from "../../src/entities/tag.entity";
import { addStory } from "../helpers/scenarios";
import { dataOf, startTestServer } from "../helpers/server";
import type { TestServer } from "../helpers/server";
import { bearer, mintToken } from "../helpers/tokens";

describe("concurrent writes on SQLite", () => {
  let t: TestServer;
  beforeAll(async () => {
    // The comment limits are lifted: 200 comments from one address on one story is the load here.
    t = await startTestServer({ seed: false, config: { comments: { rateLimit: 100_000, addressRateLimit: 100_000, maxPendingPerStory: 100_000 } } });
  });
  afterAll(async () => {
    await t.close();
  });

  it("keeps every committed transaction when others fail at the same time (50 in parallel, half throw after writing)", async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) =>
        t.server.db.transaction(async (em) => {
          await em.save(em.create(Tag, { slug: `paralel-${i}`, name: `Paralel ${i}` }));
          await new Promise((r) => setTimeout(r, i % 3));
          if (i % 2 === 1) throw new Error(`transaction ${i} fails after writing`);
          return i;
        }),
      ),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(25);
    const rows: Array<{ slug: string }> = await t.server.db.reader.query(`SELECT slug FROM tag WHERE slug LIKE 'paralel-%' ORDER BY id`);
    expect(rows.map((r) => r.slug).sort()).toEqual(Array.from({ length: 25 }, (_, k) => `paralel-${2 * k}`).sort());
  });

  it("stores exactly 200 comments from 200 concurrent addComment calls, with no error", async () => {
    const story = await t.server.db.transaction((em) => addStory(em, { title: "Ramai komentar" }));
    const articleId = toGlobalId("Article", story.pk);
    const responses = await Promise.all(
      Array.from({ length: 200 }, (_, i) => t.gql(ADD_COMMENT, { input: { articleId, authorName: `Pembaca ${i}`, authorEmail: `p${i}@contoh.id`, body: `Komentar nomor ${i}` } })),
    );
    expect(responses.filter((r) => r.status !== 200 || r.body.errors)).toEqual([]);
    const stored: Array<{ body: string }> = await t.server.db.reader.query(`SELECT body FROM comment WHERE article_id = ${story.pk}`);
    expect(stored).toHaveLength(200);
    expect(new Set(stored.map((r) => r.body)).size).toBe(200);
  });

  it("leaves exactly the successful ones of 50 concurrent editorial mutations, some of them invalid", async () => {
    const editor = bearer(await mintToken(t, "EDITOR"));
    const before = Number((await t.server.db.reader.query(`SELECT COUNT(*) AS n FROM article`))[0].n);
    const inputs = Array.from({ length: 50 }, (_, i) => {
      if (i % 5 === 1) return { title: "   ", body: "Judul kosong." };
      if (i % 5 === 3) return { title: `Orang hilang ${i}`, body: "Isi.", tags: [`Tag ${i}`], personIds: [toGlobalId("Person", 77_000 + i)] };
      return { title: `Berita serentak ${i}`, body: "Isi.", tags: ["Serentak", `Tag ${i}`] };
    });
    const responses = await Promise.all(inputs.map((input) => t.gql<{ createArticle: { id: string; slug: string } }>(CREATE_ARTICLE, { input }, editor)));
    const ok = responses.filter((r) => !r.body.errors);
    const failed = responses.filter((r) => r.body.errors);
    expect(ok).toHaveLength(30);
    expect(failed.map((r) => r.body.errors![0]!.extensions!.code).sort()).toEqual([...Array(10).fill("BAD_USER_INPUT"), ...Array(10).fill("NOT_FOUND")]);
    const after = Number((await t.server.db.reader.query(`SELECT COUNT(*) AS n FROM article`))[0].n);
    expect(after - before).toBe(30);
    const slugs = new Set(ok.map((r) => dataOf(r).createArticle.slug));
    expect(slugs.size).toBe(30);
    // The failed ones left no tags behind; the successful ones kept theirs.
    const tags: Array<{ slug: string }> = await t.server.db.reader.query(`SELECT slug FROM tag WHERE slug LIKE 'tag-%'`);
    expect(tags.map((r) => r.slug).sort()).toEqual(
      inputs
        .map((_, i) => i)
        .filter((i) => i % 5 !== 1 && i % 5 !== 3)
        .map((i) => `tag-${i}`)
        .sort(),
    );
  });
});

const ADD_COMMENT = `mutation Add($input: AddCommentInput!) { addComment(input: $input) { id } }`;
const CREATE_ARTICLE = `mutation Create($input: CreateArticleInput!) { createArticle(input: $input) { id slug } }`;
