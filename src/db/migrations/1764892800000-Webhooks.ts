import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Signed webhooks: registered endpoints (`webhook_endpoint`, each with its secret and its cursor
 * in the event log), the deliveries made from the log (`webhook_delivery`, one per event and
 * endpoint) and every attempt at sending one (`webhook_attempt`). Deleting an endpoint takes its
 * deliveries and their attempts with it.
 */
export class Webhooks1764892800000 implements MigrationInterface {
  name = "Webhooks1764892800000";

  async up(runner: QueryRunner): Promise<void> {
    if (runner.connection.options.type === "postgres") {
      await runner.query(
        `CREATE TABLE "webhook_endpoint" ("id" SERIAL NOT NULL, "url" character varying(2000) NOT NULL, "event_types" character varying(200) NOT NULL, "secret" character varying(200) NOT NULL, "event_cursor" integer NOT NULL, "disabled_at" TIMESTAMP WITH TIME ZONE, "disabled_reason" character varying(300), "failing_since" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_6c98112122b2b8a4f3984d2efa8" PRIMARY KEY ("id"))`,
      );
      await runner.query(
        `CREATE TABLE "webhook_delivery" ("id" SERIAL NOT NULL, "endpoint_id" integer NOT NULL, "event_seq" integer NOT NULL, "event_type" character varying(32) NOT NULL, "event_at" TIMESTAMP WITH TIME ZONE NOT NULL, "article_id" integer NOT NULL, "comment_id" integer, "slug" character varying(200) NOT NULL, "status" character varying(16) NOT NULL, "attempt_count" integer NOT NULL DEFAULT '0', "next_attempt_at" TIMESTAMP WITH TIME ZONE, "claimed_until" TIMESTAMP WITH TIME ZONE, "claim_token" character varying(36), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "delivered_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "uq_webhook_delivery_event" UNIQUE ("endpoint_id", "event_seq"), CONSTRAINT "PK_b1ae290239a778f12399db91354" PRIMARY KEY ("id"))`,
      );
      await runner.query(
        `CREATE TABLE "webhook_attempt" ("id" SERIAL NOT NULL, "delivery_id" integer NOT NULL, "attempted_at" TIMESTAMP WITH TIME ZONE NOT NULL, "duration_ms" integer NOT NULL, "status_code" integer, "outcome" character varying(16) NOT NULL, CONSTRAINT "PK_e4ff77b66cdd20591ba6189a1f9" PRIMARY KEY ("id"))`,
      );
      await runner.query(`ALTER TABLE "webhook_delivery" ADD CONSTRAINT "FK_f53f5aec02217a54927b13e39d9" FOREIGN KEY ("endpoint_id") REFERENCES "webhook_endpoint"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
      await runner.query(`ALTER TABLE "webhook_attempt" ADD CONSTRAINT "FK_d7ed48c4841159bfd6bdee166ea" FOREIGN KEY ("delivery_id") REFERENCES "webhook_delivery"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    } else {
      await runner.query(
        `CREATE TABLE "webhook_endpoint" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "url" varchar(2000) NOT NULL, "event_types" varchar(200) NOT NULL, "secret" varchar(200) NOT NULL, "event_cursor" integer NOT NULL, "disabled_at" datetime, "disabled_reason" varchar(300), "failing_since" datetime, "created_at" datetime NOT NULL, "updated_at" datetime NOT NULL)`,
      );
      await runner.query(
        `CREATE TABLE "webhook_delivery" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "endpoint_id" integer NOT NULL, "event_seq" integer NOT NULL, "event_type" varchar(32) NOT NULL, "event_at" datetime NOT NULL, "article_id" integer NOT NULL, "comment_id" integer, "slug" varchar(200) NOT NULL, "status" varchar(16) NOT NULL, "attempt_count" integer NOT NULL DEFAULT (0), "next_attempt_at" datetime, "claimed_until" datetime, "claim_token" varchar(36), "created_at" datetime NOT NULL, "delivered_at" datetime, CONSTRAINT "uq_webhook_delivery_event" UNIQUE ("endpoint_id", "event_seq"), CONSTRAINT "FK_f53f5aec02217a54927b13e39d9" FOREIGN KEY ("endpoint_id") REFERENCES "webhook_endpoint" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)`,
      );
      await runner.query(
        `CREATE TABLE "webhook_attempt" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "delivery_id" integer NOT NULL, "attempted_at" datetime NOT NULL, "duration_ms" integer NOT NULL, "status_code" integer, "outcome" varchar(16) NOT NULL, CONSTRAINT "FK_d7ed48c4841159bfd6bdee166ea" FOREIGN KEY ("delivery_id") REFERENCES "webhook_delivery" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)`,
      );
    }
    await runner.query(`CREATE INDEX "idx_webhook_delivery_story" ON "webhook_delivery" ("endpoint_id", "article_id", "status", "id")`);
    await runner.query(`CREATE INDEX "idx_webhook_delivery_due" ON "webhook_delivery" ("status", "next_attempt_at")`);
    await runner.query(`CREATE INDEX "idx_webhook_attempt_delivery" ON "webhook_attempt" ("delivery_id", "id")`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE "webhook_attempt"`);
    await runner.query(`DROP TABLE "webhook_delivery"`);
    await runner.query(`DROP TABLE "webhook_endpoint"`);
  }
}
