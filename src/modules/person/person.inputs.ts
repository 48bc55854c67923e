import { ArgsType, Field, ID, InputType } from "type-graphql";
import { PageArgsInput } from "../../common/args";

@InputType("PersonFilter")
export class PersonFilter {
  @Field(() => ID, { nullable: true, description: "People holding a position at this institution." })
  institutionId?: string | null;

  @Field(() => String, { nullable: true, description: "Part of the name." })
  search?: string | null;
}

@ArgsType()
export class PeopleArgs extends PageArgsInput {
  @Field(() => PersonFilter, { nullable: true })
  filter?: PersonFilter | null;
}
