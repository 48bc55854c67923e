import { Arg, Ctx, ID, Query, Resolver } from "type-graphql";
import { canManageTokens, canManageWebhooks } from "../../kernel/viewer";
import { parseGlobalId } from "../../kernel/ids";
import { Node } from "../../kernel/node";
import type { Context } from "../context";

/**
 * Every type with a global id answers here, by the rule its other paths apply: institutions,
 * people and what hangs off them (accreditations, positions) are public; a story only as the
 * viewer may read it, a quote or comment only with its story; a tag once a published story
 * carries it (editors see every tag); an author an editor entered or a published story carries;
 * an API token or a webhook endpoint or delivery to admins alone. What the viewer may not see
 * is null, as if it did not exist.
 */
@Resolver()
export class NodeResolver {
  @Query(() => Node, { nullable: true, description: "Any object with an id; null when it does not exist or is not the viewer's to see." })
  async node(@Arg("id", () => ID) id: string, @Ctx() ctx: Context): Promise<Node | null> {
    const { type, pk } = parseGlobalId(id);
    const { loaders, services, viewer } = ctx;
    const visibleStory = async (articlePk: number) => services.articles.visible(ctx, await loaders.article.load(articlePk));
    const storyVisible = async (articlePk: number) => (await visibleStory(articlePk)) !== null;
    switch (type) {
      case "Article":
        return visibleStory(pk);
      case "Institution":
        return loaders.institution.load(pk);
      case "Person":
        return loaders.person.load(pk);
      case "Accreditation":
        return loaders.accreditation.load(pk);
      case "Position":
        return loaders.position.load(pk);
      case "Quote": {
        const quote = await loaders.quote.load(pk);
        return quote && (await storyVisible(quote.articleId)) ? quote : null;
      }
      case "Comment": {
        const comment = await loaders.comment.load(pk);
        return comment && services.comments.isVisible(viewer, comment) && (await storyVisible(comment.articleId)) ? comment : null;
      }
      case "Tag": {
        const [tag, visible] = await Promise.all([loaders.tag.load(pk), loaders.tagVisible.load(pk)]);
        return tag && visible ? tag : null;
      }
      case "Author":
        return loaders.author.load(pk);
      case "ApiToken":
        return canManageTokens(viewer) ? loaders.apiToken.load(pk) : null;
      case "WebhookEndpoint":
        return canManageWebhooks(viewer) ? loaders.webhookEndpoint.load(pk) : null;
      case "WebhookDelivery":
        return canManageWebhooks(viewer) ? loaders.webhookDelivery.load(pk) : null;
      // Not Nodes: reached through their story (revisions and preview links by editors alone).
      case "ArticleRevision":
      case "Correction":
      case "PreviewLink":
        return null;
    }
  }
}
