import type { GraphQLResolveInfo } from "graphql";
import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Info, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import { IdOrSlugArgs, PageArgsInput, pageArgs } from "../args";
import { loadLocated, loadPks, toConnection } from "../page-loader";
import { splitParagraphs } from "../../kernel/text";
import type { Context } from "../context";
import { eventStoryOf } from "../live/event-story";
import { isPreview } from "./article.preview";
import { CommentConnection } from "../comment/comment.connection";
import { Institution } from "../../entities/institution.entity";
import { Person } from "../../entities/person.entity";
import { Quote } from "../../entities/quote.entity";
import { Tag } from "../../entities/tag.entity";
import { Author } from "../../entities/author.entity";
import { ArticleImage } from "../../entities/image.entity";
import { ArticleConnection } from "./article.connection";
import { Article } from "../../entities/article.entity";
import { listSelectsInstitutions, readAheadListRelations, readAheadOf, takeInstitutions } from "./article.loader";
import { selects } from "../lookahead";
import { ArticlesArgs, CreateArticleInput, UpdateArticleInput } from "./article.inputs";
import { ArticleOrder } from "../../services/article.inputs";
import { Role } from "../../kernel/viewer";

/**
 * What an event's story shows only while the viewer may read the story now: its quotes (facts the
 * story states, withdrawn with it), and for an event written before snapshots carried tags and
 * quotes, the current rows standing in (they may be a later draft's otherwise).
 */
export async function whileVisibleNow<T>(article: Article, ctx: Context, read: () => Promise<T[]>): Promise<T[]> {
  const now = ctx.services.articles.visible(ctx, await ctx.loaders.article.load(article.pk));
  return now === null ? [] : read();
}

/**
 * A preview's quotes: those whose speaker readers already see. A person only the unpublished
 * story brings in is its proposal (docs/facts.md), and stays out of the preview with their quotes.
 */
async function quotesOfPreview(article: Article, ctx: Context): Promise<Quote[]> {
  const quotes = await ctx.loaders.quotesOfArticle.load(article.pk);
  const speakers = await ctx.loaders.person.loadMany(quotes.map((q) => q.speakerId));
  return quotes.filter((_, i) => speakers[i] !== null && !(speakers[i] instanceof Error));
}
/** Where a story read by {@link readStoryPage} keeps the institutions and quotes read with it. */
const PAGE_LISTS = Symbol("lists read with the story page");
type PageLists = { readonly institutions: Institution[] | null; readonly quotes: Quote[] | null };

/** The institutions or quotes read in the same statement as `article`, if it was read so. */
function pageListOf<K extends keyof PageLists>(article: Article, list: K): PageLists[K] | undefined {
  return (article as Article & { [PAGE_LISTS]?: PageLists })[PAGE_LISTS]?.[list] ?? undefined;
}

/**
 * A story by slug read with the institutions and quotes its selection asks for in one statement
 * (ArticleService.bySlugWith); undefined when that does not apply (nothing to read with it,
 * SQLite without JSON rows, a former slug), and the usual reads follow. The lists stay on the
 * story object (a request's own), so its fields answer with plain values: no loader is built or
 * primed for them, and graphql-js completes the story without waiting on promises.
 */
async function readStoryPage(ctx: Context, slug: string, info: GraphQLResolveInfo): Promise<Article | null | undefined> {
  const institutions = selects(info, ["institutions"]);
  const quotesSql = selects(info, ["quotes"]) ? ctx.services.quotes.ofStorySql("a") : null;
  if (!institutions && quotesSql === null) return undefined;
  const read = await ctx.services.articles.bySlugWith(ctx, slug, institutions, quotesSql === null ? [] : [quotesSql]);
  if (!read) return undefined;
  const lists: PageLists = { institutions: read.institutions, quotes: quotesSql === null ? null : ctx.services.quotes.ofStoryJson(ctx, read.extras[0]) };
  (read.story as Article & { [PAGE_LISTS]?: PageLists })[PAGE_LISTS] = lists;
  return read.story;
}

const leadOf = (images: readonly ArticleImage[]): ArticleImage | null => images.find((image) => image.lead) ?? null;
const othersOf = (images: readonly ArticleImage[]): ArticleImage[] => images.filter((image) => !image.lead);

@Resolver(() => Article)
export class ArticleResolver {
  @Query(() => Article, { nullable: true, description: "Drafts and scheduled stories only for editors." })
  async article(@Args(() => IdOrSlugArgs) args: IdOrSlugArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo): Promise<Article | null> {
    if (args.slug && !args.id) {
      const page = await readStoryPage(ctx, args.slug, info);
      if (page !== undefined) return ctx.services.articles.visible(ctx, page);
    }
    return ctx.services.articles.visible(ctx, await loadLocated(ctx.services.articles.locate(ctx, args), ctx.loaders.article));
  }

  @Query(() => ArticleConnection)
  async articles(@Args(() => ArticlesArgs) args: ArticlesArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    const page = pageArgs(args, info);
    const institutions = listSelectsInstitutions(info) ? (story: Article, list: Institution[]) => takeInstitutions(ctx.loaders, story, list) : undefined;
    const connection = await toConnection(ArticleConnection, ctx.services.articles.list(ctx, args.filter, args.orderBy ?? ArticleOrder.PUBLISHED_AT_DESC, page, institutions), ctx.loaders.article);
    await readAheadListRelations(connection.nodes, info, ctx.loaders);
    return connection;
  }

  @FieldResolver(() => String, { description: "Plain text; paragraphs separated by one blank line." })
  body(@Root() article: Article, @Ctx() ctx: Context): string | Promise<string> {
    return article.body ?? ctx.loaders.articleBody.load(article.pk);
  }

  @FieldResolver(() => [String])
  async paragraphs(@Root() article: Article, @Ctx() ctx: Context): Promise<string[]> {
    return splitParagraphs(await this.body(article, ctx));
  }

  /*
   * A story a feed carries (built from its event) answers its relations from the event, as it
   * was published then; `eventStoryOf` is undefined for stories read from the store.
   */

  @FieldResolver(() => [Tag])
  tags(@Root() article: Article, @Ctx() ctx: Context): Tag[] | Promise<Tag[]> {
    const event = eventStoryOf(ctx.eventStory, article);
    if (event) return event.tags ?? whileVisibleNow(article, ctx, () => ctx.loaders.tagsOfArticle.load(article.pk));
    return readAheadOf(article, "tags") ?? ctx.loaders.tagsOfArticle.load(article.pk);
  }

  @FieldResolver(() => [Institution], { description: "Institutions the story is about or mentions." })
  institutions(@Root() article: Article, @Ctx() ctx: Context): Institution[] | Promise<Institution[]> {
    const event = eventStoryOf(ctx.eventStory, article);
    if (event) return loadPks(ctx.loaders.institution, event.institutionPks);
    return pageListOf(article, "institutions") ?? readAheadOf(article, "institutions") ?? ctx.loaders.institutionsOfArticle.load(article.pk);
  }

  @FieldResolver(() => [Person], { description: "People the story mentions." })
  people(@Root() article: Article, @Ctx() ctx: Context): Person[] | Promise<Person[]> {
    const event = eventStoryOf(ctx.eventStory, article);
    if (event) return loadPks(ctx.loaders.person, event.personPks);
    return readAheadOf(article, "people") ?? ctx.loaders.peopleOfArticle.load(article.pk);
  }

  @FieldResolver(() => [Author], { description: "The byline: the newsroom's authors of the story, in order." })
  authors(@Root() article: Article, @Ctx() ctx: Context): Author[] | Promise<Author[]> {
    const event = eventStoryOf(ctx.eventStory, article);
    if (event) return event.authors ?? whileVisibleNow(article, ctx, () => ctx.loaders.authorsOfArticle.load(article.pk));
    return readAheadOf(article, "authors") ?? ctx.loaders.authorsOfArticle.load(article.pk);
  }

  @FieldResolver(() => ArticleImage, { nullable: true, description: "The picture shown with the story's headline." })
  leadImage(@Root() article: Article, @Ctx() ctx: Context): ArticleImage | null | Promise<ArticleImage | null> {
    const images = this.imagesOf(article, ctx, "leadImage");
    return Array.isArray(images) ? leadOf(images) : images.then(leadOf);
  }

  @FieldResolver(() => [ArticleImage], { description: "Further pictures, in the story's order (the lead image is not among them)." })
  images(@Root() article: Article, @Ctx() ctx: Context): ArticleImage[] | Promise<ArticleImage[]> {
    const images = this.imagesOf(article, ctx, "images");
    return Array.isArray(images) ? othersOf(images) : images.then(othersOf);
  }

  /** Every image of the story, the lead image first (flagged): from its event in a feed, else read ahead or loaded. */
  private imagesOf(article: Article, ctx: Context, field: "leadImage" | "images"): ArticleImage[] | Promise<ArticleImage[]> {
    const event = eventStoryOf(ctx.eventStory, article);
    if (event) return event.images ?? whileVisibleNow(article, ctx, () => ctx.loaders.imagesOfArticle.load(article.pk));
    return readAheadOf(article, field) ?? ctx.loaders.imagesOfArticle.load(article.pk);
  }

  @FieldResolver(() => [Quote], { description: "Quotes in the order they appear in the story." })
  quotes(@Root() article: Article, @Ctx() ctx: Context): Quote[] | Promise<Quote[]> {
    const event = eventStoryOf(ctx.eventStory, article);
    // A quote is a fact its story states: once the story is unpublished or deleted it is withdrawn
    // from readers, also from the events that carried it (its speaker may be withdrawn with it).
    if (event) return whileVisibleNow(article, ctx, async () => event.quotes ?? ctx.loaders.quotesOfArticle.load(article.pk));
    if (isPreview(article)) return quotesOfPreview(article, ctx);
    return pageListOf(article, "quotes") ?? ctx.loaders.quotesOfArticle.load(article.pk);
  }

  @FieldResolver(() => CommentConnection, { description: "Approved comments for everyone; moderators also see the rest." })
  comments(@Root() article: Article, @Args(() => PageArgsInput) args: PageArgsInput, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    const page = ctx.loaders.pages.load("article.comments", article.pk, pageArgs(args, info), (pks, p) => ctx.services.comments.pagesByArticle(ctx, pks, p));
    return toConnection(CommentConnection, page, ctx.loaders.comment);
  }

  @FieldResolver(() => Int, { description: "Number of approved comments." })
  commentCount(@Root() article: Article, @Ctx() ctx: Context): Promise<number> {
    return ctx.loaders.approvedCountOfArticle.load(article.pk);
  }

  @Authorized(Role.EDITOR)
  @Mutation(() => Article)
  createArticle(@Arg("input", () => CreateArticleInput) input: CreateArticleInput, @Ctx() ctx: Context): Promise<Article> {
    return ctx.services.articles.create(ctx, input);
  }

  @Authorized(Role.EDITOR)
  @Mutation(() => Article)
  updateArticle(@Arg("id", () => ID) id: string, @Arg("input", () => UpdateArticleInput) input: UpdateArticleInput, @Ctx() ctx: Context): Promise<Article> {
    return ctx.services.articles.update(ctx, id, input);
  }

  @Authorized(Role.EDITOR)
  @Mutation(() => Article, { description: "Publishes now, or schedules when `at` is in the future." })
  publishArticle(@Arg("id", () => ID) id: string, @Arg("at", () => Date, { nullable: true }) at: Date | null, @Ctx() ctx: Context): Promise<Article> {
    return ctx.services.articles.publish(ctx, id, at);
  }

  @Authorized(Role.EDITOR)
  @Mutation(() => Article, { description: "Back to DRAFT; live subscribers get an UNPUBLISHED event." })
  unpublishArticle(@Arg("id", () => ID) id: string, @Ctx() ctx: Context): Promise<Article> {
    return ctx.services.articles.unpublish(ctx, id);
  }

  @Authorized(Role.EDITOR)
  @Mutation(() => ID)
  deleteArticle(@Arg("id", () => ID) id: string, @Ctx() ctx: Context): Promise<string> {
    return ctx.services.articles.delete(ctx, id);
  }
}
