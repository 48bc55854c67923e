import { Field, ID, ObjectType, registerEnumType } from "type-graphql";
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from "typeorm";
import { toGlobalId } from "../kernel/ids";
import { Node } from "../kernel/node";
import { InstantColumn } from "../db/column-types";
import { Article } from "./article.entity";

export enum CommentStatus {
  PENDING = "PENDING",
  APPROVED = "APPROVED",
  REJECTED = "REJECTED",
  SPAM = "SPAM",
}
registerEnumType(CommentStatus, { name: "CommentStatus" });

@ObjectType("Comment", {
  simpleResolvers: true,
  implements: Node,
  description: "A reader comment. The commenter's email is stored but never readable through the API.",
})
@Entity("comment")
@Index("idx_comment_article", ["articleId", "status", "createdAt", "pk"])
@Index("idx_comment_status", ["status", "createdAt", "pk"])
@Index("idx_comment_parent", ["parentId"])
export class Comment implements Node {
  @PrimaryGeneratedColumn({ name: "id" })
  pk!: number;

  @Field(() => ID)
  get id(): string {
    return toGlobalId("Comment", this.pk);
  }

  @Column({ name: "article_id", type: "integer" })
  articleId!: number;

  @Column({ name: "parent_id", type: "integer", nullable: true })
  parentId!: number | null;

  @Field(() => String)
  @Column({ name: "author_name", type: "varchar", length: 100 })
  authorName!: string;

  // Private by construction: no @Field, and never selected unless a query names it.
  @Column({ name: "author_email", type: "varchar", length: 254, select: false })
  authorEmail?: string;

  @Field(() => String, { nullable: true })
  @Column({ name: "author_website", type: "varchar", length: 500, nullable: true })
  authorWebsite!: string | null;

  @Field(() => String)
  @Column({ type: "text" })
  body!: string;

  @Field(() => CommentStatus)
  @Column({ type: "varchar", length: 16 })
  status!: CommentStatus;

  @Field(() => Date)
  @InstantColumn({ name: "created_at" })
  createdAt!: Date;

  @ManyToOne(() => Article, { onDelete: "CASCADE" })
  @JoinColumn({ name: "article_id" })
  article?: Article;

  @ManyToOne(() => Comment, { onDelete: "CASCADE" })
  @JoinColumn({ name: "parent_id" })
  parent?: Comment;
}
