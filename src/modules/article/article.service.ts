import { In } from "typeorm";
import type { SelectQueryBuilder } from "typeorm";
import type { Viewer } from "../../auth/viewer";
import { canSeeDrafts } from "../../auth/viewer";
import { BadUserInputError } from "../../common/errors";
import { pkOf } from "../../common/ids";
import { fetchPage, fetchPartitionedPages } from "../../common/pagination";
import type { Ordering, Page, PageArgs } from "../../common/pagination";
import type { Database } from "../../db/database";
import { alignByPk, groupBy, timeParam } from "../../db/sql";
import { Article, ArticleInstitution, ArticlePerson, ArticleStatus, ArticleTag } from "./article.entity";
import { ArticleOrder } from "./article.inputs";
import type { ArticleFilter } from "./article.inputs";

const NEWEST: Ordering = { name: "a:published-desc", keys: [{ sql: "a.published_at", dir: "DESC" }, { sql: "a.id", dir: "DESC" }] };
const OLDEST: Ordering = { name: "a:published-asc", keys: [{ sql: "a.published_at", dir: "ASC" }, { sql: "a.id", dir: "ASC" }] };
const UPDATED: Ordering = { name: "a:updated-desc", keys: [{ sql: "a.updated_at", dir: "DESC" }, { sql: "a.id", dir: "DESC" }] };
// Drafts have no publication time: editors' lists order them by their last change instead.
const NEWEST_ANY: Ordering = { name: "a:newest-any", keys: [{ sql: "COALESCE(a.published_at, a.updated_at)", dir: "DESC" }, { sql: "a.id", dir: "DESC" }] };
const OLDEST_ANY: Ordering = { name: "a:oldest-any", keys: [{ sql: "COALESCE(a.published_at, a.updated_at)", dir: "ASC" }, { sql: "a.id", dir: "ASC" }] };
// bm25 is smaller for better matches; weights favour the title, then the summary.
const RELEVANCE: Ordering = { name: "a:relevance", keys: [{ sql: "bm25(article_search, 10.0, 4.0, 1.0)", dir: "ASC" }, { sql: "a.id", dir: "DESC" }] };

/** Turns what a reader typed into an FTS5 query: every word must match, each as a prefix. */
export function toFtsQuery(search: string): string {
  const words = search.match(/[\p{L}\p{N}]+/gu) ?? [];
  if (words.length === 0) throw new BadUserInputError(`search '${search}' has no words to look for.`, "filter.search");
  return words
    .slice(0, 20)
    .map((w) => `"${w.slice(0, 100)}"*`)
    .join(" ");
}

/**
 * Reads stories. Visibility is decided here, once: anonymous readers (and moderators) only ever
 * see PUBLISHED stories; editors and admins see drafts and scheduled ones too.
 */
export class ArticleService {
  constructor(private readonly db: Database) {}

  private query(viewer: Viewer | null, status?: ArticleStatus | null): SelectQueryBuilder<Article> {
    const qb = this.db.reader.getRepository(Article).createQueryBuilder("a");
    if (!canSeeDrafts(viewer)) {
      // A reader asking for drafts gets none rather than an error: the list simply has no such stories.
      qb.where("a.status = :published", { published: status && status !== ArticleStatus.PUBLISHED ? "__none__" : ArticleStatus.PUBLISHED });
    } else if (status) {
      qb.where("a.status = :status", { status });
    }
    return qb;
  }

  private visible(viewer: Viewer | null, article: Article | null): Article | null {
    if (article === null) return null;
    return article.status === ArticleStatus.PUBLISHED || canSeeDrafts(viewer) ? article : null;
  }

  /** Rows by primary key in the order asked, visibility not applied (for loaders of already-filtered keys). */
  async byPks(pks: readonly number[]): Promise<Array<Article | null>> {
    const rows = await this.db.reader.getRepository(Article).findBy({ pk: In([...pks]) });
    return alignByPk(pks, rows);
  }

  /** The story with this key if the viewer may see it, else null. */
  async visibleByPk(viewer: Viewer | null, pk: number, load: (pk: number) => Promise<Article | null>): Promise<Article | null> {
    return this.visible(viewer, await load(pk));
  }

  /** One story by id or slug, or null when it does not exist or the viewer may not see it. */
  async findOne(viewer: Viewer | null, args: { id?: string | null; slug?: string | null }, load: (pk: number) => Promise<Article | null>): Promise<Article | null> {
    if (args.id) return this.visibleByPk(viewer, pkOf(args.id, "Article"), load);
    if (args.slug) {
      const found = await this.db.reader.getRepository(Article).findOneBy({ slug: args.slug });
      return this.visible(viewer, found);
    }
    throw new BadUserInputError("Give the article's id or slug.", "id");
  }

  /** A page of the story list, filtered and ordered as asked. */
  async list(viewer: Viewer | null, filter: ArticleFilter | null | undefined, orderBy: ArticleOrder, page: PageArgs): Promise<Page> {
    const qb = this.query(viewer, filter?.status);
    const drafts = canSeeDrafts(viewer) && filter?.status !== ArticleStatus.PUBLISHED;
    let ordering = orderBy === ArticleOrder.PUBLISHED_AT_ASC ? (drafts ? OLDEST_ANY : OLDEST) : orderBy === ArticleOrder.UPDATED_AT_DESC ? UPDATED : drafts ? NEWEST_ANY : NEWEST;
    if (filter?.institutionId) {
      qb.andWhere("EXISTS (SELECT 1 FROM article_institution fi WHERE fi.article_id = a.id AND fi.institution_id = :fInst)", {
        fInst: pkOf(filter.institutionId, "Institution", "filter.institutionId"),
      });
    }
    if (filter?.personId) {
      qb.andWhere("EXISTS (SELECT 1 FROM article_person fp WHERE fp.article_id = a.id AND fp.person_id = :fPerson)", {
        fPerson: pkOf(filter.personId, "Person", "filter.personId"),
      });
    }
    if (filter?.tag) {
      qb.andWhere("EXISTS (SELECT 1 FROM article_tag ft JOIN tag t ON t.id = ft.tag_id WHERE ft.article_id = a.id AND t.slug = :fTag)", { fTag: filter.tag });
    }
    if (filter?.publishedAfter) qb.andWhere("a.published_at >= :fAfter", { fAfter: timeParam(this.db, filter.publishedAfter) });
    if (filter?.publishedBefore) qb.andWhere("a.published_at < :fBefore", { fBefore: timeParam(this.db, filter.publishedBefore) });
    if (filter?.search != null) {
      const match = toFtsQuery(filter.search);
      if (orderBy === ArticleOrder.RELEVANCE) {
        qb.innerJoin("article_search", "article_search", "article_search.rowid = a.id").andWhere("article_search MATCH :fSearch", { fSearch: match });
        ordering = RELEVANCE;
      } else {
        qb.andWhere("a.id IN (SELECT rowid FROM article_search WHERE article_search MATCH :fSearch)", { fSearch: match });
      }
    }
    return fetchPage({ qb, pkSql: "a.id", ordering }, page);
  }

  /** Newest published (or, for editors, any) stories mentioning each institution. */
  pagesByInstitution(viewer: Viewer | null, institutionPks: readonly number[], page: PageArgs): Promise<Map<number, Page>> {
    const qb = this.query(viewer).innerJoin(ArticleInstitution, "ai", "ai.article_id = a.id");
    return fetchPartitionedPages({ qb, pkSql: "a.id", ordering: canSeeDrafts(viewer) ? NEWEST_ANY : NEWEST, partitionSql: "ai.institution_id" }, institutionPks, page);
  }

  /** Newest stories mentioning each person. */
  pagesByPerson(viewer: Viewer | null, personPks: readonly number[], page: PageArgs): Promise<Map<number, Page>> {
    const qb = this.query(viewer).innerJoin(ArticlePerson, "ap", "ap.article_id = a.id");
    return fetchPartitionedPages({ qb, pkSql: "a.id", ordering: canSeeDrafts(viewer) ? NEWEST_ANY : NEWEST, partitionSql: "ap.person_id" }, personPks, page);
  }

  /** Newest stories with each tag. */
  pagesByTag(viewer: Viewer | null, tagPks: readonly number[], page: PageArgs): Promise<Map<number, Page>> {
    const qb = this.query(viewer).innerJoin(ArticleTag, "at", "at.article_id = a.id");
    return fetchPartitionedPages({ qb, pkSql: "a.id", ordering: canSeeDrafts(viewer) ? NEWEST_ANY : NEWEST, partitionSql: "at.tag_id" }, tagPks, page);
  }

  /** Institution keys of each story, in the story's order. */
  async institutionPks(articlePks: readonly number[]): Promise<number[][]> {
    const rows = await this.db.reader.getRepository(ArticleInstitution).find({ where: { articleId: In([...articlePks]) }, order: { position: "ASC", institutionId: "ASC" } });
    const groups = groupBy(rows, (r) => r.articleId);
    return articlePks.map((pk) => (groups.get(pk) ?? []).map((r) => r.institutionId));
  }

  /** Person keys of each story, in the story's order. */
  async personPks(articlePks: readonly number[]): Promise<number[][]> {
    const rows = await this.db.reader.getRepository(ArticlePerson).find({ where: { articleId: In([...articlePks]) }, order: { position: "ASC", personId: "ASC" } });
    const groups = groupBy(rows, (r) => r.articleId);
    return articlePks.map((pk) => (groups.get(pk) ?? []).map((r) => r.personId));
  }

  /** Tag keys of each story, in the story's order. */
  async tagPks(articlePks: readonly number[]): Promise<number[][]> {
    const rows = await this.db.reader.getRepository(ArticleTag).find({ where: { articleId: In([...articlePks]) }, order: { position: "ASC", tagId: "ASC" } });
    const groups = groupBy(rows, (r) => r.articleId);
    return articlePks.map((pk) => (groups.get(pk) ?? []).map((r) => r.tagId));
  }
}
