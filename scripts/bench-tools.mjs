// Installs the benchmarks' own tools (bench/package.json: better-sqlite3 and autocannon) into
// bench/node_modules on first use, so the product's `npm install` never compiles better-sqlite3.
// Run before every bench script; it does nothing once they are there.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const bench = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "bench");
const installed = ["better-sqlite3/build/Release/better_sqlite3.node", "autocannon/package.json"].every((file) => fs.existsSync(path.join(bench, "node_modules", file)));
if (!installed) {
  console.error("installing the bench's tools into bench/node_modules (better-sqlite3 compiles from source where no prebuilt binary can be fetched: a few minutes, once)");
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  const result = spawnSync(npm, ["ci", "--no-audit", "--no-fund"], { cwd: bench, stdio: "inherit" });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
