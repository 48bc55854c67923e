import "reflect-metadata";
import net from "node:net";
import { toGlobalId } from "../../../src/kernel/ids";
import { createLogger } from "../../../src/kernel/logger";
import { loadConfig } from "../../../src/config";
import { Comment } from "../../../src/entities/comment.entity";
import { addStory } from "../../helpers/scenarios";
import { dataOf, startTestServer } from "../../helpers/server";
import type { TestServer } from "../../helpers/server";
import { bearer, mintToken } from "../../helpers/tokens";

const ADD = `mutation Add($input: AddCommentInput!) { addComment(input: $input) { id } }`;

/** A local port nothing listens on: a Redis that is down. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("the comment limit with REDIS_URL set and Redis down", () => {
  it("still limits on this instance, and logs the outage once", async () => {
    const lines: Array<{ level: number; msg: string }> = [];
    const logger = createLogger("info", { write: (line: string) => void lines.push(JSON.parse(line)) });
    const t = await startTestServer({ seed: false, logger, config: { redis: { url: `redis://127.0.0.1:${await closedPort()}` }, comments: { rateLimit: 5, rateWindowSeconds: 60 } } });
    try {
      const story = await t.server.db.transaction((em) => addStory(em, { title: "Redis mati" }));
      const outcomes: string[] = [];
      for (let i = 0; i < 7; i++) {
        const res = await t.gql(ADD, { input: { articleId: toGlobalId("Article", story.pk), authorName: "Pembaca", authorEmail: "pembaca@contoh.id", body: `Komentar ${i}.` } });
        outcomes.push(res.body.errors?.length ? String(res.body.errors[0]!.extensions?.code) : "ok");
      }
      expect(outcomes).toEqual(["ok", "ok", "ok", "ok", "ok", "RATE_LIMITED", "RATE_LIMITED"]);
      const outage = lines.filter((l) => /^rate limits/.test(l.msg));
      expect(outage).toHaveLength(1);
      expect(outage[0]).toMatchObject({ level: 40, msg: expect.stringMatching(/Redis.*this instance/i) });
    } finally {
      await t.close();
    }
  });
});

describe("the comment limit per address across stories", () => {
  it("admits the limit spread over as many stories, refuses one more on yet another story, and stores nothing for it", async () => {
    const t = await startTestServer({ seed: false, config: { http: { trustProxy: 1 }, comments: { rateLimit: 5, addressRateLimit: 3, addressRateWindowSeconds: 600 } } });
    try {
      const stories = await t.server.db.transaction(async (em) => [
        await addStory(em, { title: "Satu" }),
        await addStory(em, { title: "Dua" }),
        await addStory(em, { title: "Tiga" }),
        await addStory(em, { title: "Empat" }),
      ]);
      const post = (pk: number, address: string) => t.gql(ADD, { input: { articleId: toGlobalId("Article", pk), authorName: "Banjir", authorEmail: "banjir@contoh.id", body: "Komentar." } }, { "x-forwarded-for": address });
      for (const story of stories.slice(0, 3)) expect((await post(story.pk, "10.1.1.1")).body.errors).toBeUndefined();
      const refused = await post(stories[3]!.pk, "10.1.1.1");
      expect(refused.body.errors?.[0]).toMatchObject({ extensions: { code: "RATE_LIMITED" } });
      expect(refused.body.errors?.[0]?.message).toMatch(/comments from one address: at most 3 every 600 s/);
      expect(await storedOn(t, stories[3]!.pk)).toBe(0);
      expect(await storedOn(t)).toBe(3);
      // Another address has its own allowance.
      expect((await post(stories[3]!.pk, "10.1.1.2")).body.errors).toBeUndefined();
    } finally {
      await t.close();
    }
  });
});

describe("the cap on comments waiting for moderation per story", () => {
  let t: TestServer;
  let moderator: Record<string, string>;
  let addresses = 0;
  beforeAll(async () => {
    // Every post comes from an address of its own: the cap is the story's, whoever posts.
    t = await startTestServer({ seed: false, config: { http: { trustProxy: 1 }, comments: { maxPendingPerStory: 3 } } });
    moderator = bearer(await mintToken(t, "MODERATOR"));
  });
  afterAll(async () => {
    await t.close();
  });
  /** Posts from a new address: "ok" and the comment's id, or the error's code. */
  const post = async (pk: number): Promise<{ outcome: string; id: string | null; message?: string }> => {
    const res = await t.gql<{ addComment: { id: string } }>(ADD, { input: { articleId: toGlobalId("Article", pk), authorName: "Antre", authorEmail: "antre@contoh.id", body: "Menunggu." } }, { "x-forwarded-for": `10.2.0.${++addresses}` });
    const error = res.body.errors?.[0];
    return error ? { outcome: String(error.extensions?.code), id: null, message: error.message } : { outcome: "ok", id: res.body.data!.addComment.id };
  };

  it("admits up to the cap, refuses the next with RATE_LIMITED storing nothing, and takes one more once a moderator approves one", async () => {
    const [story, other] = await t.server.db.transaction(async (em) => [await addStory(em, { title: "Antrean penuh" }), await addStory(em, { title: "Antrean lain" })]);
    const admitted = [await post(story!.pk), await post(story!.pk), await post(story!.pk)];
    expect(admitted.map((a) => a.outcome)).toEqual(["ok", "ok", "ok"]);
    const refused = await post(story!.pk);
    expect(refused.outcome).toBe("RATE_LIMITED");
    expect(refused.message).toContain(`Story '${toGlobalId("Article", story!.pk)}' has 3 comments waiting for moderation`);
    expect(await storedOn(t, story!.pk)).toBe(3);
    // Another story has a queue of its own.
    expect((await post(other!.pk)).outcome).toBe("ok");

    expect(dataOf(await t.gql(MODERATE, { id: admitted[0]!.id, status: "APPROVED" }, moderator))).toEqual({ moderateComment: { status: "APPROVED" } });
    expect((await post(story!.pk)).outcome).toBe("ok");
    expect((await post(story!.pk)).outcome).toBe("RATE_LIMITED");
    expect(await storedOn(t, story!.pk)).toBe(4);
  });

  it("holds when comments arrive at once: exactly the cap is stored", async () => {
    const story = await t.server.db.transaction((em) => addStory(em, { title: "Serbuan serentak" }));
    const outcomes = (await Promise.all(Array.from({ length: 8 }, () => post(story.pk)))).map((p) => p.outcome).sort();
    expect(outcomes).toEqual(["RATE_LIMITED", "RATE_LIMITED", "RATE_LIMITED", "RATE_LIMITED", "RATE_LIMITED", "ok", "ok", "ok"]);
    expect(await storedOn(t, story.pk)).toBe(3);
  });
});

describe("the comment limits' settings", () => {
  it("default to 20 comments per address every 600 s across stories and 100 waiting per story", () => {
    expect(loadConfig({}).comments).toMatchObject({ rateLimit: 5, rateWindowSeconds: 60, addressRateLimit: 20, addressRateWindowSeconds: 600, maxPendingPerStory: 100 });
    expect(loadConfig({ COMMENT_ADDRESS_RATE_LIMIT: "50", COMMENT_ADDRESS_RATE_WINDOW_SECONDS: "3600", COMMENT_MAX_PENDING_PER_STORY: "10" }).comments).toMatchObject({
      addressRateLimit: 50,
      addressRateWindowSeconds: 3600,
      maxPendingPerStory: 10,
    });
  });

  it("refuses values that are not positive integers, naming the variable", () => {
    expect(() => loadConfig({ COMMENT_ADDRESS_RATE_LIMIT: "0" })).toThrow(/COMMENT_ADDRESS_RATE_LIMIT must be an integer from 1 to 1000000, got '0'/);
    expect(() => loadConfig({ COMMENT_ADDRESS_RATE_WINDOW_SECONDS: "1h" })).toThrow(/COMMENT_ADDRESS_RATE_WINDOW_SECONDS must be an integer from 1 to 86400, got '1h'/);
    expect(() => loadConfig({ COMMENT_MAX_PENDING_PER_STORY: "-1" })).toThrow(/COMMENT_MAX_PENDING_PER_STORY must be an integer from 1 to 1000000, got '-1'/);
  });
});

/** Comments stored on one story, or on all. */
async function storedOn(t: TestServer, articlePk?: number): Promise<number> {
  // Through TypeORM: the same count on SQLite and PostgreSQL (their placeholders differ).
  return t.server.db.reader.getRepository(Comment).count({ where: articlePk === undefined ? {} : { articleId: articlePk } });
}

const MODERATE = `mutation Moderate($id: ID!, $status: CommentStatus!) { moderateComment(id: $id, status: $status) { status } }`;
