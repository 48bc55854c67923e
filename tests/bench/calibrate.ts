import "reflect-metadata";
import { fork } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { parse } from "graphql";
import type { GraphQLSchema } from "graphql";
import { createLogger } from "../../src/kernel/logger";
import { DEFAULT_LIMITS } from "../../src/config";
import { estimateOperationCost } from "../../src/policy/limits";
import { LiveStats } from "../../src/events/stats";
import { Metrics } from "../../src/observability/metrics";
import { OperationPolicy } from "../../src/policy/operation-policy";
import { createSchema } from "../../src/api/schema";
import type { ProbeReply, ProbeRequest, Work } from "./calibrate-server";
import { ADMITTED_SIZES, ATTACK_FAMILIES, REALISTIC_OPERATIONS, SAMPLES_QUERY, aliasedIntrospection, samplesFrom } from "./lib/calibration";
import type { AttackFamily } from "./lib/calibration";
import { copyDataset, ensureDataset } from "./lib/dataset-cache";
import { mustGql } from "./lib/gql";
import { BENCH_DIR, ROOT, childEnv, distFile } from "./lib/paths";
import { mintToken, startFlags } from "./lib/proc";

/*
 * `npm run calibrate`: the cost estimate against the truth. On a copy of the bench dataset the
 * real server (calibrate-server.ts, production posture) answers each realistic operation; for
 * each the driver prints the estimated cost, the fields actually resolved, the SQL statements
 * and rows, and the server's CPU per request (process.cpuUsage of the server process around one
 * request over HTTP, median of several sequential ones). Then it sizes every attack shape of
 * lib/calibration.ts to the largest the default limits admit, measures those, and prints the
 * most expensive admitted operation, which must cost under CPU_TARGET_MS.
 * Options: --reps N (CPU samples per realistic operation, default 15), --attack-reps N (default 5),
 * --only TEXT (just the operations and shapes whose name holds TEXT, any letter case: a weight is
 * re-measured in a minute instead of the whole run's several, on a machine others share).
 */

const CPU_TARGET_MS = 250;
/** Stop sampling one operation after this much wall time (at least 3 samples are taken). */
const SAMPLE_BUDGET_MS = 15_000;
/** A request slower than this fails the run (the target is a few hundred milliseconds). */
const REQUEST_TIMEOUT_MS = 60_000;
/** Pending comments written for the moderation queue (the dataset's comments are all approved). */
const PENDING_COMMENTS = 60;

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i === -1 ? fallback : Number(process.argv[i + 1]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} needs a positive integer`);
  return value;
}

/** The value of `--only`, lower-cased, or null: every operation and shape is run. */
function onlyOption(): string | null {
  const i = process.argv.indexOf("--only");
  if (i === -1) return null;
  const value = process.argv[i + 1];
  if (!value) throw new Error("--only needs a piece of an operation's or shape's name");
  return value.toLowerCase();
}

const log = (line: string) => console.log(line);

/** The server under measurement and its IPC probe. */
class MeasuredServer {
  private readonly waiting = new Map<number, (reply: ProbeReply) => void>();
  private next = 1;

  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {
    child.on("message", (reply: ProbeReply) => {
      this.waiting.get(reply.id)?.(reply);
      this.waiting.delete(reply.id);
    });
  }

  static async start(file: string): Promise<MeasuredServer> {
    const env = childEnv({
      SQLITE_FILE: file,
      PORT: "0",
      HOST: "127.0.0.1",
      NODE_ENV: "production",
      // At info the server logs every request, which would be measured too.
      LOG_LEVEL: "warn",
      SEED: "false",
      // Each operation is sent again and again: from the response cache it would cost nothing to measure.
      RESPONSE_CACHE: "false",
      // The moderation queue's pending comments are written in one go, from one address.
      COMMENT_RATE_LIMIT: "100000",
      COMMENT_ADDRESS_RATE_LIMIT: "100000",
      // No background reads inside the measured windows.
      SCHEDULER_INTERVAL_MS: "3600000",
      EVENT_POLL_INTERVAL_MS: "600000",
    });
    const child = fork(distFile("tests", "bench", "calibrate-server.js"), [], { cwd: ROOT, env, execArgv: startFlags(), stdio: ["ignore", "inherit", "inherit", "ipc"] });
    const killIt = () => child.kill("SIGKILL");
    process.once("exit", killIt);
    const port = await new Promise<number>((resolve, reject) => {
      child.once("message", (m: ProbeReply & { port?: number }) => (m.port ? resolve(m.port) : reject(new Error("unexpected first message"))));
      child.once("exit", (code) => reject(new Error(`the server exited (${code}) before it was ready`)));
    });
    return new MeasuredServer(child, `http://127.0.0.1:${port}/graphql`);
  }

  ask(type: ProbeRequest["type"]): Promise<ProbeReply> {
    const id = this.next++;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.child.send({ id, type } satisfies ProbeRequest);
    });
  }

  async cpuMs(): Promise<number> {
    return (await this.ask("cpu")).cpuMs!;
  }

  /** Stops the server; one still busy with a request that failed the run is killed after a few seconds. */
  async stop(): Promise<void> {
    const timer = setTimeout(() => this.child.kill("SIGKILL"), 20_000);
    await Promise.race([this.ask("stop"), new Promise((resolve) => this.child.once("exit", resolve))]);
    clearTimeout(timer);
  }
}

interface Answer {
  status: number;
  errors: Array<{ message: string; extensions?: { code?: string } }> | undefined;
  bytes: number;
}

async function send(url: string, query: string, variables: Record<string, unknown>, token?: string): Promise<Answer> {
  const response = await fetch(url, { method: "POST", signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS), headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify({ query, variables }) });
  const text = await response.text();
  let errors: Answer["errors"];
  try {
    errors = (JSON.parse(text) as { errors?: Answer["errors"] }).errors;
  } catch {
    errors = [{ message: `not JSON: ${text.slice(0, 200)}` }];
  }
  return { status: response.status, errors, bytes: Buffer.byteLength(text) };
}

interface Measurement {
  work: Work;
  bytes: number;
  cpu: { median: number; min: number; max: number; n: number };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** One counted request, one warm-up, then up to `reps` sequential requests with the server's CPU read around each. */
async function measure(server: MeasuredServer, query: string, variables: Record<string, unknown>, reps: number, token?: string): Promise<Measurement> {
  const check = (answer: Answer) => {
    if (answer.status !== 200 || answer.errors) throw new Error(`HTTP ${answer.status}: ${JSON.stringify(answer.errors)?.slice(0, 500)}\n${query.slice(0, 500)}`);
    return answer;
  };
  await server.ask("count");
  const first = await send(server.url, query, variables, token);
  const { work } = await server.ask("counted");
  check(first);
  await send(server.url, query, variables, token);
  const samples: number[] = [];
  const startedAt = performance.now();
  while (samples.length < reps && (samples.length < 3 || performance.now() - startedAt < SAMPLE_BUDGET_MS)) {
    const before = await server.cpuMs();
    check(await send(server.url, query, variables, token));
    samples.push((await server.cpuMs()) - before);
  }
  return { work: work!, bytes: first.bytes, cpu: { median: median(samples), min: Math.min(...samples), max: Math.max(...samples), n: samples.length } };
}

/** The default limits' decision, made by the server's own policy class in this process. */
function admission(schema: GraphQLSchema) {
  const policy = new OperationPolicy(schema, {
    limits: DEFAULT_LIMITS,
    introspection: true,
    hideHints: true,
    logger: createLogger("silent"),
    // A registry of its own: the driver's decisions are not the server's metrics.
    metrics: new Metrics(new LiveStats()),
  });
  return (query: string, variables: Record<string, unknown> = {}): { admitted: boolean; why: string } => {
    const decision = policy.admit({ transport: "http", method: "POST", query, variables });
    return decision.admitted ? { admitted: true, why: "" } : { admitted: false, why: `${decision.refused.code}: ${decision.refused.errors[0]?.message ?? ""}` };
  };
}

interface Sized {
  family: AttackFamily;
  size: number;
  query: string;
  cost: number;
  /** Why the next size up is refused (empty when the family's largest size is admitted). */
  nextRefused: string;
}

/** The largest size of `family` the limits admit, by bisection (admission only shrinks as a shape grows). */
function largestAdmitted(family: AttackFamily, admits: ReturnType<typeof admission>, schema: GraphQLSchema): Sized | { family: AttackFamily; refusedAtOne: string } {
  const atOne = admits(family.build(1));
  if (!atOne.admitted) return { family, refusedAtOne: atOne.why };
  let low = 1;
  let high = family.maxSize;
  if (admits(family.build(high)).admitted) low = high;
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if (admits(family.build(mid)).admitted) low = mid;
    else high = mid;
  }
  const query = family.build(low);
  return { family, size: low, query, cost: estimateOperationCost(schema, parse(query), null, {}), nextRefused: low < family.maxSize ? admits(family.build(low + 1)).why : "" };
}

/** The family with three standard introspection queries added (the estimate prices them by shape, at 0). */
function withIntrospection(family: AttackFamily): AttackFamily | null {
  const sample = family.build(1);
  if (!sample.startsWith("{") || sample.includes("fragment ")) return null;
  return { name: `3 × standard introspection + ${family.name}`, maxSize: family.maxSize, build: (n) => aliasedIntrospection(3, family.build(n).trim().slice(1, -1)) };
}

const fmt = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms.toFixed(1));
const cpuCell = (m: Measurement) => `${fmt(m.cpu.median)} (${fmt(m.cpu.min)}–${fmt(m.cpu.max)}, n=${m.cpu.n})`;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(bytes < 10_240 ? 1 : 0)}`;

async function main(): Promise<void> {
  const reps = option("reps", 15);
  const attackReps = option("attack-reps", 5);
  const only = onlyOption();
  const chosen = (name: string) => only === null || name.toLowerCase().includes(only);
  const dataset = await ensureDataset(log);
  const file = copyDataset(path.join(BENCH_DIR, "calibrate", "server.sqlite"));
  const moderator = await mintToken(file, "MODERATOR", "calibration moderator");
  const schema = await createSchema();
  const admits = admission(schema);
  log(`dataset ${dataset.version}: ${dataset.articles} stories, ${dataset.quotes} quotes, ${dataset.comments} comments; server starting …`);
  const server = await MeasuredServer.start(file);
  const lines: string[] = [];
  const out = (line = "") => {
    lines.push(line);
    log(line);
  };
  let failed = false;
  try {
    const newest = await mustGql<{ articles: { nodes: Array<{ id: string }> } }>(server.url, `{ articles(first: 20) { nodes { id } } }`);
    for (let i = 0; i < PENDING_COMMENTS; i++) {
      const articleId = newest.articles.nodes[i % newest.articles.nodes.length]!.id;
      await mustGql(server.url, `mutation($input: AddCommentInput!) { addComment(input: $input) { id status } }`, {
        input: { articleId, authorName: `Pembaca ${i + 1}`, authorEmail: `pembaca${i + 1}@example.id`, body: `Komentar pembaca nomor ${i + 1} yang menunggu moderasi.` },
      });
    }
    const samples = samplesFrom(await mustGql(server.url, SAMPLES_QUERY));
    // A partial run's worst operation is not the set's: say so at the top of the report.
    if (only !== null) out(`_Only the operations and shapes whose name holds '${only}'._\n`);

    out(`## Realistic operations (bench dataset ${dataset.version}: ${dataset.articles} stories; limit ${DEFAULT_LIMITS.maxComplexity}; CPU ms per request: median (range, samples))`);
    out();
    out("| Operation | Estimated cost | Fields resolved | SQL statements | SQL rows | Answer KB | CPU ms | Admitted |");
    out("|---|---:|---:|---:|---:|---:|---:|---|");
    for (const op of REALISTIC_OPERATIONS.filter((o) => chosen(o.name))) {
      const variables = op.variables(samples);
      const cost = estimateOperationCost(schema, parse(op.query), null, variables);
      const verdict = admits(op.query, variables);
      if (!verdict.admitted) {
        failed = true;
        out(`| ${op.name} | ${cost} | – | – | – | – | – | **refused**: ${verdict.why} |`);
        continue;
      }
      const m = await measure(server, op.query, variables, reps, op.role === "MODERATOR" ? moderator : undefined);
      out(`| ${op.name} | ${cost} | ${m.work.fields} | ${m.work.statements} | ${m.work.rows} | ${kb(m.bytes)} | ${cpuCell(m)} | yes |`);
    }
    out();

    const sized: Sized[] = [];
    const refusedAtOne: string[] = [];
    const size = (family: AttackFamily) => {
      const result = largestAdmitted(family, admits, schema);
      if ("refusedAtOne" in result) refusedAtOne.push(`- ${family.name}: refused at size 1 (${result.refusedAtOne})`);
      else sized.push(result);
    };
    ATTACK_FAMILIES.filter((f) => chosen(f.name)).forEach(size);
    const stale = sized.filter((s) => s.family.name in ADMITTED_SIZES && ADMITTED_SIZES[s.family.name] !== s.size);
    for (const s of stale) {
      failed = true;
      out(`ADMITTED_SIZES is out of date: ${s.family.name} is admitted up to size ${s.size}, the table says ${ADMITTED_SIZES[s.family.name]}.`);
    }
    const measured: Array<Sized & { m: Measurement }> = [];
    const measureSized = async (s: Sized) => {
      log(`  measuring ${s.family.name} at size ${s.size} (cost ${s.cost}) …`);
      measured.push({ ...s, m: await measure(server, s.query, {}, attackReps) });
    };
    for (const s of sized) await measureSized(s);
    // The introspection roots cost nothing in the estimate: add three to the worst data shapes.
    const worstData = [...measured].sort((a, b) => b.m.cpu.median - a.m.cpu.median).slice(0, 3);
    for (const w of worstData) {
      const combined = withIntrospection(w.family);
      if (!combined) continue;
      const result = largestAdmitted(combined, admits, schema);
      if ("refusedAtOne" in result) refusedAtOne.push(`- ${combined.name}: refused at size 1 (${result.refusedAtOne})`);
      else await measureSized(result);
    }
    measured.sort((a, b) => b.m.cpu.median - a.m.cpu.median);

    out(`## Attack shapes at the largest size the default limits admit (CPU ms per request: median (range, samples))`);
    out();
    out("| Shape | Size | Estimated cost | Fields resolved | SQL statements | SQL rows | Answer KB | CPU ms | Next size refused by |");
    out("|---|---:|---:|---:|---:|---:|---:|---:|---|");
    for (const s of measured) {
      out(`| ${s.family.name} | ${s.size} | ${s.cost} | ${s.m.work.fields} | ${s.m.work.statements} | ${s.m.work.rows} | ${kb(s.m.bytes)} | ${cpuCell(s.m)} | ${s.nextRefused ? s.nextRefused.slice(0, 90) : "(largest size tried)"} |`);
    }
    for (const line of refusedAtOne) out(line);
    out();

    fs.mkdirSync(BENCH_DIR, { recursive: true });
    const worst = measured[0];
    if (worst) {
      const verdict = worst.m.cpu.median < CPU_TARGET_MS ? "PASS" : "MISS";
      if (verdict === "MISS") failed = true;
      out(`## Most expensive admitted operation: ${worst.family.name}, size ${worst.size}, cost ${worst.cost}: ${cpuCell(worst.m)} ms of server CPU — ${verdict} (target < ${CPU_TARGET_MS} ms)`);
      out();
      out("```graphql");
      out(worst.query);
      out("```");
      fs.writeFileSync(path.join(BENCH_DIR, "calibrate-worst.graphql"), `${worst.query}\n`);
    } else out(`(no attack shape's name holds '${only ?? ""}')`);
    fs.writeFileSync(path.join(BENCH_DIR, "calibrate-last-run.md"), `${lines.join("\n")}\n`);
    log(`\n(also in ${path.relative(ROOT, path.join(BENCH_DIR, "calibrate-last-run.md"))})`);
  } finally {
    await server.stop();
  }
  process.exit(failed ? 1 : 0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
