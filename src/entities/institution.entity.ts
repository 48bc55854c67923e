import { Field, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from "typeorm";
import { toGlobalId } from "../kernel/ids";
import { InstitutionKind } from "../kernel/institution-kind";
import { Node } from "../kernel/node";

export { InstitutionKind };
registerEnumType(InstitutionKind, { name: "InstitutionKind" });

@ObjectType("Institution", { simpleResolvers: true, implements: Node })
@Entity("institution")
@Index("idx_institution_name", ["name", "pk"])
@Index("idx_institution_parent", ["parentId"])
export class Institution implements Node {
  @PrimaryGeneratedColumn({ name: "id" })
  pk!: number;

  @Field(() => ID)
  get id(): string {
    return toGlobalId("Institution", this.pk);
  }

  @Field(() => String)
  @Column({ type: "varchar", length: 200, unique: true })
  slug!: string;

  @Field(() => String, { description: "Full name, e.g. Lembaga Pemasyarakatan Kelas IIA Banyuwangi." })
  @Column({ type: "varchar", length: 300 })
  name!: string;

  @Field(() => String, { nullable: true, description: "Short name, e.g. Lapas Banyuwangi." })
  @Column({ name: "short_name", type: "varchar", length: 200, nullable: true })
  shortName!: string | null;

  @Field(() => InstitutionKind)
  @Column({ type: "varchar", length: 16 })
  kind!: InstitutionKind;

  @Field(() => String, { nullable: true, description: "Class of a correctional unit, e.g. IIA." })
  @Column({ type: "varchar", length: 20, nullable: true })
  classification!: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: "varchar", length: 100, nullable: true })
  city!: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: "varchar", length: 100, nullable: true })
  province!: string | null;

  @Column({ name: "parent_id", type: "integer", nullable: true })
  parentId!: number | null;

  @ManyToOne(() => Institution, { onDelete: "SET NULL" })
  @JoinColumn({ name: "parent_id" })
  parent?: Institution;

  /** Whether readers see it: kept from its sources (see FactSource), never set by hand. */
  @Column({ type: "boolean", default: true })
  visible!: boolean;
}

@ObjectType("Accreditation", { simpleResolvers: true, implements: Node })
@Entity("accreditation")
@Index("idx_accreditation_unique", ["institutionId", "code", "year"], { unique: true })
@Index("idx_accreditation_code", ["code"])
export class Accreditation implements Node {
  @PrimaryGeneratedColumn({ name: "id" })
  pk!: number;

  @Field(() => ID)
  get id(): string {
    return toGlobalId("Accreditation", this.pk);
  }

  @Field(() => String, { description: "e.g. WBK (Wilayah Bebas dari Korupsi) or WBBM." })
  @Column({ type: "varchar", length: 20 })
  code!: string;

  @Field(() => String)
  @Column({ type: "varchar", length: 200 })
  title!: string;

  @Field(() => Int)
  @Column({ type: "integer" })
  year!: number;

  @Column({ name: "institution_id", type: "integer" })
  institutionId!: number;

  @ManyToOne(() => Institution, { onDelete: "CASCADE" })
  @JoinColumn({ name: "institution_id" })
  institution?: Institution;

  /** Whether readers see it: kept from its sources (see FactSource), never set by hand. */
  @Column({ type: "boolean", default: true })
  visible!: boolean;
}
