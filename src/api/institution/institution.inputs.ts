import { ArgsType, Field, ID, InputType, Int } from "type-graphql";
import type * as Accepted from "../../services/institution.inputs";
import { PageArgsInput } from "../args";
import { InstitutionKind } from "../../entities/institution.entity";

@InputType("InstitutionFilter")
export class InstitutionFilter implements Accepted.InstitutionFilter {
  @Field(() => InstitutionKind, { nullable: true })
  kind?: InstitutionKind | null;

  @Field(() => String, { nullable: true, description: "Exact province name, any letter case." })
  province?: string | null;

  @Field(() => String, { nullable: true, description: "Exact city name, any letter case." })
  city?: string | null;

  @Field(() => String, { nullable: true, description: "Institutions holding this accreditation, e.g. WBK." })
  accreditationCode?: string | null;

  @Field(() => String, { nullable: true, description: "Part of the full or short name." })
  search?: string | null;
}

@ArgsType()
export class InstitutionsArgs extends PageArgsInput {
  @Field(() => InstitutionFilter, { nullable: true })
  filter?: InstitutionFilter | null;
}

@InputType("CreateInstitutionInput")
export class CreateInstitutionInput implements Accepted.CreateInstitutionInput {
  @Field(() => String, { description: "Full name, at most 300 characters." })
  name!: string;

  @Field(() => String, { nullable: true, description: "Derived from the short name (or the name) when left out." })
  slug?: string | null;

  @Field(() => String, { nullable: true })
  shortName?: string | null;

  @Field(() => InstitutionKind)
  kind!: InstitutionKind;

  @Field(() => String, { nullable: true, description: "Class of a correctional unit, e.g. IIA." })
  classification?: string | null;

  @Field(() => String, { nullable: true })
  city?: string | null;

  @Field(() => String, { nullable: true })
  province?: string | null;

  @Field(() => ID, { nullable: true, description: "The body above this one." })
  parentId?: string | null;
}

@InputType("UpdateInstitutionInput", { description: "Fields left out stay as they are; null clears an optional field." })
export class UpdateInstitutionInput implements Accepted.UpdateInstitutionInput {
  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => String, { nullable: true, description: "A new slug; the old one keeps resolving." })
  slug?: string | null;

  @Field(() => String, { nullable: true })
  shortName?: string | null;

  @Field(() => InstitutionKind, { nullable: true })
  kind?: InstitutionKind | null;

  @Field(() => String, { nullable: true })
  classification?: string | null;

  @Field(() => String, { nullable: true })
  city?: string | null;

  @Field(() => String, { nullable: true })
  province?: string | null;

  @Field(() => ID, { nullable: true })
  parentId?: string | null;
}

@InputType("AccreditationInput")
export class AccreditationInput implements Accepted.AccreditationInput {
  @Field(() => String, { description: "e.g. WBK or WBBM." })
  code!: string;

  @Field(() => String, { description: "e.g. Wilayah Bebas dari Korupsi." })
  title!: string;

  @Field(() => Int)
  year!: number;
}
