import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from "type-graphql";
import type { Context } from "../context";
import { eventStoryOf } from "../live/event-story";
import { isPreview } from "../article/article.preview";
import { whileVisibleNow } from "../article/article.resolver";
import { Article } from "../../entities/article.entity";
import { Correction } from "../../entities/correction.entity";
import { Role } from "../../kernel/viewer";

/** A story's correction notes: readers see those of the stories they may read. */
@Resolver(() => Article)
export class CorrectionResolver {
  @FieldResolver(() => [Correction], { description: "Correction notes, oldest first." })
  corrections(@Root() article: Article, @Ctx() ctx: Context): Correction[] | Promise<Correction[]> {
    const event = eventStoryOf(ctx.eventStory, article);
    if (event) return event.corrections ?? whileVisibleNow(article, ctx, () => ctx.loaders.correctionsOfArticle.load(article.pk));
    if (!isPreview(article) && ctx.services.articles.visible(ctx, article) === null) return [];
    return ctx.loaders.correctionsOfArticle.load(article.pk);
  }

  @Authorized(Role.EDITOR)
  @Mutation(() => Article, { description: "Publishes a correction note on a published story: readers see it, `correctedAt` and `updatedAt` move, feeds get UPDATED." })
  addCorrection(@Arg("article", () => ID) article: string, @Arg("text", () => String) text: string, @Ctx() ctx: Context): Promise<Article> {
    return ctx.services.corrections.add(ctx, article, text);
  }
}
