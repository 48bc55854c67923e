import "reflect-metadata";
import fs from "node:fs";
import path from "node:path";
import fc from "fast-check";
import type { EntityManager } from "typeorm";
import { attributeWrites, Database, openAttributionScopes } from "../../src/db/database";
import { entities } from "../../src/entities/entities";
import { sqliteUtcInstant } from "../../src/db/rows";
import { Article } from "../../src/entities/article.entity";
import { tempSqliteFile } from "../helpers/server";

/** A fresh SQLite database for `use`; closed (unless `use` closed it) and removed afterwards. */
async function withSqlite(use: (db: Database) => Promise<void>): Promise<void> {
  const file = tempSqliteFile();
  const db = await Database.open({ kind: "sqlite", file }, entities);
  try {
    await use(db);
  } finally {
    await db.close();
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  }
}

describe("the kept prepared statements", () => {
  it("survive eviction while in use: 1,500 distinct statements at once, each answered right", () =>
    withSqlite(async (db) => {
      // More distinct statements than the cache keeps, all in flight together, twice over.
      for (let round = 0; round < 2; round++) {
        const answers = await Promise.all(Array.from({ length: 1500 }, (_, i) => db.readPrepared(`SELECT ${i} AS n, ? AS echo`, [`v${i}`])));
        answers.forEach((rows, i) => expect(rows).toEqual([{ n: i, echo: `v${i}` }]));
      }
    }));
});

describe("reading SQLite instants", () => {
  it("reads what TypeORM writes the same as TypeORM does, and leaves other shapes to TypeORM", () =>
    withSqlite(async (db) => {
      const column = db.reader.getMetadata(Article).findColumnWithPropertyName("createdAt")!;
      const driver = db.reader.driver;
      const rng = fc.sample(fc.date({ min: new Date("1970-01-01T00:00:00Z"), max: new Date("9999-12-31T23:59:59.999Z"), noInvalidDate: true }), { numRuns: 2000, seed: 7 });
      for (const instant of [...rng, new Date("2024-02-29T23:59:59.999Z"), new Date(0)]) {
        const stored = driver.preparePersistentValue(instant, column) as string;
        expect(sqliteUtcInstant(stored)?.toISOString()).toBe((driver.prepareHydratedValue(stored, column) as Date).toISOString());
      }
      for (const other of ["2026-11-28T00:41:37.825Z", "2026-11-28 00:41:37", "2026-11-28 00:41:3x.825", "not a date"]) expect(sqliteUtcInstant(other)).toBeNull();
    }));
});

describe("closing", () => {
  it("lets reads in flight finish and refuses new ones with a plain error", () =>
    withSqlite(async (db) => {
      // A read that takes SQLite a while: it is still running when close() is called.
      const slow = db.readPrepared("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300000) SELECT COUNT(*) AS c FROM n", []);
      const closed = db.close();
      await expect(db.readPrepared("SELECT 1 AS one", [])).rejects.toThrow("The database is closing.");
      await expect(slow).resolves.toEqual([{ c: 300000 }]);
      await closed;
    }));
});

describe("attributing writes to rows", () => {
  /** Each commit's tables written outside any scope and its row tags, in commit order. */
  function commits(db: Database): Array<{ unattributed: string[]; tags: string[] }> {
    const heard: Array<{ unattributed: string[]; tags: string[] }> = [];
    db.onCommit((_written, rows) => heard.push({ unattributed: [...rows.unattributed].sort(), tags: [...rows.tags].sort() }));
    return heard;
  }

  const insertTag = (em: EntityManager, name: string) => em.query(`INSERT INTO "tag" ("name", "slug") VALUES (?, ?)`, [name, name.toLowerCase()]);

  it("a write inside a scope is its rows; one outside is its table's whole kind", () =>
    withSqlite(async (db) => {
      const heard = commits(db);
      await db.transaction((em) => attributeWrites(em, ["tag"], async (tag) => {
        await insertTag(em, "Satu");
        tag("Tag:satu");
      }));
      await db.transaction((em) => insertTag(em, "Dua"));
      expect(heard).toEqual([
        { unattributed: [], tags: ["Tag:satu"] },
        { unattributed: ["tag"], tags: [] },
      ]);
      expect(openAttributionScopes()).toBe(0);
    }));

  it("work a scope left running that writes in a later transaction is not attributed to the old scope (SQLite's writer runs every transaction on one runner)", () =>
    withSqlite(async (db) => {
      const heard = commits(db);
      let later!: Promise<void>;
      await db.transaction((em) => attributeWrites(em, ["tag"], async (tag) => {
        await insertTag(em, "Satu");
        tag("Tag:satu");
        // Set inside the scope; it writes after the scope and its transaction are over.
        later = new Promise<void>((resolve, reject) => setTimeout(() => db.transaction((next) => insertTag(next, "Dua")).then(() => resolve(), reject), 20));
      }));
      await later;
      expect(heard[1]).toEqual({ unattributed: ["tag"], tags: [] });
    }));

  it("closes every scope it opened, when the work fails too, so that no scope is left open between writes", () =>
    withSqlite(async (db) => {
      const nested = db.transaction((em) =>
        attributeWrites(em, ["tag"], async () => {
          expect(openAttributionScopes()).toBe(1);
          await attributeWrites(em, ["tag"], async () => {
            expect(openAttributionScopes()).toBe(2);
            await insertTag(em, "Satu");
          });
          throw new Error("the work failed");
        }),
      );
      await expect(nested).rejects.toThrow("the work failed");
      expect(openAttributionScopes()).toBe(0);
    }));
});
