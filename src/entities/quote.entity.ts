import { Field, ID, Int, ObjectType } from "type-graphql";
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from "typeorm";
import { toGlobalId } from "../kernel/ids";
import { Node } from "../kernel/node";
import { Article } from "./article.entity";
import { Institution } from "./institution.entity";
import { Person } from "./person.entity";

@ObjectType("Quote", { simpleResolvers: true, implements: Node })
@Entity("quote")
@Index("idx_quote_article", ["articleId", "position"])
@Index("idx_quote_speaker", ["speakerId"])
@Index("idx_quote_institution", ["institutionId"])
export class Quote implements Node {
  @PrimaryGeneratedColumn({ name: "id" })
  pk!: number;

  @Field(() => ID)
  get id(): string {
    return toGlobalId("Quote", this.pk);
  }

  @Field(() => String)
  @Column({ type: "text" })
  text!: string;

  @Field(() => String, { nullable: true, description: "The attribution words as written, e.g. ujarnya, tegas Wayan." })
  @Column({ type: "varchar", length: 200, nullable: true })
  attribution!: string | null;

  @Field(() => Int, { description: "0-based order within the article." })
  @Column({ type: "integer" })
  position!: number;

  @Column({ name: "article_id", type: "integer" })
  articleId!: number;

  @Column({ name: "speaker_id", type: "integer" })
  speakerId!: number;

  @Column({ name: "institution_id", type: "integer", nullable: true })
  institutionId!: number | null;

  @ManyToOne(() => Article, { onDelete: "CASCADE" })
  @JoinColumn({ name: "article_id" })
  article?: Article;

  @ManyToOne(() => Person, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "speaker_id" })
  speaker?: Person;

  @ManyToOne(() => Institution, { onDelete: "SET NULL" })
  @JoinColumn({ name: "institution_id" })
  institution?: Institution;
}
