import { Field, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from "typeorm";
import { toGlobalId } from "../kernel/ids";
import { InstantColumn } from "../db/column-types";
import { Article } from "./article.entity";

/** How a revision came about. */
export enum RevisionKind {
  CREATED = "CREATED",
  IMPORTED = "IMPORTED",
  UPDATED = "UPDATED",
  RESTORED = "RESTORED",
  /** The story as it stood before revisions were kept, recorded at its first change since. */
  ORIGINAL = "ORIGINAL",
}
registerEnumType(RevisionKind, { name: "RevisionKind", description: "How a revision came about; ORIGINAL is a story as it stood before revisions were kept." });

/** The fields of a story a revision keeps (and a diff compares). */
export enum RevisedField {
  TITLE = "TITLE",
  SUMMARY = "SUMMARY",
  BODY = "BODY",
  TAGS = "TAGS",
  IMAGES = "IMAGES",
}
registerEnumType(RevisedField, { name: "RevisedField", description: "A field of a story that revisions keep." });

/** Whether a stretch of a diff between two revisions stands in both, or only in one of them. */
export enum DiffChange {
  SAME = "SAME",
  ADDED = "ADDED",
  REMOVED = "REMOVED",
}
registerEnumType(DiffChange, { name: "DiffChange", description: "Whether a stretch of a diff stands in both revisions, or only in the later (ADDED) or the earlier (REMOVED)." });

/**
 * One state of a story's editable fields, kept at every change to them, with who made the change
 * and when. The fields travel as a versioned JSON snapshot (see services/revisions.ts), read only
 * when a client asks for them: a story's body may be 200,000 characters. Editors only.
 */
@ObjectType("ArticleRevision", { simpleResolvers: true, description: "A story's title, summary, body, tags and images as one change left them (editors only)." })
@Entity("article_revision")
@Index("idx_article_revision_number", ["articleId", "number"], { unique: true })
export class ArticleRevision {
  @PrimaryGeneratedColumn({ name: "id" })
  pk!: number;

  @Field(() => ID)
  get id(): string {
    return toGlobalId("ArticleRevision", this.pk);
  }

  @Column({ name: "article_id", type: "integer" })
  articleId!: number;

  @ManyToOne(() => Article, { onDelete: "CASCADE" })
  @JoinColumn({ name: "article_id" })
  article?: Article;

  @Field(() => Int, { description: "1 for a story's first revision, then 2, 3…" })
  @Column({ type: "integer" })
  number!: number;

  @Field(() => RevisionKind)
  @Column({ type: "varchar", length: 16 })
  kind!: RevisionKind;

  /** The snapshot's format (services/revisions.ts). */
  @Column({ name: "snapshot_version", type: "integer" })
  snapshotVersion!: number;

  /** The story's fields as JSON; left out of list reads. */
  @Column({ type: "text" })
  snapshot!: string;

  /** The fields this revision changed from the one before, comma separated (RevisedField values). */
  @Column({ type: "varchar", length: 100 })
  changed!: string;

  @Field(() => [RevisedField], { description: "What this revision changed from the one before (all of them for a story's first)." })
  get changedFields(): RevisedField[] {
    return this.changed === "" ? [] : (this.changed.split(",") as RevisedField[]);
  }

  /** The editor's token, or null for the command line and the seed. */
  @Column({ name: "token_id", type: "integer", nullable: true })
  tokenId!: number | null;

  @Field(() => String, { nullable: true, description: "The name of the token that made the change; null for the command line and the seed." })
  @Column({ name: "actor_name", type: "varchar", length: 100, nullable: true })
  actor!: string | null;

  @Field(() => Int, { nullable: true, description: "For a RESTORED revision, the number of the revision it brought back." })
  @Column({ name: "restored_from", type: "integer", nullable: true })
  restoredFrom!: number | null;

  @Field(() => Date)
  @InstantColumn({ name: "created_at" })
  createdAt!: Date;
}
