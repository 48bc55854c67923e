import { ArgsType, Field, ID, InputType } from "type-graphql";
import type * as Accepted from "../../services/live.inputs";

@InputType("ArticleSubscriptionFilter", { description: "Every given condition must hold." })
export class ArticleSubscriptionFilter implements Accepted.ArticleSubscriptionFilter {
  @Field(() => ID, { nullable: true, description: "Stories that mention this institution." })
  institutionId?: string | null;

  @Field(() => ID, { nullable: true, description: "Stories that mention this person." })
  personId?: string | null;

  @Field(() => String, { nullable: true, description: "Stories with this tag (its slug)." })
  tag?: string | null;
}

@ArgsType()
export class ArticleSubscriptionArgs {
  @Field(() => ArticleSubscriptionFilter, { nullable: true })
  filter?: ArticleSubscriptionFilter | null;

  @Field(() => String, { nullable: true, description: "A cursor from an earlier event: first replays what came after it." })
  after?: string | null;
}

@ArgsType()
export class CommentSubscriptionArgs {
  @Field(() => ID, { nullable: true, description: "Only this story's comments; all stories when left out." })
  articleId?: string | null;

  @Field(() => String, { nullable: true, description: "A cursor from an earlier event: first replays what came after it." })
  after?: string | null;
}
