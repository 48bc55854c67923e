import { ArgsType, Field, InputType } from "type-graphql";
import type * as Accepted from "../../services/author.inputs";
import { PageArgsInput } from "../args";
import { AuthorRole } from "../../entities/author.entity";

@InputType("AuthorFilter")
export class AuthorFilter implements Accepted.AuthorFilter {
  @Field(() => AuthorRole, { nullable: true })
  role?: AuthorRole | null;

  @Field(() => String, { nullable: true, description: "Part of the name." })
  search?: string | null;
}

@ArgsType()
export class AuthorsArgs extends PageArgsInput {
  @Field(() => AuthorFilter, { nullable: true })
  filter?: AuthorFilter | null;
}

@InputType("CreateAuthorInput")
export class CreateAuthorInput implements Accepted.CreateAuthorInput {
  @Field(() => String, { description: "At most 200 characters." })
  name!: string;

  @Field(() => String, { nullable: true, description: "Derived from the name when left out." })
  slug?: string | null;

  @Field(() => String, { nullable: true, description: "Plain text, at most 1,000 characters." })
  bio?: string | null;

  @Field(() => AuthorRole, { nullable: true, defaultValue: AuthorRole.WRITER })
  role?: AuthorRole | null;
}

@InputType("UpdateAuthorInput", { description: "Fields left out stay as they are; null clears the bio." })
export class UpdateAuthorInput implements Accepted.UpdateAuthorInput {
  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => String, { nullable: true, description: "A new slug; the old one keeps resolving." })
  slug?: string | null;

  @Field(() => String, { nullable: true })
  bio?: string | null;

  @Field(() => AuthorRole, { nullable: true })
  role?: AuthorRole | null;
}
