import type { GraphQLResolveInfo } from "graphql";
import { Args, Ctx, FieldResolver, Info, Query, Resolver, Root } from "type-graphql";
import { PageArgsInput, pageArgs } from "../args";
import { toConnection } from "../page-loader";
import type { Context } from "../context";
import { ArticleConnection } from "../article/article.connection";
import { Tag } from "../../entities/tag.entity";

@Resolver(() => Tag)
export class TagResolver {
  @Query(() => [Tag])
  tags(@Ctx() ctx: Context): Promise<Tag[]> {
    return ctx.services.tags.all(ctx);
  }

  @FieldResolver(() => ArticleConnection)
  articles(@Root() tag: Tag, @Args(() => PageArgsInput) args: PageArgsInput, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    const page = ctx.loaders.pages.load("tag.articles", tag.pk, pageArgs(args, info), (pks, p) => ctx.services.articles.pagesByTag(ctx, pks, p));
    return toConnection(ArticleConnection, page, ctx.loaders.article);
  }
}
