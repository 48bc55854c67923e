import { Field, ID, ObjectType } from "type-graphql";
import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";
import { toGlobalId } from "../kernel/ids";
import { Node } from "../kernel/node";

@ObjectType("Tag", { simpleResolvers: true, implements: Node })
@Entity("tag")
export class Tag implements Node {
  @PrimaryGeneratedColumn({ name: "id" })
  pk!: number;

  @Field(() => ID)
  get id(): string {
    return toGlobalId("Tag", this.pk);
  }

  @Field(() => String)
  @Column({ type: "varchar", length: 100, unique: true })
  slug!: string;

  @Field(() => String)
  @Column({ type: "varchar", length: 100 })
  name!: string;
}
