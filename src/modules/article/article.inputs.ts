import { ArgsType, Field, ID, InputType, registerEnumType } from "type-graphql";
import { PageArgsInput } from "../../common/args";
import { ArticleStatus } from "./article.entity";

export enum ArticleOrder {
  PUBLISHED_AT_DESC = "PUBLISHED_AT_DESC",
  PUBLISHED_AT_ASC = "PUBLISHED_AT_ASC",
  UPDATED_AT_DESC = "UPDATED_AT_DESC",
  RELEVANCE = "RELEVANCE",
}
registerEnumType(ArticleOrder, {
  name: "ArticleOrder",
  valuesConfig: { RELEVANCE: { description: "Best full-text match first (bm25); needs filter.search, else newest first." } },
});

@InputType("ArticleFilter")
export class ArticleFilter {
  @Field(() => ArticleStatus, { nullable: true, description: "Anyone but editors only ever sees PUBLISHED." })
  status?: ArticleStatus | null;

  @Field(() => ID, { nullable: true })
  institutionId?: string | null;

  @Field(() => ID, { nullable: true })
  personId?: string | null;

  @Field(() => String, { nullable: true })
  tag?: string | null;

  @Field(() => Date, { nullable: true, description: "Published at or after this instant." })
  publishedAfter?: Date | null;

  @Field(() => Date, { nullable: true, description: "Published before this instant." })
  publishedBefore?: Date | null;

  @Field(() => String, { nullable: true, description: "Full-text search over title, summary and body." })
  search?: string | null;
}

@ArgsType()
export class ArticlesArgs extends PageArgsInput {
  @Field(() => ArticleFilter, { nullable: true })
  filter?: ArticleFilter | null;

  @Field(() => ArticleOrder, { nullable: true, defaultValue: ArticleOrder.PUBLISHED_AT_DESC })
  orderBy?: ArticleOrder | null;
}
