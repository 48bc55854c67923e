import "reflect-metadata";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { toGlobalId } from "../../src/kernel/ids";
import { edgeKeysOf } from "../../src/cache/tags";
import { addStory, addTag } from "../helpers/scenarios";
import { dataOf, metricOf, startTestServer } from "../helpers/server";
import type { TestServer } from "../helpers/server";
import { bearer, mintToken } from "../helpers/tokens";

/*
 * Comments and cached answers, as a reader and the HTTP cache in front see them: a comment
 * waiting for moderation changes nothing a reader sees, so it drops no cached answer and purges
 * nothing; its approval, and its removal afterwards, show on the next read of the story's
 * comments and of its commentCount, here and at the edge.
 */

/** A stand-in for the HTTP cache in front: it records the tags of every PURGE it receives. */
async function purgeReceiver(): Promise<{ url: string; purged: string[][]; close(): Promise<void>; waitFor(tag: string): Promise<void> }> {
  const purged: string[][] = [];
  const waiters: Array<() => void> = [];
  const server = http.createServer((req, res) => {
    if (req.method === "PURGE") purged.push(String(req.headers["xkey-purge"] ?? "").split(" "));
    res.end();
    for (const wake of waiters.splice(0)) wake();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    purged,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    async waitFor(tag) {
      while (!purged.some((tags) => tags.includes(tag))) await new Promise<void>((resolve) => waiters.push(resolve));
    },
  };
}

describe("comments and the response cache", () => {
  let t: TestServer;
  let edge: Awaited<ReturnType<typeof purgeReceiver>>;
  let moderator: Record<string, string>;

  beforeAll(async () => {
    edge = await purgeReceiver();
    t = await startTestServer({ seed: false, config: { cache: { purgeUrl: edge.url } } });
    moderator = bearer(await mintToken(t, "MODERATOR"));
  });
  afterAll(async () => {
    await t.close();
    await edge.close();
  });

  /** A published story, once every instance has dropped what its write changed (its purge is sent after that). */
  const newStory = async (title: string) => {
    edge.purged.length = 0;
    const story = await t.server.db.transaction((em) => addStory(em, { title }));
    await edge.waitFor("Article");
    return toGlobalId("Article", story.pk);
  };
  const addComment = async (articleId: string, body: string) =>
    dataOf<{ addComment: { id: string; status: string } }>(await t.gql(ADD, { input: { articleId, authorName: "Pembaca", authorEmail: "pembaca@contoh.id", body } })).addComment;
  const moderate = async (id: string, status: string) => dataOf<{ moderateComment: { status: string } }>(await t.gql(MODERATE, { id, status }, moderator)).moderateComment.status;
  const comments = async (id: string) => dataOf<{ article: { comments: { totalCount: number; nodes: Array<{ body: string }> } } }>(await t.gql(COMMENTS, { id })).article.comments;
  const commentCount = async (id: string) => dataOf<{ article: { commentCount: number } }>(await t.gql(COUNT, { id })).article.commentCount;
  const hits = () => metricOf(t, "response_cache_hits_total");
  const cacheEvents = async () => Number((await t.server.db.reader.query(`SELECT COUNT(*) AS n FROM event WHERE topic = 'cache'`))[0].n);
  /** Writes a tag and waits for its purge: every purge asked for before it has been asked for by then. */
  const purgeMarker = async (name: string) => {
    await t.server.db.transaction((em) => addTag(em, name));
    await edge.waitFor("Tag");
  };

  it("drops no cached answer and purges nothing for a comment that waits for moderation", async () => {
    const story = await newStory("Menunggu moderasi");
    // Read to store, then to see the stored answers served.
    expect(await comments(story)).toEqual({ totalCount: 0, nodes: [] });
    expect(await commentCount(story)).toBe(0);
    // The response cache keeps an answer from its second sighting on.
    await comments(story);
    await commentCount(story);
    const before = await hits();
    expect(await comments(story)).toEqual({ totalCount: 0, nodes: [] });
    expect(await commentCount(story)).toBe(0);
    expect(await hits()).toBe(before + 2);
    const events = await cacheEvents();
    edge.purged.length = 0;

    expect((await addComment(story, "Belum dimoderasi.")).status).toBe("PENDING");

    expect(await comments(story)).toEqual({ totalCount: 0, nodes: [] });
    expect(await commentCount(story)).toBe(0);
    expect(await hits()).toBe(before + 4);
    // Nothing for the other instances to drop, nor for the edge.
    expect(await cacheEvents()).toBe(events);
    await purgeMarker("Penanda pertama");
    expect(edge.purged.flat()).not.toContain("Comment");
  });

  it("shows an approved comment in the cached list and commentCount, and hides it again once marked spam", async () => {
    const story = await newStory("Disetujui lalu spam");
    const comment = await addComment(story, "Komentar yang disetujui.");
    expect(await comments(story)).toEqual({ totalCount: 0, nodes: [] });
    expect(await commentCount(story)).toBe(0);
    // The response cache keeps an answer from its second sighting on.
    await comments(story);
    await commentCount(story);
    const before = await hits();
    await comments(story);
    await commentCount(story);
    expect(await hits()).toBe(before + 2);
    // A copy at the edge is purged with Comment too (by its kind, or by the marker of answers naming its rows).
    const res = await fetch(`http://127.0.0.1:${t.server.port}/graphql?query=${encodeURIComponent(COUNT)}&variables=${encodeURIComponent(JSON.stringify({ id: story }))}`);
    const xkey = res.headers.get("xkey")?.split(" ") ?? [];
    expect(edgeKeysOf(["Comment"]).filter((key) => xkey.includes(key))).not.toEqual([]);

    edge.purged.length = 0;
    expect(await moderate(comment.id, "APPROVED")).toBe("APPROVED");
    expect(await comments(story)).toEqual({ totalCount: 1, nodes: [{ body: "Komentar yang disetujui." }] });
    expect(await commentCount(story)).toBe(1);
    await edge.waitFor("Comment");

    edge.purged.length = 0;
    expect(await moderate(comment.id, "SPAM")).toBe("SPAM");
    expect(await comments(story)).toEqual({ totalCount: 0, nodes: [] });
    expect(await commentCount(story)).toBe(0);
    await edge.waitFor("Comment");
  });

  it("drops and purges nothing when a moderator moves a comment readers never saw", async () => {
    const story = await newStory("Langsung ditolak");
    const comment = await addComment(story, "Iklan.");
    await comments(story);
    await commentCount(story);
    // The response cache keeps an answer from its second sighting on.
    await comments(story);
    await commentCount(story);
    const before = await hits();
    const events = await cacheEvents();
    edge.purged.length = 0;

    expect(await moderate(comment.id, "SPAM")).toBe("SPAM");
    expect(await moderate(comment.id, "REJECTED")).toBe("REJECTED");

    expect(await comments(story)).toEqual({ totalCount: 0, nodes: [] });
    expect(await commentCount(story)).toBe(0);
    expect(await hits()).toBe(before + 2);
    expect(await cacheEvents()).toBe(events);
    await purgeMarker("Penanda kedua");
    expect(edge.purged.flat()).not.toContain("Comment");
  });
});

const ADD = `mutation Add($input: AddCommentInput!) { addComment(input: $input) { id status } }`;
const MODERATE = `mutation Moderate($id: ID!, $status: CommentStatus!) { moderateComment(id: $id, status: $status) { status } }`;
const COMMENTS = `query StoryComments($id: ID) { article(id: $id) { comments { totalCount nodes { body } } } }`;
const COUNT = `query StoryCommentCount($id: ID) { article(id: $id) { commentCount } }`;
