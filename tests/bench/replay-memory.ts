import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import sqlite3 from "sqlite3";
import WebSocket from "ws";
import { startServer } from "./lib/proc";

/*
 * Memory under replay (issue 9): 50 subscriptions on one socket, each replaying the whole event
 * log (10,000 events of ~20 KB) from the first cursor, first with the client reading nothing,
 * then reading as fast as it can. The server runs in its own process (as `npm start` runs it);
 * its RSS is read from /proc. Run: npm run build && node dist/tests/bench/replay-memory.js
 */

const EVENTS = Number(process.env.REPLAY_EVENTS ?? 10_000);
const SUBSCRIPTIONS = 50;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const mbOf = (bytes: number) => Math.round(bytes / 1_048_576);

/** Writes the log straight into the server's SQLite file (WAL: the server reads on meanwhile). */
async function fillLog(file: string, payload: string): Promise<void> {
  const db = new sqlite3.Database(file);
  const run = (sql: string, params: unknown[] = []) => new Promise<void>((resolve, reject) => db.run(sql, params, (error) => (error ? reject(error) : resolve())));
  await run("PRAGMA busy_timeout = 5000");
  await run("BEGIN");
  const now = new Date().toISOString().replace("T", " ").replace("Z", "");
  for (let i = 0; i < EVENTS; i++) await run(`INSERT INTO "event" ("topic", "type", "article_id", "comment_id", "payload", "created_at") VALUES ('article', 'UPDATED', 1, NULL, ?, ?)`, [payload, now]);
  await run("COMMIT");
  await new Promise<void>((resolve) => db.close(() => resolve()));
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "newsroom-replay-"));
  const file = path.join(dir, "db.sqlite");
  const server = await startServer(file, { SEED: "false", EVENT_POLL_INTERVAL_MS: "200" });
  try {
    const story = { pk: 1, slug: "panjang", title: "Cerita panjang", summary: null, body: "Paragraf panjang untuk diputar ulang. ".repeat(540), dateline: null, source: null, status: "PUBLISHED", publishedAt: new Date().toISOString(), scheduledFor: null, createdAt: new Date().toISOString(), updatedAt: new Date().toISOString() };
    const payload = JSON.stringify({ article: story, institutionPks: [], personPks: [], tags: [], relations: { tags: [], quotes: [] } });
    await fillLog(file, payload);
    await sleep(1000);
    console.log(`${EVENTS} events of ${Math.round(payload.length / 1024)} KB in the log; server RSS before subscribing: ${mbOf(server.rss())} MB`);

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
      peak = Math.max(peak, server.rss());
    }
    console.log(`client reading nothing for 10 s: server RSS peak ${mbOf(peak)} MB, now ${mbOf(server.rss())} MB`);
    raw.resume();
    peak = 0;
    const started = Date.now();
    for (let s = 1; s <= 20; s++) {
      await sleep(1000);
      peak = Math.max(peak, server.rss());
    }
    const seconds = (Date.now() - started) / 1000;
    console.log(`client reading at full speed for ${seconds.toFixed(0)} s: server RSS peak ${mbOf(peak)} MB, now ${mbOf(server.rss())} MB; ${received} of ${SUBSCRIPTIONS * EVENTS} events received (${Math.round(received / seconds)}/s)`);
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
