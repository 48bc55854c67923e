import DataLoader from "dataloader";
import type { Services } from "../../context";
import type { Institution } from "../institution/institution.entity";
import type { Person } from "../person/person.entity";
import type { Tag } from "../tag/tag.entity";
import type { Article } from "./article.entity";

/** Per-request batching of story reads: each entry builds its loader from the request's services. */
export const articleLoaders = {
  article: ({ articles }: Services) => new DataLoader<number, Article | null>((pks) => articles.byPks(pks)),
  articleBody: ({ articles }: Services) => new DataLoader<number, string>((pks) => articles.bodies(pks)),
  institutionsOfArticle: ({ articles }: Services) => new DataLoader<number, Institution[]>((pks) => articles.institutionsOf(pks)),
  peopleOfArticle: ({ articles }: Services) => new DataLoader<number, Person[]>((pks) => articles.peopleOf(pks)),
  tagsOfArticle: ({ articles }: Services) => new DataLoader<number, Tag[]>((pks) => articles.tagsOf(pks)),
};
