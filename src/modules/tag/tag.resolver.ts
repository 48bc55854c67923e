import { Args, Ctx, FieldResolver, Query, Resolver, Root } from "type-graphql";
import { PageArgsInput } from "../../common/args";
import { toConnection } from "../../common/page-loader";
import { checkPageArgs } from "../../common/pagination";
import type { Context } from "../../context";
import { ArticleConnection } from "../article/article.connection";
import { Tag } from "./tag.entity";

@Resolver(() => Tag)
export class TagResolver {
  @Query(() => [Tag])
  tags(@Ctx() ctx: Context): Promise<Tag[]> {
    return ctx.services.tags.all(ctx);
  }

  @FieldResolver(() => ArticleConnection)
  articles(@Root() tag: Tag, @Args(() => PageArgsInput) args: PageArgsInput, @Ctx() ctx: Context) {
    const page = ctx.loaders.pages.load("tag.articles", tag.pk, checkPageArgs(args), (pks, p) => ctx.services.articles.pagesByTag(ctx, pks, p));
    return toConnection(ArticleConnection, page, ctx.loaders.article);
  }
}
