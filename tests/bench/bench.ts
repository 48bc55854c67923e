import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import sqlite3 from "sqlite3";
import { copyDataset, DATASET_SIZE, ensureDataset } from "./lib/dataset-cache";
import type { DatasetInfo } from "./lib/dataset-cache";
import { canonicalJson, mustGql } from "./lib/gql";
import { runCeilingFanout, runFanout, runSingle } from "./lib/live";
import type { CeilingFanoutResult } from "./lib/live";
import type { FanoutResult, SingleResult } from "./lib/live";
import { runLoad } from "./lib/load";
import type { LoadResult } from "./lib/load";
import { BENCH_DIR, ROOT } from "./lib/paths";
import { mb, mintToken, openFileLimit, startCeiling, startFlags, startServer, startWsCeiling } from "./lib/proc";
import type { Proc } from "./lib/proc";
import { normalizeFrontPage, q0Body, q1Body, q2Body, Q1_ARTICLE_PAGE, Q2_FRONT_PAGE } from "./lib/queries";
import { Random } from "./lib/random";
import { summarizeFile, summaryMarkdown } from "./profile";
import type { TimeWindow } from "./profile";

/*
 * `npm run bench` — read throughput against a bare-SQLite ceiling, and live-feed fan-out.
 *
 *   npm run bench                       full run (10 s per load, 1,000 and 5,000 subscribers)
 *   npm run bench -- --quick            smoke run (3 s per load, 500 subscribers)
 *   npm run bench -- --profile          the same loads against a server under --cpu-prof, summarised
 *   options: --seconds N --warmup N --connections N --subscribers 1000,5000
 *
 * Processes: this driver (autocannon and the graphql-ws clients), the GraphQL server
 * (`node dist/src/main.js`) and the ceiling (`node dist/tests/bench/ceiling.js`), both over
 * copies of the cached dataset, and after each fan-out the fan-out ceiling, a bare ws server
 * (`node dist/tests/bench/ws-ceiling.js`). Prints a markdown table (also written to .bench/last-run.md).
 * Exit code 0 even when targets are missed; 1 when the bench itself fails (answers differ,
 * requests err, a subscriber never receives).
 */

interface Options {
  quick: boolean;
  profile: boolean;
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
  const subscribers = value("subscribers")?.split(",").map(Number) ?? (quick ? [500] : [1000, 5000]);
  if (subscribers.some((n) => !Number.isInteger(n) || n <= 0)) throw new Error(`--subscribers needs a list of counts, e.g. 1000,5000`);
  return {
    quick,
    profile: argv.includes("--profile"),
    seconds: number("seconds", quick ? 3 : 10),
    warmup: number("warmup", quick ? 1 : 2),
    connections: number("connections", 50),
    subscribers,
    slugs: 1000,
  };
}

const TARGETS = { q1Ratio: 0.15, q2Ratio: 0.08, p99Ms: 100, fanoutP99Ms: 250, fanoutRssBytes: 400e6, fanoutAt: 5000 };

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

/** Both servers must give the same answers before their speed means anything. */
async function verifySameAnswers(server: Proc, ceiling: Proc, slugs: readonly string[]): Promise<number> {
  let compared = 0;
  for (const slug of slugs) {
    const [a, b] = await Promise.all([mustGql(server.url, Q1_ARTICLE_PAGE, { slug }), mustGql(ceiling.url, Q1_ARTICLE_PAGE, { slug })]);
    if ((a as { article: unknown }).article === null) throw new BenchFailure(`Q1: the server found no story '${slug}'`);
    if (canonicalJson(a) !== canonicalJson(b)) {
      throw new BenchFailure(`Q1 answers differ for '${slug}':\nserver:  ${canonicalJson(a).slice(0, 1500)}\nceiling: ${canonicalJson(b).slice(0, 1500)}`);
    }
    compared++;
  }
  const [a, b] = await Promise.all([mustGql(server.url, Q2_FRONT_PAGE), mustGql(ceiling.url, Q2_FRONT_PAGE)]);
  const [na, nb] = [canonicalJson(normalizeFrontPage(a as never)), canonicalJson(normalizeFrontPage(b as never))];
  if ((normalizeFrontPage(a as never) as unknown[]).length !== 20) throw new BenchFailure(`Q2: expected 20 stories, the server answered ${na.slice(0, 300)}`);
  if (na !== nb) throw new BenchFailure(`Q2 answers differ:\nserver:  ${na.slice(0, 1500)}\nceiling: ${nb.slice(0, 1500)}`);
  return compared + 1;
}

function checkLoad(label: string, result: LoadResult): void {
  const bad = result.non2xx + result.errors + result.timeouts;
  if (bad > 0) throw new BenchFailure(`${label}: ${result.non2xx} non-2xx answers, ${result.errors} errors, ${result.timeouts} timeouts out of ${result.total} — not a valid measurement`);
}

async function measure(label: string, target: Proc, bodies: readonly string[], options: Options): Promise<LoadResult> {
  await runLoad({ target, bodies, seconds: options.warmup, connections: options.connections });
  await sleep(300);
  const result = await runLoad({ target, bodies, seconds: options.seconds, connections: options.connections });
  checkLoad(label, result);
  log(
    `  ${label.padEnd(18)} ${result.requestsPerSec.toFixed(0).padStart(6)} req/s  p50 ${result.p50} ms  p99 ${result.p99} ms  ` +
      `(${result.total} requests; CPU: target ${result.targetCpu.toFixed(0)} %, driver ${result.driverCpu.toFixed(0)} %, other processes ${result.otherCpu.toFixed(0)} %)`,
  );
  await sleep(300);
  return result;
}

interface Results {
  startedAt: Date;
  options: Options;
  dataset: DatasetInfo & { fresh: boolean };
  ulimit: { soft: number; hard: number };
  reads?: { q1: { server: LoadResult; ceiling: LoadResult }; q2: { server: LoadResult; ceiling: LoadResult }; floor: LoadResult; verified: number; serverRssAfter: number };
  single?: SingleResult;
  fanouts: FanoutResult[];
  /** The bare ws server's fan-out to as many sockets, in the same run. */
  fanoutCeilings: CeilingFanoutResult[];
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
const verdict = (ok: boolean) => (ok ? "PASS" : "**MISS**");

function report(results: Results): string {
  const { options } = results;
  const lines: string[] = [];
  const cpu = os.cpus();
  lines.push(`## Benchmark ${results.startedAt.toISOString()}${options.quick ? " (--quick)" : ""}${options.profile ? " (--profile: servers under the CPU profiler, figures not comparable)" : ""}`);
  lines.push("");
  lines.push(
    `Commit ${gitDescription()}; Node ${process.version} (server flags as npm start: ${startFlags().join(" ") || "none"}); ${cpu.length} × ${cpu[0]?.model.trim() ?? "?"}; ` +
      `dataset ${results.dataset.version}: ${results.dataset.articles} stories (~${results.dataset.averageBodyBytes} B bodies), ${results.dataset.institutions} institutions, ${results.dataset.people} people, ` +
      `${results.dataset.quotes} quotes, ${results.dataset.comments} comments, ${mb(results.dataset.fileBytes)} (${results.dataset.fresh ? "generated" : "cached; generated"} in ${fmt(results.dataset.generationMs / 1000, 1)} s). ` +
      `Loads: autocannon, ${options.connections} connections, ${options.seconds} s each after ${options.warmup} s warm-up, Q1 over ${options.slugs} slugs; no response cache. ulimit -n ${results.ulimit.soft}.`,
  );
  lines.push("");
  lines.push("| measure | server | ceiling | server / ceiling | target | result |");
  lines.push("| --- | ---: | ---: | ---: | --- | --- |");
  const reads = results.reads;
  if (reads) {
    for (const [name, pair, ratioTarget] of [
      ["Q1 article page", reads.q1, TARGETS.q1Ratio],
      ["Q2 front page", reads.q2, TARGETS.q2Ratio],
    ] as const) {
      const ratio = pair.server.requestsPerSec / pair.ceiling.requestsPerSec;
      lines.push(`| ${name}: req/s | ${fmt(pair.server.requestsPerSec)} | ${fmt(pair.ceiling.requestsPerSec)} | ${fmt(ratio * 100, 1)} % | ≥ ${ratioTarget * 100} % | ${verdict(ratio >= ratioTarget)} |`);
      lines.push(`| ${name}: p50 latency | ${pair.server.p50} ms | ${pair.ceiling.p50} ms | | | |`);
      lines.push(`| ${name}: p99 latency | ${pair.server.p99} ms | ${pair.ceiling.p99} ms | | < ${TARGETS.p99Ms} ms | ${verdict(pair.server.p99 < TARGETS.p99Ms)} |`);
      lines.push(
        `| ${name}: CPU % (target / driver / other processes) | ${fmt(pair.server.targetCpu)} / ${fmt(pair.server.driverCpu)} / ${fmt(pair.server.otherCpu)} | ${fmt(pair.ceiling.targetCpu)} / ${fmt(pair.ceiling.driverCpu)} / ${fmt(pair.ceiling.otherCpu)} | | | |`,
      );
    }
    lines.push(
      `| Q0 \`{ __typename }\` (HTTP + GraphQL plumbing alone; ratio against the Q1 ceiling): req/s, p50, p99 | ${fmt(reads.floor.requestsPerSec)}, ${reads.floor.p50} ms, ${reads.floor.p99} ms | | ${fmt((reads.floor.requestsPerSec / reads.q1.ceiling.requestsPerSec) * 100, 1)} % | | |`,
    );
    lines.push(`| server RSS after the read loads | ${mb(reads.serverRssAfter)} | | | | |`);
    const busiest = Math.max(reads.q1.server.otherCpu, reads.q1.ceiling.otherCpu, reads.q2.server.otherCpu, reads.q2.ceiling.otherCpu, reads.floor.otherCpu);
    if (busiest > 15) notices.add(`the machine was not idle: other processes used up to ${fmt(busiest)} % CPU (100 = one core) during a measured load, so these figures understate both servers`);
  } else {
    lines.push("| reads | not measured | | | | |");
  }
  if (results.single) {
    const s = results.single;
    lines.push(
      `| push latency, 1 subscriber (publish sent → received), ${s.latencies.length} publishes | p50 ${fmt(s.p50, 1)} ms, max ${fmt(s.max, 1)} ms (first ${fmt(s.latencies[0] ?? Number.NaN, 1)} ms; mutation round trip p50 ${fmt([...s.mutationMs].sort((a, b) => a - b)[Math.floor(s.mutationMs.length / 2)] ?? Number.NaN, 1)} ms) | | | | |`,
    );
  }
  for (const f of results.fanouts) {
    const graded = f.subscribers === TARGETS.fanoutAt;
    const all = f.received === f.subscribers;
    lines.push(`| fan-out ${f.subscribers}: received | ${f.received} / ${f.subscribers} | | | ${graded ? "all" : ""} | ${graded ? verdict(all) : ""} |`);
    const c = results.fanoutCeilings.find((x) => x.subscribers === f.subscribers);
    const ceilingCell = c ? `${fmt(c.p50)} / ${fmt(c.p99)} / ${fmt(c.max)} ms (${fmt(c.first)} ms)` : "";
    const ratioCell = c ? `p99 × ${fmt(f.p99 / c.p99, 1)}` : "";
    lines.push(
      `| fan-out ${f.subscribers}: publish sent → received p50 / p99 / max (first) | ${fmt(f.p50)} / ${fmt(f.p99)} / ${fmt(f.max)} ms (${fmt(f.first)} ms) | ${ceilingCell} | ${ratioCell} | ${graded ? `p99 < ${TARGETS.fanoutP99Ms} ms` : ""} | ${graded ? verdict(f.p99 < TARGETS.fanoutP99Ms) : ""} |`,
    );
    lines.push(
      `| fan-out ${f.subscribers}: server RSS after (before publish; peak) | ${mb(f.rssAfter)} (${mb(f.rssBefore)}; ${mb(f.peakRss)}) | ${c ? mb(c.rssAfter) : ""} | | ${graded ? `< ${mb(TARGETS.fanoutRssBytes)}` : ""} | ${graded ? verdict(f.rssAfter < TARGETS.fanoutRssBytes) : ""} |`,
    );
    lines.push(`| fan-out ${f.subscribers}: sockets opened in / publish mutation round trip | ${fmt(f.connectMs / 1000, 1)} s / ${fmt(f.mutationMs)} ms | | | | |`);
  }
  lines.push("");
  if (results.failure) lines.push(`**The bench failed:** ${results.failure}`, "");
  lines.push(
    "Notes: the ceiling answers the same POST bodies with prepared statements on one read-only sqlite3 connection (Q1: 3 statements, Q2: 1) and JSON.stringify; " +
      "Q2 answers are compared by each story's first institution (the ceiling selects only that one). Fan-out latency is measured in the driver, which also parses every message, " +
      "so it includes the clients' own work; all clients run in one process on the same machine. " +
      "The fan-out ceiling is a bare ws server (tests/bench/ws-ceiling.ts) sending one message of the same shape to as many plain ws clients, which parse it; it runs right after the server's fan-out. " +
      `This machine has ${cpu.length} cores shared by the driver and the server under test: the driver's CPU share above shows how much of the machine the load generator took.`,
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

async function readsPhase(results: Results, runDir: string, options: Options): Promise<void> {
  const file = copyDataset(path.join(runDir, "reads.sqlite"));
  const slugs = await pickSlugs(file, options.slugs);
  const token = await mintToken(file, "EDITOR", "bench");
  let server: Proc | undefined;
  let ceiling: Proc | undefined;
  try {
    server = await startServer(file, {}, profileArgs(options, "reads"));
    ceiling = await startCeiling(file);
    log(`server pid ${server.pid} at ${server.url}, ceiling pid ${ceiling.pid} at ${ceiling.url}`);
    const verified = await verifySameAnswers(server, ceiling, slugs.slice(0, 25));
    log(`  both answer the same (${verified} reads compared)`);
    const q1Bodies = slugs.map(q1Body);
    const q2Bodies = [q2Body()];
    log("reads (warm-up, then measured):");
    const q1 = { server: await measure("Q1 server", server, q1Bodies, options), ceiling: await measure("Q1 ceiling", ceiling, q1Bodies, options) };
    const q2 = { server: await measure("Q2 server", server, q2Bodies, options), ceiling: await measure("Q2 ceiling", ceiling, q2Bodies, options) };
    const floor = await measure("Q0 { __typename }", server, [q0Body()], options);
    await verifySameAnswers(server, ceiling, slugs.slice(500, 505));
    results.reads = { q1, q2, floor, verified, serverRssAfter: server.rss() };
    log("push latency with one subscriber:");
    results.single = await runSingle(server, token, options.quick ? 5 : 10);
    log(`  ${results.single.latencies.map((l) => l.toFixed(1)).join(", ")} ms`);
  } finally {
    await stopQuietly(ceiling);
    await stopQuietly(server);
  }
  if (options.profile && results.reads) {
    summarizeProfile(results, "Server profile, Q1 measured load only", "reads", results.reads.q1.server.window);
    summarizeProfile(results, "Server profile, Q2 measured load only", "reads", results.reads.q2.server.window);
    summarizeProfile(results, "Server profile, Q0 `{ __typename }` measured load only", "reads", results.reads.floor.window);
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
    log(`  received ${result.received}/${subscribers}; first ${fmt(result.first)} ms, p50 ${fmt(result.p50)} ms, p99 ${fmt(result.p99)} ms, max ${fmt(result.max)} ms; RSS ${mb(result.rssBefore)} → ${mb(result.rssAfter)}`);
    if (result.errors.length > 0) throw new BenchFailure(`fan-out ${subscribers}: subscription errors: ${result.errors.slice(0, 3).join("; ")}`);
    if (result.received < subscribers) throw new BenchFailure(`fan-out ${subscribers}: ${subscribers - result.received} subscribers never received the story (waited 15 s)`);
  } finally {
    await stopQuietly(server);
    fs.rmSync(file, { force: true });
  }
  const ceiling = await startWsCeiling();
  try {
    const measured = await runCeilingFanout(ceiling, subscribers);
    results.fanoutCeilings.push(measured);
    log(`  ws ceiling: received ${measured.received}/${subscribers}; first ${fmt(measured.first)} ms, p50 ${fmt(measured.p50)} ms, p99 ${fmt(measured.p99)} ms, max ${fmt(measured.max)} ms`);
  } finally {
    await stopQuietly(ceiling);
  }
  const measured = results.fanouts.find((f) => f.subscribers === subscribers);
  if (options.profile && measured) {
    summarizeProfile(results, `Server profile, fan-out to ${subscribers}: from sending the publish to the last arrival`, `fanout-${subscribers}`, measured.window);
    summarizeProfile(results, `Server profile, fan-out to ${subscribers}: the whole process (connects and subscribes included)`, `fanout-${subscribers}`);
  }
}

async function main(): Promise<number> {
  const startedAt = performance.now();
  const options = parseOptions(process.argv.slice(2));
  const ulimit = openFileLimit();
  const needed = Math.max(...options.subscribers) + 500;
  if (ulimit.soft < needed) {
    console.error(`ulimit -n is ${ulimit.soft}; ${Math.max(...options.subscribers)} subscribers need at least ${needed} open files in this driver and in the server. Raise it (ulimit -n ${Math.min(ulimit.hard, 20000)}) and run again.`);
    return 1;
  }
  log(`open-file limit (ulimit -n): ${ulimit.soft} (hard ${ulimit.hard}), enough for ${Math.max(...options.subscribers)} subscribers`);
  const dataset = await ensureDataset(log);
  if (!dataset.fresh) log(`dataset ${dataset.version} cached at ${path.relative(ROOT, dataset.file)} (generation took ${fmt(dataset.generationMs / 1000, 1)} s)`);
  if (dataset.articles !== DATASET_SIZE.articles) throw new Error("cached dataset has the wrong size; delete .bench/dataset-* and rerun");
  const runDir = path.join(BENCH_DIR, "run");
  fs.rmSync(runDir, { recursive: true, force: true });
  fs.mkdirSync(runDir, { recursive: true });
  const results: Results = { startedAt: new Date(), options, dataset, ulimit, fanouts: [], fanoutCeilings: [], profiles: [] };
  try {
    await readsPhase(results, runDir, options);
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
  fs.writeFileSync(path.join(BENCH_DIR, "last-run.md"), `${table}\n`);
  log(`(written to ${path.relative(ROOT, path.join(BENCH_DIR, "last-run.md"))})`);
  return results.failure ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
