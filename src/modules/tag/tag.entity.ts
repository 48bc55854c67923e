import { Field, ObjectType } from "type-graphql";
import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";

@ObjectType("Tag", { simpleResolvers: true })
@Entity("tag")
export class Tag {
  @PrimaryGeneratedColumn({ name: "id" })
  pk!: number;

  @Field(() => String)
  @Column({ type: "varchar", length: 100, unique: true })
  slug!: string;

  @Field(() => String)
  @Column({ type: "varchar", length: 100 })
  name!: string;
}
