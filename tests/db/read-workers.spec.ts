import "reflect-metadata";
import fs from "node:fs";
import path from "node:path";
import { Database } from "../../src/db/database";
import { entities } from "../../src/entities/entities";
import { tempSqliteFile } from "../helpers/server";

/*
 * SQLITE_READ_WORKERS: reads on better-sqlite3 in worker threads (src/db/read-workers.ts). Runs
 * where the bench has installed better-sqlite3 (bench/node_modules), which the product does not
 * depend on. The rows are node-sqlite3's, errors keep SQLite's code, writes are refused there, and
 * a long statement leaves the event loop free: a timer set after it was sent runs before it ends.
 */

const DRIVER = path.join(__dirname, "..", "..", "bench", "node_modules", "better-sqlite3");
const available = fs.existsSync(path.join(DRIVER, "build", "Release", "better_sqlite3.node"));
const describeIf = available ? describe : describe.skip;

describeIf("reads in better-sqlite3 workers", () => {
  const file = tempSqliteFile();
  let plain: Database;
  let workers: Database;

  beforeAll(async () => {
    plain = await Database.open({ kind: "sqlite", file, jsonRows: false }, entities);
    workers = await Database.open({ kind: "sqlite", file, jsonRows: false, readWorkers: 2, readDriver: DRIVER }, entities);
    await plain.writer.query(`INSERT INTO "tag" ("name", "slug") VALUES ('Korupsi', 'korupsi'), ('Pendidikan', 'pendidikan')`);
  });

  afterAll(async () => {
    await workers?.close();
    await plain?.close();
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  });

  it("answers the rows node-sqlite3 answers, committed writes included", async () => {
    const sql = `SELECT "id", "name", "slug", 1.5 AS half, NULL AS absent FROM "tag" WHERE "slug" IN (SELECT value FROM json_each(?)) ORDER BY "id"`;
    const params = [JSON.stringify(["korupsi", "pendidikan"])];
    const expected = await plain.readPrepared(sql, params);
    expect(expected).toHaveLength(2);
    expect(await workers.readPrepared(sql, params)).toEqual(expected);
  });

  it("binds values as node-sqlite3 does", async () => {
    const sql = `SELECT ? AS yes, ? AS no, ? AS missing, ? AS number`;
    expect(await workers.readPrepared(sql, [true, false, undefined, 7])).toEqual(await plain.readPrepared(sql, [true, false, undefined, 7]));
  });

  it("rejects a bad statement with SQLite's code, and refuses writes", async () => {
    await expect(workers.readPrepared(`SELECT * FROM "no_such_table"`, [])).rejects.toMatchObject({ code: "SQLITE_ERROR" });
    await expect(workers.readPrepared(`DELETE FROM "tag" RETURNING "id"`, [])).rejects.toThrow(/readonly|read-only|query_only|attempt to write/i);
    expect(await plain.readPrepared(`SELECT COUNT(*) AS n FROM "tag"`, [])).toEqual([{ n: 2 }]);
  });

  it("runs a long statement off the event loop", async () => {
    const order: string[] = [];
    const long = workers.readPrepared(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000000) SELECT COUNT(*) AS c FROM n`, []).then((rows) => {
      order.push("statement");
      return rows;
    });
    await new Promise<void>((resolve) => setImmediate(resolve));
    order.push("loop turned");
    expect(await long).toEqual([{ c: 3_000_000 }]);
    expect(order).toEqual(["loop turned", "statement"]);
  });
});
