import type { MigrationInterface, QueryRunner } from "typeorm";

/** Old slugs of renamed stories, institutions and people, so links to them keep working. */
export class SlugAliases1764288000000 implements MigrationInterface {
  name = "SlugAliases1764288000000";

  async up(runner: QueryRunner): Promise<void> {
    const postgres = runner.connection.options.type === "postgres";
    await runner.query(
      postgres
        ? `CREATE TABLE "slug_alias" ("id" SERIAL NOT NULL, "kind" character varying(16) NOT NULL, "slug" character varying(200) NOT NULL, "target_id" integer NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_23bb7705ffb6e6d5ae3e5f5f996" PRIMARY KEY ("id"))`
        : `CREATE TABLE "slug_alias" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "kind" varchar(16) NOT NULL, "slug" varchar(200) NOT NULL, "target_id" integer NOT NULL, "created_at" datetime NOT NULL)`,
    );
    await runner.query(`CREATE INDEX "idx_slug_alias_target" ON "slug_alias" ("kind", "target_id")`);
    await runner.query(`CREATE UNIQUE INDEX "idx_slug_alias_slug" ON "slug_alias" ("kind", "slug")`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE "slug_alias"`);
  }
}
