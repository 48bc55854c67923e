import type { GraphQLResolveInfo } from "graphql";
import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Info, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import { PageArgsInput, pageArgs } from "../args";
import { toConnection } from "../page-loader";
import type { Context } from "../context";
import { Article } from "../../entities/article.entity";
import { ArticleImage } from "../../entities/image.entity";
import { ArticleRevision } from "../../entities/revision.entity";
import type { CheckedImage } from "../../services/article.images";
import { readSnapshot } from "../../services/revisions";
import type { StorySnapshot } from "../../services/revisions";
import { Role } from "../../kernel/viewer";
import { ArticleRevisionConnection, ArticleRevisionDiffView } from "./revision.types";

/** The fields a revision kept: read with it by a diff, else loaded when asked for. */
function snapshotOf(revision: ArticleRevision, ctx: Context): StorySnapshot | Promise<StorySnapshot> {
  return revision.snapshot === undefined ? ctx.loaders.revisionSnapshot.load(revision.pk) : readSnapshot(revision);
}

/** An image a revision kept, as the `Image` type answers it. */
function imageOf(image: CheckedImage, revision: ArticleRevision, lead: boolean, position: number): ArticleImage {
  return Object.assign(new ArticleImage(), { ...image, articleId: revision.articleId, lead, position });
}

@Resolver(() => ArticleRevision)
export class ArticleRevisionResolver {
  @FieldResolver(() => String)
  async title(@Root() revision: ArticleRevision, @Ctx() ctx: Context): Promise<string> {
    return (await snapshotOf(revision, ctx)).title;
  }

  @FieldResolver(() => String, { nullable: true })
  async summary(@Root() revision: ArticleRevision, @Ctx() ctx: Context): Promise<string | null> {
    return (await snapshotOf(revision, ctx)).summary;
  }

  @FieldResolver(() => String)
  async body(@Root() revision: ArticleRevision, @Ctx() ctx: Context): Promise<string> {
    return (await snapshotOf(revision, ctx)).body;
  }

  @FieldResolver(() => [String], { description: "The story's tags by name, in its order." })
  async tags(@Root() revision: ArticleRevision, @Ctx() ctx: Context): Promise<string[]> {
    return (await snapshotOf(revision, ctx)).tags;
  }

  @FieldResolver(() => ArticleImage, { nullable: true, description: "The lead image; null when there was none, or the revision was written before images were kept." })
  async leadImage(@Root() revision: ArticleRevision, @Ctx() ctx: Context): Promise<ArticleImage | null> {
    const lead = (await snapshotOf(revision, ctx)).images?.lead;
    return lead ? imageOf(lead, revision, true, 0) : null;
  }

  @FieldResolver(() => [ArticleImage], { nullable: true, description: "The further images in order; null for a revision written before images were kept." })
  async images(@Root() revision: ArticleRevision, @Ctx() ctx: Context): Promise<ArticleImage[] | null> {
    const images = (await snapshotOf(revision, ctx)).images;
    return images === null ? null : images.others.map((image, position) => imageOf(image, revision, false, position));
  }
}

/** A story's revisions, their diffs and restoring one: editors and admins only. */
@Resolver(() => Article)
export class ArticleRevisionsResolver {
  @Authorized(Role.EDITOR)
  @FieldResolver(() => ArticleRevisionConnection, { nullable: true, description: "Editors only: every change to the title, summary, body, tags or images, newest first." })
  revisions(@Root() article: Article, @Args(() => PageArgsInput) args: PageArgsInput, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    const page = ctx.loaders.pages.load("article.revisions", article.pk, pageArgs(args, info), (pks, p) => ctx.services.revisions.pagesByArticle(ctx, pks, p));
    return toConnection(ArticleRevisionConnection, page, ctx.loaders.revision);
  }

  @Authorized(Role.EDITOR)
  @Query(() => ArticleRevisionDiffView, { description: "Editors only: how revision `to` of a story differs from its revision `from` (by their numbers)." })
  articleRevisionDiff(@Arg("article", () => ID) article: string, @Arg("from", () => Int) from: number, @Arg("to", () => Int) to: number, @Ctx() ctx: Context): Promise<ArticleRevisionDiffView> {
    return ctx.services.revisions.diff(ctx, article, from, to);
  }

  @Authorized(Role.EDITOR)
  @Mutation(() => Article, { description: "Brings the story's title, summary, body, tags and images back to a revision, as a new revision; a published story's feeds get UPDATED." })
  restoreArticleRevision(@Arg("revision", () => ID) revision: string, @Ctx() ctx: Context): Promise<Article> {
    return ctx.services.articles.restore(ctx, revision);
  }
}
