import { toGlobalId } from "../kernel/ids";
import type { RequestContext } from "../kernel/request-context";
import type { Article } from "../entities/article.entity";
import type { Author } from "../entities/author.entity";
import type { ArticleImage } from "../entities/image.entity";
import type { Tag } from "../entities/tag.entity";
import { ArticleOrder } from "../services/article.inputs";
import type { ArticleFilter } from "../services/article.inputs";
import type { Services } from "../services/services";
import type { Located } from "../services/slugs";

/** Which stories a feed carries: all of them, or those of one tag, institution, person or author (by slug). */
export type FeedScope = { readonly kind: "all" } | { readonly kind: "tag" | "institution" | "person" | "author"; readonly slug: string };

/** A story as a feed item shows it: the row, its text, its byline, its lead image and its tags. */
export interface FeedStory {
  readonly article: Article;
  readonly body: string;
  readonly authors: readonly Author[];
  readonly lead: ArticleImage | null;
  readonly tags: readonly Tag[];
}

/** A feed's stories, newest first, and the name of what it is scoped to (null for all stories). */
export interface FeedContent {
  readonly scopeName: string | null;
  readonly stories: readonly FeedStory[];
}

/** A reader's context: feeds and sitemaps show what an anonymous reader may read, nothing more. */
export function readerContext(tally: RequestContext["tally"]): RequestContext {
  return { viewer: null, tally, clientAddress: "", transport: "http" };
}

async function rowOf<T>(located: Located<T>, byPks: (pks: number[]) => Promise<Array<T | null>>): Promise<T | null> {
  if (located === null) return null;
  return "row" in located ? located.row : ((await byPks([located.pk]))[0] ?? null);
}

/** The list filter and display name of a scope; null when readers know nothing by that slug. */
async function resolveScope(services: Services, ctx: RequestContext, scope: FeedScope): Promise<{ filter: ArticleFilter; name: string | null } | null> {
  switch (scope.kind) {
    case "all":
      return { filter: {}, name: null };
    case "tag": {
      const tag = (await services.tags.all(ctx)).find((t) => t.slug === scope.slug);
      return tag ? { filter: { tag: tag.slug }, name: tag.name } : null;
    }
    case "institution": {
      const found = await rowOf(await services.institutions.locate(ctx, { slug: scope.slug }), (pks) => services.institutions.byPks(ctx, pks));
      return found ? { filter: { institutionId: toGlobalId("Institution", found.pk) }, name: found.shortName ?? found.name } : null;
    }
    case "person": {
      const found = await rowOf(await services.people.locate(ctx, { slug: scope.slug }), (pks) => services.people.byPks(ctx, pks));
      return found ? { filter: { personId: toGlobalId("Person", found.pk) }, name: found.name } : null;
    }
    case "author": {
      const found = await rowOf(await services.authors.locate(ctx, { slug: scope.slug }), (pks) => services.authors.byPks(ctx, pks));
      return found ? { filter: { authorId: toGlobalId("Author", found.pk) }, name: found.name } : null;
    }
  }
}

/** Stories with their text, bylines, lead images and tags, each relation read for all of them at once. */
export async function withRelations(services: Services, ctx: RequestContext, articles: readonly Article[]): Promise<FeedStory[]> {
  const pks = articles.map((a) => a.pk);
  const [bodies, authors, images, tags] = await Promise.all([services.articles.bodies(ctx, pks), services.articles.authorsOf(ctx, pks), services.articles.imagesOf(ctx, pks), services.articles.tagsOf(ctx, pks)]);
  return articles.map((article, i) => ({ article, body: bodies[i]!, authors: authors[i]!, lead: images[i]!.find((image) => image.lead) ?? null, tags: tags[i]! }));
}

/** The newest `items` published stories of a scope; null when the scope names nothing a reader may see. */
export async function readFeed(services: Services, ctx: RequestContext, scope: FeedScope, items: number): Promise<FeedContent | null> {
  const resolved = await resolveScope(services, ctx, scope);
  if (resolved === null) return null;
  const page = await services.articles.list(ctx, resolved.filter, ArticleOrder.PUBLISHED_AT_DESC, { count: items, backward: false, after: null, before: null });
  const articles = (page.rows ?? []) as Article[];
  return { scopeName: resolved.name, stories: await withRelations(services, ctx, articles) };
}
