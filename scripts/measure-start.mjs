// Measures how long `npm start` takes to its first GraphQL answer, cold (no dist/: compiles
// src/) and warm (a current build: no compile), each on an empty data folder and on an existing
// database. Prints one line per case with the median of the runs.
//
//   node scripts/measure-start.mjs [runs=3]
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const runs = Number(process.argv[2] ?? 3);

async function firstAnswer(port, deadline) {
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/graphql`, { method: "POST", headers: { "content-type": "application/json" }, body: '{"query":"{ articles(first: 1) { totalCount } }"}' });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error("no answer within 120 s");
}

async function startOnce(sqliteFile) {
  const port = 20000 + Math.floor(Math.random() * 20000);
  const started = performance.now();
  const child = spawn("npm", ["start", "--silent"], { cwd: root, env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", SQLITE_FILE: sqliteFile, LOG_LEVEL: "warn" }, stdio: "ignore", detached: true });
  try {
    await firstAnswer(port, Date.now() + 120_000);
    return performance.now() - started;
  } finally {
    process.kill(-child.pid, "SIGTERM");
    await new Promise((resolve) => child.once("exit", resolve));
  }
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const cases = [
  ["cold (no dist/), empty data folder", true, true],
  ["warm (current build), empty data folder", false, true],
  ["warm (current build), existing database", false, false],
];
for (const [label, cold, empty] of cases) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    if (cold) fs.rmSync(path.join(root, "dist"), { recursive: true, force: true });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "newsroom-start-"));
    const file = path.join(dir, "newsroom.sqlite");
    if (!empty) await startOnce(file);
    times.push(await startOnce(file));
    fs.rmSync(dir, { recursive: true, force: true });
  }
  console.log(`${label}: median ${(median(times) / 1000).toFixed(2)} s (${times.map((t) => (t / 1000).toFixed(2)).join(", ")})`);
}
