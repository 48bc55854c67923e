import DataLoader from "dataloader";
import type { Article } from "./article.entity";
import type { ArticleService } from "./article.service";

/** Per-request batching of story reads. */
export function createArticleLoaders(articles: ArticleService) {
  return {
    article: new DataLoader<number, Article | null>((pks) => articles.byPks(pks)),
    articleBody: new DataLoader<number, string>((pks) => articles.bodies(pks)),
    institutionPksOfArticle: new DataLoader<number, number[]>((pks) => articles.institutionPks(pks)),
    personPksOfArticle: new DataLoader<number, number[]>((pks) => articles.personPks(pks)),
    tagPksOfArticle: new DataLoader<number, number[]>((pks) => articles.tagPks(pks)),
  };
}
