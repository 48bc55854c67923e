import { Field, ID, ObjectType, registerEnumType } from "type-graphql";
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn } from "typeorm";
import { toGlobalId } from "../kernel/ids";
import { Node } from "../kernel/node";
import { InstantColumn } from "../db/column-types";
import { Institution } from "./institution.entity";
import { Person } from "./person.entity";
import { Tag } from "./tag.entity";

export enum ArticleStatus {
  DRAFT = "DRAFT",
  SCHEDULED = "SCHEDULED",
  PUBLISHED = "PUBLISHED",
}
registerEnumType(ArticleStatus, { name: "ArticleStatus" });

@ObjectType("Article", { simpleResolvers: true, implements: Node })
@Entity("article")
@Index("idx_article_status_published", ["status", "publishedAt", "pk"])
@Index("idx_article_status_updated", ["status", "updatedAt", "pk"])
export class Article implements Node {
  @PrimaryGeneratedColumn({ name: "id" })
  pk!: number;

  @Field(() => ID)
  get id(): string {
    return toGlobalId("Article", this.pk);
  }

  @Field(() => String)
  @Column({ type: "varchar", length: 200, unique: true })
  slug!: string;

  @Field(() => String)
  @Column({ type: "varchar", length: 300 })
  title!: string;

  @Field(() => String, { nullable: true })
  @Column({ type: "text", nullable: true })
  summary!: string | null;

  // Served by ArticleResolver.body: list reads leave it out, so it may be missing here.
  @Column({ type: "text" })
  body!: string;

  @Field(() => String, { nullable: true, description: "Place name the story is filed from, e.g. BANYUWANGI." })
  @Column({ type: "varchar", length: 100, nullable: true })
  dateline!: string | null;

  @Field(() => String, { nullable: true, description: "Outlet the story comes from, e.g. Actanews.id." })
  @Column({ type: "varchar", length: 200, nullable: true })
  source!: string | null;

  @Field(() => ArticleStatus)
  @Column({ type: "varchar", length: 16 })
  status!: ArticleStatus;

  @Field(() => Date, { nullable: true })
  @InstantColumn({ name: "published_at", nullable: true })
  publishedAt!: Date | null;

  @Field(() => Date, { nullable: true })
  @InstantColumn({ name: "scheduled_for", nullable: true })
  scheduledFor!: Date | null;

  @Field(() => Date)
  @InstantColumn({ name: "created_at" })
  createdAt!: Date;

  @Field(() => Date, { description: "The last change of any kind (an edit, a correction, publication)." })
  @InstantColumn({ name: "updated_at" })
  updatedAt!: Date;

  @Field(() => Date, { nullable: true, description: "When the latest correction note was added; null for a story never corrected." })
  @InstantColumn({ name: "corrected_at", nullable: true })
  correctedAt!: Date | null;
}

/** An institution a story is about or mentions, in the story's order. */
@Entity("article_institution")
@Index("idx_article_institution_institution", ["institutionId", "articleId"])
export class ArticleInstitution {
  @PrimaryColumn({ name: "article_id", type: "integer" })
  articleId!: number;

  @PrimaryColumn({ name: "institution_id", type: "integer" })
  institutionId!: number;

  @Column({ type: "integer", default: 0 })
  position!: number;

  @ManyToOne(() => Article, { onDelete: "CASCADE" })
  @JoinColumn({ name: "article_id" })
  article?: Article;

  @ManyToOne(() => Institution, { onDelete: "CASCADE" })
  @JoinColumn({ name: "institution_id" })
  institution?: Institution;
}

/** A person a story mentions, in the story's order. */
@Entity("article_person")
@Index("idx_article_person_person", ["personId", "articleId"])
export class ArticlePerson {
  @PrimaryColumn({ name: "article_id", type: "integer" })
  articleId!: number;

  @PrimaryColumn({ name: "person_id", type: "integer" })
  personId!: number;

  @Column({ type: "integer", default: 0 })
  position!: number;

  @ManyToOne(() => Article, { onDelete: "CASCADE" })
  @JoinColumn({ name: "article_id" })
  article?: Article;

  @ManyToOne(() => Person, { onDelete: "CASCADE" })
  @JoinColumn({ name: "person_id" })
  person?: Person;
}

@Entity("article_tag")
@Index("idx_article_tag_tag", ["tagId", "articleId"])
export class ArticleTag {
  @PrimaryColumn({ name: "article_id", type: "integer" })
  articleId!: number;

  @PrimaryColumn({ name: "tag_id", type: "integer" })
  tagId!: number;

  @Column({ type: "integer", default: 0 })
  position!: number;

  @ManyToOne(() => Article, { onDelete: "CASCADE" })
  @JoinColumn({ name: "article_id" })
  article?: Article;

  @ManyToOne(() => Tag, { onDelete: "CASCADE" })
  @JoinColumn({ name: "tag_id" })
  tag?: Tag;
}
