import "reflect-metadata";
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { toGlobalId } from "../../src/kernel/ids";
import { Database } from "../../src/db/database";
import { entities } from "../../src/entities/entities";
import { Article } from "../../src/entities/article.entity";
import { runImportCommand } from "../../src/tools/import";
import type { ImportSummary } from "../../src/tools/import";
import { startTestServer } from "../helpers/server";
import { connect } from "../helpers/ws";

const STORIES = path.join(__dirname, "..", "services", "import", "stories");

/*
 * Stories whose expected facts name every shared record the same way (Rutan Situbondo in 02 and
 * 03), so what a batch creates and links follows from the expected files: a name seen in an
 * earlier story is a link, a new one a creation.
 */
const GOOD = ["02-no-quotes", "03-rutan-kanwil", "06-split-quote"];

interface Expected {
  title: string;
  institutions: Array<{ name: string }>;
  people: Array<{ name: string; positions: unknown[] }>;
  quotes: unknown[];
  accreditations: unknown[];
  warnings: unknown[];
}

function expectedOf(name: string): Expected {
  return JSON.parse(fs.readFileSync(path.join(STORIES, `${name}.expected.json`), "utf8")) as Expected;
}

/** Totals a batch of these stories must give on an empty store. */
function expectedTotals(names: readonly string[]) {
  const institutions = new Set<string>();
  const people = new Set<string>();
  const totals = { stories: names.length, imported: names.length, refused: 0, institutionsCreated: 0, institutionsLinked: 0, peopleCreated: 0, peopleLinked: 0, positions: 0, quotes: 0, accreditations: 0, warnings: 0 };
  for (const name of names) {
    const e = expectedOf(name);
    for (const i of e.institutions) {
      if (institutions.has(i.name)) totals.institutionsLinked++;
      else totals.institutionsCreated++;
      institutions.add(i.name);
    }
    for (const p of e.people) {
      if (people.has(p.name)) totals.peopleLinked++;
      else totals.peopleCreated++;
      people.add(p.name);
      totals.positions += p.positions.length;
    }
    totals.quotes += e.quotes.length;
    totals.accreditations += e.accreditations.length;
    totals.warnings += e.warnings.length;
  }
  return totals;
}

/** Runs the command in this process as `npm run import` would, collecting stdout and stderr. */
async function run(args: string[], file: string, options: { tty?: boolean; env?: NodeJS.ProcessEnv } = {}) {
  const out: string[] = [];
  let err = "";
  const code = await runImportCommand(args, (line) => out.push(line), { ...options.env, SQLITE_FILE: file }, { isTTY: options.tty ?? false, columns: 100, write: (chunk: string) => (err += chunk) });
  return { code, stdout: out.join("\n"), stderr: err };
}

/** Rows in every table of the file: what "changes nothing" is checked against. */
async function rowCounts(file: string): Promise<Record<string, number>> {
  const db = await Database.open({ kind: "sqlite", file }, entities);
  try {
    const tables = (await db.reader.query("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")) as Array<{ name: string }>;
    const counts: Record<string, number> = {};
    for (const { name } of tables) counts[name] = ((await db.reader.query(`SELECT COUNT(*) AS n FROM "${name}"`)) as Array<{ n: number }>)[0]!.n;
    return counts;
  } finally {
    await db.close();
  }
}

async function articleIds(file: string): Promise<Map<string, string>> {
  const db = await Database.open({ kind: "sqlite", file }, entities);
  try {
    const articles = await db.reader.manager.find(Article);
    return new Map(articles.map((a) => [a.title, toGlobalId("Article", a.pk)]));
  } finally {
    await db.close();
  }
}

describe("npm run import", () => {
  let dir: string;
  let good: string;
  let mixed: string;
  let dbA: string;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "newsroom-import-command-"));
    good = path.join(dir, "good");
    mixed = path.join(dir, "mixed");
    fs.mkdirSync(good);
    fs.mkdirSync(mixed);
    for (const name of GOOD) fs.copyFileSync(path.join(STORIES, `${name}.txt`), path.join(good, `${name}.txt`));
    // Not a story: the command leaves files of other kinds in a folder alone.
    fs.writeFileSync(path.join(good, "notes.md"), "not a story");
    fs.writeFileSync(path.join(mixed, "a-blank.txt"), "  \n\n \t\n");
    fs.writeFileSync(path.join(mixed, "b-furniture.txt"), "banner 728x250\n\nTinggalkan Balasan\n\nAlamat email Anda tidak akan dipublikasikan. Ruas yang wajib ditandai *");
    fs.copyFileSync(path.join(STORIES, "04-lpka-bapas.txt"), path.join(mixed, "c-lpka-bapas.txt"));
    dbA = path.join(dir, "a.sqlite");
  });

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("answers usage errors with exit 2 and a usage message, before opening any database", async () => {
    const file = path.join(dir, "never.sqlite");
    for (const args of [[], ["--dry-run"], [good, "--publsh"], [path.join(dir, "missing.txt")]]) {
      const r = await run(args, file);
      expect(r.code).toBe(2);
      expect(r.stdout).toMatch(/^error: /);
      expect(r.stdout).toContain("usage: npm run --silent import -- <file or folder>");
    }
    expect((await run([good, "--publsh"], file)).stdout).toContain("unknown option --publsh");
    expect((await run([path.join(dir, "missing.txt")], file)).stdout).toContain(`no such file or folder: ${path.join(dir, "missing.txt")}`);
    expect(fs.existsSync(file)).toBe(false);
  });

  it("refuses a bad IMPORT_* setting with exit 2 and one line naming it, before opening any database", async () => {
    const file = path.join(dir, "never.sqlite");
    for (const [name, value] of [
      ["IMPORT_WORKERS", "0"],
      ["IMPORT_TIME_BUDGET_MS", "soon"],
      ["IMPORT_QUEUE", "-1"],
    ] as const) {
      const r = await run([good], file, { env: { [name]: value } });
      expect(r.code).toBe(2);
      expect(r.stdout).toMatch(new RegExp(`^error: ${name} must be an integer from \\d+ to \\d+, got '${value}'$`));
    }
    expect(fs.existsSync(file)).toBe(false);
  });

  it("reads each story as the server does, within IMPORT_TIME_BUDGET_MS: one over it is refused with that reason, and the batch goes on", async () => {
    const file = path.join(dir, "budget.sqlite");
    const r = await run([good, "--dry-run", "--json"], file, { env: { IMPORT_TIME_BUDGET_MS: "1" } });
    expect(r.code).toBe(1);
    const summary = JSON.parse(r.stdout) as ImportSummary;
    expect(summary.totals).toMatchObject({ stories: GOOD.length, refused: GOOD.length });
    for (const f of summary.files) expect(f.reason).toMatch(/^The story took too long to read: the importer stops reading a story after 1 ms \(IMPORT_TIME_BUDGET_MS\)/);
  });

  it("--dry-run reads every story and writes nothing", async () => {
    const before = await rowCounts(dbA);
    const r = await run([good, "--dry-run"], dbA);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^would import 3 of 3 stories, 0 refused \(dry run: nothing written\)$/m);
    expect(r.stdout).toMatch(new RegExp(`^  quotes +${expectedTotals(GOOD).quotes}$`, "m"));
    expect(await rowCounts(dbA)).toEqual(before);
  });

  it("imports a folder's stories in name order and sums up what they stored", async () => {
    const r = await run([good], dbA);
    const t = expectedTotals(GOOD);
    expect(r.code).toBe(0);
    expect(r.stdout.split("\n")).toEqual([
      "imported 3 of 3 stories, 0 refused",
      `  institutions    ${t.institutionsCreated} created, ${t.institutionsLinked} linked`,
      `  people          ${t.peopleCreated} created, ${t.peopleLinked} linked`,
      `  positions       ${t.positions}`,
      `  quotes          ${t.quotes}`,
      `  accreditations  ${t.accreditations}`,
      `  warnings        ${t.warnings}`,
    ]);
    // Not a terminal: one plain line per story, in name order.
    expect(r.stderr.trim().split("\n").map((line) => line.replace(/ imported as .*/, ""))).toEqual(GOOD.map((name, i) => `[${i + 1}/3] ${path.join(good, `${name}.txt`)}`));
    const rows = await rowCounts(dbA);
    expect({ articles: rows.article, institutions: rows.institution, people: rows.person, quotes: rows.quote }).toEqual({
      articles: 3,
      institutions: t.institutionsCreated,
      people: t.peopleCreated,
      quotes: t.quotes,
    });
    expect([...(await articleIds(dbA)).keys()].sort()).toEqual(GOOD.map((name) => expectedOf(name).title).sort());
  });

  it("--json prints one summary that parses, with each file and the same totals", async () => {
    const dbB = path.join(dir, "b.sqlite");
    const r = await run([good, "--json"], dbB, { tty: true });
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout) as ImportSummary;
    const ids = await articleIds(dbB);
    expect(summary).toMatchObject({ dryRun: false, publish: false, totals: expectedTotals(GOOD) });
    expect(summary.files.map((f) => [f.file, f.status, f.article?.id, f.article?.status])).toEqual(
      GOOD.map((name) => [path.join(good, `${name}.txt`), "imported", ids.get(expectedOf(name).title), "DRAFT"]),
    );
    // Per-file counts add up to the totals.
    expect(summary.files.reduce((sum, f) => sum + f.counts!.quotes, 0)).toBe(summary.totals.quotes);
    // A terminal gets a bar redrawn in place, cleared at the end.
    expect(r.stderr).toContain("\r\x1b[2K[" + "#".repeat(24) + "] 3/3 ");
    expect(r.stderr.endsWith("\r\x1b[2K")).toBe(true);
  });

  it("refuses every story of a folder imported before, naming the stored article, and changes nothing", async () => {
    const before = await rowCounts(dbA);
    const ids = await articleIds(dbA);
    const r = await run([good, "--json"], dbA);
    expect(r.code).toBe(1);
    const summary = JSON.parse(r.stdout) as ImportSummary;
    expect(summary.totals).toMatchObject({ stories: 3, imported: 0, refused: 3, quotes: 0 });
    for (const [i, f] of summary.files.entries()) {
      expect(f.status).toBe("refused");
      expect(f.reason).toContain(ids.get(expectedOf(GOOD[i]!).title)!);
    }
    expect(await rowCounts(dbA)).toEqual(before);
  });

  it("names each refused file with its reason, imports the rest and exits non-zero", async () => {
    const before = await rowCounts(dbA);
    const r = await run([mixed], dbA);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^imported 1 of 3 stories, 2 refused$/m);
    const refused = r.stdout.slice(r.stdout.indexOf("\nrefused:\n") + 10).split("\n");
    expect(refused).toHaveLength(2);
    expect(refused[0]).toMatch(new RegExp(`^  ${escape(path.join(mixed, "a-blank.txt"))}: \\S.*`));
    expect(refused[1]).toMatch(new RegExp(`^  ${escape(path.join(mixed, "b-furniture.txt"))}: \\S.*`));
    expect(r.stderr).toContain(`[1/3] ${path.join(mixed, "a-blank.txt")} refused: `);
    const after = await rowCounts(dbA);
    expect(after.article).toBe(before.article! + 1);
    expect((await articleIds(dbA)).has(expectedOf("04-lpka-bapas").title)).toBe(true);
  });

  it("shows control characters of file names and reasons as escapes, so a name cannot forge a line on the terminal", async () => {
    const odd = path.join(dir, "odd");
    fs.mkdirSync(odd);
    // A blank story: refused, so its name appears in the progress and in the refused list.
    const evil = path.join(odd, "\x1b[2K\rpreviewed evil.txt\n");
    fs.writeFileSync(evil, "  \n");
    const shown = path.join(odd, "\\x1b[2K\\x0dpreviewed evil.txt\\x0a");
    const dbC = path.join(dir, "c.sqlite");
    for (const tty of [false, true]) {
      const r = await run([evil, path.join(good, "02-no-quotes.txt"), "--dry-run"], dbC, { tty });
      expect(r.code).toBe(1);
      // The bar's own redraw sequence aside, nothing written carries a control character but the line ends.
      const written = `${r.stdout}\n${r.stderr.split("\r\x1b[2K").join("\n")}`;
      expect(written).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f]/);
      expect(written.split(/[\r\n]/).filter((line) => line.startsWith("previewed"))).toEqual([]);
      expect(r.stdout).toMatch(/^would import 1 of 2 stories, 1 refused/m);
      expect(r.stdout).toContain(`\nrefused:\n  ${shown}: `);
      // The bar cuts its line at the terminal's width: the name's start is enough there.
      expect(r.stderr).toContain(tty ? `] 1/2 ${path.join(odd, "\\x1b[2K\\x0dprev")}` : `[1/2] ${shown} refused: `);
    }
    const missing = path.join(odd, "missing\x1b[31m.txt");
    const usage = await run([missing], dbC);
    expect(usage.code).toBe(2);
    expect(usage.stdout).toContain(`no such file or folder: ${path.join(odd, "missing\\x1b[31m.txt")}\n`);
    expect(usage.stdout).not.toContain("\x1b");
  });

  it("--json gives such names exactly, as valid JSON with no raw control or bidirectional character", async () => {
    const odd = path.join(dir, "odd-json");
    fs.mkdirSync(odd);
    const names = ["\x1b[2K\rpreviewed evil.txt\n", "right\u202eto left\u009b1m\u2028.txt"].map((name) => path.join(odd, name));
    for (const name of names) fs.writeFileSync(name, " ");
    const r = await run([...names, "--json"], path.join(dir, "d.sqlite"));
    expect(r.code).toBe(1);
    expect(r.stdout).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/);
    const summary = JSON.parse(r.stdout) as ImportSummary;
    expect(summary.files.map((f) => [f.file, f.status])).toEqual(names.map((name) => [name, "refused"]));
  });

  it("with --publish, reaches the articlePublished subscribers of a server running on the same database", async () => {
    const file = path.join(dir, "served.sqlite");
    const t = await startTestServer({ seed: false, file, keepFile: true });
    const live = connect(t.server.port);
    try {
      const connected = new Promise<void>((resolve) => live.client.on("connected", () => resolve()));
      const sub = live.subscribe<{ articlePublished: { type: string; article: { id: string; title: string; status: string } } }>(
        "subscription { articlePublished { type article { id title status } } }",
      );
      await connected;
      // The subscription is registered on the server before anything is published.
      await new Promise((resolve) => setTimeout(resolve, 200));
      const draft = await run([path.join(good, "02-no-quotes.txt")], file);
      const published = await run([path.join(good, "03-rutan-kanwil.txt"), "--publish", "--json"], file);
      expect([draft.code, published.code]).toEqual([0, 0]);
      const article = (JSON.parse(published.stdout) as ImportSummary).files[0]!.article!;
      expect(article.status).toBe("PUBLISHED");
      const [first] = await sub.waitFor(1);
      // The draft sent nothing; the first event is the published story's.
      expect(first!.data!.articlePublished).toEqual({ type: "PUBLISHED", article: { id: article.id, title: expectedOf("03-rutan-kanwil").title, status: "PUBLISHED" } });
    } finally {
      await live.close();
      await t.close();
    }
  });
});

describe("npm run import as a process", () => {
  it("prints the whole --json summary into a pipe its reader empties late", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "newsroom-import-process-"));
    try {
      // Refused files answer quickly and still give a summary far larger than a pipe and the
      // reading stream hold together (64 KB and 64 KB on Linux).
      const folder = path.join(dir, "stories");
      fs.mkdirSync(folder);
      for (let i = 0; i < 1500; i++) fs.writeFileSync(path.join(folder, `${String(i).padStart(4, "0")}.txt`), " ");
      const root = path.join(__dirname, "..", "..");
      const child = spawn(process.execPath, ["-r", path.join(root, "tests", "helpers", "ts-register.js"), path.join(root, "src", "tools", "import.ts"), folder, "--json"], {
        env: { ...process.env, SQLITE_FILE: path.join(dir, "db.sqlite") },
        stdio: ["ignore", "pipe", "ignore"],
      });
      const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
      const closed = new Promise((resolve) => child.stdout.once("close", resolve));
      // Read nothing until the command has exited or has had time to write it all.
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 3000))]);
      let stdout = "";
      child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
      expect(await exited).toBe(1);
      await closed;
      expect(stdout.length).toBeGreaterThan(200_000);
      const summary = JSON.parse(stdout) as ImportSummary;
      expect(summary.totals).toMatchObject({ stories: 1500, imported: 0, refused: 1500 });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
