import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from "typeorm";
import { InstantColumn } from "../db/column-types";

/** What an event is about. */
export type EventTopic = "article" | "comment" | "token" | "cache";

/** PUBLISHED, UPDATED, UNPUBLISHED for stories; APPROVED for comments that became visible; REVOKED for API tokens; CHANGED for what cached answers show. */
export type EventType = "PUBLISHED" | "UPDATED" | "UNPUBLISHED" | "APPROVED" | "REVOKED" | "CHANGED";

/**
 * One row of the outbox: written in the same transaction as the change it reports, numbered in
 * commit order. Its sequence number is the cursor clients resume from.
 */
@Entity("event")
@Index("idx_event_created", ["createdAt"])
export class EventRecord {
  @PrimaryGeneratedColumn({ name: "seq" })
  seq!: number;

  @Column({ type: "varchar", length: 16 })
  topic!: EventTopic;

  @Column({ type: "varchar", length: 16 })
  type!: EventType;

  // No foreign key: the event outlives a deleted story. 0 for events about no story (tokens).
  @Column({ name: "article_id", type: "integer" })
  articleId!: number;

  @Column({ name: "comment_id", type: "integer", nullable: true })
  commentId!: number | null;

  /** JSON snapshot of what the event reports (never a commenter's email). */
  @Column({ type: "text" })
  payload!: string;

  @InstantColumn({ name: "created_at" })
  createdAt!: Date;
}

/** How far the log has been pruned: cursors at or below `prunedThrough` have expired. */
@Entity("event_log_state")
export class EventLogState {
  @PrimaryColumn({ type: "integer" })
  id!: number;

  @Column({ name: "pruned_through", type: "integer", default: 0 })
  prunedThrough!: number;
}
