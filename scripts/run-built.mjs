// Runs a command from the compiled output, compiling first only when the build is stale.
//
//   node scripts/run-built.mjs --build               compile now (what `npm run build` does)
//   node scripts/run-built.mjs src/tools/token.js …  compile if stale, then run dist/src/tools/token.js …
//
// `tsc` takes seconds on this project; the commands themselves start in a fraction of one, so a
// command run on an unchanged checkout should not pay for a compile it does not need.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const dist = path.join(root, "dist");
// Its mtime is when the last successful build started: inputs changed after that are not in it.
const stamp = path.join(dist, ".build-stamp");
// What tsconfig.json compiles, and the files that change how it compiles.
const inputs = ["src", "tests", "ormconfig.ts", "tsconfig.json", "package.json"];
// Files and folders the build copies next to the compiled code (tsc copies only .ts output).
const assets = ["src/services/seed/seed-article.txt", "src/ticker/assets"];

/** Newest mtime under `entry`. Directories count too: deleting or renaming a file changes its folder's mtime. */
function newest(entry) {
  let stat;
  try {
    stat = fs.statSync(entry);
  } catch {
    return 0;
  }
  let latest = stat.mtimeMs;
  if (stat.isDirectory()) {
    for (const name of fs.readdirSync(entry)) latest = Math.max(latest, newest(path.join(entry, name)));
  }
  return latest;
}

function stale() {
  let built;
  try {
    built = fs.statSync(stamp).mtimeMs;
  } catch {
    return true;
  }
  return inputs.some((input) => newest(path.join(root, input)) > built);
}

function build() {
  const startedAt = new Date();
  const tsc = path.join(root, "node_modules", "typescript", "bin", "tsc");
  const result = spawnSync(process.execPath, [tsc, "-p", path.join(root, "tsconfig.json")], { cwd: root, stdio: "inherit" });
  if (result.status !== 0) process.exit(result.status ?? 1);
  for (const asset of assets) fs.cpSync(path.join(root, asset), path.join(dist, asset), { recursive: true });
  fs.writeFileSync(stamp, "");
  fs.utimesSync(stamp, startedAt, startedAt);
}

const [target, ...args] = process.argv.slice(2);
if (target === undefined) {
  console.error("usage: node scripts/run-built.mjs --build | <file under dist, e.g. src/tools/token.js> [args…]");
  process.exit(2);
}
if (target === "--build") {
  build();
  process.exit(0);
}
if (stale()) build();

const child = spawn(process.execPath, [path.join(dist, target), ...args], { stdio: "inherit" });
// Ctrl-C reaches the child from the terminal itself; the launcher only waits for it to finish.
process.on("SIGINT", () => undefined);
process.on("SIGTERM", () => child.kill("SIGTERM"));
child.on("exit", (code, signal) => {
  if (signal) {
    // End the same way, so a caller sees the signal rather than an exit code.
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
  } else process.exit(code ?? 1);
});
