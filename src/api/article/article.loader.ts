import DataLoader from "dataloader";
import type { GraphQLResolveInfo } from "graphql";
import { selects } from "../lookahead";
import type { RequestContext } from "../../kernel/request-context";
import type { Services } from "../../services/services";
import type { Institution } from "../../entities/institution.entity";
import type { Person } from "../../entities/person.entity";
import type { Tag } from "../../entities/tag.entity";
import type { Article } from "../../entities/article.entity";
import type { Author } from "../../entities/author.entity";
import type { ArticleImage } from "../../entities/image.entity";

/** Per-request batching of story reads: each entry builds its loader from the request's services. */
export const articleLoaders = {
  article: ({ articles }: Services, ctx: RequestContext) => new DataLoader<number, Article | null>((pks) => articles.byPks(ctx, pks)),
  articleBody: ({ articles }: Services, ctx: RequestContext) => new DataLoader<number, string>((pks) => articles.bodies(ctx, pks)),
  institutionsOfArticle: ({ articles }: Services, ctx: RequestContext) => new DataLoader<number, Institution[]>((pks) => articles.institutionsOf(ctx, pks)),
  peopleOfArticle: ({ articles }: Services, ctx: RequestContext) => new DataLoader<number, Person[]>((pks) => articles.peopleOf(ctx, pks)),
  tagsOfArticle: ({ articles }: Services, ctx: RequestContext) => new DataLoader<number, Tag[]>((pks) => articles.tagsOf(ctx, pks)),
  authorsOfArticle: ({ articles }: Services, ctx: RequestContext) => new DataLoader<number, Author[]>((pks) => articles.authorsOf(ctx, pks)),
  /** A story's images, the lead image first (flagged `lead`). */
  imagesOfArticle: ({ articles }: Services, ctx: RequestContext) => new DataLoader<number, ArticleImage[]>((pks) => articles.imagesOf(ctx, pks)),
};

/** The story loaders of a request. */
type ArticleLoaders = { readonly [K in keyof typeof articleLoaders]: ReturnType<(typeof articleLoaders)[K]> };

type ListRelation = "institutions" | "people" | "tags" | "authors" | "leadImage" | "images";

const RELATION_LOADERS = {
  institutions: "institutionsOfArticle",
  people: "peopleOfArticle",
  tags: "tagsOfArticle",
  authors: "authorsOfArticle",
  leadImage: "imagesOfArticle",
  images: "imagesOfArticle",
} as const;

/** What was read ahead per field; both image fields read a story's images, the lead image flagged. */
type ReadAhead = { institutions?: Institution[]; people?: Person[]; tags?: Tag[]; authors?: Author[]; leadImage?: ArticleImage[]; images?: ArticleImage[] };

/**
 * Where a story object keeps what was read ahead for it. The objects are the request's own
 * (hydrated for it, cached in its loaders); a property is cheaper here than a WeakMap, whose
 * short-lived keys cost the garbage collector more than the lookups saved (measured).
 */
const READ_AHEAD = {
  institutions: Symbol("institutions read ahead"),
  people: Symbol("people read ahead"),
  tags: Symbol("tags read ahead"),
  authors: Symbol("authors read ahead"),
  leadImage: Symbol("images read ahead for the lead image"),
  images: Symbol("images read ahead"),
} as const;
type WithReadAhead = Article & { [key: symbol]: unknown };

/** Per list field of a parsed document (documents are cached and reused), the relations it selects on every story. */
const selectedByField = new WeakMap<object, ListRelation[]>();

function relationsSelected(info: GraphQLResolveInfo): ListRelation[] {
  const key = info.fieldNodes.length === 1 ? info.fieldNodes[0]! : null;
  const known = key ? selectedByField.get(key) : undefined;
  if (known) return known;
  const found = (Object.keys(RELATION_LOADERS) as ListRelation[]).filter((relation) => selects(info, ["nodes", relation]) || selects(info, ["edges", "node", relation]));
  if (key) selectedByField.set(key, found);
  return found;
}

/**
 * Reads ahead, through the request's own loaders, the relations a list's selection asks for on
 * every story (`nodes { institutions { … } }`, or under `edges { node { … } }`): the same one
 * batch for the page, but each story's field then answers with a plain value instead of a
 * promise, and graphql-js completes a story whose fields are all plain values without its
 * promise bookkeeping (measured: about 6 % of a front page's CPU).
 */
export async function readAheadListRelations(stories: readonly Article[], info: GraphQLResolveInfo, loaders: ArticleLoaders): Promise<void> {
  if (stories.length === 0) return;
  // Those the page's own statement read (see listSelectsInstitutions) are there already.
  const wanted = relationsSelected(info).filter((relation) => !stories.every((story) => readAheadOf(story, relation) !== undefined));
  if (wanted.length === 0) return;
  await Promise.all(
    wanted.map(async (relation) => {
      const lists = await (loaders[RELATION_LOADERS[relation]] as DataLoader<number, Array<Institution | Person | Tag | Author | ArticleImage>>).loadMany(stories.map((story) => story.pk));
      stories.forEach((story, i) => {
        const list = lists[i];
        // A failed batch is left to the field's own load, which reports it where it belongs.
        if (list === undefined || list instanceof Error) return;
        (story as WithReadAhead)[READ_AHEAD[relation]] = list;
      });
    }),
  );
}

/** Whether a list's selection asks for every story's institutions (then the page's statement may read them: ArticleService.list). */
export function listSelectsInstitutions(info: GraphQLResolveInfo): boolean {
  return relationsSelected(info).includes("institutions");
}

/**
 * Takes a story's institutions read with its page: they answer its field as read ahead, and the
 * request's loader answers any other look-up of them with the same list, as if it had read them.
 */
export function takeInstitutions(loaders: ArticleLoaders, story: Article, list: Institution[]): void {
  (story as WithReadAhead)[READ_AHEAD.institutions] = list;
  loaders.institutionsOfArticle.prime(story.pk, list);
}

/** What {@link readAheadListRelations} read for `story`, if it did. */
export function readAheadOf<R extends ListRelation>(story: Article, relation: R): ReadAhead[R] {
  return (story as WithReadAhead)[READ_AHEAD[relation]] as ReadAhead[R];
}
