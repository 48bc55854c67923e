import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { ImportSummary } from "../../src/tools/import";
import { writeStories } from "./import-stories";
import { childEnv, distFile } from "./lib/paths";

/*
 * Import throughput: generates stories in the seed's shape into a temporary folder and times the
 * built import command (`node dist/src/tools/import.js`, what `npm run import` runs) over them,
 * each run into a fresh SQLite file: once with --dry-run (read and link, write nothing), once for
 * real. The time is the whole command, its start and the migrations of the fresh file included.
 *
 *   npm run bench:import                 1,000 stories
 *   npm run bench:import -- --count 200
 */

function countArg(args: readonly string[]): number {
  const i = args.indexOf("--count");
  if (i === -1) return 1000;
  const count = Number(args[i + 1]);
  if (!Number.isInteger(count) || count < 1) throw new Error(`--count must be a positive integer, got '${args[i + 1]}'`);
  return count;
}

function run(command: string, folder: string, file: string, flags: string[]): { seconds: number; summary: ImportSummary } {
  const startedAt = process.hrtime.bigint();
  const child = spawnSync(process.execPath, [command, folder, "--json", ...flags], { env: childEnv({ SQLITE_FILE: file }), encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  const seconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
  if (child.status !== 0) throw new Error(`import ${flags.join(" ")} exited with ${child.status}:\n${child.stderr}\n${child.stdout.slice(0, 4000)}`);
  return { seconds, summary: JSON.parse(child.stdout) as ImportSummary };
}

function main(): void {
  const count = countArg(process.argv.slice(2));
  const command = distFile("src", "tools", "import.js");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "newsroom-import-bench-"));
  try {
    const folder = writeStories(path.join(dir, "stories"), count);
    console.log(`${count} generated stories in ${folder}`);
    for (const [label, flags, file] of [
      ["--dry-run", ["--dry-run"], "dry.sqlite"],
      ["import", [], "import.sqlite"],
    ] as const) {
      const { seconds, summary } = run(command, folder, path.join(dir, file), [...flags]);
      const t = summary.totals;
      console.log(
        `${label.padEnd(10)} ${(count / seconds).toFixed(0).padStart(5)} stories/s  (${seconds.toFixed(2)} s for ${t.imported} stories, ${t.refused} refused; ` +
          `institutions ${t.institutionsCreated} created / ${t.institutionsLinked} linked, people ${t.peopleCreated} / ${t.peopleLinked}, ` +
          `${t.quotes} quotes, ${t.accreditations} accreditations, ${t.warnings} warnings)`,
      );
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main();
