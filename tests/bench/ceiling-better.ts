import { betterSqlite3 } from "./lib/tools";
import { articleAnswer, frontAnswer, serveCeiling, SQL } from "./lib/ceiling-reads";
import type { ArticleRow, FrontRow, InstitutionRow, QuoteRow } from "./lib/ceiling-reads";

/*
 * The better-sqlite3 ceiling, the one every ratio is graded against: the same bare node:http
 * server, statements and answers as ceiling.ts, on better-sqlite3 (a dev dependency of the bench
 * only), whose synchronous calls skip the thread pool and callbacks node-sqlite3 goes through.
 * One read-only connection, prepared statements, JSON.stringify: about as fast as this machine
 * answers these two reads from this file in Node.
 *
 *   SQLITE_FILE=… PORT=0 node dist/tests/bench/ceiling-better.js   → prints {"url":"http://127.0.0.1:PORT/graphql"}
 */

const file = process.env.SQLITE_FILE;
if (!file) {
  console.error("SQLITE_FILE is required");
  process.exit(2);
}
const Database = betterSqlite3();
const db = new Database(file, { readonly: true, fileMustExist: true });
const articleBySlug = db.prepare<[string], ArticleRow>(SQL.articleBySlug);
const institutionsOf = db.prepare<[number], InstitutionRow>(SQL.institutionsOf);
const quotesOf = db.prepare<[number], QuoteRow>(SQL.quotesOf);
const frontPage = db.prepare<[], FrontRow>(SQL.frontPage);

function article(slug: string) {
  const row = articleBySlug.get(slug);
  return row ? articleAnswer(row, institutionsOf.all(row.id), quotesOf.all(row.id)) : articleAnswer(undefined, [], []);
}

function front() {
  return frontAnswer(frontPage.all());
}

serveCeiling("better-sqlite3 ceiling", { article, front }, () => {
  db.close();
  process.exit(0);
});
