import { Column, Entity, Index, PrimaryGeneratedColumn } from "typeorm";
import { InstantColumn } from "../db/column-types";

/** The kinds of record whose slugs appear in URLs. */
export type SlugKind = "article" | "institution" | "person" | "author";

/** A slug a record used to have: old links keep resolving after a rename. */
@Entity("slug_alias")
@Index("idx_slug_alias_slug", ["kind", "slug"], { unique: true })
@Index("idx_slug_alias_target", ["kind", "targetId"])
export class SlugAlias {
  @PrimaryGeneratedColumn({ name: "id" })
  pk!: number;

  @Column({ type: "varchar", length: 16 })
  kind!: SlugKind;

  @Column({ type: "varchar", length: 200 })
  slug!: string;

  @Column({ name: "target_id", type: "integer" })
  targetId!: number;

  @InstantColumn({ name: "created_at" })
  createdAt!: Date;
}
