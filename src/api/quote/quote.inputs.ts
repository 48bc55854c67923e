import { ArgsType, Field, ID, InputType, Int } from "type-graphql";
import type * as Accepted from "../../services/quote.inputs";
import { PageArgsInput } from "../args";

@InputType("QuoteFilter")
export class QuoteFilter implements Accepted.QuoteFilter {
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

@InputType("AddQuoteInput")
export class AddQuoteInput implements Accepted.AddQuoteInput {
  @Field(() => ID)
  articleId!: string;

  @Field(() => ID)
  speakerId!: string;

  @Field(() => ID, { nullable: true, description: "The institution the speaker spoke for." })
  institutionId?: string | null;

  @Field(() => String, { description: "The quoted words without quotation marks; at most 5,000 characters." })
  text!: string;

  @Field(() => String, { nullable: true, description: "The attribution words as written, e.g. ujarnya." })
  attribution?: string | null;

  @Field(() => Int, { nullable: true, description: "Appended at the end when left out." })
  position?: number | null;
}
