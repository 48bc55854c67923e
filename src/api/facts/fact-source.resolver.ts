import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import { Article } from "../../entities/article.entity";
import type { Context } from "../context";
import { FactSourceView } from "./fact-source.types";

@Resolver(() => FactSourceView)
export class FactSourceResolver {
  @FieldResolver(() => Article, { nullable: true, description: "The story, when it still exists and the viewer may read it." })
  async article(@Root() source: FactSourceView, @Ctx() ctx: Context): Promise<Article | null> {
    if (source.articlePk === null) return null;
    return ctx.services.articles.visible(ctx, await ctx.loaders.article.load(source.articlePk));
  }
}
