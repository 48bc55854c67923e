import "reflect-metadata";
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { createLogger } from "../../src/kernel/logger";
import { freePort } from "../helpers/daemon";
import { startTestServer } from "../helpers/server";
import type { TestServer } from "../helpers/server";

interface Line {
  level: number;
  msg: string;
  failedAttempts?: number;
}
const REDIS_SERVER = "/usr/bin/redis-server";
const WARN = 40;
const INFO = 30;
/** The three Redis connections of one server: the event notifier's two, and the rate limiter's. */
const CONNECTIONS = ["event notifications (publisher)", "event notifications (subscriber)", "rate limits"];

async function until(what: string, ok: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`waited ${timeoutMs} ms for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * A server whose REDIS_URL points at a port where no Redis runs yet: each connection logs the
 * outage once, then summaries no more often than the interval (here 0.5 s), and once that a Redis
 * started on the port later is back; never a line per failed reconnect.
 */
describe("a Redis outage in the logs", () => {
  let t: TestServer;
  let redis: ChildProcess | null = null;
  let dir: string | null = null;
  let port: number;
  const lines: Line[] = [];
  const about = (connection: string) => lines.filter((l) => l.msg.startsWith(`${connection}: `));

  beforeAll(async () => {
    // A port nothing listens on: the shared Redis on 6379 is left alone.
    port = await freePort();
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const text of chunk.toString("utf8").split("\n").filter(Boolean)) lines.push(JSON.parse(text) as Line);
        done();
      },
    });
    t = await startTestServer({ seed: false, config: { redis: { url: `redis://127.0.0.1:${port}`, outageLogMs: 500 } }, logger: createLogger("info", sink) });
  });
  afterAll(async () => {
    await t?.close();
    if (redis && redis.exitCode === null) {
      redis.kill("SIGTERM");
      await new Promise((resolve) => redis!.once("exit", resolve));
    }
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("warns once when Redis is unreachable, then sums up failed attempts at most every interval", async () => {
    // Enough failures that a line per failure would show: ioredis retries after 0.2 s, 0.4 s, 0.6 s…
    await until("six failed attempts on each connection", () => CONNECTIONS.every((c) => Math.max(0, ...about(c).map((l) => l.failedAttempts ?? 0)) >= 6));
    for (const connection of CONNECTIONS) {
      const mine = about(connection);
      expect(mine.filter((l) => l.msg.includes(": Redis unreachable;"))).toHaveLength(1);
      expect(mine[0]).toMatchObject({ level: WARN, msg: expect.stringMatching(/: Redis unreachable; \w/) });
      const summaries = mine.filter((l) => l.msg.endsWith(": Redis still unreachable"));
      expect(summaries.every((l) => l.level === WARN)).toBe(true);
      const attempts = summaries.at(-1)!.failedAttempts!;
      // Fewer lines than failures: the start, and summaries (each with a count that only grows).
      expect(mine.length).toBeLessThan(attempts);
      expect(summaries.map((l) => l.failedAttempts)).toEqual([...summaries.map((l) => l.failedAttempts!)].sort((a, b) => a - b));
    }
  });

  it("says once per connection that Redis is back when one starts on the port", async () => {
    if (!fs.existsSync(REDIS_SERVER)) {
      console.warn(`skipped: no ${REDIS_SERVER} to start a Redis with`);
      return;
    }
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "newsroom-redis-"));
    redis = spawn(REDIS_SERVER, ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir], { stdio: "ignore" });
    await until("every connection back", () => CONNECTIONS.every((c) => about(c).some((l) => l.msg.endsWith(": Redis is back"))));
    for (const connection of CONNECTIONS) {
      const back = about(connection).filter((l) => l.msg.endsWith(": Redis is back"));
      expect(back).toHaveLength(1);
      expect(back[0]).toMatchObject({ level: INFO, failedAttempts: expect.any(Number) });
    }
  });
});
