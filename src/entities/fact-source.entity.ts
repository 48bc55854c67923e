import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from "typeorm";
import { InstantColumn } from "../db/column-types";
import { Article } from "./article.entity";

/**
 * The facts the store holds about its records, each with its own sources: a record's existence
 * (INSTITUTION, PERSON, ACCREDITATION, POSITION, QUOTE) and an institution's attributes
 * (CLASSIFICATION, CITY, PROVINCE, SHORT_NAME, PARENT, whose `value` the source states).
 */
export type FactKind = "INSTITUTION" | "CLASSIFICATION" | "CITY" | "PROVINCE" | "SHORT_NAME" | "PARENT" | "PERSON" | "ACCREDITATION" | "POSITION" | "QUOTE";

/** The institution attributes a source may state, with the column each is kept in. */
export const ATTRIBUTE_FACTS = { CLASSIFICATION: "classification", CITY: "city", PROVINCE: "province", SHORT_NAME: "shortName", PARENT: "parentId" } as const;
export type AttributeFact = keyof typeof ATTRIBUTE_FACTS;

/**
 * Where a source stands: STATED by a published story or an editor's direct entry (readers see
 * what it states), PROPOSED by a draft or scheduled story (editors alone), WITHDRAWN when its
 * story went back to draft or was deleted.
 */
export type SourceState = "STATED" | "PROPOSED" | "WITHDRAWN";

/**
 * One source of one fact: a story (with the span of its text that states it) or an editor's
 * direct entry (the token that made it). A story's sources outlive the story: the link is set
 * to null on delete, the title snapshot and the WITHDRAWN state remain.
 */
@Entity("fact_source")
@Index("idx_fact_source_subject", ["fact", "subjectId", "state"])
@Index("idx_fact_source_article", ["articleId"])
export class FactSource {
  @PrimaryGeneratedColumn({ name: "id" })
  pk!: number;

  @Column({ type: "varchar", length: 16 })
  fact!: FactKind;

  /** The record the fact is about (an institution, person, accreditation, position or quote). */
  @Column({ name: "subject_id", type: "integer" })
  subjectId!: number;

  /** What an attribute source states (a parent as its institution key); null for existence. */
  @Column({ type: "varchar", length: 300, nullable: true })
  value!: string | null;

  @Column({ type: "varchar", length: 16 })
  state!: SourceState;

  /** The source that brought the record into the store: without a stated source such a record stays from readers. */
  @Column({ type: "boolean", default: false })
  origin!: boolean;

  @Column({ name: "article_id", type: "integer", nullable: true })
  articleId!: number | null;

  @ManyToOne(() => Article, { onDelete: "SET NULL" })
  @JoinColumn({ name: "article_id" })
  article?: Article;

  /** The story's title when the source was recorded, kept when the story is deleted. */
  @Column({ name: "article_title", type: "varchar", length: 300, nullable: true })
  articleTitle!: string | null;

  /** The editor's token of a direct entry. */
  @Column({ name: "token_id", type: "integer", nullable: true })
  tokenId!: number | null;

  @Column({ name: "span_start", type: "integer", nullable: true })
  spanStart!: number | null;

  @Column({ name: "span_end", type: "integer", nullable: true })
  spanEnd!: number | null;

  @Column({ type: "varchar", length: 500, nullable: true })
  excerpt!: string | null;

  /** When readers could first see it (publication or entry); the earliest stated source of an attribute wins. Null for a backfilled one: before sources were kept. */
  @InstantColumn({ name: "stated_at", nullable: true })
  statedAt!: Date | null;

  /**
   * Recorded for a record or value stored before sources were kept (migration
   * FactSourcesBackfill1764547200000): its story where one could be told (a quote's, the first
   * published story linked to an institution or person), else neither story nor token. Never an
   * origin, never an editor's entry.
   */
  @Column({ type: "boolean", default: false })
  backfilled!: boolean;
}
