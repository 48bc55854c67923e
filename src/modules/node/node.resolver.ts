import { Arg, Ctx, ID, Query, Resolver } from "type-graphql";
import { parseGlobalId } from "../../common/ids";
import { Node } from "../../common/node";
import type { Context } from "../../context";

@Resolver()
export class NodeResolver {
  @Query(() => Node, { nullable: true, description: "Any object with an id; null when it does not exist or is not the viewer's to see." })
  async node(@Arg("id", () => ID) id: string, @Ctx() ctx: Context): Promise<Node | null> {
    const { type, pk } = parseGlobalId(id);
    const { loaders, services, viewer } = ctx;
    const storyVisible = async (articlePk: number) => (await services.articles.visibleByPk(ctx, articlePk)) !== null;
    switch (type) {
      case "Article":
        return services.articles.visibleByPk(ctx, pk);
      case "Institution":
        return loaders.institution.load(pk);
      case "Person":
        return loaders.person.load(pk);
      case "Quote": {
        const quote = await loaders.quote.load(pk);
        return quote && (await storyVisible(quote.articleId)) ? quote : null;
      }
      case "Comment": {
        const comment = await loaders.comment.load(pk);
        return comment && services.comments.isVisible(viewer, comment) && (await storyVisible(comment.articleId)) ? comment : null;
      }
      default:
        return null;
    }
  }
}
