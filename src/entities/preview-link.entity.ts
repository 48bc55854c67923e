import { Field, ID, ObjectType } from "type-graphql";
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from "typeorm";
import { toGlobalId } from "../kernel/ids";
import { InstantColumn } from "../db/column-types";
import { Article } from "./article.entity";

/**
 * A link that lets whoever holds its secret read one story as it stands, draft or scheduled,
 * until it expires or is revoked. Only a hash of the secret is stored; the secret is shown once.
 */
@ObjectType("PreviewLink", { simpleResolvers: true, description: "A preview link of one story (editors only); its secret is shown once, when it is made." })
@Entity("preview_link")
@Index("idx_preview_link_article", ["articleId", "pk"])
export class PreviewLink {
  @PrimaryGeneratedColumn({ name: "id" })
  pk!: number;

  @Field(() => ID)
  get id(): string {
    return toGlobalId("PreviewLink", this.pk);
  }

  @Column({ name: "article_id", type: "integer" })
  articleId!: number;

  @ManyToOne(() => Article, { onDelete: "CASCADE" })
  @JoinColumn({ name: "article_id" })
  article?: Article;

  @Column({ name: "secret_hash", type: "varchar", length: 64, unique: true, select: false })
  secretHash?: string;

  @Field(() => Date)
  @InstantColumn({ name: "expires_at" })
  expiresAt!: Date;

  @Field(() => Date, { nullable: true })
  @InstantColumn({ name: "revoked_at", nullable: true })
  revokedAt!: Date | null;

  @Field(() => Boolean, { description: "Neither revoked nor expired." })
  get active(): boolean {
    return this.revokedAt === null && this.expiresAt.getTime() > Date.now();
  }

  /** The editor's token that made it. */
  @Column({ name: "token_id", type: "integer", nullable: true })
  tokenId!: number | null;

  @Field(() => String, { nullable: true, description: "The name of the token that made it." })
  @Column({ name: "created_by", type: "varchar", length: 100, nullable: true })
  createdBy!: string | null;

  @Field(() => Date)
  @InstantColumn({ name: "created_at" })
  createdAt!: Date;
}
