import { ArgsType, Field, ID, InputType } from "type-graphql";
import type * as Accepted from "../../services/comment.inputs";
import { PageArgsInput } from "../args";
import { CommentStatus } from "../../entities/comment.entity";

@InputType("CommentFilter")
export class CommentFilter implements Accepted.CommentFilter {
  @Field(() => ID, { nullable: true })
  articleId?: string | null;

  @Field(() => CommentStatus, { nullable: true, description: "Anything but APPROVED needs a moderator." })
  status?: CommentStatus | null;
}

@ArgsType()
export class CommentsArgs extends PageArgsInput {
  @Field(() => CommentFilter, { nullable: true })
  filter?: CommentFilter | null;
}

@InputType("AddCommentInput")
export class AddCommentInput implements Accepted.AddCommentInput {
  @Field(() => ID)
  articleId!: string;

  @Field(() => ID, { nullable: true, description: "The comment this one answers (on the same story)." })
  parentId?: string | null;

  @Field(() => String, { description: "1 to 100 characters." })
  authorName!: string;

  @Field(() => String, { description: "Required, validated, stored, never shown." })
  authorEmail!: string;

  @Field(() => String, { nullable: true, description: "An http(s) address." })
  authorWebsite?: string | null;

  @Field(() => String, { description: "Plain text, 1 to 5,000 characters." })
  body!: string;
}
