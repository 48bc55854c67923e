import "reflect-metadata";
import fs from "node:fs";
import path from "node:path";
import { runTokenCommand } from "../../../src/tools/token";
import { startServerProcess } from "../../helpers/process";
import type { ServerProcess } from "../../helpers/process";
import { adminQuery, tempSqliteFile } from "../../helpers/server";
import { startReceiver } from "../../helpers/webhook-receiver";
import type { Receiver } from "../../helpers/webhook-receiver";

/**
 * The server is killed (SIGKILL, no shutdown) while the receiver holds a delivery open and other
 * events wait, then started again on the same database: every event arrives at least once, in
 * order per story, and the one that was in flight is sent again.
 */
describe("webhooks across a killed server", () => {
  let receiver: Receiver;
  let server: ServerProcess;
  /** Every process started, killed in afterAll whatever state the test left them in. */
  const started: ServerProcess[] = [];
  const start = async () => {
    const child = await startServerProcess(env, 120_000);
    started.push(child);
    return child;
  };
  let env: Record<string, string>;
  let file: string;
  const onPostgres = process.env.TEST_DATABASE === "postgres" && Boolean(process.env.DATABASE_URL);

  beforeAll(async () => {
    receiver = await startReceiver();
    file = tempSqliteFile();
    let databaseUrl = "";
    if (onPostgres) {
      await adminQuery(`DROP DATABASE IF EXISTS nwr_webhook_restart WITH (FORCE)`);
      await adminQuery(`CREATE DATABASE nwr_webhook_restart`);
      const url = new URL(process.env.DATABASE_URL!);
      url.pathname = "/nwr_webhook_restart";
      databaseUrl = url.toString();
    }
    env = {
      SQLITE_FILE: file,
      DATABASE_URL: databaseUrl,
      REDIS_URL: "",
      SEED: "false",
      WEBHOOK_ALLOW_HOSTS: "127.0.0.1",
      WEBHOOK_TIMEOUT_MS: "1500",
      WEBHOOK_RETRY_BASE_MS: "50",
      WEBHOOK_RETRY_MAX_MS: "200",
      WEBHOOK_POLL_INTERVAL_MS: "50",
      EVENT_POLL_INTERVAL_MS: "100",
    };
  });
  afterAll(async () => {
    for (const child of started) await child.kill("SIGKILL");
    await receiver.close();
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
    if (onPostgres) await adminQuery(`DROP DATABASE IF EXISTS nwr_webhook_restart WITH (FORCE)`);
  });

  it("delivers every event at least once, in order per story, the one in flight again", async () => {
    server = await start();
    const lines: string[] = [];
    expect(await runTokenCommand(["create", "--name", "Admin", "--role", "ADMIN"], (line) => lines.push(line), { ...process.env, ...env })).toBe(0);
    const headers = { "content-type": "application/json", authorization: `Bearer ${lines.at(-1)}` };
    const gql = async <T,>(query: string, variables: Record<string, unknown>): Promise<T> => {
      const res = await fetch(server.url, { method: "POST", headers, body: JSON.stringify({ query, variables }) });
      const body = (await res.json()) as { data?: T; errors?: unknown };
      if (body.errors || !body.data) throw new Error(JSON.stringify(body.errors));
      return body.data;
    };
    const made = await gql<{ createWebhookEndpoint: { secret: string } }>(CREATE_ENDPOINT, { url: receiver.url, events: ["ARTICLE_PUBLISHED", "ARTICLE_UPDATED"] });
    receiver.secret = made.createWebhookEndpoint.secret;
    // The first request is held open until the server dies; everything after it is answered.
    receiver.answer = (_request, n) => (n === 0 ? "stall" : { status: 204 });

    /** Per story, the event types in the order they were written. */
    const written = new Map<string, string[]>();
    const publish = async (title: string) => {
      const { createArticle } = await gql<{ createArticle: { id: string } }>(CREATE_ARTICLE, { title });
      await gql(PUBLISH, { id: createArticle.id });
      written.set(createArticle.id, ["article.published"]);
      return createArticle.id;
    };
    const update = async (id: string, title: string) => {
      await gql(UPDATE_ARTICLE, { id, title });
      written.get(id)!.push("article.updated");
    };
    const first = await publish("Cerita pertama");
    await receiver.waitFor((r) => r.length === 1);
    // While the first delivery hangs, more events are written: some sent, the first story's waiting behind it.
    await update(first, "Cerita pertama, diperbarui");
    const second = await publish("Cerita kedua");
    await update(second, "Cerita kedua, diperbarui");
    const third = await publish("Cerita ketiga");
    await update(first, "Cerita pertama, diperbarui lagi");
    await receiver.waitFor((r) => r.some((x) => x.payload.data.article!.id === second));
    const stalledId = receiver.received[0]!.id;

    expect(await server.kill("SIGKILL")).toBeNull();
    const beforeRestart = receiver.received.length;
    server = await start();
    await update(third, "Cerita ketiga, diperbarui");

    const expected = [...written.values()].reduce((n, types) => n + types.length, 0);
    await receiver.waitFor((r) => new Set(r.map((x) => x.id)).size === expected, 30_000);
    expect(receiver.received.length).toBeGreaterThan(beforeRestart);
    expect(receiver.received.every((r) => r.verified)).toBe(true);
    // The delivery that was in flight when the server died was sent again.
    expect(receiver.received.filter((r) => r.id === stalledId).length).toBeGreaterThanOrEqual(2);
    // Per story, deduplicated by webhook-id: every event, in the order written.
    const distinct = receiver.distinct();
    for (const [id, types] of written) {
      const got = distinct.filter((r) => r.payload.data.article!.id === id);
      expect(got.map((r) => r.payload.type)).toEqual(types);
      expect(got.map((r) => r.id)).toEqual(got.map((r) => r.id).sort());
    }
    expect(await server.kill("SIGTERM")).toBe(0);
  }, 400_000);
});

const CREATE_ENDPOINT = `mutation Create($url: String!, $events: [WebhookEventType!]!) { createWebhookEndpoint(url: $url, events: $events) { secret } }`;
const CREATE_ARTICLE = `mutation Create($title: String!) { createArticle(input: { title: $title, body: "Isi cerita." }) { id } }`;
const PUBLISH = `mutation Publish($id: ID!) { publishArticle(id: $id) { status } }`;
const UPDATE_ARTICLE = `mutation Update($id: ID!, $title: String!) { updateArticle(id: $id, input: { title: $title }) { id } }`;
