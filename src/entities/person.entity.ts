import { Field, ID, ObjectType } from "type-graphql";
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from "typeorm";
import { toGlobalId } from "../kernel/ids";
import { Node } from "../kernel/node";
import { Institution } from "./institution.entity";

@ObjectType("Person", { simpleResolvers: true, implements: Node })
@Entity("person")
@Index("idx_person_name", ["name", "pk"])
export class Person implements Node {
  @PrimaryGeneratedColumn({ name: "id" })
  pk!: number;

  @Field(() => ID)
  get id(): string {
    return toGlobalId("Person", this.pk);
  }

  @Field(() => String)
  @Column({ type: "varchar", length: 200, unique: true })
  slug!: string;

  @Field(() => String)
  @Column({ type: "varchar", length: 200 })
  name!: string;

  /** Whether readers see it: kept from its sources (see FactSource), never set by hand. */
  @Column({ type: "boolean", default: true })
  visible!: boolean;
}

/** A role a person holds (or held) at an institution, e.g. Kepala Lapas. */
@ObjectType("Position", { simpleResolvers: true, implements: Node })
@Entity("position")
@Index("idx_position_person", ["personId"])
@Index("idx_position_institution", ["institutionId"])
export class Position implements Node {
  @PrimaryGeneratedColumn({ name: "id" })
  pk!: number;

  @Field(() => ID)
  get id(): string {
    return toGlobalId("Position", this.pk);
  }

  @Field(() => String, { description: "e.g. Kepala Lapas." })
  @Column({ type: "varchar", length: 200 })
  title!: string;

  @Field(() => Boolean)
  @Column({ type: "boolean", default: true })
  current!: boolean;

  @Column({ name: "person_id", type: "integer" })
  personId!: number;

  @Column({ name: "institution_id", type: "integer" })
  institutionId!: number;

  @ManyToOne(() => Person, { onDelete: "CASCADE" })
  @JoinColumn({ name: "person_id" })
  person?: Person;

  @ManyToOne(() => Institution, { onDelete: "CASCADE" })
  @JoinColumn({ name: "institution_id" })
  institution?: Institution;

  /** Whether readers see it: kept from its sources (see FactSource), never set by hand. */
  @Column({ type: "boolean", default: true })
  visible!: boolean;
}
