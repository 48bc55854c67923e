import type { GraphQLResolveInfo } from "graphql";
import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Info, Mutation, Query, Resolver, Root } from "type-graphql";
import { IdOrSlugArgs, PageArgsInput, pageArgs } from "../args";
import { loadLocated, toConnection } from "../page-loader";
import type { Context } from "../context";
import { ArticleConnection } from "../article/article.connection";
import { Author } from "../../entities/author.entity";
import { Role } from "../../kernel/viewer";
import { AuthorConnection } from "./author.connection";
import { AuthorsArgs, CreateAuthorInput, UpdateAuthorInput } from "./author.inputs";

@Resolver(() => Author)
export class AuthorResolver {
  @Query(() => Author, { nullable: true, description: "An author page: the author and their stories." })
  author(@Args(() => IdOrSlugArgs) args: IdOrSlugArgs, @Ctx() ctx: Context): Promise<Author | null> {
    return loadLocated(ctx.services.authors.locate(ctx, args), ctx.loaders.author);
  }

  @Query(() => AuthorConnection, { description: "The newsroom's authors by name." })
  authors(@Args(() => AuthorsArgs) args: AuthorsArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    return toConnection(AuthorConnection, ctx.services.authors.list(ctx, args.filter, pageArgs(args, info)), ctx.loaders.author);
  }

  @FieldResolver(() => ArticleConnection, { description: "Their stories, newest first: published ones only, but for editors." })
  articles(@Root() author: Author, @Args(() => PageArgsInput) args: PageArgsInput, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    const page = ctx.loaders.pages.load("author.articles", author.pk, pageArgs(args, info), (pks, p) => ctx.services.articles.pagesByAuthor(ctx, pks, p));
    return toConnection(ArticleConnection, page, ctx.loaders.article);
  }

  @Authorized(Role.EDITOR)
  @Mutation(() => Author)
  createAuthor(@Arg("input", () => CreateAuthorInput) input: CreateAuthorInput, @Ctx() ctx: Context): Promise<Author> {
    return ctx.services.authors.create(ctx, input);
  }

  @Authorized(Role.EDITOR)
  @Mutation(() => Author)
  updateAuthor(@Arg("id", () => ID) id: string, @Arg("input", () => UpdateAuthorInput) input: UpdateAuthorInput, @Ctx() ctx: Context): Promise<Author> {
    return ctx.services.authors.update(ctx, id, input);
  }

  @Authorized(Role.EDITOR)
  @Mutation(() => ID, { description: "Deletes an author; their stories stay, without them in the byline." })
  deleteAuthor(@Arg("id", () => ID) id: string, @Ctx() ctx: Context): Promise<string> {
    return ctx.services.authors.delete(ctx, id);
  }
}
