import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { Client } from "pg";
import { DATASET_VERSION, datasetFile } from "./dataset-cache";
import { ROOT, childEnv, distFile } from "./paths";

/** The PostgreSQL server `bench --postgres` uses when DATABASE_URL is unset. */
export const DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/test";

async function admin<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function databaseUrl(base: string, name: string): string {
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * The dataset loaded once per dataset version and set of migrations (tests/bench/pg-dataset.ts,
 * through the migrations), kept as a template: the load takes ~20 s, a copy of it well under one.
 */
function templateName(): string {
  const migrations = fs.readdirSync(path.join(ROOT, "src", "db", "migrations")).sort().join("\n");
  return `nwr_bench_${DATASET_VERSION}_${createHash("sha1").update(migrations).digest("hex").slice(0, 10)}`;
}

/** A PostgreSQL database of its own for this run, holding the dataset; `drop()` removes it. */
export async function freshPostgresDataset(baseUrl: string, log: (line: string) => void): Promise<{ url: string; name: string; loadedMs: number | null; drop(): Promise<void> }> {
  const template = templateName();
  const run = `nwr_bench_run_${process.pid}`;
  let loadedMs: number | null = null;
  await admin(baseUrl, async (pg) => {
    const exists = (await pg.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [template])).rowCount === 1;
    if (!exists) {
      const loading = `${template}_loading`;
      await pg.query(`DROP DATABASE IF EXISTS ${loading} WITH (FORCE)`);
      await pg.query(`CREATE DATABASE ${loading}`);
      log(`loading the dataset into PostgreSQL (${loading}, kept as ${template} for later runs) …`);
      const startedAt = performance.now();
      const code = await new Promise<number | null>((resolve, reject) => {
        const child = spawn(process.execPath, [distFile("tests", "bench", "pg-dataset.js"), datasetFile()], {
          cwd: ROOT,
          env: childEnv({ DATABASE_URL: databaseUrl(baseUrl, loading) }),
          stdio: ["ignore", "inherit", "inherit"],
        });
        child.once("error", reject);
        child.once("exit", resolve);
      });
      if (code !== 0) throw new Error(`loading the dataset into PostgreSQL failed (exit ${code})`);
      loadedMs = performance.now() - startedAt;
      await pg.query(`ALTER DATABASE ${loading} RENAME TO ${template}`);
    }
    await pg.query(`DROP DATABASE IF EXISTS ${run} WITH (FORCE)`);
    await pg.query(`CREATE DATABASE ${run} TEMPLATE ${template}`);
  });
  return {
    url: databaseUrl(baseUrl, run),
    name: run,
    loadedMs,
    drop: () => admin(baseUrl, async (pg) => void (await pg.query(`DROP DATABASE IF EXISTS ${run} WITH (FORCE)`))),
  };
}
