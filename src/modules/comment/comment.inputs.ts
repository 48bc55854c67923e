import { ArgsType, Field, ID, InputType } from "type-graphql";
import { PageArgsInput } from "../../common/args";
import { CommentStatus } from "./comment.entity";

@InputType("CommentFilter")
export class CommentFilter {
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
