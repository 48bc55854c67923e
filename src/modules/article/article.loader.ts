import DataLoader from "dataloader";
import type { Institution } from "../institution/institution.entity";
import type { Person } from "../person/person.entity";
import type { Tag } from "../tag/tag.entity";
import type { Article } from "./article.entity";
import type { ArticleService } from "./article.service";

/** Per-request batching of story reads. */
export function createArticleLoaders(articles: ArticleService) {
  return {
    article: new DataLoader<number, Article | null>((pks) => articles.byPks(pks)),
    articleBody: new DataLoader<number, string>((pks) => articles.bodies(pks)),
    institutionsOfArticle: new DataLoader<number, Institution[]>((pks) => articles.institutionsOf(pks)),
    peopleOfArticle: new DataLoader<number, Person[]>((pks) => articles.peopleOf(pks)),
    tagsOfArticle: new DataLoader<number, Tag[]>((pks) => articles.tagsOf(pks)),
  };
}
