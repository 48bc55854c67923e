import "reflect-metadata";
import { toGlobalId } from "../../../src/kernel/ids";
import { ArticleStatus } from "../../../src/entities/article.entity";
import { addStory } from "../../helpers/scenarios";
import { dataOf, startTestServer } from "../../helpers/server";
import type { GraphQLResponse, TestServer } from "../../helpers/server";
import { bearer, mintToken } from "../../helpers/tokens";

const EMAIL = "rahasia.pembaca@contoh.co.id";

describe("reader comments and moderation", () => {
  let t: TestServer;
  let moderator: Record<string, string>;
  let storyId: string;
  let otherStoryId: string;
  let draftId: string;
  /** Every response body of the flow, to prove the email never leaves. */
  const bodies: string[] = [];

  const gql = async <T,>(query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}): Promise<GraphQLResponse<T>> => {
    const res = await t.gql<T>(query, variables, headers);
    bodies.push(res.text);
    return res;
  };
  const add = (input: Record<string, unknown>, headers: Record<string, string> = {}) =>
    gql<{ addComment: { id: string; status: string; body: string; authorName: string; authorWebsite: string | null } }>(ADD, { input: { articleId: storyId, authorName: "Wayan", authorEmail: EMAIL, body: "Komentar.", ...input } }, headers);
  const storedComments = async () => Number((await t.server.db.reader.query(`SELECT COUNT(*) AS n FROM comment`))[0].n);

  beforeAll(async () => {
    t = await startTestServer({ seed: false, config: { comments: { rateLimit: 1000 } } });
    moderator = bearer(await mintToken(t, "MODERATOR"));
    const [story, other, draft] = await t.server.db.transaction(async (em) => [
      await addStory(em, { title: "Berita dengan komentar" }),
      await addStory(em, { title: "Berita lain" }),
      await addStory(em, { title: "Draf", status: ArticleStatus.DRAFT }),
    ]);
    storyId = toGlobalId("Article", story!.pk);
    otherStoryId = toGlobalId("Article", other!.pk);
    draftId = toGlobalId("Article", draft!.pk);
  });
  afterAll(async () => {
    await t.close();
    expect(bodies.length).toBeGreaterThan(20);
    for (const body of bodies) expect(body).not.toContain(EMAIL);
  });

  it("takes a comment from anyone as PENDING, invisible until a moderator approves it", async () => {
    const added = dataOf(await add({ body: "Semoga sukses\u0000 selalu\u001b!", authorWebsite: "https://contoh.id/wayan" })).addComment;
    expect(added).toMatchObject({ status: "PENDING", body: "Semoga sukses selalu!", authorName: "Wayan", authorWebsite: "https://contoh.id/wayan" });
    const before = dataOf<{ article: { commentCount: number; comments: { totalCount: number } } }>(await gql(STORY_COMMENTS, { id: storyId })).article;
    expect(before).toEqual({ commentCount: 0, comments: { totalCount: 0, nodes: [] } });

    const queue = dataOf<{ comments: { nodes: Array<{ id: string; status: string }> } }>(await gql(QUEUE, { status: "PENDING" }, moderator)).comments.nodes;
    expect(queue.map((c) => c.id)).toContain(added.id);

    const approved = dataOf<{ moderateComment: { status: string } }>(await gql(MODERATE, { id: added.id, status: "APPROVED" }, moderator)).moderateComment;
    expect(approved.status).toBe("APPROVED");
    const after = dataOf<{ article: { commentCount: number; comments: { nodes: Array<{ body: string }> } } }>(await gql(STORY_COMMENTS, { id: storyId })).article;
    expect(after.commentCount).toBe(1);
    expect(after.comments.nodes.map((c) => c.body)).toEqual(["Semoga sukses selalu!"]);

    await gql(MODERATE, { id: added.id, status: "SPAM" }, moderator);
    expect(dataOf<{ article: { commentCount: number } }>(await gql(STORY_COMMENTS, { id: storyId })).article.commentCount).toBe(0);
    const spam = dataOf<{ comments: { nodes: Array<{ id: string }> } }>(await gql(QUEUE, { status: "SPAM" }, moderator)).comments.nodes;
    expect(spam.map((c) => c.id)).toContain(added.id);
  });

  it("threads replies on the same story, to approved comments only", async () => {
    const parent = dataOf(await add({ body: "Induk" })).addComment;
    const early = await add({ body: "Balasan terlalu cepat", parentId: parent.id });
    expect(early.body.errors?.[0]).toMatchObject({ extensions: { code: "NOT_FOUND", field: "input.parentId" } });
    await gql(MODERATE, { id: parent.id, status: "APPROVED" }, moderator);
    const reply = dataOf(await add({ body: "Balasan", parentId: parent.id })).addComment;
    await gql(MODERATE, { id: reply.id, status: "APPROVED" }, moderator);
    const thread = dataOf<{ node: { replies: Array<{ body: string; parent: { body: string } }> } }>(await gql(`query($id: ID!) { node(id: $id) { ... on Comment { replies { body parent { body } } } } }`, { id: parent.id })).node;
    expect(thread.replies).toEqual([{ body: "Balasan", parent: { body: "Induk" } }]);
    const elsewhere = await gql(ADD, { input: { articleId: otherStoryId, parentId: parent.id, authorName: "X", authorEmail: EMAIL, body: "Salah tempat" } });
    expect(elsewhere.body.errors?.[0]).toMatchObject({ extensions: { code: "BAD_USER_INPUT", field: "input.parentId" } });
  });

  describe("refuses bad input with the field's path, storing nothing", () => {
    const cases: Array<[string, Record<string, unknown>, string, string]> = [
      ["an empty name", { authorName: "  " }, "BAD_USER_INPUT", "input.authorName"],
      ["a name of 101 characters", { authorName: "n".repeat(101) }, "BAD_USER_INPUT", "input.authorName"],
      ["an email without @", { authorEmail: "bukan-email" }, "BAD_USER_INPUT", "input.authorEmail"],
      ["an email with a space", { authorEmail: "a b@contoh.id" }, "BAD_USER_INPUT", "input.authorEmail"],
      ["a blank email", { authorEmail: "" }, "BAD_USER_INPUT", "input.authorEmail"],
      ["an ftp website", { authorWebsite: "ftp://contoh.id" }, "BAD_USER_INPUT", "input.authorWebsite"],
      ["a javascript: website", { authorWebsite: "javascript:alert(1)" }, "BAD_USER_INPUT", "input.authorWebsite"],
      ["an empty body", { body: " \n " }, "BAD_USER_INPUT", "input.body"],
      ["a body of 5,001 characters", { body: "b".repeat(5001) }, "BAD_USER_INPUT", "input.body"],
      ["a draft story", { articleId: "__draft__" }, "NOT_FOUND", "input.articleId"],
      ["a story that does not exist", { articleId: toGlobalId("Article", 9999) }, "NOT_FOUND", "input.articleId"],
      ["a malformed story id", { articleId: "???" }, "BAD_USER_INPUT", "input.articleId"],
    ];
    it.each(cases)("%s", async (_name, input, code, field) => {
      const before = await storedComments();
      const res = await add(input.articleId === "__draft__" ? { ...input, articleId: draftId } : input);
      expect(res.body.errors).toHaveLength(1);
      expect(res.body.errors![0]).toMatchObject({ extensions: { code, field } });
      expect(await storedComments()).toBe(before);
    });
  });

  it("keeps moderation for moderators and admins", async () => {
    const comment = dataOf(await add({ body: "Untuk dimoderasi" })).addComment;
    expect((await gql(MODERATE, { id: comment.id, status: "APPROVED" })).body.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    expect((await gql(MODERATE, { id: comment.id, status: "APPROVED" }, bearer(await mintToken(t, "EDITOR")))).body.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect((await gql(QUEUE, { status: "PENDING" }, bearer(await mintToken(t, "EDITOR")))).body.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const status = dataOf<{ node: { status: string } }>(await gql(`query($id: ID!) { node(id: $id) { ... on Comment { status } } }`, { id: comment.id }, moderator)).node.status;
    expect(status).toBe("PENDING");
    const byAdmin = await gql(MODERATE, { id: comment.id, status: "REJECTED" }, bearer(await mintToken(t, "ADMIN")));
    expect(dataOf<{ moderateComment: { status: string } }>(byAdmin as GraphQLResponse<{ moderateComment: { status: string } }>).moderateComment.status).toBe("REJECTED");
    const unknown = await gql(MODERATE, { id: toGlobalId("Comment", 99999), status: "APPROVED" }, moderator);
    expect(unknown.body.errors?.[0]).toMatchObject({ extensions: { code: "NOT_FOUND" } });
  });
});

describe("comment rate limit and moderation policy", () => {
  it("answers RATE_LIMITED past the limit per client and story, storing nothing", async () => {
    const t = await startTestServer({ seed: false, config: { comments: { rateLimit: 3, rateWindowSeconds: 60 } } });
    try {
      const [a, b] = await t.server.db.transaction(async (em) => [await addStory(em, { title: "Satu" }), await addStory(em, { title: "Dua" })]);
      const post = (pk: number) => t.gql(ADD, { input: { articleId: toGlobalId("Article", pk), authorName: "Cepat", authorEmail: EMAIL, body: "Lagi." } });
      for (let i = 0; i < 3; i++) expect((await post(a!.pk)).body.errors).toBeUndefined();
      const refused = await post(a!.pk);
      expect(refused.body.errors?.[0]).toMatchObject({ extensions: { code: "RATE_LIMITED" } });
      expect(refused.body.errors?.[0]?.message).toMatch(/at most 3 every 60 s/);
      expect(Number((await t.server.db.reader.query(`SELECT COUNT(*) AS n FROM comment`))[0].n)).toBe(3);
      // Another story has its own allowance.
      expect((await post(b!.pk)).body.errors).toBeUndefined();
    } finally {
      await t.close();
    }
  });

  it("approves at once when AUTO_APPROVE_COMMENTS is on", async () => {
    const t = await startTestServer({ seed: false, config: { comments: { autoApprove: true } } });
    try {
      const story = await t.server.db.transaction((em) => addStory(em, { title: "Langsung tampil" }));
      const res = await t.gql<{ addComment: { status: string } }>(ADD, { input: { articleId: toGlobalId("Article", story.pk), authorName: "A", authorEmail: EMAIL, body: "Halo" } });
      expect(dataOf(res).addComment.status).toBe("APPROVED");
      expect(dataOf<{ comments: { totalCount: number } }>(await t.gql(`{ comments { totalCount } }`)).comments.totalCount).toBe(1);
    } finally {
      await t.close();
    }
  });
});

const ADD = `mutation Add($input: AddCommentInput!) { addComment(input: $input) { id status body authorName authorWebsite createdAt } }`;
const MODERATE = `mutation Moderate($id: ID!, $status: CommentStatus!) { moderateComment(id: $id, status: $status) { id status body } }`;
const QUEUE = `query Queue($status: CommentStatus) { comments(first: 100, filter: { status: $status }) { nodes { id status body authorName } } }`;
const STORY_COMMENTS = `query StoryComments($id: ID) { article(id: $id) { commentCount comments { totalCount nodes { body } } } }`;
