import type { Article } from "../../entities/article.entity";
import type { Context } from "../context";

/**
 * The story a quote or comment (`item`, named for errors) belongs to, for its `article` field:
 * in a story event the story as the event carries it, else the current row if the viewer may
 * read it (FORBIDDEN otherwise).
 */
export function storyOfItem(ctx: Context, articlePk: number, item: string): Article | Promise<Article> {
  if (ctx.eventStory !== null && ctx.eventStory.article.pk === articlePk) return ctx.eventStory.article;
  return ctx.loaders.article.load(articlePk).then((story) => ctx.services.articles.ofItem(ctx, articlePk, story, item));
}
