import type { MigrationInterface, QueryRunner } from "typeorm";

const COLUMNS = `"fact", "subject_id", "value", "state", "origin", "article_id", "article_title", "token_id", "span_start", "span_end", "excerpt", "stated_at", "backfilled"`;

/** The existence facts of records a story may be linked to, with the link table naming them. */
const LINKED = [
  { fact: "INSTITUTION", table: "institution", link: "article_institution", key: "institution_id" },
  { fact: "PERSON", table: "person", link: "article_person", key: "person_id" },
] as const;

/** Records with nothing to tell which story stated them (no story column, no link). */
const UNLINKED = [
  { fact: "ACCREDITATION", table: "accreditation" },
  { fact: "POSITION", table: "position" },
] as const;

/** An institution's attribute columns, as their facts. */
const ATTRIBUTES = [
  { fact: "CLASSIFICATION", column: "classification" },
  { fact: "CITY", column: "city" },
  { fact: "PROVINCE", column: "province" },
  { fact: "SHORT_NAME", column: "short_name" },
  { fact: "PARENT", column: "parent_id" },
] as const;

const none = (fact: string, alias: string) => `NOT EXISTS (SELECT 1 FROM "fact_source" fs WHERE fs."fact" = '${fact}' AND fs."subject_id" = ${alias}."id")`;

/**
 * Sources for what was stored before sources were kept (FactSources1764460800000 left such
 * records without any). Every institution, person, accreditation, position and quote without a
 * source of its existence gets one, marked `backfilled`:
 *
 * - a quote: its story's (STATED with the story's publication time when the story is published,
 *   PROPOSED otherwise), its words as the excerpt;
 * - an institution or person: the first published story linked to it (STATED, at its publication);
 * - otherwise (accreditations and positions have no story to tell, or no published story names
 *   the record): one with neither story nor token, STATED, its time unknown (null).
 *
 * So is every attribute an institution holds that no source gave it (no source set it, and none
 * states that value): a backfilled source with that value, neither story nor token.
 *
 * A backfilled source is never a record's origin, so what readers see stays as it was: a record
 * without an origin source is shown as before (services/facts.ts), an attribute no source set
 * keeps its value, and a backfilled source is not an editor's entry (it settles no conflict and
 * does not rank a post's holder).
 */
export class FactSourcesBackfill1764547200000 implements MigrationInterface {
  name = "FactSourcesBackfill1764547200000";

  async up(runner: QueryRunner): Promise<void> {
    const postgres = runner.connection.options.type === "postgres";
    await runner.query(postgres ? `ALTER TABLE "fact_source" ADD "backfilled" boolean NOT NULL DEFAULT false` : `ALTER TABLE "fact_source" ADD COLUMN "backfilled" boolean NOT NULL DEFAULT (0)`);

    await runner.query(
      `INSERT INTO "fact_source" (${COLUMNS})
       SELECT 'QUOTE', q."id", NULL, CASE WHEN a."status" = 'PUBLISHED' THEN 'STATED' ELSE 'PROPOSED' END, FALSE, a."id", a."title", NULL, NULL, NULL, SUBSTR(q."text", 1, 500),
              CASE WHEN a."status" = 'PUBLISHED' THEN a."published_at" END, TRUE
       FROM "quote" q JOIN "article" a ON a."id" = q."article_id"
       WHERE ${none("QUOTE", "q")}`,
    );
    for (const { fact, table, link, key } of LINKED) {
      await runner.query(
        `INSERT INTO "fact_source" (${COLUMNS})
         SELECT '${fact}', r."id", NULL, 'STATED', FALSE, a."id", a."title", NULL, NULL, NULL, NULL, a."published_at", TRUE
         FROM "${table}" r JOIN "article" a ON a."id" = (
           SELECT l."article_id" FROM "${link}" l JOIN "article" la ON la."id" = l."article_id"
           WHERE l."${key}" = r."id" AND la."status" = 'PUBLISHED' ORDER BY la."published_at", la."id" LIMIT 1)
         WHERE ${none(fact, "r")}`,
      );
    }
    for (const { fact, table } of [...LINKED, ...UNLINKED]) {
      await runner.query(
        `INSERT INTO "fact_source" (${COLUMNS})
         SELECT '${fact}', r."id", NULL, 'STATED', FALSE, NULL, NULL, NULL, NULL, NULL, NULL, NULL, TRUE FROM "${table}" r WHERE ${none(fact, "r")}`,
      );
    }
    for (const { fact, column } of ATTRIBUTES) {
      const value = column === "parent_id" ? `CAST(i."parent_id" AS VARCHAR(300))` : `i."${column}"`;
      await runner.query(
        `INSERT INTO "fact_source" (${COLUMNS})
         SELECT '${fact}', i."id", ${value}, 'STATED', FALSE, NULL, NULL, NULL, NULL, NULL, NULL, NULL, TRUE
         FROM "institution" i
         WHERE i."${column}" IS NOT NULL AND NOT EXISTS (
           SELECT 1 FROM "fact_source" fs WHERE fs."fact" = '${fact}' AND fs."subject_id" = i."id" AND (fs."origin" = TRUE OR LOWER(fs."value") = LOWER(${value})))`,
      );
    }
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DELETE FROM "fact_source" WHERE "backfilled" = TRUE`);
    await runner.query(`ALTER TABLE "fact_source" DROP COLUMN "backfilled"`);
  }
}
