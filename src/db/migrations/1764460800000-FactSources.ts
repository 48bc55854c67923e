import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Where each fact comes from (`fact_source`), and the `visible` flag readers' queries filter on,
 * kept from those sources. Records stored before keep `visible` true and no sources: they were
 * all public, and a record without an origin source is never hidden (see services/facts.ts).
 * SQLite adds the columns in place rather than rebuilding the tables other tables point at.
 */
export class FactSources1764460800000 implements MigrationInterface {
  name = "FactSources1764460800000";

  async up(runner: QueryRunner): Promise<void> {
    const postgres = runner.connection.options.type === "postgres";
    if (postgres) {
      await runner.query(
        `CREATE TABLE "fact_source" ("id" SERIAL NOT NULL, "fact" character varying(16) NOT NULL, "subject_id" integer NOT NULL, "value" character varying(300), "state" character varying(16) NOT NULL, "origin" boolean NOT NULL DEFAULT false, "article_id" integer, "article_title" character varying(300), "token_id" integer, "span_start" integer, "span_end" integer, "excerpt" character varying(500), "stated_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_7a71df8f0c25ca3dd3059e4e410" PRIMARY KEY ("id"))`,
      );
      await runner.query(`ALTER TABLE "fact_source" ADD CONSTRAINT "FK_136823465109fe3c976693d7e21" FOREIGN KEY ("article_id") REFERENCES "article"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
      for (const table of ["institution", "accreditation", "person", "position"]) await runner.query(`ALTER TABLE "${table}" ADD "visible" boolean NOT NULL DEFAULT true`);
    } else {
      await runner.query(
        `CREATE TABLE "fact_source" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "fact" varchar(16) NOT NULL, "subject_id" integer NOT NULL, "value" varchar(300), "state" varchar(16) NOT NULL, "origin" boolean NOT NULL DEFAULT (0), "article_id" integer, "article_title" varchar(300), "token_id" integer, "span_start" integer, "span_end" integer, "excerpt" varchar(500), "stated_at" datetime, CONSTRAINT "FK_136823465109fe3c976693d7e21" FOREIGN KEY ("article_id") REFERENCES "article" ("id") ON DELETE SET NULL ON UPDATE NO ACTION)`,
      );
      for (const table of ["institution", "accreditation", "person", "position"]) await runner.query(`ALTER TABLE "${table}" ADD COLUMN "visible" boolean NOT NULL DEFAULT (1)`);
    }
    await runner.query(`CREATE INDEX "idx_fact_source_article" ON "fact_source" ("article_id")`);
    await runner.query(`CREATE INDEX "idx_fact_source_subject" ON "fact_source" ("fact", "subject_id", "state")`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE "fact_source"`);
    for (const table of ["institution", "accreditation", "person", "position"]) await runner.query(`ALTER TABLE "${table}" DROP COLUMN "visible"`);
  }
}
