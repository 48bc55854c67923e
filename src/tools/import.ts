import "reflect-metadata";
import fs from "node:fs";
import path from "node:path";
import { ConfigError, databaseConfigFromEnv, parseImportConfig } from "../config";
import type { ImportConfig } from "../config";
import { AppError } from "../kernel/errors";
import { toGlobalId } from "../kernel/ids";
import { NO_REQUEST } from "../kernel/request-context";
import { terminalJson, terminalText } from "../kernel/terminal-text";
import { Database } from "../db/database";
import { entities } from "../entities/entities";
import { ImportPool } from "../services/import/import.pool";
import { ImportService } from "../services/import/import.service";
import type { ImportPlan } from "../services/import/import.service";

const USAGE = `usage: npm run --silent import -- <file or folder>… [--publish] [--dry-run] [--json]
  <file>      a story as plain text (UTF-8), in the shape of the seed story
  <folder>    every *.txt file directly inside it, in name order
  --publish   publish each imported story (PUBLISHED event, like publishArticle); otherwise a DRAFT
  --dry-run   read each story and what it would store or link, write nothing
  --json      print one JSON summary (each file and the totals) on stdout
  --          every argument after it is a path`;

/** Where progress goes: stderr, a bar when it is a terminal, one line a story otherwise. */
export interface ProgressStream {
  readonly isTTY?: boolean;
  readonly columns?: number;
  write(chunk: string): unknown;
}

type Counts = ImportPlan["counts"];

const COUNT_KEYS = ["institutionsCreated", "institutionsLinked", "peopleCreated", "peopleLinked", "positions", "quotes", "accreditations", "warnings"] as const satisfies ReadonlyArray<keyof Counts>;

/** What happened to one file. */
export interface ImportFileResult {
  file: string;
  /** `previewed` on a dry run: it would have been imported. */
  status: "imported" | "previewed" | "refused";
  /** The stored story (absent on a dry run and when refused). */
  article?: { id: string; slug: string; title: string; status: string };
  counts?: Counts;
  warnings?: Array<{ code: string; message: string }>;
  /** Why it was refused. */
  reason?: string;
}

export interface ImportSummary {
  dryRun: boolean;
  publish: boolean;
  files: ImportFileResult[];
  totals: { stories: number; imported: number; refused: number } & Counts;
}

interface Options {
  paths: string[];
  publish: boolean;
  dryRun: boolean;
  json: boolean;
}

class UsageError extends Error {}

function parseArgs(args: readonly string[]): Options {
  const options: Options = { paths: [], publish: false, dryRun: false, json: false };
  let onlyPaths = false;
  for (const arg of args) {
    if (onlyPaths || !arg.startsWith("-")) options.paths.push(arg);
    else if (arg === "--") onlyPaths = true;
    else if (arg === "--publish") options.publish = true;
    else if (arg === "--dry-run") options.dryRun = true;
    else if (arg === "--json") options.json = true;
    else throw new UsageError(`unknown option ${terminalText(arg)}`);
  }
  if (options.paths.length === 0) throw new UsageError("name at least one story file or folder");
  return options;
}

/**
 * The story files the arguments name, in order, each once. A folder gives its *.txt files (not
 * its subfolders') sorted by name, so a batch imports in the same order on every machine.
 */
function storyFiles(paths: readonly string[], note: (line: string) => void): string[] {
  const files: string[] = [];
  const seen = new Set<string>();
  const add = (file: string) => {
    const key = path.resolve(file);
    if (seen.has(key)) return;
    seen.add(key);
    files.push(file);
  };
  for (const given of paths) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(given);
    } catch {
      throw new UsageError(`no such file or folder: ${terminalText(given)}`);
    }
    if (!stat.isDirectory()) {
      add(given);
      continue;
    }
    const names = fs
      .readdirSync(given, { withFileTypes: true })
      .filter((entry) => entry.isFile() && entry.name.toLowerCase().endsWith(".txt"))
      .map((entry) => entry.name)
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    if (names.length === 0) note(`${terminalText(given)}: no .txt files in this folder`);
    for (const name of names) add(path.join(given, name));
  }
  return files;
}

function reasonOf(error: unknown): string {
  // An AppError's message is written for the user; anything else is a fault worth its class name.
  if (error instanceof AppError) return error.message;
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

function zeroCounts(): Counts {
  return { institutionsCreated: 0, institutionsLinked: 0, peopleCreated: 0, peopleLinked: 0, positions: 0, quotes: 0, accreditations: 0, warnings: 0 };
}

/** A bar redrawn in place on a terminal; one line per story anywhere else (logs, CI, pipes). */
function progressReporter(stream: ProgressStream, total: number): { step(done: number, result: ImportFileResult): void; end(): void } {
  if (!stream.isTTY) {
    return {
      step(done, result) {
        const what = result.status === "refused" ? `refused: ${result.reason}` : result.status === "imported" ? `imported as ${result.article!.slug}` : "previewed";
        stream.write(`[${done}/${total}] ${terminalText(result.file)} ${terminalText(what)}\n`);
      },
      end() {},
    };
  }
  let drawn = false;
  return {
    step(done, result) {
      const width = 24;
      const filled = Math.round((done / total) * width);
      const line = `[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${done}/${total} ${terminalText(result.file)}`;
      stream.write(`\r\x1b[2K${line.slice(0, Math.max(20, (stream.columns ?? 80) - 1))}`);
      drawn = true;
    },
    end() {
      if (drawn) stream.write("\r\x1b[2K");
    },
  };
}

function summaryLines(summary: ImportSummary): string[] {
  const { totals } = summary;
  const verb = summary.dryRun ? "would import" : "imported";
  const lines = [
    `${verb} ${totals.imported} of ${totals.stories} ${totals.stories === 1 ? "story" : "stories"}${summary.publish && !summary.dryRun ? " (published)" : ""}, ${totals.refused} refused${summary.dryRun ? " (dry run: nothing written)" : ""}`,
    `  institutions    ${totals.institutionsCreated} created, ${totals.institutionsLinked} linked`,
    `  people          ${totals.peopleCreated} created, ${totals.peopleLinked} linked`,
    `  positions       ${totals.positions}`,
    `  quotes          ${totals.quotes}`,
    `  accreditations  ${totals.accreditations}`,
    `  warnings        ${totals.warnings}`,
  ];
  const warned = summary.files.filter((f) => (f.warnings?.length ?? 0) > 0);
  if (warned.length > 0) {
    lines.push("warnings:");
    for (const f of warned) for (const w of f.warnings!) lines.push(`  ${terminalText(f.file)}: ${w.code} ${terminalText(w.message)}`);
  }
  const refused = summary.files.filter((f) => f.status === "refused");
  if (refused.length > 0) {
    lines.push("refused:");
    for (const f of refused) lines.push(`  ${terminalText(f.file)}: ${terminalText(f.reason!)}`);
  }
  return lines;
}

/**
 * The import command: reads story files and imports each, in a transaction of its own, straight
 * into the database the server uses (SQLITE_FILE or DATABASE_URL), running pending migrations
 * first. Safe beside a running server: writes take the database's write lock, and a published
 * story's PUBLISHED event goes into the event log, which every server instance reads.
 * Each story is read as the server reads one: in a worker thread, within IMPORT_TIME_BUDGET_MS.
 * Returns the exit code: 0 when every story went in, 1 when any was refused, 2 on a usage error
 * or a bad IMPORT_* setting.
 */
export async function runImportCommand(
  args: readonly string[],
  print: (line: string) => void,
  env: NodeJS.ProcessEnv = process.env,
  progress: ProgressStream = process.stderr,
): Promise<number> {
  let options: Options;
  let files: string[];
  let importConfig: ImportConfig;
  try {
    options = parseArgs(args);
    files = storyFiles(options.paths, (line) => progress.write(`${line}\n`));
    importConfig = parseImportConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      print(`error: ${error.message}`);
      return 2;
    }
    if (!(error instanceof UsageError)) throw error;
    print(`error: ${error.message}`);
    print(USAGE);
    return 2;
  }

  const db = await Database.open(databaseConfigFromEnv(env), entities);
  // A story over the time budget is refused like any bad story, and the batch goes on.
  const pool = new ImportPool(importConfig);
  try {
    const service = new ImportService(db, pool);
    const summary: ImportSummary = { dryRun: options.dryRun, publish: options.publish, files: [], totals: { stories: files.length, imported: 0, refused: 0, ...zeroCounts() } };
    const bar = files.length > 1 ? progressReporter(progress, files.length) : null;
    for (const file of files) {
      let result: ImportFileResult;
      try {
        const text = fs.readFileSync(file, "utf8");
        if (options.dryRun) {
          const plan = await service.preview(text);
          result = { file, status: "previewed", counts: plan.counts, warnings: plan.warnings.map(({ code, message }) => ({ code, message })) };
        } else {
          const { article, plan } = await service.import(NO_REQUEST, text, { publish: options.publish });
          result = {
            file,
            status: "imported",
            article: { id: toGlobalId("Article", article.pk), slug: article.slug, title: article.title, status: article.status },
            counts: plan.counts,
            warnings: plan.warnings.map(({ code, message }) => ({ code, message })),
          };
        }
        summary.totals.imported++;
        for (const key of COUNT_KEYS) summary.totals[key] += result.counts![key];
      } catch (error) {
        result = { file, status: "refused", reason: reasonOf(error) };
        summary.totals.refused++;
      }
      summary.files.push(result);
      bar?.step(summary.files.length, result);
    }
    bar?.end();
    // A batch can add more rows than the database held before: the planner should know of them now, not whenever autovacuum looks.
    if (!options.dryRun && summary.totals.imported > 0) await db.analyze();
    if (options.json) print(terminalJson(summary));
    else for (const line of summaryLines(summary)) print(line);
    return summary.totals.refused > 0 ? 1 : 0;
  } finally {
    await pool.close();
    await db.close();
  }
}

if (require.main === module) {
  runImportCommand(process.argv.slice(2), (line) => console.log(line)).then(
    // Into a pipe stdout is written asynchronously: exiting at once would cut off the part of a
    // long summary the reader has not taken yet. The callback of this last write runs after all before it.
    (code) => process.stdout.write("", () => process.exit(code)),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
