import "reflect-metadata";
import { adminQuery, dataOf, startTestServer } from "../helpers/server";
import type { TestServer } from "../helpers/server";
import { bearer, mintToken } from "../helpers/tokens";
import { startReceiver } from "../helpers/webhook-receiver";
import type { Receiver } from "../helpers/webhook-receiver";

const url = process.env.DATABASE_URL;
const suite = url ? describe : describe.skip;
if (!url) console.warn("Webhook instances suite skipped: DATABASE_URL is unset");

/**
 * Two instances on one PostgreSQL database, both running the dispatcher and both polling all the
 * time: each event makes one delivery per endpoint, and the row claims let exactly one instance
 * send each attempt.
 */
suite("webhooks with two instances on PostgreSQL", () => {
  const database = new URL(url ?? "postgres://localhost/x");
  database.pathname = "/nwr_webhook_instances";
  const webhooks = { allowHosts: ["127.0.0.1"], pollIntervalMs: 20, retryBaseMs: 20, retryMaxMs: 100, timeoutMs: 2000, concurrency: 8 };
  let a: TestServer;
  let b: TestServer;
  let receiver: Receiver;

  beforeAll(async () => {
    await adminQuery(`DROP DATABASE IF EXISTS nwr_webhook_instances WITH (FORCE)`);
    await adminQuery(`CREATE DATABASE nwr_webhook_instances`);
    const config = { webhooks, events: { pollIntervalMs: 50, schedulerIntervalMs: 100, retentionMs: 86_400_000 } };
    a = await startTestServer({ database: { kind: "postgres", url: database.toString() }, seed: false, config });
    b = await startTestServer({ database: { kind: "postgres", url: database.toString() }, seed: false, config });
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await receiver.close();
    await a.close();
    await b.close();
    await adminQuery(`DROP DATABASE IF EXISTS nwr_webhook_instances WITH (FORCE)`);
  });

  it("sends each event once, with both instances racing for it, in order per story", async () => {
    const admin = bearer(await mintToken(a, "ADMIN"));
    const made = dataOf<{ createWebhookEndpoint: { secret: string } }>(
      await a.gql(`mutation($url: String!) { createWebhookEndpoint(url: $url, events: [ARTICLE_PUBLISHED, ARTICLE_UPDATED]) { secret } }`, { url: receiver.url }, admin),
    ).createWebhookEndpoint;
    receiver.secret = made.secret;
    const stories: string[] = [];
    // Written through both instances, so both hear of events at once.
    for (let i = 0; i < 12; i++) {
      const server = i % 2 === 0 ? a : b;
      const { createArticle } = dataOf<{ createArticle: { id: string } }>(await server.gql(`mutation($t: String!) { createArticle(input: { title: $t, body: "Isi." }) { id } }`, { t: `Cerita ${i}` }, admin));
      await server.gql(`mutation($id: ID!) { publishArticle(id: $id) { status } }`, { id: createArticle.id }, admin);
      await (i % 2 === 0 ? b : a).gql(`mutation($id: ID!, $t: String!) { updateArticle(id: $id, input: { title: $t }) { id } }`, { id: createArticle.id, t: `Cerita ${i}, diperbarui` }, admin);
      stories.push(createArticle.id);
    }
    await receiver.waitFor((r) => r.length >= 24, 30_000);
    await a.server.webhooks.settle();
    await b.server.webhooks.settle();
    const ids = receiver.received.map((r) => r.id);
    expect(new Set(ids).size).toBe(24);
    expect(ids).toHaveLength(24);
    expect(receiver.received.every((r) => r.verified)).toBe(true);
    for (const id of stories) {
      expect(receiver.received.filter((r) => r.payload.data.article!.id === id).map((r) => r.payload.type)).toEqual(["article.published", "article.updated"]);
    }
    const rows = await a.server.db.reader.query(`SELECT COUNT(*)::int AS n, COUNT(DISTINCT event_seq)::int AS events FROM webhook_delivery`);
    expect(rows[0]).toEqual({ n: 24, events: 24 });
  });
});
