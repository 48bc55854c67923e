import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import sqlite3 from "sqlite3";
import { copyDataset, DATASET_SIZE, ensureDataset } from "./lib/dataset-cache";
import type { DatasetInfo } from "./lib/dataset-cache";
import { runFreshness } from "./lib/freshness";
import type { FreshnessResult } from "./lib/freshness";
import { canonicalJson, mustGql } from "./lib/gql";
import { createDraft, FANOUT_ROUNDS, FANOUT_WARMUPS, runCeilingFanout, runCeilingFanoutGraphqlWs, runFanout, runSingle } from "./lib/live";
import type { Arrivals, CeilingFanoutResult } from "./lib/live";
import type { FanoutResult, SingleResult } from "./lib/live";
import { getPathOf, runLoad } from "./lib/load";
import type { LoadResult } from "./lib/load";
import { BENCH_DIR, ROOT } from "./lib/paths";
import { runMixBench } from "./mix";
import { peersTable, runPostgresPeers } from "./lib/pg-peers";
import type { PostgresPeers } from "./lib/pg-peers";
import { DEFAULT_DATABASE_URL, freshPostgresDataset } from "./lib/postgres";
import { mb, mintToken, openFileLimit, startBetterCeiling, startCeiling, startFlags, startServer, startWsCeiling } from "./lib/proc";
import type { Proc } from "./lib/proc";
import { normalizeFrontPage, q0Body, q1Body, q2Body, Q1_ARTICLE_PAGE, Q2_FRONT_PAGE } from "./lib/queries";
import { Random } from "./lib/random";
import { startVarnish, varnishMissing } from "./lib/varnish";
import { summarizeFile, summaryMarkdown } from "./profile";
import type { TimeWindow } from "./profile";

/*
 * `npm run bench` — read throughput against two bare-SQLite ceilings, freshness under load, and
 * live-feed fan-out.
 *
 *   npm run bench                       full run (10 s per load, 5,000 and 10,000 subscribers)
 *   npm run bench -- --quick            smoke run (3 s per load, 500 subscribers)
 *   npm run bench -- --postgres         the read rows and the freshness check with the servers on PostgreSQL (DATABASE_URL)
 *   npm run bench -- --profile          the same loads against servers under --cpu-prof, summarised
 *   npm run bench -- --mix              a newsroom's mixed traffic instead (tests/bench/mix.ts)
 *   npm run bench -- --fanout-only      the fan-out rows only (no read loads, no freshness check)
 *   options: --seconds N --warmup N --connections N --subscribers 5000,10000
 *
 * Processes: this driver (autocannon, the freshness readers and the graphql-ws clients), the
 * ceilings (`ceiling-better.js` on better-sqlite3, the one ratios are graded against, and
 * `ceiling.js` on node-sqlite3), the GraphQL server twice (`node dist/src/main.js`, first with
 * RESPONSE_CACHE=false, then with its response cache), varnishd in front of the cached one when
 * the project's VCL exists, and per fan-out a fresh server and then the bare ws ceiling
 * (`ws-ceiling.js`). Prints markdown tables (also written to .bench/last-run.md). Exit code 0 even
 * when targets are missed; 1 when the bench itself fails (answers differ, requests err, a
 * subscriber errs).
 */

interface Options {
  quick: boolean;
  fanoutOnly: boolean;
  profile: boolean;
  postgres: boolean;
  seconds: number;
  warmup: number;
  connections: number;
  subscribers: number[];
  slugs: number;
}

function parseOptions(argv: readonly string[]): Options {
  const quick = argv.includes("--quick");
  const value = (name: string): string | undefined => {
    const i = argv.indexOf(`--${name}`);
    return i === -1 ? undefined : argv[i + 1];
  };
  const number = (name: string, fallback: number): number => {
    const raw = value(name);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} needs a positive number, got '${raw}'`);
    return n;
  };
  const subscribers = value("subscribers")?.split(",").map(Number) ?? (quick ? [500] : [5000, 10_000]);
  if (subscribers.some((n) => !Number.isInteger(n) || n <= 0)) throw new Error(`--subscribers needs a list of counts, e.g. 5000,10000`);
  return {
    quick,
    fanoutOnly: argv.includes("--fanout-only"),
    profile: argv.includes("--profile"),
    postgres: argv.includes("--postgres"),
    seconds: number("seconds", quick ? 3 : 10),
    warmup: number("warmup", quick ? 1 : 2),
    connections: number("connections", 50),
    subscribers,
    slugs: 1000,
  };
}

/**
 * Targets as ratios against the better-sqlite3 ceiling in the same run, 50 connections: the
 * cached ones from issue 11, the uncached and fan-out ones raised by issue 21.
 */
const TARGETS = {
  cachedRatio: 0.75,
  cachedP99Ms: 30,
  uncachedRatio: { q1: 0.5, q2: 0.35 },
  /** On PostgreSQL the uncached front page is graded by its tail instead. */
  postgresUncachedQ2P99Ms: 150,
  rssBytes: 350e6,
  /** Fan-out p99 at most this many times the bare ws server's, for the counts graded. */
  fanoutP99Ratio: new Map([
    [5000, 1.3],
    [10_000, 1.3],
  ]),
  staleReads: 0,
};

const FRESHNESS = { seconds: 5, intervalMs: 100 };

const log = (line: string) => console.log(line);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

class BenchFailure extends Error {}

/** 1,000 published slugs spread over the whole archive, in a seeded random order. */
function pickSlugs(file: string, count: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const db = new sqlite3.Database(file, sqlite3.OPEN_READONLY);
    db.all<{ slug: string }>(`SELECT slug FROM article WHERE status = 'PUBLISHED' ORDER BY id`, (error, rows) => {
      db.close();
      if (error) return reject(error);
      const step = Math.max(1, Math.floor(rows.length / count));
      const picked = rows.filter((_, i) => i % step === step - 1).slice(0, count).map((r) => r.slug);
      // Fisher–Yates with the seeded PRNG: consecutive requests land far apart in the file.
      const rnd = new Random(42);
      for (let i = picked.length - 1; i > 0; i--) {
        const j = Math.floor(rnd.next() * (i + 1));
        [picked[i], picked[j]] = [picked[j]!, picked[i]!];
      }
      resolve(picked);
    });
  });
}

/** Every target must give the reference's answers before its speed means anything. */
async function verifySameAnswers(reference: Proc, targets: readonly Proc[], slugs: readonly string[]): Promise<number> {
  let compared = 0;
  for (const target of targets) {
    for (const slug of slugs) {
      const [a, b] = await Promise.all([mustGql(reference.url, Q1_ARTICLE_PAGE, { slug }), mustGql(target.url, Q1_ARTICLE_PAGE, { slug })]);
      if ((a as { article: unknown }).article === null) throw new BenchFailure(`Q1: the ${reference.name} found no story '${slug}'`);
      if (canonicalJson(a) !== canonicalJson(b)) {
        throw new BenchFailure(`Q1 answers differ for '${slug}':\n${reference.name}: ${canonicalJson(a).slice(0, 1500)}\n${target.name}: ${canonicalJson(b).slice(0, 1500)}`);
      }
      compared++;
    }
    const [a, b] = await Promise.all([mustGql(reference.url, Q2_FRONT_PAGE), mustGql(target.url, Q2_FRONT_PAGE)]);
    const [na, nb] = [canonicalJson(normalizeFrontPage(a as never)), canonicalJson(normalizeFrontPage(b as never))];
    if ((normalizeFrontPage(a as never) as unknown[]).length !== 20) throw new BenchFailure(`Q2: expected 20 stories, the ${reference.name} answered ${na.slice(0, 300)}`);
    if (na !== nb) throw new BenchFailure(`Q2 answers differ:\n${reference.name}: ${na.slice(0, 1500)}\n${target.name}: ${nb.slice(0, 1500)}`);
    compared++;
  }
  return compared;
}

function checkLoad(label: string, result: LoadResult): void {
  const bad = result.non2xx + result.errors + result.timeouts;
  if (bad > 0) throw new BenchFailure(`${label}: ${result.non2xx} non-2xx answers, ${result.errors} errors, ${result.timeouts} timeouts out of ${result.total} — not a valid measurement`);
}

async function measure(label: string, target: Proc, bodies: readonly string[], options: Options, method: "GET" | "POST" = "POST"): Promise<LoadResult> {
  await runLoad({ target, bodies, seconds: options.warmup, connections: options.connections, method });
  await sleep(300);
  const result = await runLoad({ target, bodies, seconds: options.seconds, connections: options.connections, method });
  checkLoad(label, result);
  log(
    `  ${label.padEnd(30)} ${result.requestsPerSec.toFixed(0).padStart(6)} req/s  p50 ${result.p50} ms  p99 ${result.p99} ms  ` +
      `(${result.total} requests; CPU: target ${result.targetCpu.toFixed(0)} %, driver ${result.driverCpu.toFixed(0)} %, other processes ${result.otherCpu.toFixed(0)} %)`,
  );
  await sleep(300);
  return result;
}

interface Pair {
  q1: LoadResult;
  q2: LoadResult;
}

interface Reads {
  backend: "SQLite" | "PostgreSQL";
  better: Pair;
  node: Pair;
  uncached: Pair;
  cached: Pair;
  /** GETs through varnishd in front of the cached server, or why they were not run. */
  varnish: Pair | string;
  floor: LoadResult;
  verified: number;
  uncachedRssAfter: number;
  cachedRssAfter: number;
  /** With --postgres: the PostgreSQL ceiling and PostGraphile on the same database. */
  peers?: PostgresPeers;
}

interface Results {
  startedAt: Date;
  options: Options;
  dataset: DatasetInfo & { fresh: boolean };
  ulimit: { soft: number; hard: number };
  reads?: Reads;
  single?: SingleResult;
  freshness?: FreshnessResult;
  fanouts: FanoutResult[];
  /** The bare ws server's fan-out to as many sockets, in the same run. */
  fanoutCeilings: CeilingFanoutResult[];
  /** Fan-outs left out, with why. */
  fanoutsNotRun: Array<{ subscribers: number; why: string }>;
  failure?: string;
  profiles: string[];
  durationMs?: number;
}

function gitDescription(): string {
  try {
    const head = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: ROOT, encoding: "utf8" }).trim();
    const dirty = execFileSync("git", ["status", "--porcelain", "--", "src"], { cwd: ROOT, encoding: "utf8" }).trim() !== "";
    return `${head}${dirty ? " (src/ had uncommitted changes when built)" : ""}`;
  } catch {
    return "unknown";
  }
}

const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : "n/a");
/** Milliseconds as "12, 15, 9" (each round's p99 in the order run). */
const msList = (values: readonly number[]) => values.map((ms) => fmt(ms)).join(", ");
const verdict = (ok: boolean) => (ok ? "PASS" : "**MISS**");
const pct = (a: number, b: number) => `${fmt((a / b) * 100, 1)} %`;

/** The rows of one read (req/s, latency, CPU) for one server configuration, beside both ceilings. */
function readRows(name: string, server: LoadResult, better: LoadResult, node: LoadResult, graded: { ratio?: number; p99Ms?: number }): string[] {
  const ratio = server.requestsPerSec / better.requestsPerSec;
  const cpu = (r: LoadResult) => `${fmt(r.targetCpu)} / ${fmt(r.driverCpu)} / ${fmt(r.otherCpu)}`;
  return [
    `| ${name}: req/s | ${fmt(server.requestsPerSec)} | ${fmt(better.requestsPerSec)} | ${pct(server.requestsPerSec, better.requestsPerSec)} | ${fmt(node.requestsPerSec)} | ${pct(server.requestsPerSec, node.requestsPerSec)} | ${graded.ratio !== undefined ? `≥ ${graded.ratio * 100} %` : ""} | ${graded.ratio !== undefined ? verdict(ratio >= graded.ratio) : ""} |`,
    `| ${name}: p50 / p99 latency | ${server.p50} / ${server.p99} ms | ${better.p50} / ${better.p99} ms | | ${node.p50} / ${node.p99} ms | | ${graded.p99Ms !== undefined ? `p99 < ${graded.p99Ms} ms` : ""} | ${graded.p99Ms !== undefined ? verdict(server.p99 < graded.p99Ms) : ""} |`,
    `| ${name}: CPU % (target / driver / other processes) | ${cpu(server)} | ${cpu(better)} | | ${cpu(node)} | | | |`,
  ];
}

function report(results: Results): string {
  const { options } = results;
  const lines: string[] = [];
  const cpu = os.cpus();
  const reads = results.reads;
  const backend = reads?.backend ?? (options.postgres ? "PostgreSQL" : "SQLite");
  lines.push(
    `## Benchmark ${results.startedAt.toISOString()}${options.quick ? " (--quick)" : ""}${options.postgres ? " (--postgres: the servers on PostgreSQL, the ceilings on SQLite)" : ""}${options.profile ? " (--profile: servers under the CPU profiler, figures not comparable)" : ""}`,
  );
  lines.push("");
  lines.push(
    `Commit ${gitDescription()}; Node ${process.version} (server flags as npm start: ${startFlags().join(" ") || "none"}); ${cpu.length} × ${cpu[0]?.model.trim() ?? "?"}; ` +
      `dataset ${results.dataset.version}: ${results.dataset.articles} stories (~${results.dataset.averageBodyBytes} B bodies), ${results.dataset.institutions} institutions, ${results.dataset.people} people, ` +
      `${results.dataset.quotes} quotes, ${results.dataset.comments} comments, ${mb(results.dataset.fileBytes)} (${results.dataset.fresh ? "generated" : "cached; generated"} in ${fmt(results.dataset.generationMs / 1000, 1)} s). ` +
      `Server database: ${backend}. Loads: autocannon, ${options.connections} connections, ${options.seconds} s each after ${options.warmup} s warm-up, Q1 over ${options.slugs} slugs in rotation; POST unless marked GET. ulimit -n ${results.ulimit.soft}.`,
  );
  lines.push("");
  lines.push(`| measure | server (${backend}) | better-sqlite3 ceiling | server / better-sqlite3 | node-sqlite3 ceiling | server / node-sqlite3 | target | result |`);
  lines.push("| --- | ---: | ---: | ---: | ---: | ---: | --- | --- |");
  if (reads) {
    const onPostgres = reads.backend === "PostgreSQL";
    for (const [q, title] of [
      ["q1", "Q1 article page"],
      ["q2", "Q2 front page"],
    ] as const) {
      const [better, node] = [reads.better[q], reads.node[q]];
      lines.push(...readRows(`${title}, cached in process`, reads.cached[q], better, node, { ratio: TARGETS.cachedRatio, p99Ms: TARGETS.cachedP99Ms }));
      if (typeof reads.varnish === "string") lines.push(`| ${title}, through Varnish (hit), GET | not run (${reads.varnish}) | | | | | | |`);
      else lines.push(...readRows(`${title}, through Varnish (hit), GET`, reads.varnish[q], better, node, {}));
      const uncachedTarget = onPostgres ? (q === "q2" ? { p99Ms: TARGETS.postgresUncachedQ2P99Ms } : {}) : { ratio: TARGETS.uncachedRatio[q] };
      lines.push(...readRows(`${title}, uncached (RESPONSE_CACHE=false)`, reads.uncached[q], better, node, uncachedTarget));
    }
    lines.push(
      `| Q0 \`{ __typename }\`, cached server (HTTP + GraphQL plumbing alone; ratios against the Q1 ceilings): req/s, p50 / p99 | ${fmt(reads.floor.requestsPerSec)}, ${reads.floor.p50} / ${reads.floor.p99} ms | | ${pct(reads.floor.requestsPerSec, reads.better.q1.requestsPerSec)} | | ${pct(reads.floor.requestsPerSec, reads.node.q1.requestsPerSec)} | | |`,
    );
    const rss = Math.max(reads.cachedRssAfter, reads.uncachedRssAfter);
    lines.push(`| server RSS after the read loads: cached / uncached | ${mb(reads.cachedRssAfter)} / ${mb(reads.uncachedRssAfter)} | | | | | < ${mb(TARGETS.rssBytes)} | ${verdict(rss < TARGETS.rssBytes)} |`);
    const loads = [reads.better, reads.node, reads.cached, reads.uncached, ...(typeof reads.varnish === "string" ? [] : [reads.varnish])].flatMap((p) => [p.q1, p.q2]);
    const busiest = Math.max(reads.floor.otherCpu, ...loads.map((l) => l.otherCpu));
    if (busiest > 15) notices.add(`other processes used up to ${fmt(busiest)} % CPU (100 = one core) during a measured load (the idle server processes of the run, PostgreSQL with --postgres, or someone else's work), so these figures may understate the target`);
  } else {
    lines.push("| reads | not measured | | | | | | |");
  }
  if (results.freshness) {
    const f = results.freshness;
    lines.push(
      `| freshness under load: reads of Q2 (cached) sent after a publish answered that showed neither it nor a newer story | ${f.violations} of ${f.reads} reads (${f.publishes} publishes, one every ${FRESHNESS.intervalMs} ms; ${fmt(f.readsPerSec)} reads/s, read p50 / p99 ${fmt(f.readP50, 1)} / ${fmt(f.readP99, 1)} ms; publish round trip p50 ${fmt(f.mutationP50, 1)} ms, max ${fmt(f.mutationMax, 1)} ms) | | | | | ${TARGETS.staleReads} | ${verdict(f.violations <= TARGETS.staleReads)} |`,
    );
  } else {
    lines.push("| freshness under load | not measured | | | | | 0 | |");
  }
  if (reads?.peers) lines.push("", ...peersTable({ uncached: reads.uncached, cached: reads.cached }, reads.peers));
  lines.push("");
  lines.push("| live feed | server | bare ws ceiling | server / ceiling | target | result |");
  lines.push("| --- | ---: | ---: | ---: | --- | --- |");
  if (results.single) {
    const s = results.single;
    lines.push(
      `| push latency, 1 subscriber (publish sent → received), ${s.latencies.length} publishes | p50 ${fmt(s.p50, 1)} ms, max ${fmt(s.max, 1)} ms (first ${fmt(s.latencies[0] ?? Number.NaN, 1)} ms; mutation round trip p50 ${fmt([...s.mutationMs].sort((a, b) => a - b)[Math.floor(s.mutationMs.length / 2)] ?? Number.NaN, 1)} ms) | | | | |`,
    );
  }
  for (const f of results.fanouts) {
    const limit = TARGETS.fanoutP99Ratio.get(f.subscribers);
    const graded = limit !== undefined;
    lines.push(`| fan-out ${f.subscribers}: received | ${f.received} / ${f.subscribers} | | | ${graded ? "all" : ""} | ${graded ? verdict(f.received === f.subscribers) : ""} |`);
    // Graded: the same graphql-ws clients on both sides, each side timed from the moment its fan-out can start
    // (the server: the publish's answer, just after its commit; the ceiling: its POST, which does nothing else).
    const g = results.fanoutCeilings.find((x) => x.subscribers === f.subscribers && x.clients === "graphql-ws");
    const plain = results.fanoutCeilings.find((x) => x.subscribers === f.subscribers && x.clients === "plain");
    const cell = (a: Arrivals | undefined) => (a ? `${fmt(a.p50)} / ${fmt(a.p99)} / ${fmt(a.max)} ms (${fmt(a.first)} ms)` : "not measured");
    const ratio = g ? f.fromAnswer.p99 / g.p99 : Number.NaN;
    lines.push(
      `| fan-out ${f.subscribers}: publish answered → received p50 / p99 / max (first), the median of ${f.roundsP99.length} rounds after ${FANOUT_WARMUPS} unmeasured; ceiling: POST sent → received, graphql-ws clients on both, the same rounds | ${cell(f.fromAnswer)} | ${cell(g)} | p99 × ${fmt(ratio, 2)} | ${graded ? `median p99 ≤ ${limit} × ceiling's` : ""} | ${graded ? verdict(ratio <= limit) : ""} |`,
      `| fan-out ${f.subscribers}: each round's p99, in the order run | ${msList(f.roundsP99)} ms | ${g?.roundsP99 ? `${msList(g.roundsP99)} ms` : ""} | | | |`,
      `| fan-out ${f.subscribers}: the unmeasured first round's p99 (cold code in the sender and in the driver's clients) | ${msList(f.warmupsP99)} ms | ${g?.warmupsP99 ? `${msList(g.warmupsP99)} ms` : ""} | p99 × ${fmt(g?.warmupsP99?.[0] ? f.warmupsP99[0]! / g.warmupsP99[0] : Number.NaN, 2)} | | |`,
    );
    lines.push(`| fan-out ${f.subscribers}: publish sent → received (the write transaction included); ceiling as above | ${cell(f)} | ${cell(g)} | p99 × ${fmt(g ? f.p99 / g.p99 : Number.NaN, 2)} | | |`);
    lines.push(`| fan-out ${f.subscribers}: publish sent → received; ceiling with plain ws clients that only JSON.parse (the earlier row) | ${cell(f)} | ${cell(plain)} | p99 × ${fmt(plain ? f.p99 / plain.p99 : Number.NaN, 2)} | | |`);
    const perMessageUs = (cpuMs: number) => fmt((cpuMs * 1000) / f.subscribers, 1);
    lines.push(
      `| fan-out ${f.subscribers}: CPU from the trigger to the last arrival, server / receiving driver (per message) | ${fmt(f.serverCpuMs)} ms / ${fmt(f.driverCpuMs)} ms (${perMessageUs(f.driverCpuMs)} µs) | graphql-ws clients: ${g ? `${fmt(g.serverCpuMs)} ms / ${fmt(g.driverCpuMs)} ms (${perMessageUs(g.driverCpuMs)} µs)` : "not measured"}; plain: ${plain ? `${fmt(plain.serverCpuMs)} ms / ${fmt(plain.driverCpuMs)} ms (${perMessageUs(plain.driverCpuMs)} µs)` : "not measured"} | ${g ? `server CPU × ${fmt(f.serverCpuMs / g.serverCpuMs, 2)}` : ""} | | |`,
    );
    lines.push(`| fan-out ${f.subscribers}: server RSS after (before publish; peak) | ${mb(f.rssAfter)} (${mb(f.rssBefore)}; ${mb(f.peakRss)}) | ${g ? mb(g.rssAfter) : ""} | | | |`);
    lines.push(`| fan-out ${f.subscribers}: sockets opened in / publish mutation round trip | ${fmt(f.connectMs / 1000, 1)} s / ${fmt(f.mutationMs)} ms | | | | |`);
  }
  for (const n of results.fanoutsNotRun) {
    const graded = TARGETS.fanoutP99Ratio.has(n.subscribers);
    lines.push(`| fan-out ${n.subscribers} | not run (${n.why}) | | | ${graded ? `all, p99 ≤ ${TARGETS.fanoutP99Ratio.get(n.subscribers)} × ceiling` : ""} | |`);
  }
  lines.push("");
  if (results.failure) lines.push(`**The bench failed:** ${results.failure}`, "");
  lines.push(
    "Notes: ratios are graded against the better-sqlite3 ceiling (tests/bench/ceiling-better.ts); the node-sqlite3 ceiling (ceiling.ts, the project's driver) stands beside it. " +
      "Both answer the same POST bodies with prepared statements on one read-only connection (Q1: 3 statements, Q2: 1) and JSON.stringify, and give the server's answers " +
      "(compared before the loads; Q2 by each story's first institution, the only one the ceilings select). " +
      "Cached in process: the default server (its response cache keys on document and variables, so POST is served from it; the Q1 rotation's 1,000 pages fit), every page requested twice before the warm-up (the cache stores an answer on its second sighting) so the measured load reads hits. " +
      "Uncached: a second server with RESPONSE_CACHE=false, loaded before the cached one. Through Varnish: GETs (what a CDN-friendly client sends) to varnishd with deploy/varnish/default.vcl in front of the cached server, primed the same way. " +
      "Freshness: readers read Q2 at full speed on the cached server while an editor publishes a prepared draft every 100 ms; each read is stamped when sent and must show the newest story whose publish had answered by then (or a newer one). " +
      "Fan-out latency is measured in the driver, which also parses every message, so it includes the clients' own work; all clients run in one process on the same machine. " +
      "The fan-out ceiling is a bare ws server (tests/bench/ws-ceiling.ts) that runs right after the server's fan-out, twice: speaking the least of graphql-ws to as many graphql-ws clients as the server's (the graded row: both sides' clients do the same work, and each side is timed from when its fan-out can start, the server from its publish's answer, just after the commit, the ceiling from its POST), and sending one message of the same shape to plain ws clients that only parse it (the earlier row). " +
      `Each side's graded fan-out runs ${FANOUT_WARMUPS} unmeasured round and then ${FANOUT_ROUNDS} measured ones on the same subscribers; the median round is reported, every round's p99 beside it (a single cold round had the driver's clients cold on the server's side only, since the server ran first). See tests/bench/README.md. ` +
      `This machine has ${cpu.length} cores shared by the driver and the target: the driver's CPU share above shows how much of the machine the load generator took.`,
  );
  for (const notice of notices) lines.push("", `Noticed: ${notice}.`);
  if (results.durationMs !== undefined) lines.push("", `Whole run: ${fmt(results.durationMs / 1000)} s.`);
  for (const p of results.profiles) lines.push("", p);
  return lines.join("\n");
}

/** Things seen on the way that are not measurements (printed under the table). */
const notices = new Set<string>();

async function stopQuietly(proc: Proc | undefined): Promise<void> {
  if (!proc) return;
  const how = await proc.stop();
  if (how !== 0) notices.add(`the ${proc.name} did not exit 0 on SIGTERM but ended with ${String(how)}`);
}

function profileArgs(options: Options, name: string): string[] {
  if (!options.profile) return [];
  const dir = path.join(BENCH_DIR, "profiles");
  fs.mkdirSync(dir, { recursive: true });
  return ["--cpu-prof", `--cpu-prof-dir=${dir}`, `--cpu-prof-name=${name}.cpuprofile`];
}

function summarizeProfile(results: Results, title: string, name: string, window?: TimeWindow): void {
  const file = path.join(BENCH_DIR, "profiles", `${name}.cpuprofile`);
  if (!fs.existsSync(file)) {
    log(`  (no profile at ${file})`);
    return;
  }
  const text = summaryMarkdown(`${title} (${path.relative(ROOT, file)})`, summarizeFile(file, 20, window));
  results.profiles.push(text);
  log(text);
}

/**
 * Sends every body twice (a few at a time) before a cached row's warm-up: at a few hundred
 * requests per second a warm-up would not reach all 1,000 slugs of the rotation, and the
 * measured load would time first reads as if they were hits. Twice, because the response cache
 * stores an answer on the second sighting of its key.
 */
async function prime(target: Proc, bodies: readonly string[], method: "GET" | "POST"): Promise<void> {
  const twice = [...bodies, ...bodies];
  let next = 0;
  const send = async () => {
    while (next < twice.length) {
      const body = twice[next++]!;
      const response =
        method === "GET" ? await fetch(`http://127.0.0.1:${target.port}${getPathOf(target.url, body)}`) : await fetch(target.url, { method: "POST", headers: { "content-type": "application/json" }, body });
      await response.arrayBuffer();
      if (response.status !== 200) throw new BenchFailure(`priming ${target.name}: HTTP ${response.status}`);
    }
  };
  await Promise.all(Array.from({ length: 8 }, send));
}

async function measurePair(label: string, target: Proc, q1Bodies: readonly string[], options: Options, how: { method?: "GET" | "POST"; prime?: boolean } = {}): Promise<Pair> {
  const method = how.method ?? "POST";
  if (how.prime) await prime(target, [...q1Bodies, q2Body()], method);
  return { q1: await measure(`Q1 ${label}`, target, q1Bodies, options, method), q2: await measure(`Q2 ${label}`, target, [q2Body()], options, method) };
}

/** Whether a GET of Q2 through varnishd was answered from its cache (X-Varnish names two transactions on a hit). */
async function varnishHit(varnish: Proc): Promise<boolean> {
  const url = `http://127.0.0.1:${varnish.port}${getPathOf(varnish.url, q2Body())}`;
  for (let i = 0; i < 2; i++) await (await fetch(url)).arrayBuffer();
  const response = await fetch(url);
  await response.arrayBuffer();
  return response.status === 200 && /^\d+\s+\d+$/.test(response.headers.get("x-varnish")?.trim() ?? "");
}

/**
 * The read rows: both ceilings over a read-only copy of the dataset, then the server without its
 * response cache, then with it (the default) and, when the VCL exists, varnishd in front of that
 * one; then, on the cached server, the push latency and the freshness check (they write). On
 * SQLite each server has its own copy; with --postgres both use one fresh PostgreSQL database in
 * turn (the uncached one only reads).
 */
async function readsPhase(results: Results, runDir: string, options: Options): Promise<void> {
  const ceilingFile = copyDataset(path.join(runDir, "reads-ceilings.sqlite"));
  const slugs = await pickSlugs(ceilingFile, options.slugs);
  const q1Bodies = slugs.map(q1Body);
  const procs: Array<Proc | undefined> = [];
  let postgres: Awaited<ReturnType<typeof freshPostgresDataset>> | undefined;
  try {
    let env: Record<string, string> = {};
    if (options.postgres) {
      postgres = await freshPostgresDataset(process.env.DATABASE_URL || DEFAULT_DATABASE_URL, log);
      log(`PostgreSQL database ${postgres.name} for this run${postgres.loadedMs === null ? " (a copy of the dataset loaded by an earlier run)" : ` (dataset loaded in ${fmt(postgres.loadedMs / 1000, 1)} s)`}`);
      env = { DATABASE_URL: postgres.url };
    }
    const serverFile = (name: string) => (options.postgres ? path.join(runDir, `${name}-unused-on-postgres.sqlite`) : copyDataset(path.join(runDir, `${name}.sqlite`)));
    const better = await startBetterCeiling(ceilingFile);
    const node = await startCeiling(ceilingFile);
    procs.push(better, node);
    log(`better-sqlite3 ceiling pid ${better.pid} at ${better.url}, node-sqlite3 ceiling pid ${node.pid} at ${node.url}`);
    let verified = await verifySameAnswers(better, [node], slugs.slice(0, 25));
    log("reads (warm-up, then measured):");
    const ceilings = { better: await measurePair("better-sqlite3 ceiling", better, q1Bodies, options), node: await measurePair("node-sqlite3 ceiling", node, q1Bodies, options) };

    const uncachedFile = serverFile("uncached");
    const uncachedToken = await mintToken(uncachedFile, "EDITOR", "bench", env);
    const uncached = await startServer(uncachedFile, { ...env, RESPONSE_CACHE: "false" }, profileArgs(options, "reads-uncached"));
    procs.push(uncached);
    // A server in use has written: one draft (no reader sees it) before the loads, so that whatever a
    // write leaves behind in the process is measured too (it once left promise hooks on: 4–8 % more CPU per read).
    await createDraft(uncached, uncachedToken, `Draf sebelum beban ${Date.now()}`);
    log(`uncached server (RESPONSE_CACHE=false) pid ${uncached.pid} at ${uncached.url}, one draft written`);
    verified += await verifySameAnswers(better, [uncached], slugs.slice(0, 25));
    const uncachedPair = await measurePair("uncached", uncached, q1Bodies, options);
    verified += await verifySameAnswers(better, [uncached], slugs.slice(500, 505));
    const uncachedRssAfter = uncached.rss();
    // The peers answer on the same database, checked against the uncached server (still running, idle).
    const peers = postgres ? await runPostgresPeers(postgres.url, uncached, slugs, (label, target, bodies) => measure(label, target, bodies, options), log).catch((error: unknown) => {
      throw new BenchFailure(`PostgreSQL peers: ${error instanceof Error ? error.message : String(error)}`);
    }) : undefined;
    if (peers) verified += peers.verified;
    await stopQuietly(uncached);

    const cachedFile = serverFile("cached");
    const token = await mintToken(cachedFile, "EDITOR", "bench", env);
    const server = await startServer(cachedFile, env, profileArgs(options, "reads"));
    procs.push(server);
    log(`cached server pid ${server.pid} at ${server.url}`);
    verified += await verifySameAnswers(better, [server], slugs.slice(0, 25));
    const cached = await measurePair("cached in process", server, q1Bodies, options, { prime: true });
    const floor = await measure("Q0 { __typename }", server, [q0Body()], options);
    verified += await verifySameAnswers(better, [server], slugs.slice(500, 505));
    const cachedRssAfter = server.rss();
    log(`  ${verified} reads compared, all the same; RSS after the loads: cached ${mb(cachedRssAfter)}, uncached ${mb(uncachedRssAfter)}`);

    const missing = varnishMissing();
    let varnish: Pair | string;
    if (missing) {
      varnish = missing;
      log(`  through Varnish: not run (${missing})`);
    } else {
      const front = await startVarnish(server, runDir);
      procs.push(front);
      log(`varnishd pid ${front.pid} at ${front.url} in front of the cached server`);
      if (!(await varnishHit(front))) notices.add("the third GET of Q2 through varnishd was not a hit (no two ids in X-Varnish): the Varnish rows may measure a pass-through");
      varnish = await measurePair("through Varnish, GET", front, q1Bodies, options, { method: "GET", prime: true });
      await stopQuietly(front);
    }
    results.reads = { backend: options.postgres ? "PostgreSQL" : "SQLite", ...ceilings, uncached: uncachedPair, cached, varnish, floor, verified, uncachedRssAfter, cachedRssAfter, peers };

    log("push latency with one subscriber:");
    results.single = await runSingle(server, token, options.quick ? 5 : 10);
    log(`  ${results.single.latencies.map((l) => l.toFixed(1)).join(", ")} ms`);
    log(`freshness under load: ${options.connections} readers of Q2, a publish every ${FRESHNESS.intervalMs} ms for ${FRESHNESS.seconds} s:`);
    results.freshness = await runFreshness(server, token, { ...FRESHNESS, readers: options.connections });
    const f = results.freshness;
    log(`  ${f.violations} stale of ${f.reads} reads (${fmt(f.readsPerSec)} reads/s) over ${f.publishes} publishes${f.examples.length > 0 ? `: ${f.examples.join("; ")}` : ""}`);
  } finally {
    for (const proc of procs.reverse()) await stopQuietly(proc);
    await postgres?.drop();
  }
  if (options.profile && results.reads) {
    const r = results.reads;
    summarizeProfile(results, "Uncached server profile, Q1 measured load only", "reads-uncached", r.uncached.q1.window);
    summarizeProfile(results, "Uncached server profile, Q2 measured load only", "reads-uncached", r.uncached.q2.window);
    summarizeProfile(results, "Cached server profile, Q1 measured load only", "reads", r.cached.q1.window);
    summarizeProfile(results, "Cached server profile, Q2 measured load only", "reads", r.cached.q2.window);
    summarizeProfile(results, "Cached server profile, Q0 `{ __typename }` measured load only", "reads", r.floor.window);
  }
}

async function fanoutPhase(results: Results, runDir: string, options: Options, subscribers: number): Promise<void> {
  const file = copyDataset(path.join(runDir, `fanout-${subscribers}.sqlite`));
  const token = await mintToken(file, "EDITOR", "bench");
  const server = await startServer(file, {}, profileArgs(options, `fanout-${subscribers}`));
  try {
    log(`fan-out to ${subscribers} subscribers (fresh server pid ${server.pid}, RSS at start ${mb(server.rss())}):`);
    const result = await runFanout(server, token, subscribers, log);
    results.fanouts.push(result);
    log(`  rounds p99 (from the answer): ${msList(result.roundsP99)} ms; the median round: received ${result.received}/${subscribers}; first ${fmt(result.first)} ms, p50 ${fmt(result.p50)} ms, p99 ${fmt(result.p99)} ms, max ${fmt(result.max)} ms (from the answer: p99 ${fmt(result.fromAnswer.p99)} ms); CPU server ${fmt(result.serverCpuMs)} ms, driver ${fmt(result.driverCpuMs)} ms; RSS ${mb(result.rssBefore)} → ${mb(result.rssAfter)}`);
    if (result.errors.length > 0) throw new BenchFailure(`fan-out ${subscribers}: subscription errors: ${result.errors.slice(0, 3).join("; ")}`);
    // Not every subscriber receiving is a missed target (the table says so), not a broken bench.
    if (result.received < subscribers) notices.add(`fan-out ${subscribers}: ${subscribers - result.received} subscribers never received the story (waited 15 s)`);
  } finally {
    await stopQuietly(server);
    fs.rmSync(file, { force: true });
  }
  // Each ceiling run on a fresh ceiling, as each server fan-out runs on a fresh server.
  for (const run of [runCeilingFanoutGraphqlWs, runCeilingFanout]) {
    // Profiled (with --profile) is the graded run, against graphql-ws clients: beside the server's profile.
    const ceiling = await startWsCeiling(run === runCeilingFanoutGraphqlWs ? profileArgs(options, `fanout-${subscribers}-ceiling`) : []);
    try {
      const measured = await run(ceiling, subscribers);
      results.fanoutCeilings.push(measured);
      log(`  ws ceiling, ${measured.clients} clients: ${measured.roundsP99 ? `rounds p99 ${msList(measured.roundsP99)} ms; ` : ""}received ${measured.received}/${subscribers}; first ${fmt(measured.first)} ms, p50 ${fmt(measured.p50)} ms, p99 ${fmt(measured.p99)} ms, max ${fmt(measured.max)} ms; CPU ceiling ${fmt(measured.serverCpuMs)} ms, driver ${fmt(measured.driverCpuMs)} ms`);
    } finally {
      await stopQuietly(ceiling);
    }
  }
  const measured = results.fanouts.find((f) => f.subscribers === subscribers);
  if (options.profile && measured) {
    summarizeProfile(results, `Server profile, fan-out to ${subscribers}: from sending the publish to the last arrival`, `fanout-${subscribers}`, measured.window);
    summarizeProfile(results, `Server profile, fan-out to ${subscribers}: the whole process (connects and subscribes included)`, `fanout-${subscribers}`);
    const ceiling = results.fanoutCeilings.find((c) => c.subscribers === subscribers && c.clients === "graphql-ws");
    if (ceiling?.window) summarizeProfile(results, `ws ceiling profile, fan-out to ${subscribers} graphql-ws clients: from the POST to the last arrival`, `fanout-${subscribers}-ceiling`, ceiling.window);
  }
}

/** Open files a fan-out to `n` needs in this driver and in the server (one socket each, and some to spare). */
const filesFor = (n: number) => n + 500;

async function main(): Promise<number> {
  if (process.argv.includes("--mix")) return runMixBench(process.argv.slice(2));
  const startedAt = performance.now();
  const options = parseOptions(process.argv.slice(2));
  // Node raises its own soft open-file limit to the hard one as it starts, and so does every node
  // process started here: the hard limit is what bounds a fan-out, and raising it takes root.
  const ulimit = openFileLimit();
  const fanoutsNotRun: Results["fanoutsNotRun"] = [];
  if (options.postgres) {
    for (const n of options.subscribers) fanoutsNotRun.push({ subscribers: n, why: "--postgres runs the read rows and the freshness check only" });
    options.subscribers = [];
  } else {
    for (const n of options.subscribers.filter((n) => filesFor(n) > ulimit.soft)) fanoutsNotRun.push({ subscribers: n, why: `needs ${filesFor(n)} open files; ulimit -n is ${ulimit.soft} (hard ${ulimit.hard}); raise the hard limit (as root) and run again` });
    options.subscribers = options.subscribers.filter((n) => filesFor(n) <= ulimit.soft);
  }
  log(`open-file limit (ulimit -n): ${ulimit.soft} (hard ${ulimit.hard})${options.subscribers.length > 0 ? `, enough for ${Math.max(...options.subscribers)} subscribers` : ""}`);
  const dataset = await ensureDataset(log);
  if (!dataset.fresh) log(`dataset ${dataset.version} cached at ${path.relative(ROOT, dataset.file)} (generation took ${fmt(dataset.generationMs / 1000, 1)} s)`);
  if (dataset.articles !== DATASET_SIZE.articles) throw new Error("cached dataset has the wrong size; delete .bench/dataset-* and rerun");
  const runDir = path.join(BENCH_DIR, "run");
  fs.rmSync(runDir, { recursive: true, force: true });
  fs.mkdirSync(runDir, { recursive: true });
  const results: Results = { startedAt: new Date(), options, dataset, ulimit, fanouts: [], fanoutCeilings: [], fanoutsNotRun, profiles: [] };
  try {
    if (!options.fanoutOnly) await readsPhase(results, runDir, options);
    for (const n of options.subscribers) await fanoutPhase(results, runDir, options, n);
  } catch (error) {
    results.failure = error instanceof Error ? error.message : String(error);
    if (!(error instanceof BenchFailure) && error instanceof Error && error.stack) console.error(error.stack);
  } finally {
    fs.rmSync(runDir, { recursive: true, force: true });
  }
  results.durationMs = performance.now() - startedAt;
  const table = report(results);
  console.log(`\n${table}\n`);
  fs.mkdirSync(BENCH_DIR, { recursive: true });
  const reportFile = path.join(BENCH_DIR, options.postgres ? "last-run-postgres.md" : "last-run.md");
  fs.writeFileSync(reportFile, `${table}\n`);
  log(`(written to ${path.relative(ROOT, reportFile)})`);
  return results.failure ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
