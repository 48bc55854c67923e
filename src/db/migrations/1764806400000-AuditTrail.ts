import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * The audit trail: one `audit_entry` per mutation (who, what, when, from where, how it ended) and
 * one `audit_record` per record an entry names, indexed for the trail's filter by record. Entries
 * are also indexed by time and by token, the trail's other filters and what pruning walks; an
 * entry's records go with it (ON DELETE CASCADE).
 */
export class AuditTrail1764806400000 implements MigrationInterface {
  name = "AuditTrail1764806400000";

  async up(runner: QueryRunner): Promise<void> {
    if (runner.connection.options.type === "postgres") {
      await runner.query(
        `CREATE TABLE "audit_entry" ("id" SERIAL NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL, "token_id" integer, "token_name" character varying(100), "token_role" character varying(16), "operation" character varying(100), "field" character varying(100) NOT NULL, "records" text NOT NULL, "address" character varying(100) NOT NULL, "outcome" character varying(32) NOT NULL, "request_id" character varying(64), CONSTRAINT "PK_58a130a4b9da189f46ba2a01801" PRIMARY KEY ("id"))`,
      );
      await runner.query(`CREATE TABLE "audit_record" ("entry_id" integer NOT NULL, "record" character varying(64) NOT NULL, CONSTRAINT "PK_b6d88cf2bddc9134ac882c08480" PRIMARY KEY ("entry_id", "record"))`);
      await runner.query(`ALTER TABLE "audit_record" ADD CONSTRAINT "FK_a4636fe40f665e81806be7951e5" FOREIGN KEY ("entry_id") REFERENCES "audit_entry"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    } else {
      await runner.query(
        `CREATE TABLE "audit_entry" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "at" datetime NOT NULL, "token_id" integer, "token_name" varchar(100), "token_role" varchar(16), "operation" varchar(100), "field" varchar(100) NOT NULL, "records" text NOT NULL, "address" varchar(100) NOT NULL, "outcome" varchar(32) NOT NULL, "request_id" varchar(64))`,
      );
      await runner.query(
        `CREATE TABLE "audit_record" ("entry_id" integer NOT NULL, "record" varchar(64) NOT NULL, CONSTRAINT "FK_a4636fe40f665e81806be7951e5" FOREIGN KEY ("entry_id") REFERENCES "audit_entry" ("id") ON DELETE CASCADE ON UPDATE NO ACTION, PRIMARY KEY ("entry_id", "record"))`,
      );
    }
    await runner.query(`CREATE INDEX "idx_audit_entry_at" ON "audit_entry" ("at")`);
    await runner.query(`CREATE INDEX "idx_audit_entry_token" ON "audit_entry" ("token_id", "id")`);
    await runner.query(`CREATE INDEX "idx_audit_record_record" ON "audit_record" ("record", "entry_id")`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE "audit_record"`);
    await runner.query(`DROP TABLE "audit_entry"`);
  }
}
