import "reflect-metadata";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { NO_REQUEST } from "../../src/common/request-context";
import { DEFAULT_IMPORT_POOL, loadConfig } from "../../src/config";
import { SEED_STORY_FILE } from "../../src/db/seed/seed";
import { Role } from "../../src/modules/auth/auth.entity";
import { AuthService } from "../../src/modules/auth/auth.service";
import { MAX_BODY_CHARS, parseStoryText } from "../../src/modules/import/import.parser";
import { ImportPool } from "../../src/modules/import/import.pool";
import { createServer } from "../../src/server";

/*
 * `npm run bench:import-adversarial` — the stories slowest to read that we know how to write, each
 * at the body limit (200,000 characters of body), read as the server reads them: in a warm worker
 * of the import pool, the story posted in and its reading posted back. Prints each one's time
 * (median and slowest of 5), the seed story's, and then sends the slowest through a running
 * server's previewImport: the round trip, how many simple queries the server answered meanwhile,
 * and its main thread's longest stall.
 *
 *   npm run bench:import-adversarial
 *   npm run bench:import-adversarial -- --runs 9
 *
 * Target: the slowest under 300 ms. The time budget (IMPORT_TIME_BUDGET_MS, default 2000 ms)
 * bounds whatever reading these do not foresee.
 */

const TARGET_MS = 300;
const LEAD = "Judul Berita Uji Bacaan Lambat\n\nJAKARTA, Contoh.id – ";
const CITIES = ["Banyuwangi", "Bojonegoro", "Binjai", "Tuban", "Malang", "Kediri", "Jember", "Madiun", "Blitar", "Sampang", "Pamekasan", "Sumenep", "Gresik", "Lamongan", "Sidoarjo", "Medan", "Padang", "Jambi", "Bengkulu", "Serang"];

/** A capitalised word of syllables spelling `n` (distinct for distinct n below 512,000). */
function word(n: number): string {
  let w = "";
  for (let k = 0; k < 3; k++, n = Math.floor(n / 80)) w += "bcdfghjklmnprstw"[n % 16]! + "aiueo"[Math.floor(n / 16) % 5]!;
  return w[0]!.toUpperCase() + w.slice(1);
}
const nameOf = (i: number): string => `${word(i)} ${word((i * 7919 + 13) % 512_000)}`;

const LEXICON = [
  "Kepala", "Lapas", "Rutan", "Kalapas", "Karutan", "Kanwil", "Kakanwil", "Kemenkumham", "Ditjenpas", "Lembaga Pemasyarakatan", "Kelas", "IIA", "Banyuwangi",
  "Binjai", "I", "Wayan", "WBK", "WBBM", "meraih", "predikat", "2023", "di", "bawah", "jajaran", "Kasi", "Binadik", "Kepala Seksi", "Wilayah Bebas dari Korupsi",
  "“", "”", '"', ",", "ujarnya", "mengatakan", "menurut", "dipimpin", "kini", "menjabat", "sebagai", "(", ")", "Hari", "Winarca", "Kota", "Kabupaten", "mantan",
  "akan", ".", "Menteri Hukum dan HAM", "Dirjenpas", "Ia", "tegas", "Kantor Wilayah", "Balai", "Bapas", "LPKA", "Rumah Tahanan Negara", "Jawa Timur",
];

/** Units (by index) joined by `separator`, as many whole ones as the body limit holds. */
function body(unit: (i: number) => string, separator = " "): string {
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; ; i++) {
    const next = unit(i);
    if (size + next.length + (i > 0 ? separator.length : 0) > MAX_BODY_CHARS) break;
    size += next.length + (i > 0 ? separator.length : 0);
    parts.push(next);
  }
  return parts.join(separator);
}

/** A seeded generator of [0, 1). */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

const STORIES: Array<[name: string, body: () => string]> = [
  ["a head's title, city and name, repeated", () => body(() => "Kalapas Banyuwangi I Wayan Nurasta Wibawa")],
  ["a head's title, institution and name, repeated", () => body(() => "Kepala Lapas Bojonegoro, Hari Winarca,")],
  ["distinct 'Kalapas <city> <name>'", () => body((i) => `Kalapas ${CITIES[i % CITIES.length]} ${nameOf(i)}`)],
  ["distinct 'Kalapas <unknown place> <name>'", () => body((i) => `Kalapas ${word(i * 7)} ${nameOf(i)}`)],
  ["distinct 'Karutan <city> <three names>'", () => body((i) => `Karutan ${CITIES[i % CITIES.length]} ${nameOf(i)} ${word(i + 3)}`)],
  ["distinct '<name>, kini menjabat Kepala Lapas <city>'", () => body((i) => `${nameOf(i)}, kini menjabat Kepala Lapas ${CITIES[i % CITIES.length]}`)],
  ["a lower post's words, repeated", () => body(() => "Kasi Binadik Pembinaan")],
  ["distinct 'Kasi Binadik <name>,'", () => body((i) => `Kasi Binadik ${nameOf(i)},`)],
  ["quotes, each with its speaker", () => body((i) => `“Kami bekerja keras setiap hari untuk warga ${i},” ujar ${nameOf(i)}.`)],
  ["quotes, each with a short name", () => body((i) => `“Kami bekerja keras setiap hari,” tegas ${word(i)}.`)],
  ["nested curly quotes", () => body(() => "“ “ “ ” ”")],
  ["curly and straight quotes mixed", () => body(() => '“ " ” " “')],
  ["one paragraph without punctuation", () => body(() => "kata biasa tanpa tanda baca sama sekali")],
  ["distinct capitalised words", () => body((i) => word(i))],
  ["opening parentheses", () => body(() => "(", "")],
  ["full names with brackets", () => body(() => "Lembaga Pemasyarakatan (Lapas) Kelas IIA Banyuwangi (x)")],
  ["awards in one sentence, unpaired", () => body(() => "Lapas Banyuwangi dan Rutan Binjai meraih WBK WBBM 2023")],
  ["units listed under a body", () => body(() => "Lapas Banyuwangi, Rutan Binjai dan")],
  ["'UPT Pemasyarakatan di bawah Kemenkumham', repeated", () => body(() => "UPT Pemasyarakatan di bawah Kemenkumham")],
  ["'mantan Kalapas <city> <name>', repeated", () => body(() => "mantan Kalapas Banyuwangi Hari Winarca")],
  ["'… yang dipimpin Kalapas …', repeated", () => body(() => "Lapas Banyuwangi yang dipimpin Kalapas Hari Winarca")],
  ["a soup of the lexicon's words", () => body((() => { const r = random(1); return () => LEXICON[Math.floor(r() * LEXICON.length)]!; })())],
  ["a soup of the lexicon's words, in paragraphs", () => body((() => { const r = random(3); return (i: number) => (i % 50 === 49 ? "\n\n" : "") + LEXICON[Math.floor(r() * LEXICON.length)]!; })())],
];

function runsArg(args: readonly string[]): number {
  const i = args.indexOf("--runs");
  if (i === -1) return 5;
  const runs = Number(args[i + 1]);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a positive integer, got '${args[i + 1]}'`);
  return runs;
}

const ms = (ns: bigint): number => Number(ns) / 1e6;

async function timed(pool: ImportPool, text: string, runs: number): Promise<{ median: number; slowest: number }> {
  const times: number[] = [];
  for (let k = 0; k < runs; k++) {
    const startedAt = process.hrtime.bigint();
    await pool.extract(text);
    times.push(ms(process.hrtime.bigint() - startedAt));
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)]!, slowest: times[times.length - 1]! };
}

/** The story through a running server's previewImport, with simple queries sent one after another until it answers. */
async function throughServer(text: string): Promise<{ roundTripMs: number; answeredMeanwhile: number; longestStallMs: number; answer: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "newsroom-import-adversarial-"));
  const config = loadConfig({ ...process.env, PORT: "0", HOST: "127.0.0.1", SQLITE_FILE: path.join(dir, "bench.sqlite"), SEED: "false", LOG_LEVEL: "warn", DATABASE_URL: "", REDIS_URL: "" });
  const server = await createServer(config);
  try {
    const { token } = await new AuthService(server.db).createToken(NO_REQUEST, "adversarial bench", Role.EDITOR);
    const gql = async (query: string, variables: Record<string, unknown> = {}) => {
      const res = await fetch(`http://127.0.0.1:${server.port}/graphql`, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${token}` }, body: JSON.stringify({ query, variables }) });
      return (await res.json()) as { data?: unknown; errors?: Array<{ message: string; extensions?: { code?: string } }> };
    };
    await gql(PREVIEW, { text: fs.readFileSync(SEED_STORY_FILE, "utf8") });
    const stalls = monitorEventLoopDelay({ resolution: 10 });
    stalls.enable();
    const startedAt = process.hrtime.bigint();
    let done = false;
    const previewing = gql(PREVIEW, { text }).finally(() => (done = true));
    let answeredMeanwhile = 0;
    while (!done) {
      await gql(SIMPLE);
      if (!done) answeredMeanwhile++;
    }
    const answer = await previewing;
    const roundTripMs = ms(process.hrtime.bigint() - startedAt);
    stalls.disable();
    const shown = answer.errors ? `refused ${answer.errors[0]!.extensions?.code}: ${answer.errors[0]!.message.slice(0, 90)}…` : JSON.stringify((answer.data as { previewImport: { counts: unknown } }).previewImport.counts);
    return { roundTripMs, answeredMeanwhile, longestStallMs: stalls.max / 1e6, answer: shown };
  } finally {
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const runs = runsArg(process.argv.slice(2));
  const pool = new ImportPool({ ...DEFAULT_IMPORT_POOL, timeBudgetMs: 60_000 });
  try {
    const seed = fs.readFileSync(SEED_STORY_FILE, "utf8");
    for (let i = 0; i < 30; i++) await pool.extract(seed);
    console.log(`Reading in a warm import worker, each story at the body limit (${MAX_BODY_CHARS.toLocaleString("en")} characters), ${runs} runs each:\n`);
    console.log("| story | body chars | median ms | slowest ms |");
    console.log("|---|---:|---:|---:|");
    const rows: Array<{ name: string; text: string; median: number; slowest: number }> = [];
    for (const [name, make] of STORIES) {
      const text = LEAD + make();
      const chars = parseStoryText(text).body.length;
      const { median, slowest } = await timed(pool, text, runs);
      rows.push({ name, text, median, slowest });
      console.log(`| ${name} | ${chars.toLocaleString("en")} | ${median.toFixed(0)} | ${slowest.toFixed(0)} |`);
    }
    const seedTime = await timed(pool, seed, Math.max(runs, 25));
    console.log(`| the seed story | ${parseStoryText(seed).body.length.toLocaleString("en")} | ${seedTime.median.toFixed(1)} | ${seedTime.slowest.toFixed(1)} |`);
    const worst = rows.reduce((a, b) => (b.median > a.median ? b : a));
    console.log(`\nSlowest: ${worst.name}, median ${worst.median.toFixed(0)} ms (target < ${TARGET_MS} ms): ${worst.median < TARGET_MS ? "PASS" : "MISS"}`);
    const served = await throughServer(worst.text);
    console.log(
      `Through previewImport: ${served.roundTripMs.toFixed(0)} ms round trip (reading, linking against the store, the answer), ` +
        `${served.answeredMeanwhile} simple queries answered meanwhile, the main thread's longest stall ${served.longestStallMs.toFixed(0)} ms; answer: ${served.answer}`,
    );
    const load = os.loadavg()[0]!;
    if (load > os.cpus().length) console.log(`(load average ${load.toFixed(1)} on ${os.cpus().length} CPUs: other work on the machine slows every row)`);
  } finally {
    await pool.close();
  }
}

const PREVIEW = `query Preview($text: String!) { previewImport(text: $text) { counts { institutionsCreated peopleCreated positions quotes accreditations warnings } } }`;
const SIMPLE = `{ articles(first: 1) { totalCount } }`;

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
