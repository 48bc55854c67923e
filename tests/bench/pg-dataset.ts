import "reflect-metadata";
import { Client } from "pg";
import { betterSqlite3 } from "./lib/tools";
import { Database } from "../../src/db/database";
import { entities } from "../../src/entities/entities";

/*
 * `bench --postgres`: the cached SQLite dataset, copied row for row into an empty PostgreSQL
 * database. The project's migrations make the schema (Database.open, as the server would), so
 * PostgreSQL holds exactly what it would hold had the same stories been written through the
 * API: its own full-text table is filled by its own trigger as the stories go in. Ids are kept,
 * so both databases answer Q1 and Q2 alike (and the ceilings, on the SQLite file, can be
 * compared with a server on PostgreSQL); the sequences then continue after the highest ids.
 *
 *   DATABASE_URL=postgres://…/empty node dist/tests/bench/pg-dataset.js FILE.sqlite
 */

// Written by the migrations themselves (the event log's state row, the migrations done) or, for
// article_search, by the trigger on article; nothing else in PostgreSQL is left out.
const NOT_COPIED = new Set(["migrations", "event", "event_log_state", "article_search"]);
const MAX_PARAMETERS = 60_000;

interface Column {
  name: string;
  type: string;
  serial: boolean;
}

/** Tables in an order that satisfies their foreign keys (a self-reference, e.g. a parent institution, is loaded in id order). */
async function tablesInLoadOrder(pg: Client): Promise<string[]> {
  const tables = (await pg.query<{ name: string }>(`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`)).rows.map((r) => r.name).filter((t) => !NOT_COPIED.has(t));
  const references = (
    await pg.query<{ child: string; parent: string }>(
      `SELECT DISTINCT c.conrelid::regclass::text AS child, c.confrelid::regclass::text AS parent FROM pg_constraint c WHERE c.contype = 'f' AND c.conrelid <> c.confrelid`,
    )
  ).rows.map((r) => ({ child: r.child.replace(/"/g, ""), parent: r.parent.replace(/"/g, "") }));
  const ordered: string[] = [];
  const pending = new Set(tables);
  while (pending.size > 0) {
    const ready = [...pending].filter((t) => !references.some((r) => r.child === t && pending.has(r.parent) && !NOT_COPIED.has(r.parent)));
    if (ready.length === 0) throw new Error(`foreign keys form a cycle among ${[...pending].join(", ")}`);
    for (const t of ready.sort()) {
      ordered.push(t);
      pending.delete(t);
    }
  }
  return ordered;
}

/** SQLite's value as PostgreSQL takes it for a column of this type. */
function convert(value: unknown, type: string): unknown {
  if (value === null || value === undefined) return null;
  // TypeORM writes SQLite datetimes as UTC text without a zone.
  if (type.startsWith("timestamp") && typeof value === "string") return `${value.replace(" ", "T")}Z`;
  if (type === "boolean") return value === 1 || value === true;
  return value;
}

async function main(): Promise<void> {
  const file = process.argv[2];
  const url = process.env.DATABASE_URL;
  if (!file || !url) throw new Error("usage: DATABASE_URL=postgres://… node pg-dataset.js FILE.sqlite");
  const startedAt = performance.now();
  await (await Database.open({ kind: "postgres", url }, entities)).close();
  const SqliteDatabase = betterSqlite3();
  const sqlite = new SqliteDatabase(file, { readonly: true, fileMustExist: true });
  const pg = new Client({ connectionString: url });
  await pg.connect();
  try {
    const counts: string[] = [];
    await pg.query("BEGIN");
    for (const table of await tablesInLoadOrder(pg)) {
      const columns = (
        await pg.query<Column>(
          `SELECT column_name AS name, data_type AS type, coalesce(column_default LIKE 'nextval(%', false) AS serial FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position`,
          [table],
        )
      ).rows;
      const rows = sqlite.prepare(`SELECT ${columns.map((c) => `"${c.name}"`).join(", ")} FROM "${table}" ORDER BY rowid`).raw().all() as unknown[][];
      const perStatement = Math.max(1, Math.floor(MAX_PARAMETERS / columns.length));
      const head = `INSERT INTO "${table}" (${columns.map((c) => `"${c.name}"`).join(", ")}) VALUES `;
      for (let i = 0; i < rows.length; i += perStatement) {
        const chunk = rows.slice(i, i + perStatement);
        const values: unknown[] = [];
        const tuples = chunk.map((row) => `(${row.map((value, j) => (values.push(convert(value, columns[j]!.type)), `$${values.length}`)).join(", ")})`);
        await pg.query(head + tuples.join(", "), values);
      }
      for (const c of columns.filter((c) => c.serial)) {
        await pg.query(`SELECT setval(pg_get_serial_sequence($1, $2), GREATEST((SELECT max("${c.name}") FROM "${table}"), 1))`, [`"${table}"`, c.name]);
      }
      counts.push(`${table} ${rows.length}`);
    }
    await pg.query("COMMIT");
    await pg.query("ANALYZE");
    console.log(`copied into PostgreSQL in ${((performance.now() - startedAt) / 1000).toFixed(1)} s: ${counts.join(", ")}`);
  } finally {
    await pg.end();
    sqlite.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
