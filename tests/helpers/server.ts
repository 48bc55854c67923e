import "reflect-metadata";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadConfig, parseCacheConfig } from "../../src/config";
import type { AppConfig, DatabaseConfig, QueryLimits } from "../../src/config";
import { createLogger } from "../../src/kernel/logger";
import type { Logger } from "../../src/kernel/logger";
import { createServer } from "../../src/server";
import type { RunningServer } from "../../src/server";
import { Client } from "pg";

export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  body: { data?: T | null; errors?: Array<{ message: string; path?: string[]; extensions?: Record<string, unknown> }> };
  text: string;
}

/** A real server on an ephemeral port over its own SQLite file, and a client for it. */
export interface TestServer {
  server: RunningServer;
  file: string | null;
  gql<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GraphQLResponse<T>>;
  get(pathname: string): Promise<{ status: number; text: string }>;
  close(): Promise<void>;
}

/** A fresh temporary SQLite file path (the directory is removed by {@link TestServer.close}). */
export function tempSqliteFile(): string {
  return path.join(fs.mkdtempSync(path.join(os.tmpdir(), "newsroom-test-")), "newsroom.sqlite");
}

/**
 * With TEST_DATABASE=postgres (the `postgres-api` jest project) every test server gets a database
 * of its own on the DATABASE_URL server instead of a SQLite file; the same `file` names the same
 * database, so restart tests work unchanged.
 */
const onPostgres = process.env.TEST_DATABASE === "postgres" && Boolean(process.env.DATABASE_URL);

/** Runs one statement on the DATABASE_URL server as its administrator (creating or dropping test databases). */
export async function adminQuery(sql: string): Promise<void> {
  const client = new Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function postgresFor(key: string, fresh: boolean): Promise<DatabaseConfig> {
  const name = `nwr_test_${createHash("sha1").update(key).digest("hex").slice(0, 16)}`;
  if (fresh) {
    await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await adminQuery(`CREATE DATABASE ${name}`);
  }
  const url = new URL(process.env.DATABASE_URL!);
  url.pathname = `/${name}`;
  return { kind: "postgres", url: url.toString() };
}

const createdDatabases = new Set<string>();

/** What a test changes: any field of any group (and of the query limits); lists and the database choice are replaced whole. */
export type ConfigOverrides = {
  readonly [G in keyof AppConfig]?: AppConfig[G] extends DatabaseConfig | boolean
    ? AppConfig[G]
    : { readonly [K in keyof AppConfig[G]]?: AppConfig[G][K] extends QueryLimits ? Partial<QueryLimits> : AppConfig[G][K] };
};

/**
 * The product's defaults (`loadConfig({})`), then what a test server needs to differ, then the
 * test's own overrides, group by group.
 */
export function testConfig(database: DatabaseConfig, overrides: ConfigOverrides = {}): AppConfig {
  const defaults = loadConfig({});
  const base: AppConfig = {
    ...defaults,
    // A free port, on loopback only.
    http: {
      ...defaults.http,
      port: 0,
      host: "127.0.0.1",
      // Every test client comes from 127.0.0.1, and some suites open 200 requests at once.
      maxConnectionsPerAddress: 1000,
    },
    database,
    // Quiet unless LOG_LEVEL asks otherwise while debugging a test.
    log: { level: process.env.LOG_LEVEL ?? "silent" },
    // Scheduled stories and other instances' events show up within a test's patience.
    events: { ...defaults.events, schedulerIntervalMs: 100, pollIntervalMs: 200 },
    // No statement on a timer that suites counting statements would see; the webhook suites set their own.
    webhooks: { ...defaults.webhooks, pollIntervalMs: 600_000 },
    // CACHE_TAGS=type runs every suite with the coarse tags (the freshness suites must pass either way).
    cache: { ...defaults.cache, tags: parseCacheConfig({ CACHE_TAGS: process.env.CACHE_TAGS }).tags },
  };
  return mergeConfig(base, overrides);
}

function mergeConfig(base: AppConfig, overrides: ConfigOverrides): AppConfig {
  const merged = mergeObject(base, overrides) as unknown as AppConfig;
  // A database choice is one whole: SQLite's file and PostgreSQL's URL do not mix.
  return { ...merged, database: overrides.database ?? base.database };
}

function mergeObject(base: object, overrides: object): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) continue;
    const current = merged[key];
    merged[key] = isPlainObject(current) && isPlainObject(value) ? mergeObject(current, value) : value;
  }
  return merged;
}

function isPlainObject(value: unknown): value is object {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export async function startTestServer(options: { seed?: boolean; file?: string; database?: DatabaseConfig; keepFile?: boolean; config?: ConfigOverrides; logger?: Logger } = {}): Promise<TestServer> {
  const file = options.database ? null : (options.file ?? tempSqliteFile());
  let database = options.database;
  if (onPostgres && !database) {
    const key = file!;
    database = await postgresFor(key, !createdDatabases.has(key));
    createdDatabases.add(key);
  }
  const config = testConfig(database ?? { kind: "sqlite", file: file! }, { seed: options.seed ?? true, ...options.config });
  const server = await createServer(config, { logger: options.logger ?? createLogger(config.log.level) });
  const base = `http://127.0.0.1:${server.port}`;
  return {
    server,
    file,
    async gql(query, variables, headers = {}) {
      const res = await fetch(`${base}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify({ query, variables }),
      });
      const text = await res.text();
      return { status: res.status, body: JSON.parse(text), text };
    },
    async get(pathname) {
      const res = await fetch(`${base}${pathname}`);
      return { status: res.status, text: await res.text() };
    },
    async close() {
      await server.stop();
      if (file && !options.keepFile) {
        fs.rmSync(path.dirname(file), { recursive: true, force: true });
        if (onPostgres && database?.kind === "postgres") await adminQuery(`DROP DATABASE IF EXISTS ${new URL(database.url).pathname.slice(1)} WITH (FORCE)`);
      }
    },
  };
}

/** The data of a response that must have succeeded; fails the test with the errors otherwise. */
export function dataOf<T>(res: GraphQLResponse<T>): T {
  if (res.body.errors?.length || !res.body.data) throw new Error(`GraphQL errors: ${JSON.stringify(res.body.errors)}`);
  return res.body.data;
}

/** A metric of the server's own /metrics: its value, summed over its label sets (or those that begin with `labels`). */
export async function metricOf(t: TestServer, name: string, labels = ""): Promise<number> {
  return metricIn(await (await fetch(`http://127.0.0.1:${t.server.port}/metrics`)).text(), name, labels);
}

/** {@link metricOf} in a /metrics text fetched some other way. */
export function metricIn(text: string, name: string, labels = ""): number {
  return text
    .split("\n")
    .filter((line) => line.startsWith(`${name}{${labels}`) || line.startsWith(`${name} `))
    .reduce((sum, line) => sum + Number(line.split(" ").pop()), 0);
}
