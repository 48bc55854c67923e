import type { MigrationInterface, QueryRunner } from "typeorm";

/*
 * The outbox (event log) that live feeds replay and follow, and on PostgreSQL the full-text
 * index SQLite got from FTS5 in the first migration: a tsvector per story (title weighted A,
 * summary B, body D), folded with unaccent so diacritics do not matter, kept in step by a trigger.
 */

const SQLITE_UP = [
  `CREATE TABLE "event" ("seq" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "topic" varchar(16) NOT NULL, "type" varchar(16) NOT NULL, "article_id" integer NOT NULL, "comment_id" integer, "payload" text NOT NULL, "created_at" datetime NOT NULL)`,
  `CREATE INDEX "idx_event_created" ON "event" ("created_at")`,
  `CREATE TABLE "event_log_state" ("id" integer PRIMARY KEY NOT NULL, "pruned_through" integer NOT NULL DEFAULT (0))`,
  `INSERT INTO "event_log_state" ("id", "pruned_through") VALUES (1, 0)`,
];

const POSTGRES_UP = [
  `CREATE TABLE "event" ("seq" SERIAL NOT NULL, "topic" character varying(16) NOT NULL, "type" character varying(16) NOT NULL, "article_id" integer NOT NULL, "comment_id" integer, "payload" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_0c7ee394b5ab8874d2914624eb2" PRIMARY KEY ("seq"))`,
  `CREATE INDEX "idx_event_created" ON "event" ("created_at")`,
  `CREATE TABLE "event_log_state" ("id" integer NOT NULL, "pruned_through" integer NOT NULL DEFAULT '0', CONSTRAINT "PK_4651aa3d28dda904efb1850f690" PRIMARY KEY ("id"))`,
  `INSERT INTO "event_log_state" ("id", "pruned_through") VALUES (1, 0)`,
  `CREATE EXTENSION IF NOT EXISTS unaccent`,
  `CREATE TABLE "article_search" ("article_id" integer PRIMARY KEY REFERENCES "article" ("id") ON DELETE CASCADE, "document" tsvector NOT NULL)`,
  `CREATE INDEX "idx_article_search_document" ON "article_search" USING GIN ("document")`,
  `CREATE FUNCTION article_search_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     INSERT INTO article_search (article_id, document) VALUES (NEW.id,
       setweight(to_tsvector('simple', unaccent(coalesce(NEW.title, ''))), 'A') ||
       setweight(to_tsvector('simple', unaccent(coalesce(NEW.summary, ''))), 'B') ||
       setweight(to_tsvector('simple', unaccent(coalesce(NEW.body, ''))), 'D'))
     ON CONFLICT (article_id) DO UPDATE SET document = EXCLUDED.document;
     RETURN NEW;
   END $$`,
  `CREATE TRIGGER article_search_sync AFTER INSERT OR UPDATE OF title, summary, body ON "article" FOR EACH ROW EXECUTE FUNCTION article_search_refresh()`,
  `INSERT INTO article_search (article_id, document)
     SELECT id, setweight(to_tsvector('simple', unaccent(coalesce(title, ''))), 'A') || setweight(to_tsvector('simple', unaccent(coalesce(summary, ''))), 'B') || setweight(to_tsvector('simple', unaccent(coalesce(body, ''))), 'D') FROM "article"`,
];

export class EventsAndPostgresSearch1764374400000 implements MigrationInterface {
  name = "EventsAndPostgresSearch1764374400000";

  async up(runner: QueryRunner): Promise<void> {
    for (const sql of runner.connection.options.type === "postgres" ? POSTGRES_UP : SQLITE_UP) await runner.query(sql);
  }

  async down(runner: QueryRunner): Promise<void> {
    if (runner.connection.options.type === "postgres") {
      await runner.query(`DROP TRIGGER IF EXISTS article_search_sync ON "article"`);
      await runner.query(`DROP FUNCTION IF EXISTS article_search_refresh()`);
      await runner.query(`DROP TABLE IF EXISTS "article_search"`);
    }
    await runner.query(`DROP TABLE "event_log_state"`);
    await runner.query(`DROP TABLE "event"`);
  }
}
