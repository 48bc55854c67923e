import { Field, ID, ObjectType } from "type-graphql";
import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";
import { toGlobalId } from "../kernel/ids";
import { Node } from "../kernel/node";
import { Role } from "../kernel/viewer";
import { InstantColumn } from "../db/column-types";

/** An API token. Only a hash of its secret is stored; the secret is shown once, at creation. */
@ObjectType("ApiToken", { simpleResolvers: true, implements: Node, description: "Reachable through node(id:) by admins only." })
@Entity("api_token")
export class ApiToken implements Node {
  @PrimaryGeneratedColumn({ name: "id" })
  pk!: number;

  @Field(() => ID)
  get id(): string {
    return toGlobalId("ApiToken", this.pk);
  }

  @Field(() => String)
  @Column({ type: "varchar", length: 100 })
  name!: string;

  @Field(() => Role)
  @Column({ type: "varchar", length: 16 })
  role!: Role;

  @Column({ name: "token_hash", type: "varchar", length: 64, unique: true, select: false })
  tokenHash?: string;

  @Field(() => Date)
  @InstantColumn({ name: "created_at" })
  createdAt!: Date;

  @InstantColumn({ name: "revoked_at", nullable: true })
  revokedAt!: Date | null;
}
