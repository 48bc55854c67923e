import type { EntityManager } from "typeorm";
import { setStoryState, shownTo } from "./facts";
import type { DirectContext } from "./facts";
import { changedFields, priorState, readSnapshot, recordRevision } from "./revisions";
import { ArticleRevision, RevisionKind } from "../entities/revision.entity";
import type { Viewer } from "../kernel/viewer";
import type { CountingContext, RequestContext } from "../kernel/request-context";
import { canSeeDrafts } from "../kernel/viewer";
import { BadUserInputError, ForbiddenError, NotFoundError } from "../kernel/errors";
import { slugify } from "../kernel/slug";
import { idList, optionalText, requiredText, slugInput } from "../kernel/validate";
import { getOrThrow, pksOrThrow } from "../db/lookups";
import { claimSlug, deriveSlug, locateByIdOrSlug, recordRename } from "./slugs";
import type { Located } from "./slugs";
import { recordArticleEvent } from "../events/outbox";
import { snapshotArticle } from "./outbox.writer";
import { changingStory } from "./story-tags";
import { Institution } from "../entities/institution.entity";
import { Person } from "../entities/person.entity";
import { Tag } from "../entities/tag.entity";
import { ArticleAuthor, Author } from "../entities/author.entity";
import { ArticleImage } from "../entities/image.entity";
import { checkImage, checkImages } from "./article.images";
import type { CheckedImage } from "./article.images";
import { Quote } from "../entities/quote.entity";
import { pkOf, toGlobalId } from "../kernel/ids";
import { fetchPage, fetchPartitionedPages } from "../db/pagination";
import type { ListSpec, Page } from "../db/pagination";
import type { Ordering, PageArgs } from "../kernel/page-args";
import { attributeWrites } from "../db/database";
import type { Database } from "../db/database";
import { keyListCondition, keyListParam, readRows, RowReader, rowsOfArrays } from "../db/rows";
import { ReadBatch } from "../db/read-batch";
import { Select } from "../db/select";
import { matchStories, searchWords } from "../db/search";
import { alignByPk, groupBy, timeParam } from "../db/sql";
import { Article, ArticleInstitution, ArticlePerson, ArticleStatus, ArticleTag } from "../entities/article.entity";
import { ArticleOrder } from "./article.inputs";
import type { ArticleFilter, CreateArticleInput, UpdateArticleInput } from "./article.inputs";

const NEWEST: Ordering = { name: "a:published-desc", keys: [{ sql: "a.published_at", dir: "DESC", type: "time" }, { sql: "a.id", dir: "DESC", type: "int" }] };
const OLDEST: Ordering = { name: "a:published-asc", keys: [{ sql: "a.published_at", dir: "ASC", type: "time" }, { sql: "a.id", dir: "ASC", type: "int" }] };
const UPDATED: Ordering = { name: "a:updated-desc", keys: [{ sql: "a.updated_at", dir: "DESC", type: "time" }, { sql: "a.id", dir: "DESC", type: "int" }] };
// Drafts have no publication time: editors' lists order them by their last change instead.
const NEWEST_ANY: Ordering = { name: "a:newest-any", keys: [{ sql: "COALESCE(a.published_at, a.updated_at)", dir: "DESC", type: "time" }, { sql: "a.id", dir: "DESC", type: "int" }] };
const OLDEST_ANY: Ordering = { name: "a:oldest-any", keys: [{ sql: "COALESCE(a.published_at, a.updated_at)", dir: "ASC", type: "time" }, { sql: "a.id", dir: "ASC", type: "int" }] };
const INSTITUTIONS_JSON: ReadonlySet<string> = new Set(["_institutions"]);

/**
 * Reads stories. Visibility is decided here, once: anonymous readers (and moderators) only ever
 * see PUBLISHED stories; editors and admins see drafts and scheduled ones too.
 */
export class ArticleService {
  /** Lists never show a story's body; it is read only for the stories whose body is asked for. */
  private readonly listRows: RowReader<Article>;
  private readonly fullRows: RowReader<Article>;
  private readonly institutionRows: RowReader<Institution>;
  private readonly personRows: RowReader<Person>;
  private readonly tagRows: RowReader<Tag>;
  private readonly authorRows: RowReader<Author>;
  private readonly imageRows: RowReader<ArticleImage>;

  constructor(private readonly db: Database) {
    this.listRows = new RowReader(db, Article, ["body"]);
    this.fullRows = new RowReader(db, Article);
    this.institutionRows = new RowReader(db, Institution);
    this.personRows = new RowReader(db, Person);
    this.tagRows = new RowReader(db, Tag);
    this.authorRows = new RowReader(db, Author);
    this.imageRows = new RowReader(db, ArticleImage);
    this.listEntity = { columns: this.listRows.columnsOf("a"), names: this.listRows.namesOf(), hydrate: (row) => this.listRows.hydrate(row, "_e_") };
    this.institutionsItem = this.institutionsOfStorySql("a");
  }

  /** Each listed story's institutions, as {@link institutionsOf} reads them, as one JSON array per story (null where a column cannot travel as JSON). */
  private readonly institutionsItem: string | null;

  private institutionsOfStorySql(alias: string): string | null {
    const names = this.institutionRows.namesOf("");
    if (!names) return null;
    // Ordered inside the aggregate on both (SQLite since 3.44): an ordered subquery's order is kept only in practice.
    const aggregate = this.db.isPostgres ? "json_agg(json_build_array" : "json_group_array(json_array";
    return `(SELECT ${aggregate}(${this.institutionRows.valuesOf("t")}) ORDER BY l."position", l."institution_id") FROM "article_institution" l INNER JOIN "institution" t ON t."id" = l."institution_id" WHERE l."article_id" = ${alias}."id")`;
  }

  /** Pages read their stories' columns in the same statement as their keys. */
  private readonly listEntity: NonNullable<ListSpec["entity"]>;

  private query(viewer: Viewer | null, status?: ArticleStatus | null): Select {
    const qb = new Select(this.db, "article", "a");
    if (!canSeeDrafts(viewer)) {
      // A reader asking for drafts gets none rather than an error: the list simply has no such stories.
      qb.where("a.status = :published", { published: status && status !== ArticleStatus.PUBLISHED ? "__none__" : ArticleStatus.PUBLISHED });
    } else if (status) {
      qb.where("a.status = :status", { status });
    }
    return qb;
  }

  /** The story if the viewer may see it, else null. */
  visible(ctx: Pick<RequestContext, "viewer">, article: Article | null): Article | null {
    if (article === null) return null;
    return article.status === ArticleStatus.PUBLISHED || canSeeDrafts(ctx.viewer) ? article : null;
  }

  /** Rows by primary key in the order asked, visibility not applied (for loaders of already-filtered keys). */
  async byPks(ctx: RequestContext, pks: readonly number[]): Promise<Array<Article | null>> {
    return alignByPk(pks, await this.listRows.byKeys(this.db, ctx.tally, "id", pks));
  }

  /**
   * The story (`story`, read by key `pk`) a quote or comment (`item`, e.g. "Comment 'Q29tbWVudDox'")
   * belongs to, for fields that must answer one: FORBIDDEN when the viewer may not read it (a
   * moderator and a draft), never the draft itself.
   */
  ofItem(ctx: Pick<RequestContext, "viewer">, pk: number, story: Article | null, item: string): Article {
    if (story === null) throw new NotFoundError(`${item} belongs to story '${toGlobalId("Article", pk)}', which no longer exists.`);
    if (this.visible(ctx, story) === null) {
      throw new ForbiddenError(`${item} belongs to story '${toGlobalId("Article", pk)}', which is not published; only editors and admins read drafts and scheduled stories.`);
    }
    return story;
  }

  /**
   * Where `article(id:, slug:)` leads: the key to read the story by, or the story its slug found
   * (see {@link Located}); the caller applies {@link visible} to what it reads.
   */
  locate(ctx: RequestContext, args: { id?: string | null; slug?: string | null }): Promise<Located<Article>> {
    return locateByIdOrSlug(this.db, ctx.tally, "article", args, (id) => pkOf(id, "Article"), this.fullRows);
  }

  /**
   * A story by its current slug with, in the same statement, its institutions (as
   * {@link institutionsOf} gives them) when asked and the select items `extras` (such as
   * QuoteService.ofStorySql, on alias `a`), each read back raw: an article page's reads in one
   * round trip instead of three (on PostgreSQL each costs the server a socket write and a wake-up;
   * on SQLite a hop to node-sqlite3's thread and back, and the rows parsed once as one JSON text,
   * the largest items of their profiles). Undefined where this cannot serve (a column JSON cannot
   * carry; SQLite with SQLITE_JSON_ROWS=false): the caller reads as usual. Null when no story has
   * the slug now (a former slug is the usual path's).
   */
  async bySlugWith(ctx: RequestContext, slug: string, institutions: boolean, extras: readonly string[]): Promise<{ story: Article; institutions: Institution[] | null; extras: unknown[] } | null | undefined> {
    const names = this.institutionRows.namesOf();
    if (!names || slug.includes("\u0000")) return undefined;
    const row = this.db.isPostgres ? await this.pageRowPostgres(ctx, slug, institutions, extras) : await this.pageRowSqlite(ctx, slug, institutions, extras);
    if (row === undefined) return undefined;
    if (row === null) return null;
    return {
      story: this.fullRows.hydrate(row, "_e_"),
      institutions: institutions ? rowsOfArrays(row._institutions, names).map((r) => this.institutionRows.hydrate(r, "_e_")).filter((i) => shownTo(ctx.viewer, i)) : null,
      extras: extras.map((_, i) => row[`_extra${i}`]),
    };
  }

  /** {@link bySlugWith}'s row on PostgreSQL: the story's columns beside `_institutions` and `_extra<i>`, which node-postgres has parsed. */
  private async pageRowPostgres(ctx: RequestContext, slug: string, institutions: boolean, extras: readonly string[]): Promise<Record<string, unknown> | null> {
    const items = [this.fullRows.columnsOf("a")];
    if (institutions) items.push(`${this.institutionsOfStorySql("a")} AS _institutions`);
    extras.forEach((sql, i) => items.push(`${sql} AS _extra${i}`));
    const [row] = await this.db.readPrepared(`SELECT ${items.join(", ")} FROM "article" a WHERE a."slug" = $1`, [slug], ctx.tally);
    return row ?? null;
  }

  /** The article pages being read on SQLite, by statement (one per selection of lists): see {@link pageRowSqlite}. */
  private readonly pageBatches = new Map<string, ReadBatch<string, unknown[]>>();

  /**
   * {@link bySlugWith}'s row on SQLite, in the same shape: the whole row is one JSON array built by
   * SQLite (the story's values, then the institutions and the extras as nested arrays), so
   * node-sqlite3 hands over one cell and one JSON.parse builds everything (as {@link readRows}
   * does for lists). The pages asked for while one such statement runs are read together in the
   * next (see {@link ReadBatch}); what is read does not depend on the viewer, who is applied to it
   * afterwards. Undefined when SQLITE_JSON_ROWS is off or the story has a column JSON cannot carry.
   */
  private async pageRowSqlite(ctx: RequestContext, slug: string, institutions: boolean, extras: readonly string[]): Promise<Record<string, unknown> | null | undefined> {
    const storyNames = this.fullRows.namesOf();
    if (!this.db.rowsAsJson || !storyNames) return undefined;
    const items = ["a.\"slug\"", this.fullRows.valuesOf("a"), institutions ? this.institutionsOfStorySql("a") : "NULL", ...extras];
    const sql = `SELECT json_group_array(json_array(${items.join(", ")})) AS _pages FROM "article" a WHERE ${keyListCondition(this.db, `a."slug"`)}`;
    let batch = this.pageBatches.get(sql);
    if (!batch) {
      batch = new ReadBatch(async (slugs) => {
        const [read] = await this.db.readPrepared(sql, [keyListParam(this.db, slugs)]);
        const pages = new Map<string, unknown[]>();
        for (const page of JSON.parse(String(read?._pages ?? "[]")) as unknown[][]) pages.set(String(page[0]), page);
        return pages;
      });
      this.pageBatches.set(sql, batch);
    }
    const values = await batch.load(slug);
    // The shared statement counts as one of each request that it served.
    if (ctx.tally) ctx.tally.statements++;
    if (values === undefined) return null;
    const row: Record<string, unknown> = {};
    for (let i = 0; i < storyNames.length; i++) row[storyNames[i]!] = values[i + 1];
    row._institutions = values[storyNames.length + 1];
    extras.forEach((_, i) => (row[`_extra${i}`] = values[storyNames.length + 2 + i]));
    return row;
  }

  /**
   * A page of the story list, filtered and ordered as asked. With `institutions`, each shown
   * story's institutions (as {@link institutionsOf} gives them to this viewer) are read in the
   * page's statement and handed to it with the story: a front page in one round trip, not two.
   */
  async list(ctx: RequestContext, filter: ArticleFilter | null | undefined, orderBy: ArticleOrder, page: PageArgs, institutions?: (story: Article, list: Institution[]) => void): Promise<Page> {
    const { viewer } = ctx;
    const qb = this.query(viewer, filter?.status);
    const drafts = canSeeDrafts(viewer) && filter?.status !== ArticleStatus.PUBLISHED;
    let ordering = orderBy === ArticleOrder.PUBLISHED_AT_ASC ? (drafts ? OLDEST_ANY : OLDEST) : orderBy === ArticleOrder.UPDATED_AT_DESC ? UPDATED : drafts ? NEWEST_ANY : NEWEST;
    if (filter?.institutionId) {
      qb.where("EXISTS (SELECT 1 FROM article_institution fi WHERE fi.article_id = a.id AND fi.institution_id = :fInst)", {
        fInst: pkOf(filter.institutionId, "Institution", "filter.institutionId"),
      });
    }
    if (filter?.personId) {
      qb.where("EXISTS (SELECT 1 FROM article_person fp WHERE fp.article_id = a.id AND fp.person_id = :fPerson)", {
        fPerson: pkOf(filter.personId, "Person", "filter.personId"),
      });
    }
    if (filter?.authorId) {
      qb.where("EXISTS (SELECT 1 FROM article_author fa WHERE fa.article_id = a.id AND fa.author_id = :fAuthor)", {
        fAuthor: pkOf(filter.authorId, "Author", "filter.authorId"),
      });
    }
    if (filter?.tag) {
      qb.where("EXISTS (SELECT 1 FROM article_tag ft JOIN tag t ON t.id = ft.tag_id WHERE ft.article_id = a.id AND t.slug = :fTag)", { fTag: filter.tag });
    }
    if (filter?.publishedAfter) qb.where("a.published_at >= :fAfter", { fAfter: timeParam(this.db, filter.publishedAfter) });
    if (filter?.publishedBefore) qb.where("a.published_at < :fBefore", { fBefore: timeParam(this.db, filter.publishedBefore) });
    if (filter?.search != null) {
      const byRank = matchStories(qb, searchWords(filter.search), orderBy === ArticleOrder.RELEVANCE);
      if (byRank) ordering = byRank;
    }
    return fetchPage({ select: qb, pkSql: "a.id", ordering, entity: institutions ? this.listEntityWithInstitutions(ctx, institutions) : this.listEntity }, page, ctx.tally);
  }

  private listEntityWithInstitutions(ctx: RequestContext, take: (story: Article, list: Institution[]) => void): NonNullable<ListSpec["entity"]> {
    const { listEntity, institutionsItem } = this;
    const names = this.institutionRows.namesOf();
    // SQLite only: there a statement costs a hop to node-sqlite3's thread and back, the larger item.
    // PostgreSQL spends more of its own CPU on a subquery per story (0.365 ms a front page) than on
    // the page and its links read apart (0.22 ms; docs/performance.md, On PostgreSQL).
    if (institutionsItem === null || !names || this.db.isPostgres) return listEntity;
    return {
      columns: `${listEntity.columns}, ${institutionsItem} AS _institutions`,
      names: listEntity.names ? [...listEntity.names, "_institutions"] : null,
      json: INSTITUTIONS_JSON,
      hydrate: (row) => {
        const story = listEntity.hydrate(row) as Article;
        // Text where the rows came cell by cell from SQLite; null where PostgreSQL aggregated none.
        const raw = typeof row._institutions === "string" ? (JSON.parse(row._institutions) as unknown) : row._institutions;
        take(story, rowsOfArrays(raw, names).map((r) => this.institutionRows.hydrate(r, "_e_")).filter((i) => shownTo(ctx.viewer, i)));
        return story;
      },
    };
  }

  /** Newest published (or, for editors, any) stories mentioning each institution. */
  pagesByInstitution(ctx: RequestContext, institutionPks: readonly number[], page: PageArgs): Promise<Map<number, Page>> {
    const qb = this.query(ctx.viewer).innerJoin("article_institution", "ai", "ai.article_id = a.id");
    return fetchPartitionedPages({ select: qb, pkSql: "a.id", ordering: canSeeDrafts(ctx.viewer) ? NEWEST_ANY : NEWEST, partitionSql: "ai.institution_id", entity: this.listEntity }, institutionPks, page, ctx.tally);
  }

  /** Newest stories mentioning each person. */
  pagesByPerson(ctx: RequestContext, personPks: readonly number[], page: PageArgs): Promise<Map<number, Page>> {
    const qb = this.query(ctx.viewer).innerJoin("article_person", "ap", "ap.article_id = a.id");
    return fetchPartitionedPages({ select: qb, pkSql: "a.id", ordering: canSeeDrafts(ctx.viewer) ? NEWEST_ANY : NEWEST, partitionSql: "ap.person_id", entity: this.listEntity }, personPks, page, ctx.tally);
  }

  /** Newest stories with each tag. */
  pagesByTag(ctx: RequestContext, tagPks: readonly number[], page: PageArgs): Promise<Map<number, Page>> {
    const qb = this.query(ctx.viewer).innerJoin("article_tag", "at", "at.article_id = a.id");
    return fetchPartitionedPages({ select: qb, pkSql: "a.id", ordering: canSeeDrafts(ctx.viewer) ? NEWEST_ANY : NEWEST, partitionSql: "at.tag_id", entity: this.listEntity }, tagPks, page, ctx.tally);
  }

  /** Newest stories by each author. */
  pagesByAuthor(ctx: RequestContext, authorPks: readonly number[], page: PageArgs): Promise<Map<number, Page>> {
    const qb = this.query(ctx.viewer).innerJoin("article_author", "aa", "aa.article_id = a.id");
    return fetchPartitionedPages({ select: qb, pkSql: "a.id", ordering: canSeeDrafts(ctx.viewer) ? NEWEST_ANY : NEWEST, partitionSql: "aa.author_id", entity: this.listEntity }, authorPks, page, ctx.tally);
  }

  /** How many stories readers can see: what a sitemap index divides into pages. */
  async publishedCount(ctx: RequestContext): Promise<number> {
    const { sql, values } = this.query(null).compile("COUNT(*) AS n");
    const [row] = await this.db.readPrepared(sql, values, ctx.tally);
    return Number(row?.n ?? 0);
  }

  /**
   * Published stories (without bodies) oldest first from `offset`: a sitemap page. Oldest first,
   * so a page keeps its stories as new ones are published at the end.
   */
  async publishedInOrder(ctx: RequestContext, offset: number, limit: number): Promise<Article[]> {
    const { sql, values } = this.query(null).compile(this.listRows.columnsOf("a"), ` ORDER BY a.published_at ASC, a.id ASC LIMIT ${Math.trunc(limit)} OFFSET ${Math.trunc(offset)}`);
    return (await this.db.readPrepared(sql, values, ctx.tally)).map((row) => this.listRows.hydrate(row, "_e_"));
  }

  /** The bodies of stories read without one (lists leave bodies out). */
  async bodies(ctx: RequestContext, pks: readonly number[]): Promise<string[]> {
    const rows = await this.db.readPrepared(`SELECT "id", "body" FROM "article" WHERE ${keyListCondition(this.db, `"id"`)}`, [keyListParam(this.db, pks)], ctx.tally);
    const byPk = new Map(rows.map((r) => [Number(r.id), String(r.body)]));
    return pks.map((pk) => byPk.get(pk) ?? "");
  }

  /**
   * The institutions, people or tags of each story, in the story's order, read with their link
   * rows in one statement.
   */
  private async linked<T extends object>(ctx: RequestContext, articlePks: readonly number[], link: string, target: string, reader: RowReader<T>): Promise<T[][]> {
    if (this.db.isPostgres && this.db.rowsAsJson && reader.namesOf()) return this.linkedOnce(ctx, articlePks, link, target, reader);
    const sql = `SELECT l."article_id" AS _owner, l."position" AS _position, ${reader.columnsOf("t")} FROM "${link}" l INNER JOIN "${target}" t ON t."id" = l."${target}_id" WHERE ${keyListCondition(this.db, `l."article_id"`)} ORDER BY l."position", l."${target}_id"`;
    const names = reader.namesOf();
    const params = [keyListParam(this.db, articlePks)];
    const rows = names ? await readRows(this.db, { sql, params, names: ["_owner", ...names], order: `_position, "_e_id"` }, ctx.tally) : await this.db.readPrepared(sql, params, ctx.tally);
    const groups = groupBy(rows, (r) => Number(r._owner));
    return articlePks.map((pk) => (groups.get(pk) ?? []).map((r) => reader.hydrate(r, "_e_")));
  }

  /**
   * {@link linked} on PostgreSQL with rows as JSON: the link pairs in order, and each linked row
   * once however many of the stories name it (a front page's 20 stories name about 40
   * institutions, about 25 of them different). Building JSON costs PostgreSQL about 0.2 µs a
   * value (PostgreSQL 15 looks up each value's type output on every call), and a linked row has
   * ten values against a pair's two (docs/performance.md, On PostgreSQL). Stories naming the
   * same row share its entity, as the request's loaders share one entity per key.
   */
  private async linkedOnce<T extends object>(ctx: RequestContext, articlePks: readonly number[], link: string, target: string, reader: RowReader<T>): Promise<T[][]> {
    const key = `"${target}_id"`;
    const sql =
      `WITH _l AS MATERIALIZED (SELECT l."article_id", l.${key}, l."position" FROM "${link}" l WHERE l."article_id" = ANY($1)) ` +
      `SELECT (SELECT json_agg(json_build_array("article_id", ${key}) ORDER BY "position", ${key}) FROM _l) AS _links, ` +
      `(SELECT json_agg(json_build_array(${reader.valuesOf("t")})) FROM "${target}" t WHERE t."id" IN (SELECT ${key} FROM _l)) AS _rows`;
    const [row] = await this.db.readPrepared(sql, [keyListParam(this.db, articlePks)], ctx.tally);
    const byId = new Map<number, T>();
    for (const r of rowsOfArrays(row?._rows, reader.namesOf()!)) byId.set(Number(r._e_id), reader.hydrate(r, "_e_"));
    const groups = new Map<number, T[]>();
    for (const [owner, id] of (row?._links ?? []) as Array<[number, number]>) {
      const entity = byId.get(id);
      if (entity === undefined) continue;
      const list = groups.get(owner);
      if (list) list.push(entity);
      else groups.set(owner, [entity]);
    }
    return articlePks.map((pk) => groups.get(pk) ?? []);
  }

  /** A story's institutions, as `ctx`'s viewer may see them (a record only proposed is an editor's). */
  async institutionsOf(ctx: RequestContext, articlePks: readonly number[]): Promise<Institution[][]> {
    return (await this.linked(ctx, articlePks, "article_institution", "institution", this.institutionRows)).map((list) => list.filter((i) => shownTo(ctx.viewer, i)));
  }

  async peopleOf(ctx: RequestContext, articlePks: readonly number[]): Promise<Person[][]> {
    return (await this.linked(ctx, articlePks, "article_person", "person", this.personRows)).map((list) => list.filter((p) => shownTo(ctx.viewer, p)));
  }

  tagsOf(ctx: RequestContext, articlePks: readonly number[]): Promise<Tag[][]> {
    return this.linked(ctx, articlePks, "article_tag", "tag", this.tagRows);
  }

  /**
   * Each story's byline, in order. No filter: whoever may read a story may read its byline (a
   * published story's authors are public by that alone; see AuthorService).
   */
  authorsOf(ctx: RequestContext, articlePks: readonly number[]): Promise<Author[][]> {
    return this.linked(ctx, articlePks, "article_author", "author", this.authorRows);
  }

  /** Each story's images in one statement: the lead image first (flagged `lead`), then the others in order. */
  async imagesOf(ctx: RequestContext, articlePks: readonly number[]): Promise<ArticleImage[][]> {
    const rows = await this.imageRows.byKeys(this.db, ctx.tally, "article_id", articlePks, `"article_id", "lead" DESC, "position", "id"`);
    const groups = groupBy(rows, (r) => r.articleId);
    return articlePks.map((pk) => groups.get(pk) ?? []);
  }

  /** A new DRAFT story with its tags, institutions, people, byline and images, and its first revision, all in one transaction. */
  async create(ctx: DirectContext, input: CreateArticleInput): Promise<Article> {
    const fields = checkStoryFields(input, true);
    const tagNames = checkTags(input.tags);
    const institutionIds = idList(input.institutionIds, "input.institutionIds");
    const personIds = idList(input.personIds, "input.personIds");
    const authorIds = idList(input.authorIds, "input.authorIds", 20);
    const images = checkStoryImages(input);
    const handSlug = input.slug == null ? null : slugInput(input.slug, "input.slug");
    return this.db.transaction((em) =>
      changingStory(em, null, async (created) => {
        const institutions = await pksOrThrow(em, Institution, "Institution", institutionIds, "input.institutionIds");
        const people = await pksOrThrow(em, Person, "Person", personIds, "input.personIds");
        const authors = await pksOrThrow(em, Author, "Author", authorIds, "input.authorIds");
        const slug = handSlug ? await claimSlug(em, "article", handSlug, "input.slug") : await deriveSlug(em, "article", fields.title!);
        const now = new Date();
        const article = await em.save(
          em.create(Article, {
            title: fields.title!,
            body: fields.body!,
            summary: fields.summary ?? null,
            dateline: fields.dateline ?? null,
            source: fields.source ?? null,
            slug,
            status: ArticleStatus.DRAFT,
            publishedAt: null,
            scheduledFor: null,
            createdAt: now,
            updatedAt: now,
          }),
        );
        created(article.pk);
        await this.replaceLinks(em, article.pk, { institutions, people, tags: await this.tagPksFor(em, tagNames), authors });
        await replaceImages(em, article.pk, images);
        await recordRevision(em, ctx, article, null, RevisionKind.CREATED);
        return article;
      }),
      ctx.tally,
    );
  }

  /**
   * Changes what `input` names and nothing else; a new slug leaves the old one resolving. A change
   * to the title, summary, body, tags or images is kept as a revision.
   */
  async update(ctx: DirectContext, id: string, input: UpdateArticleInput): Promise<Article> {
    const fields = checkStoryFields(input, false);
    const tagNames = input.tags == null ? null : checkTags(input.tags);
    const institutionIds = input.institutionIds == null ? null : idList(input.institutionIds, "input.institutionIds");
    const personIds = input.personIds == null ? null : idList(input.personIds, "input.personIds");
    const authorIds = input.authorIds == null ? null : idList(input.authorIds, "input.authorIds", 20);
    const images = checkStoryImages(input);
    const handSlug = input.slug == null ? null : slugInput(input.slug, "input.slug");
    return this.db.transaction(async (em) => {
      const article = await getOrThrow(em, Article, "Article", id, "id");
      return changingStory(em, article.pk, async () => {
        const institutions = institutionIds && (await pksOrThrow(em, Institution, "Institution", institutionIds, "input.institutionIds"));
        const people = personIds && (await pksOrThrow(em, Person, "Person", personIds, "input.personIds"));
        const authors = authorIds && (await pksOrThrow(em, Author, "Author", authorIds, "input.authorIds"));
        const before = await priorState(em, article);
        if (handSlug && handSlug !== article.slug) {
          await claimSlug(em, "article", handSlug, "input.slug", article.pk);
          await recordRename(em, "article", article.pk, article.slug, handSlug);
          article.slug = handSlug;
        }
        Object.assign(article, fields, { updatedAt: new Date() });
        await em.save(article);
        await this.replaceLinks(em, article.pk, { institutions, people, tags: tagNames && (await this.tagPksFor(em, tagNames)), authors });
        await replaceImages(em, article.pk, images);
        await recordRevision(em, ctx, article, before, RevisionKind.UPDATED);
        if (article.status === ArticleStatus.PUBLISHED) await recordArticleEvent(em, "UPDATED", await snapshotArticle(em, article));
        return article;
      });
    }, ctx.tally);
  }

  /**
   * Brings a story's title, summary, body, tags and images back to what `revisionId` kept, as a
   * new RESTORED revision; a published story's feeds get an UPDATED event. Restoring what the
   * story already says changes nothing and records nothing. A revision written before images were
   * kept leaves the images as they are.
   */
  async restore(ctx: DirectContext, revisionId: string, now = new Date()): Promise<Article> {
    return this.db.transaction(async (em) => {
      const revision = await getOrThrow(em, ArticleRevision, "ArticleRevision", revisionId, "revision");
      const article = await em.findOneByOrFail(Article, { pk: revision.articleId });
      return changingStory(em, article.pk, async () => {
        const before = await priorState(em, article);
        const kept = readSnapshot(revision);
        if (changedFields(before.snapshot, kept).length === 0) return article;
        Object.assign(article, { title: kept.title, summary: kept.summary, body: kept.body, updatedAt: now });
        // The tags by the names the revision kept (any missing is made again).
        const tags = await this.tagPksFor(em, kept.tags);
        await em.save(article);
        await this.replaceLinks(em, article.pk, { institutions: null, people: null, tags, authors: null });
        if (kept.images !== null) await replaceImages(em, article.pk, { lead: kept.images.lead, others: kept.images.others });
        await recordRevision(em, ctx, article, before, RevisionKind.RESTORED, { restoredFrom: revision.number });
        if (article.status === ArticleStatus.PUBLISHED) await recordArticleEvent(em, "UPDATED", await snapshotArticle(em, article));
        return article;
      });
    }, ctx.tally);
  }

  /** Publishes now, or schedules for `at` when that lies in the future. */
  async publish(ctx: CountingContext, id: string, at: Date | null | undefined, now = new Date()): Promise<Article> {
    if (at && Number.isNaN(at.getTime())) throw new BadUserInputError("at is not a valid instant.", "at");
    return this.db.transaction(async (em) => {
      const article = await getOrThrow(em, Article, "Article", id, "id");
      return changingStory(em, article.pk, async () => {
        if (at && at.getTime() > now.getTime()) {
          if (article.status === ArticleStatus.PUBLISHED) {
            throw new BadUserInputError(`Article '${id}' is already published; unpublish it before scheduling it for ${at.toISOString()}.`, "at");
          }
          Object.assign(article, { status: ArticleStatus.SCHEDULED, scheduledFor: at, publishedAt: null, updatedAt: now });
          return em.save(article);
        }
        if (article.status === ArticleStatus.PUBLISHED) return article;
        ctx.audit?.touch(...(await publishInTransaction(em, article, now)));
        return article;
      });
    }, ctx.tally);
  }

  /** Back to DRAFT (from PUBLISHED or SCHEDULED). */
  async unpublish(ctx: CountingContext, id: string): Promise<Article> {
    return this.db.transaction(async (em) => {
      const article = await getOrThrow(em, Article, "Article", id, "id");
      if (article.status === ArticleStatus.DRAFT) return article;
      return changingStory(em, article.pk, async () => {
        // Tickers take the story down by id; they get it as it was last published.
        if (article.status === ArticleStatus.PUBLISHED) await recordArticleEvent(em, "UNPUBLISHED", await snapshotArticle(em, article));
        Object.assign(article, { status: ArticleStatus.DRAFT, publishedAt: null, scheduledFor: null, updatedAt: new Date() });
        ctx.audit?.touch(...(await setStoryState(em, article.pk, "PROPOSED", null)));
        return em.save(article);
      });
    }, ctx.tally);
  }

  /** Deletes a story with its quotes, comments and links. */
  async delete(ctx: CountingContext, id: string): Promise<string> {
    await this.db.transaction(async (em) => {
      const article = await getOrThrow(em, Article, "Article", id, "id");
      await changingStory(em, article.pk, async () => {
        // A draft's deletion tells nobody: nobody outside the newsroom knew of it.
        if (article.status === ArticleStatus.PUBLISHED) await recordArticleEvent(em, "UNPUBLISHED", await snapshotArticle(em, article), { deleted: true });
        // Its sources stay (the link set to null, the title kept), withdrawn from readers.
        ctx.audit?.touch(...(await setStoryState(em, article.pk, "WITHDRAWN", null)));
        // Its quotes go with it (and its comments, which the trail does not list one by one).
        const quotes = await em.find(Quote, { select: { pk: true }, where: { articleId: article.pk } });
        ctx.audit?.touch(...quotes.map((q) => q.id));
        await em.delete(Article, { pk: article.pk });
      });
    }, ctx.tally);
    return id;
  }

  /**
   * Publishes every scheduled story that is due. Each goes live through a conditional update,
   * so however many schedulers race for a story, exactly one publishes it. Returns the keys it
   * published.
   */
  async publishDue(now = new Date()): Promise<number[]> {
    const due = await this.db.reader
      .getRepository(Article)
      .createQueryBuilder("a")
      .select("a.id", "pk")
      .where("a.status = :scheduled AND a.scheduled_for <= :now", { scheduled: ArticleStatus.SCHEDULED, now: timeParam(this.db, now) })
      .orderBy("a.scheduled_for", "ASC")
      .addOrderBy("a.id", "ASC")
      .limit(100)
      .getRawMany<{ pk: number }>();
    const published: number[] = [];
    for (const { pk } of due) {
      const won = await this.db.transaction((em) =>
        changingStory(em, pk, async () => {
          const result = await em
            .createQueryBuilder()
            .update(Article)
            .set({ status: ArticleStatus.PUBLISHED, publishedAt: now, scheduledFor: null, updatedAt: now })
            .where("id = :pk AND status = :scheduled AND scheduled_for <= :now", { pk, scheduled: ArticleStatus.SCHEDULED, now: timeParam(this.db, now) })
            .execute();
          if ((result.affected ?? 0) !== 1) return false;
          await setStoryState(em, pk, "STATED", now);
          // Only the scheduler whose update went through reports the publication.
          await recordArticleEvent(em, "PUBLISHED", await snapshotArticle(em, await em.findOneByOrFail(Article, { pk })));
          return true;
        }),
      );
      if (won) published.push(pk);
    }
    return published;
  }

  private async tagPksFor(em: EntityManager, names: string[]): Promise<number[]> {
    const pks: number[] = [];
    for (const name of names) {
      const slug = slugify(name, 100);
      const existing = await em.findOneBy(Tag, { slug });
      if (existing) {
        pks.push(existing.pk);
        continue;
      }
      // A new tag: no story carries it yet, so readers see it nowhere but in lookups that found
      // nothing (they depend on the kind, which its row's change reaches); the story's change
      // names it again once a published story carries it.
      pks.push(await attributeWrites(em, ["tag"], async (tag) => {
        const created = await em.save(em.create(Tag, { slug, name }));
        tag(`Tag:${created.pk}`, "Tag:list");
        return created.pk;
      }));
    }
    return [...new Set(pks)];
  }

  private async replaceLinks(em: EntityManager, articlePk: number, links: { institutions: number[] | null; people: number[] | null; tags: number[] | null; authors: number[] | null }): Promise<void> {
    if (links.institutions) {
      await em.delete(ArticleInstitution, { articleId: articlePk });
      await em.save(links.institutions.map((institutionId, position) => em.create(ArticleInstitution, { articleId: articlePk, institutionId, position })));
    }
    if (links.people) {
      await em.delete(ArticlePerson, { articleId: articlePk });
      await em.save(links.people.map((personId, position) => em.create(ArticlePerson, { articleId: articlePk, personId, position })));
    }
    if (links.tags) {
      await em.delete(ArticleTag, { articleId: articlePk });
      await em.save(links.tags.map((tagId, position) => em.create(ArticleTag, { articleId: articlePk, tagId, position })));
    }
    if (links.authors) {
      await em.delete(ArticleAuthor, { articleId: articlePk });
      await em.save(links.authors.map((authorId, position) => em.create(ArticleAuthor, { articleId: articlePk, authorId, position })));
    }
  }
}

/**
 * Publishes `article` now inside the caller's transaction, with the PUBLISHED event live feeds
 * read: the one way a story goes live at once (publishArticle, importArticle). Answers the global
 * ids of the records whose facts it states.
 */
export async function publishInTransaction(em: EntityManager, article: Article, now: Date): Promise<string[]> {
  Object.assign(article, { status: ArticleStatus.PUBLISHED, publishedAt: now, scheduledFor: null, updatedAt: now });
  await em.save(article);
  const stated = await setStoryState(em, article.pk, "STATED", now);
  await recordArticleEvent(em, "PUBLISHED", await snapshotArticle(em, article));
  return stated;
}

/** What a story's images become: each part left out (undefined) stays as it is. */
interface StoryImages {
  lead: CheckedImage | null | undefined;
  others: CheckedImage[] | undefined;
}

/** Checks a story's lead image and further images before anything is written. */
function checkStoryImages(input: Pick<UpdateArticleInput, "leadImage" | "images">): StoryImages {
  return {
    lead: input.leadImage === undefined ? undefined : input.leadImage === null ? null : checkImage(input.leadImage, "input.leadImage"),
    others: input.images === undefined ? undefined : checkImages(input.images ?? [], "input.images"),
  };
}

/** Replaces the parts of a story's images that `images` names. */
async function replaceImages(em: EntityManager, articlePk: number, images: StoryImages): Promise<void> {
  if (images.lead !== undefined) {
    await em.delete(ArticleImage, { articleId: articlePk, lead: true });
    if (images.lead) await em.save(em.create(ArticleImage, { ...images.lead, articleId: articlePk, lead: true, position: 0 }));
  }
  if (images.others !== undefined) {
    await em.delete(ArticleImage, { articleId: articlePk, lead: false });
    await em.save(images.others.map((image, position) => em.create(ArticleImage, { ...image, articleId: articlePk, lead: false, position })));
  }
}

/** Checks the text fields of a story; with `creating`, title and body are required. */
function checkStoryFields(input: UpdateArticleInput, creating: boolean): Partial<Pick<Article, "title" | "body" | "summary" | "dateline" | "source">> {
  const fields: Partial<Pick<Article, "title" | "body" | "summary" | "dateline" | "source">> = {};
  if (creating || input.title != null) fields.title = requiredText(input.title, "input.title", { max: 300 });
  if (creating || input.body != null) fields.body = requiredText(input.body, "input.body", { max: 200_000, multiline: true });
  if (input.summary !== undefined) fields.summary = optionalText(input.summary, "input.summary", { max: 1000 });
  if (input.dateline !== undefined) fields.dateline = optionalText(input.dateline, "input.dateline", { max: 100 });
  if (input.source !== undefined) fields.source = optionalText(input.source, "input.source", { max: 200 });
  return fields;
}

function checkTags(names: readonly string[] | null | undefined): string[] {
  const list = names ?? [];
  if (list.length > 20) throw new BadUserInputError(`input.tags may hold at most 20 tags, got ${list.length}.`, "input.tags");
  return list.map((name, i) => {
    const clean = requiredText(name, `input.tags[${i}]`, { max: 100 });
    if (slugify(clean, 100) === "") throw new BadUserInputError(`input.tags[${i}] '${clean}' has no letters or digits.`, `input.tags[${i}]`);
    return clean;
  });
}
