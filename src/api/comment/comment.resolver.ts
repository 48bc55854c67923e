import type { GraphQLResolveInfo } from "graphql";
import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Info, Mutation, Query, Resolver, Root } from "type-graphql";
import { pageArgs } from "../args";
import { loadPks, toConnection } from "../page-loader";
import type { Context } from "../context";
import { Article } from "../../entities/article.entity";
import { storyOfItem } from "../article/article.story";
import { CommentConnection } from "./comment.connection";
import { Role } from "../../kernel/viewer";
import { Comment, CommentStatus } from "../../entities/comment.entity";
import { AddCommentInput, CommentsArgs } from "./comment.inputs";

@Resolver(() => Comment)
export class CommentResolver {
  @Query(() => CommentConnection)
  comments(@Args(() => CommentsArgs) args: CommentsArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    return toConnection(CommentConnection, ctx.services.comments.list(ctx, args.filter, pageArgs(args, info)), ctx.loaders.comment);
  }

  @FieldResolver(() => Article)
  article(@Root() comment: Comment, @Ctx() ctx: Context): Article | Promise<Article> {
    return storyOfItem(ctx, comment.articleId, `Comment '${comment.id}'`);
  }

  @FieldResolver(() => Comment, { nullable: true, description: "The comment this one answers, when the viewer may see it." })
  async parent(@Root() comment: Comment, @Ctx() ctx: Context): Promise<Comment | null> {
    if (comment.parentId === null) return null;
    const parent = await ctx.loaders.comment.load(comment.parentId);
    return parent && ctx.services.comments.isVisible(ctx.viewer, parent) ? parent : null;
  }

  @FieldResolver(() => [Comment])
  async replies(@Root() comment: Comment, @Ctx() ctx: Context): Promise<Comment[]> {
    return loadPks(ctx.loaders.comment, await ctx.loaders.replyPksOfComment.load(comment.pk));
  }

  @Mutation(() => Comment, { description: "Public. Rate limited. New comments wait as PENDING unless the moderation policy approves them." })
  addComment(@Arg("input", () => AddCommentInput) input: AddCommentInput, @Ctx() ctx: Context): Promise<Comment> {
    return ctx.services.comments.add(ctx, input);
  }

  @Authorized(Role.MODERATOR)
  @Mutation(() => Comment)
  moderateComment(@Arg("id", () => ID) id: string, @Arg("status", () => CommentStatus) status: CommentStatus, @Ctx() ctx: Context): Promise<Comment> {
    return ctx.services.comments.moderate(ctx, id, status);
  }
}
