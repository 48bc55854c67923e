import { Field, ID, ObjectType, registerEnumType } from "type-graphql";
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn } from "typeorm";
import { toGlobalId } from "../kernel/ids";
import { Node } from "../kernel/node";
import { Article } from "./article.entity";

/** What an author does for the newsroom, as a byline names it. */
export enum AuthorRole {
  WRITER = "WRITER",
  REPORTER = "REPORTER",
  PHOTOGRAPHER = "PHOTOGRAPHER",
  EDITOR = "EDITOR",
}
registerEnumType(AuthorRole, {
  name: "AuthorRole",
  valuesConfig: {
    WRITER: { description: "Wrote the story (a byline's Penulis or Oleh)." },
    REPORTER: { description: "Reported it." },
    PHOTOGRAPHER: { description: "Took its pictures." },
    EDITOR: { description: "Edited it." },
  },
});

/**
 * One of the newsroom's own writers, reporters, photographers or editors: who made a story, not
 * whom it is about (those are people, {@link Person}).
 */
@ObjectType("Author", { simpleResolvers: true, implements: Node, description: "One of the newsroom's writers, reporters, photographers or editors." })
@Entity("author")
@Index("idx_author_name", ["name", "pk"])
export class Author implements Node {
  @PrimaryGeneratedColumn({ name: "id" })
  pk!: number;

  @Field(() => ID)
  get id(): string {
    return toGlobalId("Author", this.pk);
  }

  @Field(() => String)
  @Column({ type: "varchar", length: 200, unique: true })
  slug!: string;

  @Field(() => String)
  @Column({ type: "varchar", length: 200 })
  name!: string;

  @Field(() => String, { nullable: true, description: "A short biography, plain text, at most 1,000 characters." })
  @Column({ type: "text", nullable: true })
  bio!: string | null;

  @Field(() => AuthorRole)
  @Column({ type: "varchar", length: 16 })
  role!: AuthorRole;

  /**
   * Entered by an editor (createAuthor): public from the start. An author the importer made from
   * a draft's byline is not, until a published story carries them.
   */
  @Column({ type: "boolean", default: true })
  listed!: boolean;
}

/** An author of a story, in the byline's order. */
@Entity("article_author")
@Index("idx_article_author_author", ["authorId", "articleId"])
export class ArticleAuthor {
  @PrimaryColumn({ name: "article_id", type: "integer" })
  articleId!: number;

  @PrimaryColumn({ name: "author_id", type: "integer" })
  authorId!: number;

  @Column({ type: "integer", default: 0 })
  position!: number;

  @ManyToOne(() => Article, { onDelete: "CASCADE" })
  @JoinColumn({ name: "article_id" })
  article?: Article;

  @ManyToOne(() => Author, { onDelete: "CASCADE" })
  @JoinColumn({ name: "author_id" })
  author?: Author;
}
