import "reflect-metadata";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import WebSocket from "ws";
import { loadConfig } from "../../src/config";
import { EventRecord } from "../../src/events/event.entity";
import { createServer } from "../../src/server";

/*
 * Memory under replay (issue 9): 50 subscriptions on one socket, each replaying the whole event
 * log (10,000 events of ~20 KB) from the first cursor, first with the client reading nothing,
 * then reading as fast as it can. Prints the process's RSS over time (server and this client
 * share the process; the client keeps no messages). Run: npm run build && node dist/tests/bench/replay-memory.js
 */

const EVENTS = Number(process.env.REPLAY_EVENTS ?? 10_000);
const SUBSCRIPTIONS = 50;
const rss = () => Math.round(process.memoryUsage().rss / 1_048_576);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "newsroom-replay-"));
  const config = { ...loadConfig({ ...process.env, SQLITE_FILE: path.join(dir, "db.sqlite"), PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "warn", NODE_ENV: "production" }) };
  const server = await createServer(config);
  try {
    const story = { pk: 1, slug: "panjang", title: "Cerita panjang", summary: null, body: "Paragraf panjang untuk diputar ulang. ".repeat(540), dateline: null, source: null, status: "PUBLISHED", publishedAt: new Date().toISOString(), scheduledFor: null, createdAt: new Date().toISOString(), updatedAt: new Date().toISOString() };
    const payload = JSON.stringify({ article: story, institutionPks: [], personPks: [], tags: [], relations: { tags: [], quotes: [] } });
    await server.db.transaction(async (em) => {
      for (let done = 0; done < EVENTS; done += 500) {
        await em.getRepository(EventRecord).insert(Array.from({ length: Math.min(500, EVENTS - done) }, () => ({ topic: "article" as const, type: "UPDATED" as const, articleId: 1, commentId: null, payload, createdAt: new Date() })));
      }
    });
    await server.bus.settle();
    global.gc?.();
    console.log(`${EVENTS} events of ${Math.round(payload.length / 1024)} KB in the log; RSS before subscribing: ${rss()} MB`);

    const socket = new WebSocket(`ws://127.0.0.1:${server.port}/graphql`, "graphql-transport-ws");
    let received = 0;
    socket.on("message", () => void received++);
    await new Promise<void>((resolve) => socket.once("open", () => resolve()));
    socket.send(JSON.stringify({ type: "connection_init", payload: {} }));
    await sleep(100);
    const raw = (socket as unknown as { _socket: { pause(): void; resume(): void } })._socket;
    raw.pause();
    for (let i = 0; i < SUBSCRIPTIONS; i++) socket.send(JSON.stringify({ id: `r${i}`, type: "subscribe", payload: { query: `subscription { articleEvents(after: "0000000000000000") { cursor type article { title body } } }` } }));
    let peak = 0;
    for (let s = 1; s <= 10; s++) {
      await sleep(1000);
      peak = Math.max(peak, rss());
      console.log(`client not reading, ${s} s: RSS ${rss()} MB`);
    }
    console.log(`peak RSS with a client that reads nothing: ${peak} MB`);
    raw.resume();
    peak = 0;
    const started = Date.now();
    for (let s = 1; s <= 15; s++) {
      await sleep(1000);
      peak = Math.max(peak, rss());
      console.log(`client reading, ${s} s: RSS ${rss()} MB, ${received} messages (${Math.round(received / ((Date.now() - started) / 1000))}/s)`);
    }
    console.log(`peak RSS while streaming ${SUBSCRIPTIONS} replays: ${peak} MB; ${received} of ${SUBSCRIPTIONS * EVENTS} events received in 15 s`);
    socket.terminate();
  } finally {
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

void main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
