import sqlite3 from "sqlite3";
import { articleAnswer, frontAnswer, serveCeiling, SQL } from "./lib/ceiling-reads";
import type { ArticleRow, FrontRow, InstitutionRow, QuoteRow } from "./lib/ceiling-reads";

/*
 * The node-sqlite3 ceiling: a bare node:http server answering the benchmark's two reads straight
 * from SQLite through the project's own driver (one read-only connection like the server's one
 * reader, asynchronous calls into sqlite3's thread pool) with prepared statements and
 * JSON.stringify. It takes the very same POST bodies as the GraphQL server and answers the same
 * JSON. ceiling-better.ts is the same on better-sqlite3, the faster (synchronous) driver.
 *
 *   SQLITE_FILE=… PORT=0 node dist/tests/bench/ceiling.js   → prints {"url":"http://127.0.0.1:PORT/graphql"}
 */

const file = process.env.SQLITE_FILE;
if (!file) {
  console.error("SQLITE_FILE is required");
  process.exit(2);
}
const db = new sqlite3.Database(file, sqlite3.OPEN_READONLY);
const articleBySlug = db.prepare(SQL.articleBySlug);
const institutionsOf = db.prepare(SQL.institutionsOf);
const quotesOf = db.prepare(SQL.quotesOf);
const frontPage = db.prepare(SQL.frontPage);

function all<T>(statement: sqlite3.Statement, params: unknown[]): Promise<T[]> {
  return new Promise((resolve, reject) => statement.all(params, (error: Error | null, rows: T[]) => (error ? reject(error) : resolve(rows))));
}

function get<T>(statement: sqlite3.Statement, params: unknown[]): Promise<T | undefined> {
  return new Promise((resolve, reject) => statement.get(params, (error: Error | null, row: T | undefined) => (error ? reject(error) : resolve(row))));
}

async function article(slug: string) {
  const row = await get<ArticleRow>(articleBySlug, [slug]);
  if (!row) return articleAnswer(undefined, [], []);
  const [institutions, quotes] = await Promise.all([all<InstitutionRow>(institutionsOf, [row.id]), all<QuoteRow>(quotesOf, [row.id])]);
  return articleAnswer(row, institutions, quotes);
}

async function front() {
  return frontAnswer(await all<FrontRow>(frontPage, []));
}

serveCeiling("ceiling", { article, front }, () => db.close(() => process.exit(0)));
