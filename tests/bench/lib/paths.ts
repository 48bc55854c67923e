import fs from "node:fs";
import path from "node:path";

function findRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "package.json")) && fs.existsSync(path.join(dir, "tsconfig.json"))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no project root above ${from}`);
  }
}

/** The project folder, whether this runs from dist/tests/… or from the sources. */
export const ROOT = findRoot(__dirname);
/** Gitignored home of the cached dataset, run copies and the last report. */
export const BENCH_DIR = path.join(ROOT, ".bench");

/** A compiled file, e.g. distFile("src", "main.js"). */
export function distFile(...parts: string[]): string {
  const file = path.join(ROOT, "dist", ...parts);
  if (!fs.existsSync(file)) throw new Error(`${path.relative(ROOT, file)} is missing: run \`npm run build\` first`);
  return file;
}

/**
 * The environment for child processes: this one without anything that would point them away
 * from SQLite, then `extra` (which may: `bench --postgres` passes its own DATABASE_URL).
 */
export function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.DATABASE_URL;
  delete env.REDIS_URL;
  delete env.TEST_DATABASE;
  return { ...env, ...extra };
}
