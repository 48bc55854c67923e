import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { copyDataset, ensureDataset } from "./lib/dataset-cache";
import { startServer } from "./lib/proc";

/*
 * A legitimate reader's latency while one attacker sends the shapes issue 9 reproduced, each as
 * fast as it gets answers (sequentially, as in the issue). Baseline and attack alternate, so the
 * machine's drift shows in both. Run: npm run build && node dist/tests/bench/under-attack.js
 */

const FRONT_PAGE = `{ articles(first: 20) { nodes { id slug title summary publishedAt institutions { name } } } }`;
const deepVariables = `{"query": "{ articles(first: 100) { nodes { title } } }", "variables": {"x": ${"[".repeat(6000)}1${"]".repeat(6000)}}}`;
const chain = Array.from({ length: 20 }, (_, i) => (i === 0 ? `fragment F0 on Query { articles(first: 100) { nodes { title body } } }` : `fragment F${i} on Query { ...F${i - 1} ...F${i - 1} }`)).join(" ");
const ATTACKS: Array<[name: string, body: string]> = [
  ["6a: undeclared variable nested 6,000 levels", deepVariables],
  ["6b: fragment chain, each spreading the previous twice", JSON.stringify({ query: `{ ...F19 } ${chain}` })],
  ["6c: null through a defaulted non-null id, expensive rest", JSON.stringify({ query: `query($id: ID = "QXJ0aWNsZTox") { node(id: $id) { id } articles(first: 100) { nodes { title body quotes { text } } } }`, variables: { id: null } })],
  ["9: 500 inline fragments of __typename", JSON.stringify({ query: `{ ${"... on Query { __typename } ".repeat(500)} }` })],
  ["11: 12 fragments of 100 aliases", JSON.stringify({ query: `{ ${Array.from({ length: 12 }, (_, i) => `...F${i}`).join(" ")} } ${Array.from({ length: 12 }, (_, i) => `fragment F${i} on Query { ${Array.from({ length: 100 }, (_, j) => `f${i}a${j}: articles(first: 100) { nodes { title } }`).join(" ")} }`).join(" ")}` })],
];

async function post(url: string, body: string): Promise<number> {
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body });
  await res.arrayBuffer();
  return res.status;
}

async function legitimateMedian(url: string, count: number): Promise<number> {
  const times: number[] = [];
  const body = JSON.stringify({ query: FRONT_PAGE });
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    if ((await post(url, body)) !== 200) throw new Error("the legitimate request failed");
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

async function main(): Promise<void> {
  const dataset = await ensureDataset((line) => console.log(line));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "newsroom-attack-"));
  const server = await startServer(copyDataset(path.join(dir, "db.sqlite")));
  try {
    const url = server.url;
    await legitimateMedian(url, 50);
    console.log(`dataset: ${dataset.articles} stories`);
    console.log("| attack (one sequential attacker) | attacker's answers | legitimate front page p50, baseline | under attack |");
    console.log("| --- | --- | ---: | ---: |");
    for (const [name, body] of ATTACKS) {
      const baseline = await legitimateMedian(url, 100);
      let running = true;
      const statuses = new Map<number, number>();
      const attacker = (async () => {
        while (running) {
          const status = await post(url, body);
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
        }
      })();
      const attacked = await legitimateMedian(url, 100);
      running = false;
      await attacker;
      console.log(`| ${name} | ${[...statuses].map(([s, n]) => `${n} × HTTP ${s}`).join(", ")} | ${baseline.toFixed(1)} ms | ${attacked.toFixed(1)} ms |`);
    }
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
