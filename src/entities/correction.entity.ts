import { Field, ID, ObjectType } from "type-graphql";
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from "typeorm";
import { toGlobalId } from "../kernel/ids";
import { InstantColumn } from "../db/column-types";
import { Article } from "./article.entity";

/**
 * A correction note on a published story: what was wrong and what was fixed, for readers. Who
 * added it is kept for editors' records and not shown.
 */
@ObjectType("Correction", { simpleResolvers: true, description: "A correction note readers see on a published story." })
@Entity("article_correction")
@Index("idx_article_correction_article", ["articleId", "pk"])
export class Correction {
  @PrimaryGeneratedColumn({ name: "id" })
  pk!: number;

  @Field(() => ID)
  get id(): string {
    return toGlobalId("Correction", this.pk);
  }

  @Column({ name: "article_id", type: "integer" })
  articleId!: number;

  @ManyToOne(() => Article, { onDelete: "CASCADE" })
  @JoinColumn({ name: "article_id" })
  article?: Article;

  @Field(() => String)
  @Column({ type: "text" })
  text!: string;

  /** The editor's token that added it. */
  @Column({ name: "token_id", type: "integer", nullable: true })
  tokenId!: number | null;

  @Field(() => Date)
  @InstantColumn({ name: "created_at" })
  createdAt!: Date;
}
