import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Bylines and pictures: the newsroom's authors (`author`), who made which story in the byline's
 * order (`article_author`), and the images a story carries, its lead image flagged
 * (`article_image`). New tables only: nothing stored before changes.
 */
export class BylinesAndImages1764633600000 implements MigrationInterface {
  name = "BylinesAndImages1764633600000";

  async up(runner: QueryRunner): Promise<void> {
    if (runner.connection.options.type === "postgres") {
      await runner.query(
        `CREATE TABLE "author" ("id" SERIAL NOT NULL, "slug" character varying(200) NOT NULL, "name" character varying(200) NOT NULL, "bio" text, "role" character varying(16) NOT NULL, "listed" boolean NOT NULL DEFAULT true, CONSTRAINT "UQ_6ee7ef69a7694fea87382052fed" UNIQUE ("slug"), CONSTRAINT "PK_5a0e79799d372fe56f2f3fa6871" PRIMARY KEY ("id"))`,
      );
      await runner.query(
        `CREATE TABLE "article_author" ("article_id" integer NOT NULL, "author_id" integer NOT NULL, "position" integer NOT NULL DEFAULT '0', CONSTRAINT "PK_8f38d6b6c2dba6fe489a978fd3d" PRIMARY KEY ("article_id", "author_id"))`,
      );
      await runner.query(
        `CREATE TABLE "article_image" ("id" SERIAL NOT NULL, "article_id" integer NOT NULL, "lead" boolean NOT NULL DEFAULT false, "position" integer NOT NULL DEFAULT '0', "url" character varying(2000) NOT NULL, "width" integer, "height" integer, "alt" character varying(500) NOT NULL, "caption" character varying(1000), "credit" character varying(300), CONSTRAINT "PK_9907c8dd69b933adbc0e5e9f37e" PRIMARY KEY ("id"))`,
      );
      await runner.query(`ALTER TABLE "article_author" ADD CONSTRAINT "FK_496fd25969750dc698a59944bf4" FOREIGN KEY ("article_id") REFERENCES "article"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
      await runner.query(`ALTER TABLE "article_author" ADD CONSTRAINT "FK_f74e3f6038738759e4cde169ac8" FOREIGN KEY ("author_id") REFERENCES "author"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
      await runner.query(`ALTER TABLE "article_image" ADD CONSTRAINT "FK_3028aca90c01501293e055ee394" FOREIGN KEY ("article_id") REFERENCES "article"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    } else {
      await runner.query(
        `CREATE TABLE "author" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "slug" varchar(200) NOT NULL, "name" varchar(200) NOT NULL, "bio" text, "role" varchar(16) NOT NULL, "listed" boolean NOT NULL DEFAULT (1), CONSTRAINT "UQ_6ee7ef69a7694fea87382052fed" UNIQUE ("slug"))`,
      );
      await runner.query(
        `CREATE TABLE "article_author" ("article_id" integer NOT NULL, "author_id" integer NOT NULL, "position" integer NOT NULL DEFAULT (0), CONSTRAINT "FK_496fd25969750dc698a59944bf4" FOREIGN KEY ("article_id") REFERENCES "article" ("id") ON DELETE CASCADE ON UPDATE NO ACTION, CONSTRAINT "FK_f74e3f6038738759e4cde169ac8" FOREIGN KEY ("author_id") REFERENCES "author" ("id") ON DELETE CASCADE ON UPDATE NO ACTION, PRIMARY KEY ("article_id", "author_id"))`,
      );
      await runner.query(
        `CREATE TABLE "article_image" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "article_id" integer NOT NULL, "lead" boolean NOT NULL DEFAULT (0), "position" integer NOT NULL DEFAULT (0), "url" varchar(2000) NOT NULL, "width" integer, "height" integer, "alt" varchar(500) NOT NULL, "caption" varchar(1000), "credit" varchar(300), CONSTRAINT "FK_3028aca90c01501293e055ee394" FOREIGN KEY ("article_id") REFERENCES "article" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)`,
      );
    }
    await runner.query(`CREATE INDEX "idx_author_name" ON "author" ("name", "id")`);
    await runner.query(`CREATE INDEX "idx_article_author_author" ON "article_author" ("author_id", "article_id")`);
    await runner.query(`CREATE INDEX "idx_article_image_article" ON "article_image" ("article_id", "position")`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE "article_image"`);
    await runner.query(`DROP TABLE "article_author"`);
    await runner.query(`DROP TABLE "author"`);
  }
}
