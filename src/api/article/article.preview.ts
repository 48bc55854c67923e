import { Article } from "../../entities/article.entity";

/** Marks the story objects a preview link's holder reads (see {@link asPreview}). */
const PREVIEW = Symbol("read through a preview link");
type Marked = Article & { [PREVIEW]?: true };

/**
 * The story as `articlePreview` hands it out: a copy of its own, marked, so that the fields that
 * answer differently for a preview's holder (its quotes, its corrections) know it, and no other
 * path of the same request that reaches the same row (the loaders' copy) gains anything by it.
 */
export function asPreview(article: Article): Article {
  return Object.assign(Object.create(Article.prototype) as Article, article, { [PREVIEW]: true });
}

/** Whether `article` was handed out by `articlePreview`. */
export function isPreview(article: Article): boolean {
  return (article as Marked)[PREVIEW] === true;
}
