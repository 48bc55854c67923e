import { ArgsType, Field, ID, InputType } from "type-graphql";
import { PageArgsInput } from "../../common/args";

@InputType("QuoteFilter")
export class QuoteFilter {
  @Field(() => ID, { nullable: true })
  speakerId?: string | null;

  @Field(() => ID, { nullable: true })
  institutionId?: string | null;

  @Field(() => ID, { nullable: true })
  articleId?: string | null;

  @Field(() => String, { nullable: true, description: "Part of the quote's text." })
  search?: string | null;
}

@ArgsType()
export class QuotesArgs extends PageArgsInput {
  @Field(() => QuoteFilter, { nullable: true })
  filter?: QuoteFilter | null;
}
