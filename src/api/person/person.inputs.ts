import { ArgsType, Field, ID, InputType } from "type-graphql";
import type * as Accepted from "../../services/person.inputs";
import { PageArgsInput } from "../args";

@InputType("PersonFilter")
export class PersonFilter implements Accepted.PersonFilter {
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

@InputType("CreatePersonInput")
export class CreatePersonInput implements Accepted.CreatePersonInput {
  @Field(() => String, { description: "At most 200 characters." })
  name!: string;

  @Field(() => String, { nullable: true, description: "Derived from the name when left out." })
  slug?: string | null;
}

@InputType("UpdatePersonInput")
export class UpdatePersonInput implements Accepted.UpdatePersonInput {
  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => String, { nullable: true, description: "A new slug; the old one keeps resolving." })
  slug?: string | null;
}

@InputType("PositionInput")
export class PositionInput implements Accepted.PositionInput {
  @Field(() => ID)
  personId!: string;

  @Field(() => ID)
  institutionId!: string;

  @Field(() => String, { description: "e.g. Kepala Lapas." })
  title!: string;

  @Field(() => Boolean, { nullable: true, defaultValue: true })
  current?: boolean | null;
}
