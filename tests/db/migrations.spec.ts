import "reflect-metadata";
import fs from "node:fs";
import path from "node:path";
import { Database } from "../../src/db/database";
import { entities } from "../../src/entities/entities";
import { migrations } from "../../src/db/migrations";
import { tempSqliteFile } from "../helpers/server";

describe("migrations on SQLite", () => {
  let file: string;
  let db: Database;
  beforeEach(async () => {
    file = tempSqliteFile();
    db = await Database.open({ kind: "sqlite", file }, entities);
  });
  afterEach(async () => {
    await db.close();
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  });

  it("build exactly the schema the entities describe", async () => {
    const pending = await db.writer.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query)).toEqual([]);
    const applied = await db.writer.query(`SELECT name FROM migrations ORDER BY id`);
    expect(applied.map((m: { name: string }) => m.name)).toEqual(["Init1764201600000", "SlugAliases1764288000000", "EventsAndPostgresSearch1764374400000", "FactSources1764460800000", "BylinesAndImages1764633600000", "RevisionsAndPreviewLinks1764720000000"]);
  });

  it("open the file in WAL mode with foreign keys and a busy timeout", async () => {
    for (const source of [db.reader, db.writer]) {
      expect((await source.query(`PRAGMA journal_mode`))[0].journal_mode).toBe("wal");
      expect((await source.query(`PRAGMA foreign_keys`))[0].foreign_keys).toBe(1);
      expect((await source.query(`PRAGMA busy_timeout`))[0].timeout).toBe(5000);
    }
  });

  it("create the full-text index with its triggers, and revert cleanly", async () => {
    const objects = await db.writer.query(`SELECT name FROM sqlite_master WHERE name LIKE 'article_search%' AND type IN ('table', 'trigger') ORDER BY name`);
    expect(objects.map((o: { name: string }) => o.name)).toEqual(expect.arrayContaining(["article_search", "article_search_ad", "article_search_ai", "article_search_au"]));
    for (let i = 0; i < migrations.length; i++) await db.writer.undoLastMigration();
    const left = await db.writer.query(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN ('migrations', 'sqlite_sequence')`);
    expect(left).toEqual([]);
    await db.writer.runMigrations();
    expect((await db.writer.driver.createSchemaBuilder().log()).upQueries).toEqual([]);
  });

  it("run again on an already migrated file without change", async () => {
    await db.close();
    db = await Database.open({ kind: "sqlite", file }, entities);
    const applied = await db.writer.query(`SELECT COUNT(*) AS n FROM migrations`);
    expect(Number(applied[0].n)).toBe(migrations.length);
  });
});
