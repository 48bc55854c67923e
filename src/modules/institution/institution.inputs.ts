import { ArgsType, Field, InputType } from "type-graphql";
import { PageArgsInput } from "../../common/args";
import { InstitutionKind } from "./institution.entity";

@InputType("InstitutionFilter")
export class InstitutionFilter {
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
