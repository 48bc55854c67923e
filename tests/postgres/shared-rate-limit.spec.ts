import "reflect-metadata";
import { randomInt } from "node:crypto";
import Redis from "ioredis";
import { toGlobalId } from "../../src/kernel/ids";
import { addStory } from "../helpers/scenarios";
import { adminQuery, startTestServer } from "../helpers/server";
import type { TestServer } from "../helpers/server";

const databaseUrl = process.env.DATABASE_URL;
const redisUrl = process.env.REDIS_URL;
const suite = databaseUrl && redisUrl ? describe : describe.skip;
if (!databaseUrl || !redisUrl) {
  console.warn("Shared comment-limit suite skipped: it needs DATABASE_URL and REDIS_URL (e.g. postgres://postgres@127.0.0.1:5432/test and redis://127.0.0.1:6379)");
}

const LIMIT = 5;
/** Across stories; above the attempts of the per-story test, whose client is another anyway. */
const ADDRESS_LIMIT = 8;
const ADD = `mutation Add($input: AddCommentInput!) { addComment(input: $input) { id } }`;


suite("the comment limit shared by instances through Redis", () => {
  const database = new URL(databaseUrl ?? "postgres://localhost/x");
  database.pathname = "/nwr_rate_limit_test";
  // The database is made afresh, so story ids repeat from run to run while Redis keeps its
  // counts for the window: each run's client gets an address of its own.
  const client = `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;
  const flooder = `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;
  let a: TestServer;
  let b: TestServer;
  let redis: Redis;

  const start = () =>
    startTestServer({ database: { kind: "postgres", url: database.toString() }, seed: false, config: { redis: { url: redisUrl! }, http: { trustProxy: 1 }, comments: { rateLimit: LIMIT, rateWindowSeconds: 60, addressRateLimit: ADDRESS_LIMIT, addressRateWindowSeconds: 600 } } });
  /** This process's instances' rate-limit connections (the name carries the pid). */
  const limiterConnections = async () => ((await redis.client("LIST")) as string).split("\n").filter((line) => line.includes(` name=newsroom-rate-limit-${process.pid} `)).length;
  /** Redis drops a client just after answering its QUIT, so the list may show it a moment longer. */
  const connectionsSettleAt = async (count: number) => {
    for (let tries = 0; tries < 50 && (await limiterConnections()) !== count; tries++) await new Promise((r) => setTimeout(r, 20));
    return limiterConnections();
  };

  beforeAll(async () => {
    await adminQuery(`DROP DATABASE IF EXISTS nwr_rate_limit_test WITH (FORCE)`);
    await adminQuery(`CREATE DATABASE nwr_rate_limit_test`);
    redis = new Redis(redisUrl!);
    // A migrates the store first; B then finds it ready.
    a = await start();
    b = await start();
  }, 60_000);

  afterAll(async () => {
    await a?.close();
    await b?.close();
    redis?.disconnect();
    await adminQuery(`DROP DATABASE IF EXISTS nwr_rate_limit_test WITH (FORCE)`);
  });

  it("admits exactly the limit from one address posting through A and B in turn", async () => {
    const story = await a.server.db.transaction((em) => addStory(em, { title: "Dibaca di dua instans" }));
    const outcomes: string[] = [];
    for (let i = 0; i < LIMIT + 2; i++) {
      const res = await (i % 2 === 0 ? a : b).gql(ADD, { input: { articleId: toGlobalId("Article", story.pk), authorName: "Pembaca", authorEmail: "pembaca@contoh.id", body: `Komentar ${i}.` } }, { "x-forwarded-for": client });
      outcomes.push(res.body.errors?.length ? String(res.body.errors[0]!.extensions?.code) : "ok");
    }
    expect(outcomes).toEqual([...Array<string>(LIMIT).fill("ok"), "RATE_LIMITED", "RATE_LIMITED"]);
    expect(Number((await a.server.db.reader.query(`SELECT COUNT(*) AS n FROM comment WHERE article_id = $1`, [story.pk]))[0].n)).toBe(LIMIT);
  });

  it("admits exactly the limit across stories from one address posting through A and B in turn, one story each", async () => {
    const stories = await a.server.db.transaction(async (em) => {
      const made = [];
      for (let i = 0; i <= ADDRESS_LIMIT; i++) made.push(await addStory(em, { title: `Banjir komentar ${i}` }));
      return made;
    });
    const outcomes: string[] = [];
    for (const [i, story] of stories.entries()) {
      const res = await (i % 2 === 0 ? a : b).gql(ADD, { input: { articleId: toGlobalId("Article", story.pk), authorName: "Banjir", authorEmail: "banjir@contoh.id", body: `Komentar ${i}.` } }, { "x-forwarded-for": flooder });
      outcomes.push(res.body.errors?.length ? String(res.body.errors[0]!.extensions?.code) : "ok");
    }
    expect(outcomes).toEqual([...Array<string>(ADDRESS_LIMIT).fill("ok"), "RATE_LIMITED"]);
    expect(Number((await a.server.db.reader.query(`SELECT COUNT(*) AS n FROM comment WHERE article_id = ANY($1)`, [stories.map((s) => s.pk)]))[0].n)).toBe(ADDRESS_LIMIT);
  });

  it("closes its Redis connection when the server stops", async () => {
    expect(await limiterConnections()).toBe(2);
    await b.close();
    expect(await connectionsSettleAt(1)).toBe(1);
    await a.close();
    expect(await connectionsSettleAt(0)).toBe(0);
  });
});
