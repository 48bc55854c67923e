import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * A story's revisions (`article_revision`), its correction notes (`article_correction`) and when
 * it was last corrected (`article.corrected_at`), and preview links (`preview_link`, the secret
 * kept as its SHA-256 hash). Stories stored before get their first revision, their state as it
 * stood, at their first change since (services/revisions.ts), so nothing is copied here.
 * SQLite adds the column in place rather than rebuilding the table other tables point at.
 */
export class RevisionsAndPreviewLinks1764720000000 implements MigrationInterface {
  name = "RevisionsAndPreviewLinks1764720000000";

  async up(runner: QueryRunner): Promise<void> {
    const postgres = runner.connection.options.type === "postgres";
    if (postgres) {
      await runner.query(
        `CREATE TABLE "article_revision" ("id" SERIAL NOT NULL, "article_id" integer NOT NULL, "number" integer NOT NULL, "kind" character varying(16) NOT NULL, "snapshot_version" integer NOT NULL, "snapshot" text NOT NULL, "changed" character varying(100) NOT NULL, "token_id" integer, "actor_name" character varying(100), "restored_from" integer, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_8ba7e2fe48e891064c6d4b4ef20" PRIMARY KEY ("id"))`,
      );
      await runner.query(
        `CREATE TABLE "article_correction" ("id" SERIAL NOT NULL, "article_id" integer NOT NULL, "text" text NOT NULL, "token_id" integer, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_cdbef54f4878f373db5a4499ad2" PRIMARY KEY ("id"))`,
      );
      await runner.query(
        `CREATE TABLE "preview_link" ("id" SERIAL NOT NULL, "article_id" integer NOT NULL, "secret_hash" character varying(64) NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "revoked_at" TIMESTAMP WITH TIME ZONE, "token_id" integer, "created_by" character varying(100), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "UQ_4158e1ca882fbdfefd5da39717e" UNIQUE ("secret_hash"), CONSTRAINT "PK_fb805c870736c2c7eef469863b9" PRIMARY KEY ("id"))`,
      );
      await runner.query(`ALTER TABLE "article" ADD "corrected_at" TIMESTAMP WITH TIME ZONE`);
      await runner.query(`ALTER TABLE "article_revision" ADD CONSTRAINT "FK_0f5cabd230607eb5df11fa16ff1" FOREIGN KEY ("article_id") REFERENCES "article"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
      await runner.query(`ALTER TABLE "article_correction" ADD CONSTRAINT "FK_568c4c70aa425346e2d66a440ff" FOREIGN KEY ("article_id") REFERENCES "article"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
      await runner.query(`ALTER TABLE "preview_link" ADD CONSTRAINT "FK_f3bf71581b058e7ed75b92387cf" FOREIGN KEY ("article_id") REFERENCES "article"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    } else {
      await runner.query(
        `CREATE TABLE "article_revision" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "article_id" integer NOT NULL, "number" integer NOT NULL, "kind" varchar(16) NOT NULL, "snapshot_version" integer NOT NULL, "snapshot" text NOT NULL, "changed" varchar(100) NOT NULL, "token_id" integer, "actor_name" varchar(100), "restored_from" integer, "created_at" datetime NOT NULL, CONSTRAINT "FK_0f5cabd230607eb5df11fa16ff1" FOREIGN KEY ("article_id") REFERENCES "article" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)`,
      );
      await runner.query(
        `CREATE TABLE "article_correction" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "article_id" integer NOT NULL, "text" text NOT NULL, "token_id" integer, "created_at" datetime NOT NULL, CONSTRAINT "FK_568c4c70aa425346e2d66a440ff" FOREIGN KEY ("article_id") REFERENCES "article" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)`,
      );
      await runner.query(
        `CREATE TABLE "preview_link" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "article_id" integer NOT NULL, "secret_hash" varchar(64) NOT NULL, "expires_at" datetime NOT NULL, "revoked_at" datetime, "token_id" integer, "created_by" varchar(100), "created_at" datetime NOT NULL, CONSTRAINT "UQ_4158e1ca882fbdfefd5da39717e" UNIQUE ("secret_hash"), CONSTRAINT "FK_f3bf71581b058e7ed75b92387cf" FOREIGN KEY ("article_id") REFERENCES "article" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)`,
      );
      await runner.query(`ALTER TABLE "article" ADD COLUMN "corrected_at" datetime`);
    }
    await runner.query(`CREATE UNIQUE INDEX "idx_article_revision_number" ON "article_revision" ("article_id", "number")`);
    await runner.query(`CREATE INDEX "idx_article_correction_article" ON "article_correction" ("article_id", "id")`);
    await runner.query(`CREATE INDEX "idx_preview_link_article" ON "preview_link" ("article_id", "id")`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE "preview_link"`);
    await runner.query(`DROP TABLE "article_correction"`);
    await runner.query(`DROP TABLE "article_revision"`);
    await runner.query(`ALTER TABLE "article" DROP COLUMN "corrected_at"`);
  }
}
