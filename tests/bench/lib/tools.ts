import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

/** The project root: the first folder above this file (in tests/ or, compiled, in dist/tests/) holding bench/package.json. */
function projectRoot(): string {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "bench", "package.json"))) return dir;
  }
  throw new Error(`no bench/package.json above ${__dirname}`);
}

/**
 * The bench's own tools live in bench/node_modules (bench/package.json), outside the product's
 * install: `npm run bench` and its siblings install them there first (scripts/bench-tools.mjs).
 * Their types come from the root's @types packages.
 */
const benchRequire = createRequire(path.join(projectRoot(), "bench", "package.json"));

export function betterSqlite3(): typeof import("better-sqlite3") {
  return benchRequire("better-sqlite3") as typeof import("better-sqlite3");
}

export function autocannon(): typeof import("autocannon") {
  return benchRequire("autocannon") as typeof import("autocannon");
}

/** What `bench --postgres` uses of postgraphile 4 (its own types are not installed at the root). */
export interface PostGraphileModule {
  postgraphile(database: string, schema: string, options: Record<string, unknown>): (req: import("node:http").IncomingMessage, res: import("node:http").ServerResponse) => void;
}

export function postgraphile(): PostGraphileModule {
  return benchRequire("postgraphile") as PostGraphileModule;
}
