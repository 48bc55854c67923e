import { Field, Int, ObjectType } from "type-graphql";
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from "typeorm";
import { Article } from "./article.entity";

/**
 * A picture a story carries. The file lives on the newsroom's CDN or media library; the store
 * keeps its address and what a page needs to show it (size, alternative text, caption, credit).
 */
@ObjectType("Image", { simpleResolvers: true, description: "A picture a story carries, served from the newsroom's own CDN or media library." })
@Entity("article_image")
@Index("idx_article_image_article", ["articleId", "position"])
export class ArticleImage {
  @PrimaryGeneratedColumn({ name: "id" })
  pk!: number;

  @Column({ name: "article_id", type: "integer" })
  articleId!: number;

  @ManyToOne(() => Article, { onDelete: "CASCADE" })
  @JoinColumn({ name: "article_id" })
  article?: Article;

  /** The story's lead image (at most one per story); the others follow in `position` order. */
  @Column({ type: "boolean", default: false })
  lead!: boolean;

  @Column({ type: "integer", default: 0 })
  position!: number;

  @Field(() => String, { description: "An absolute http or https address." })
  @Column({ type: "varchar", length: 2000 })
  url!: string;

  @Field(() => Int, { nullable: true, description: "In pixels." })
  @Column({ type: "integer", nullable: true })
  width!: number | null;

  @Field(() => Int, { nullable: true, description: "In pixels." })
  @Column({ type: "integer", nullable: true })
  height!: number | null;

  @Field(() => String, { description: "What the picture shows, for readers who cannot see it." })
  @Column({ type: "varchar", length: 500 })
  alt!: string;

  @Field(() => String, { nullable: true })
  @Column({ type: "varchar", length: 1000, nullable: true })
  caption!: string | null;

  @Field(() => String, { nullable: true, description: "Who made the picture, e.g. Foto: Humas Lapas Banyuwangi." })
  @Column({ type: "varchar", length: 300, nullable: true })
  credit!: string | null;
}
