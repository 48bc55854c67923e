import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { copyDataset, ensureDataset } from "./lib/dataset-cache";
import { runLoad } from "./lib/load";
import { startServer } from "./lib/proc";
import type { Proc } from "./lib/proc";
import { q2Body } from "./lib/queries";

/*
 * The response cache (RESPONSE_CACHE_MB=64, the default) under one reader who asks for 2,000
 * distinct large pages (100 stories with their bodies, each with its own publishedBefore), while
 * other readers read again what they always read; then cached reads of the front page under
 * autocannon. Run: npm run build && node dist/tests/bench/cache-flood.js [--seconds 10]
 */

const FLOOD = `query Archive($before: DateTime) { articles(first: 100, filter: { publishedBefore: $before }) { nodes { title summary body } } }`;
const STORY = `query Story($slug: String!) { article(slug: $slug) { title summary institutions { name } } }`;
const PAGES = 2000;

const seconds = Number(process.argv[process.argv.indexOf("--seconds") + 1]) || 10;

async function post(server: Proc, body: string): Promise<void> {
  const res = await fetch(server.url, { method: "POST", headers: { "content-type": "application/json" }, body });
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`HTTP ${res.status} for ${body.slice(0, 200)}`);
}

async function metric(server: Proc, name: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${server.port}/metrics`)).text();
  return text
    .split("\n")
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .reduce((sum, line) => sum + Number(line.split(" ").pop()), 0);
}

const floodBody = (n: number) => JSON.stringify({ operationName: "Archive", query: FLOOD, variables: { before: new Date(Date.UTC(2030, 0, 1) + n * 1000).toISOString() } });

/** Reads `body` and says whether the response cache answered it. */
async function isHit(server: Proc, body: string): Promise<boolean> {
  const before = await metric(server, "response_cache_hits_total");
  await post(server, body);
  return (await metric(server, "response_cache_hits_total")) === before + 1;
}

interface Outcome {
  hits: number;
  reads: number;
  evictions: number;
  seconds: number;
}

/**
 * The flood, with one read of `hot` (in turn) after every nine of its pages: one request in ten.
 * Each hot page is read three times first, as a page read again and again has been. With
 * `twice`, the flood asks for each of its pages twice in a row (to get past a doorkeeper).
 */
async function flood(server: Proc, hot: readonly string[], twice = false): Promise<Outcome> {
  for (const body of hot) for (let i = 0; i < 3; i++) await post(server, body);
  const evictedBefore = await metric(server, "response_cache_evictions_total");
  const started = performance.now();
  let hits = 0;
  let reads = 0;
  for (let n = 0; n < PAGES; n++) {
    await post(server, floodBody(n));
    if (twice) await post(server, floodBody(n));
    if (n % 9 === 8) {
      if (await isHit(server, hot[reads % hot.length]!)) hits++;
      reads++;
    }
  }
  return { hits, reads, evictions: (await metric(server, "response_cache_evictions_total")) - evictedBefore, seconds: (performance.now() - started) / 1000 };
}

async function withServer<T>(dir: string, name: string, run: (server: Proc) => Promise<T>): Promise<T> {
  const server = await startServer(copyDataset(path.join(dir, `${name}.sqlite`)));
  try {
    return await run(server);
  } finally {
    await server.stop();
  }
}

async function main(): Promise<void> {
  const dataset = await ensureDataset((line) => console.log(line));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "newsroom-flood-"));
  try {
    const slugs = await withServer(dir, "slugs", async (server) => {
      const res = await fetch(server.url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: "{ articles(first: 100) { nodes { slug } } }" }) });
      return ((await res.json()) as { data: { articles: { nodes: Array<{ slug: string }> } } }).data.articles.nodes.map((n) => n.slug);
    });
    const stories = slugs.slice(0, 50).map((slug) => JSON.stringify({ operationName: "Story", query: STORY, variables: { slug } }));
    const rows: string[] = [];
    const row = (what: string, o: Outcome) => rows.push(`| ${what} | ${o.hits} of ${o.reads} (${((o.hits / o.reads) * 100).toFixed(0)} %) | ${o.evictions} | ${o.seconds.toFixed(0)} s |`);
    row("front page, one request in ten", await withServer(dir, "front", (server) => flood(server, [q2Body()])));
    row("50 story pages in turn, one request in ten (each read every 500 requests)", await withServer(dir, "stories", (server) => flood(server, stories)));
    row("the same, each flood page asked for twice in a row", await withServer(dir, "twice", (server) => flood(server, stories, true)));
    const after = await withServer(dir, "after", async (server) => {
      for (let i = 0; i < 3; i++) await post(server, q2Body());
      for (let n = 0; n < 240; n++) await post(server, floodBody(n));
      return { hit: await isHit(server, q2Body()), evictions: await metric(server, "response_cache_evictions_total") };
    });
    const load = await withServer(dir, "load", async (server) => {
      for (let i = 0; i < 3; i++) await post(server, q2Body());
      await runLoad({ target: server, bodies: [q2Body()], seconds: 2, connections: 10 });
      return runLoad({ target: server, bodies: [q2Body()], seconds, connections: 10 });
    });
    console.log(`dataset: ${dataset.articles} stories; flood pages ${PAGES}, each 100 stories with bodies`);
    console.log("| hot reads during the flood | hits | evictions | flood took |");
    console.log("| --- | ---: | ---: | ---: |");
    for (const line of rows) console.log(line);
    console.log(`front page read once after 240 flood pages (the finding): ${after.hit ? "hit" : "miss"}, ${after.evictions} evictions`);
    console.log(`cached front page, POST, 10 connections, ${seconds} s: ${load.requestsPerSec.toFixed(0)} req/s, p50 ${load.p50} ms, p99 ${load.p99} ms (server CPU ${load.targetCpu.toFixed(0)} %, others ${load.otherCpu.toFixed(0)} %)`);
  } finally {
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
