import type { ArticleStatus } from "../entities/article.entity";

/*
 * What ArticleService takes, as plain types. The API's GraphQL input types of the same names
 * implement them (api/article/article.inputs.ts): the service knows nothing of how a client
 * spells them.
 */

/** How a list of stories is ordered. */
export enum ArticleOrder {
  PUBLISHED_AT_DESC = "PUBLISHED_AT_DESC",
  PUBLISHED_AT_ASC = "PUBLISHED_AT_ASC",
  UPDATED_AT_DESC = "UPDATED_AT_DESC",
  RELEVANCE = "RELEVANCE",
}

export interface ArticleFilter {
  status?: ArticleStatus | null;
  institutionId?: string | null;
  personId?: string | null;
  authorId?: string | null;
  tag?: string | null;
  publishedAfter?: Date | null;
  publishedBefore?: Date | null;
  search?: string | null;
}

export interface CreateArticleInput {
  title: string;
  slug?: string | null;
  summary?: string | null;
  body: string;
  dateline?: string | null;
  source?: string | null;
  tags?: string[] | null;
  institutionIds?: string[] | null;
  personIds?: string[] | null;
  authorIds?: string[] | null;
  leadImage?: ImageInput | null;
  images?: ImageInput[] | null;
}

export interface UpdateArticleInput {
  title?: string | null;
  slug?: string | null;
  summary?: string | null;
  body?: string | null;
  dateline?: string | null;
  source?: string | null;
  tags?: string[] | null;
  institutionIds?: string[] | null;
  personIds?: string[] | null;
  authorIds?: string[] | null;
  /** Left out: unchanged; null: removed. */
  leadImage?: ImageInput | null;
  /** Left out: unchanged; null or []: removed. */
  images?: ImageInput[] | null;
}

/** A picture on the newsroom's CDN or media library, as a story is given it. */
export interface ImageInput {
  url: string;
  width?: number | null;
  height?: number | null;
  alt: string;
  caption?: string | null;
  credit?: string | null;
}
