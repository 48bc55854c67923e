import { fork } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { startServer } from "./lib/proc";

/*
 * A reader's latency while one address holds 2,000 slow connections (half a request's headers,
 * or its headers and half its body), and while it reopens each one the server closes at once.
 * The attacker runs in a process of its own from 127.0.0.1, the reader from 127.0.0.2, each
 * reader request on a new connection. Run: npm run build && node dist/tests/bench/slow-clients.js
 */

const SLOW = 2000;
const READS = 20;
const READER = "127.0.0.2";
const FRONT_PAGE = JSON.stringify({ query: `{ articles(first: 20) { nodes { id slug title summary publishedAt } } }` });
const PARTIAL_HEADERS = "POST /graphql HTTP/1.1\r\nHost: newsroom.test\r\nContent-Type: application/json\r\n";
const PARTIAL_BODY = `${PARTIAL_HEADERS}Content-Length: 1000\r\n\r\n{"query":"`;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One front-page request on a connection of its own; its time in ms, or null if it failed or took over 10 s. */
function read(port: number): Promise<number | null> {
  return new Promise((resolve) => {
    const started = performance.now();
    const req = http.request({ host: "127.0.0.1", port, localAddress: READER, agent: false, method: "POST", path: "/graphql", headers: { "content-type": "application/json" } }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode === 200 ? performance.now() - started : null));
    });
    req.setTimeout(10_000, () => req.destroy());
    req.once("error", () => resolve(null));
    req.end(FRONT_PAGE);
  });
}

async function reads(port: number, count: number): Promise<string> {
  const times: number[] = [];
  let failed = 0;
  for (let i = 0; i < count; i++) {
    const time = await read(port);
    if (time === null) failed++;
    else times.push(time);
  }
  times.sort((a, b) => a - b);
  const shown = times.length === 0 ? "n/a" : `${times[Math.floor(times.length / 2)]!.toFixed(1)} / ${times.at(-1)!.toFixed(1)} ms`;
  return failed === 0 ? shown : `${shown}, ${failed} of ${count} failed`;
}

/** The attacker's process: holds SLOW connections, and with `reopen` opens a new one for each the server closes. */
function attack(port: number, reopen: boolean): void {
  let open = 0;
  let closedByServer = 0;
  let stopping = false;
  const sockets = new Set<net.Socket>();
  const one = (i: number) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    sockets.add(socket);
    open++;
    socket.once("connect", () => socket.write(i % 2 === 0 ? PARTIAL_HEADERS : PARTIAL_BODY));
    socket.on("error", () => undefined);
    socket.once("close", () => {
      sockets.delete(socket);
      open--;
      if (stopping) return;
      closedByServer++;
      if (reopen) one(i);
    });
  };
  for (let i = 0; i < SLOW; i++) one(i);
  setInterval(() => process.send!({ open, closedByServer }), 200);
  process.on("message", () => {
    stopping = true;
    for (const socket of sockets) socket.destroy();
    process.exit(0);
  });
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "newsroom-slow-"));
  // The bench's servers lift the per-address caps for its own clients; this one keeps the default.
  const server = await startServer(path.join(dir, "db.sqlite"), { SEED: "true", HTTP_MAX_CONNECTIONS_PER_ADDRESS: "64" });
  try {
    await reads(server.port, 200);
    console.log(`| attacker from 127.0.0.1 | its connections open / closed by the server | reader from ${READER}: p50 / max of ${READS} |`);
    console.log("| --- | --- | ---: |");
    console.log(`| none | | ${await reads(server.port, READS)} |`);
    for (const reopen of [false, true]) {
      const attacker = fork(__filename, ["--attack", String(server.port), ...(reopen ? ["--reopen"] : [])]);
      let seen = { open: 0, closedByServer: 0 };
      attacker.on("message", (message: typeof seen) => (seen = message));
      await sleep(3000);
      const measured = await reads(server.port, READS);
      attacker.send("stop");
      await new Promise((resolve) => attacker.once("exit", resolve));
      console.log(`| ${SLOW} slow connections${reopen ? ", each closed one reopened at once" : ""} | ${seen.open} / ${seen.closedByServer} | ${measured} |`);
      await sleep(1000);
    }
  } finally {
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === "--attack") {
  attack(Number(process.argv[3]), process.argv.includes("--reopen"));
} else {
  void main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
