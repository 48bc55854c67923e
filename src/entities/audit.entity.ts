import { Field, ID, ObjectType } from "type-graphql";
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn } from "typeorm";
import { toGlobalId } from "../kernel/ids";
import { Role } from "../kernel/viewer";
import { InstantColumn } from "../db/column-types";

/** The token a mutation ran with, as it was then (names and roles are kept with each entry). */
@ObjectType("AuditActor", { simpleResolvers: true })
export class AuditActor {
  @Field(() => ID, { description: "The API token's id (node(id:) finds it)." })
  readonly id: string;

  @Field(() => String)
  readonly name: string;

  @Field(() => Role)
  readonly role: Role;

  constructor(tokenPk: number, name: string, role: Role) {
    this.id = toGlobalId("ApiToken", tokenPk);
    this.name = name;
    this.role = role;
  }
}

/**
 * One mutation, as the audit trail keeps it: who (the token), what (the field, the client's
 * operation name and the records it touched), when, from which address, and how it ended. The
 * API only ever adds rows; arguments' values are not kept (a comment's email never lands here).
 */
@ObjectType("AuditEntry", { simpleResolvers: true, description: "One mutation of the audit trail. Admins only; rows are only ever added through the API." })
@Entity("audit_entry")
@Index("idx_audit_entry_at", ["at"])
@Index("idx_audit_entry_token", ["tokenId", "pk"])
export class AuditEntry {
  @PrimaryGeneratedColumn({ name: "id" })
  pk!: number;

  @Field(() => ID, { description: "The entry's number: entries are numbered in the order they are written." })
  get id(): string {
    return String(this.pk);
  }

  @Field(() => Date, { description: "When the change committed (a refused attempt: when it was refused)." })
  @InstantColumn({ name: "at" })
  at!: Date;

  @Column({ name: "token_id", type: "integer", nullable: true })
  tokenId!: number | null;

  @Column({ name: "token_name", type: "varchar", length: 100, nullable: true })
  tokenName!: string | null;

  @Column({ name: "token_role", type: "varchar", length: 16, nullable: true })
  tokenRole!: Role | null;

  @Field(() => AuditActor, { nullable: true, description: "The token the mutation ran with; null for a reader without one (addComment)." })
  get actor(): AuditActor | null {
    return this.tokenId === null ? null : new AuditActor(this.tokenId, this.tokenName ?? "", this.tokenRole ?? Role.EDITOR);
  }

  @Field(() => String, { nullable: true, description: "The client's operation name, when its document gave one." })
  @Column({ type: "varchar", length: 100, nullable: true })
  operation!: string | null;

  @Field(() => String, { description: "The mutation field, e.g. publishArticle." })
  @Column({ type: "varchar", length: 100 })
  field!: string;

  /** The global ids of `records`, separated by spaces (ids never hold one); audit_record indexes them. */
  @Column({ name: "records", type: "text" })
  recordList!: string;

  @Field(() => [ID], { description: "The records the mutation named or changed: ids among its arguments and in its result, and those its service touched (a deleted story's quotes, what an import created or linked)." })
  get records(): string[] {
    return this.recordList === "" ? [] : this.recordList.split(" ");
  }

  @Field(() => String, { description: "The client's network address (behind TRUST_PROXY's proxies, the first one not trusted)." })
  @Column({ type: "varchar", length: 100 })
  address!: string;

  @Field(() => String, { description: "OK, or the error code the mutation was refused with (FORBIDDEN, BAD_USER_INPUT, …)." })
  @Column({ type: "varchar", length: 32 })
  outcome!: string;

  @Field(() => String, { nullable: true, description: "The id of the request's log line: the HTTP request's X-Request-Id, or over WebSocket the operation's own." })
  @Column({ name: "request_id", type: "varchar", length: 64, nullable: true })
  requestId!: string | null;
}

/** One record an audit entry names, so the trail can be filtered by record through an index. */
@Entity("audit_record")
@Index("idx_audit_record_record", ["record", "entryId"])
export class AuditRecord {
  @PrimaryColumn({ name: "entry_id", type: "integer" })
  entryId!: number;

  @PrimaryColumn({ type: "varchar", length: 64 })
  record!: string;

  @ManyToOne(() => AuditEntry, { onDelete: "CASCADE" })
  @JoinColumn({ name: "entry_id" })
  entry?: AuditEntry;
}
