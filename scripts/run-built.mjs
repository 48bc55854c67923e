// Runs a command from the compiled output, compiling first only when the build is stale.
//
//   node scripts/run-built.mjs --build                    compile the product (src/) now: `npm run build`
//   node scripts/run-built.mjs --build-all                compile src/ and tests/ (the bench and soak tools)
//   node scripts/run-built.mjs [--node-arg=X …] src/main.js …
//                                                         compile if stale, then run dist/src/main.js …
//
// Two builds, because the product never needs its tests: `npm start` compiles src/ alone
// (tsconfig.build.json) and the tools under tests/ compile everything (tsconfig.all.json).
// A command run on an unchanged checkout pays for no compile at all. Where TypeScript is not
// installed (a production install, `npm ci --omit=dev`) the built dist/ is run as it is.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const dist = path.join(root, "dist");
// Files and folders the build copies next to the compiled code (tsc copies only .ts output).
const assets = ["src/services/seed/seed-article.txt", "src/ticker/assets", "src/desk/assets"];

const PROFILES = {
  src: { config: "tsconfig.build.json", inputs: ["src", "ormconfig.ts", "tsconfig.json", "tsconfig.build.json", "package.json"] },
  all: { config: "tsconfig.all.json", inputs: ["src", "tests", "ormconfig.ts", "tsconfig.json", "tsconfig.all.json", "package.json"] },
};

/** Its mtime is when the profile's last successful build started: inputs changed after that are not in it. */
const stampOf = (profile) => path.join(dist, `.build-stamp-${profile}`);

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

function built(profile) {
  try {
    return fs.statSync(stampOf(profile)).mtimeMs;
  } catch {
    return null;
  }
}

function stale(profile) {
  const at = built(profile);
  return at === null || PROFILES[profile].inputs.some((input) => newest(path.join(root, input)) > at);
}

function build(profile) {
  const startedAt = new Date();
  const tsc = path.join(root, "node_modules", "typescript", "bin", "tsc");
  if (!fs.existsSync(tsc)) {
    if (built(profile) !== null) return;
    console.error(`cannot start: dist/ has no build and TypeScript is not installed here; build where dev dependencies are installed (npm ci && npm run build), then copy dist/ (docs/production.md)`);
    process.exit(1);
  }
  const result = spawnSync(process.execPath, [tsc, "-p", path.join(root, PROFILES[profile].config)], { cwd: root, stdio: "inherit" });
  if (result.status !== 0) process.exit(result.status ?? 1);
  for (const asset of assets) fs.cpSync(path.join(root, asset), path.join(dist, asset), { recursive: true });
  fs.writeFileSync(stampOf(profile), "");
  fs.utimesSync(stampOf(profile), startedAt, startedAt);
}

const argv = process.argv.slice(2);
const nodeArgs = [];
while (argv[0]?.startsWith("--node-arg=")) nodeArgs.push(argv.shift().slice("--node-arg=".length));
const [target, ...args] = argv;
if (target === undefined) {
  console.error("usage: node scripts/run-built.mjs --build | --build-all | [--node-arg=X …] <file under dist, e.g. src/main.js> [args…]");
  process.exit(2);
}
if (target === "--build" || target === "--build-all") {
  build(target === "--build" ? "src" : "all");
  process.exit(0);
}
const profile = target.startsWith("src/") ? "src" : "all";
if (stale(profile)) build(profile);

const child = spawn(process.execPath, [...nodeArgs, path.join(dist, target), ...args], { stdio: "inherit" });
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
