import "reflect-metadata";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { AppConfig, DatabaseConfig } from "../../src/config";
import { createLogger } from "../../src/common/logger";
import { createServer } from "../../src/server";
import type { RunningServer } from "../../src/server";

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

export async function startTestServer(options: { seed?: boolean; file?: string; database?: DatabaseConfig; keepFile?: boolean; config?: Partial<AppConfig> } = {}): Promise<TestServer> {
  const file = options.database ? null : (options.file ?? tempSqliteFile());
  const config: AppConfig = {
    port: 0,
    host: "127.0.0.1",
    database: options.database ?? { kind: "sqlite", file: file! },
    seed: options.seed ?? true,
    logLevel: process.env.LOG_LEVEL ?? "silent",
    production: false,
    autoApproveComments: false,
    commentRateLimit: 5,
    commentRateWindowSeconds: 60,
    trustProxy: false,
    schedulerIntervalMs: 100,
    redisUrl: null,
    eventPollIntervalMs: 200,
    eventRetentionMs: 7 * 86_400_000,
    wsMaxSubscriptions: 50,
    wsMaxMessageBytes: 65_536,
    wsKeepAliveMs: 12_000,
    wsInitTimeoutMs: 3000,
    ...options.config,
  };
  const server = await createServer(config, { logger: createLogger(config.logLevel) });
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
      if (file && !options.keepFile) fs.rmSync(path.dirname(file), { recursive: true, force: true });
    },
  };
}

/** The data of a response that must have succeeded; fails the test with the errors otherwise. */
export function dataOf<T>(res: GraphQLResponse<T>): T {
  if (res.body.errors?.length || !res.body.data) throw new Error(`GraphQL errors: ${JSON.stringify(res.body.errors)}`);
  return res.body.data;
}
