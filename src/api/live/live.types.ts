import { Field, ObjectType, registerEnumType } from "type-graphql";
import { Article } from "../../entities/article.entity";
import { Comment } from "../../entities/comment.entity";

export enum ArticleEventType {
  PUBLISHED = "PUBLISHED",
  UPDATED = "UPDATED",
  UNPUBLISHED = "UNPUBLISHED",
}
registerEnumType(ArticleEventType, { name: "ArticleEventType" });

@ObjectType("ArticleEvent", { simpleResolvers: true })
export class ArticleEvent {
  @Field(() => String, { description: "Opaque, strictly increasing; pass it back as `after` to resume without missing anything." })
  cursor!: string;

  @Field(() => ArticleEventType)
  type!: ArticleEventType;

  @Field(() => Article, {
    description: "The story as the event left it. For UNPUBLISHED (also when a published story is deleted) it is the story as it was last published, so a ticker can take it down by id.",
  })
  article!: Article;
}

@ObjectType("CommentEvent", { simpleResolvers: true })
export class CommentEvent {
  @Field(() => String, { description: "Opaque, strictly increasing; pass it back as `after` to resume without missing anything." })
  cursor!: string;

  @Field(() => Comment)
  comment!: Comment;
}
