import type { EntityManager } from "typeorm";
import { ifShown, recordDirectSources } from "./facts";
import type { DirectContext } from "./facts";
import type { CountingContext, RequestContext } from "../kernel/request-context";
import type { Viewer } from "../kernel/viewer";
import { canSeeDrafts } from "../kernel/viewer";
import { pkOf } from "../kernel/ids";
import { intInRange, optionalText, requiredText } from "../kernel/validate";
import { getOrThrow } from "../db/lookups";
import { recordArticleEvent } from "../events/outbox";
import { snapshotArticle } from "./outbox.writer";
import { Article } from "../entities/article.entity";
import { Institution } from "../entities/institution.entity";
import { Person } from "../entities/person.entity";
import { fetchPage, fetchPartitionedPages } from "../db/pagination";
import type { Page } from "../db/pagination";
import type { Ordering, PageArgs } from "../kernel/page-args";
import type { Database } from "../db/database";
import { keyListCondition, keyListParam, readRows, RowReader, rowsOfArrays } from "../db/rows";
import { Select } from "../db/select";
import { alignByPk, containsPattern, containsSql, groupBy } from "../db/sql";
import { ArticleStatus } from "../entities/article.entity";
import { Quote } from "../entities/quote.entity";
import type { AddQuoteInput, QuoteFilter } from "./quote.inputs";
import { changingStory } from "./story-tags";

/** Newest story first, and within a story the order the quotes stand in. */
function ordering(drafts: boolean): Ordering {
  const published = drafts ? "COALESCE(a.published_at, a.updated_at)" : "a.published_at";
  return {
    name: drafts ? "q:newest-any" : "q:newest",
    keys: [
      { sql: published, dir: "DESC", type: "time" },
      { sql: "q.article_id", dir: "DESC", type: "int" },
      { sql: "q.position", dir: "ASC", type: "int" },
      { sql: "q.id", dir: "ASC", type: "int" },
    ],
  };
}

/** Where a quote read by {@link QuoteService.ofArticles} keeps its speaker, as the reader of that request may see it. */
const SPEAKER = Symbol("speaker read with the quote");

/**
 * The speaker read in the same statement as `quote` (null: none, or one this request's viewer
 * does not see, as the person loader would answer); undefined when the quote was read without.
 */
export function speakerReadWith(quote: Quote): Person | null | undefined {
  return (quote as Quote & { [SPEAKER]?: Person | null })[SPEAKER];
}

/** Reads attributed quotes; a quote is visible exactly when its story is. */
export class QuoteService {
  private readonly rows: RowReader<Quote>;
  private readonly speakerRows: RowReader<Person>;

  constructor(private readonly db: Database) {
    this.rows = new RowReader(db, Quote);
    this.speakerRows = new RowReader(db, Person);
  }

  private query(viewer: Viewer | null): Select {
    const qb = new Select(this.db, "quote", "q").innerJoin("article", "a", "a.id = q.article_id");
    if (!canSeeDrafts(viewer)) qb.where("a.status = :published", { published: ArticleStatus.PUBLISHED });
    return qb;
  }

  async byPks(ctx: RequestContext, pks: readonly number[]): Promise<Array<Quote | null>> {
    return alignByPk(pks, await this.rows.byKeys(this.db, ctx.tally, "id", pks));
  }

  /** A page of quotes, newest story first. */
  list(ctx: RequestContext, filter: QuoteFilter | null | undefined, page: PageArgs): Promise<Page> {
    const { viewer } = ctx;
    const qb = this.query(viewer);
    if (filter?.speakerId) qb.where("q.speaker_id = :speaker", { speaker: pkOf(filter.speakerId, "Person", "filter.speakerId") });
    if (filter?.institutionId) qb.where("q.institution_id = :inst", { inst: pkOf(filter.institutionId, "Institution", "filter.institutionId") });
    if (filter?.articleId) qb.where("q.article_id = :article", { article: pkOf(filter.articleId, "Article", "filter.articleId") });
    if (filter?.search) qb.where(containsSql(this.db, "q.text", "search"), { search: containsPattern(filter.search) });
    return fetchPage({ select: qb, pkSql: "q.id", ordering: ordering(canSeeDrafts(viewer)), entity: { columns: this.rows.columnsOf("q"), hydrate: (row) => this.rows.hydrate(row, "_e_") } }, page, ctx.tally);
  }

  /** Quotes each person spoke, newest story first. */
  pagesBySpeaker(ctx: RequestContext, personPks: readonly number[], page: PageArgs): Promise<Map<number, Page>> {
    const { viewer } = ctx;
    return fetchPartitionedPages({ select: this.query(viewer), pkSql: "q.id", ordering: ordering(canSeeDrafts(viewer)), partitionSql: "q.speaker_id" }, personPks, page, ctx.tally);
  }

  /** Quotes given on behalf of each institution, newest story first. */
  pagesByInstitution(ctx: RequestContext, institutionPks: readonly number[], page: PageArgs): Promise<Map<number, Page>> {
    const { viewer } = ctx;
    return fetchPartitionedPages({ select: this.query(viewer), pkSql: "q.id", ordering: ordering(canSeeDrafts(viewer)), partitionSql: "q.institution_id" }, institutionPks, page, ctx.tally);
  }

  /** The quotes of each story in the order they stand. Callers pass only stories the viewer may see. */
  async ofArticles(ctx: RequestContext, articlePks: readonly number[]): Promise<Quote[][]> {
    if (articlePks.length === 0) return articlePks.map(() => []);
    // Each quote's speaker comes in the same statement (an article page shows them all): one round
    // trip less than reading the speakers by key after the quotes.
    const sql = `SELECT ${this.rows.columnsOf("q")}, ${this.speakerRows.columnsOf("s", "_s_")} FROM "quote" q LEFT JOIN "person" s ON s."id" = q."speaker_id" WHERE ${keyListCondition(this.db, `q."article_id"`)} ORDER BY q."position", q."id"`;
    const params = [keyListParam(this.db, articlePks)];
    const quoteNames = this.rows.namesOf();
    const speakerNames = this.speakerRows.namesOf("_s_");
    const raw = quoteNames && speakerNames ? await readRows(this.db, { sql, params, names: [...quoteNames, ...speakerNames], order: `"_e_position", "_e_id"` }, ctx.tally) : await this.db.readPrepared(sql, params, ctx.tally);
    const quotes = this.withSpeakers(ctx, raw);
    const groups = groupBy(quotes, (r) => r.articleId);
    return articlePks.map((pk) => groups.get(pk) ?? []);
  }

  /**
   * A select item giving the quotes of the story aliased `article`, with their speakers, as one
   * JSON value, in {@link ofArticles}' order ({@link ofStoryJson} reads it): a page that reads a
   * story reads its quotes in the same statement (`json_agg` on PostgreSQL, `json_group_array`
   * on SQLite, both ordered inside the aggregate); null when a column could not travel through JSON.
   */
  ofStorySql(article: string): string | null {
    if (!this.rows.namesOf() || !this.speakerRows.namesOf("_s_")) return null;
    const aggregate = this.db.isPostgres ? "json_agg(json_build_array" : "json_group_array(json_array";
    return `(SELECT ${aggregate}(${this.rows.valuesOf("q")}, ${this.speakerRows.valuesOf("s")}) ORDER BY q."position", q."id") FROM "quote" q LEFT JOIN "person" s ON s."id" = q."speaker_id" WHERE q."article_id" = ${article}."id")`;
  }

  /** The quotes {@link ofStorySql} read, as {@link ofArticles} gives a story's. */
  ofStoryJson(ctx: RequestContext, value: unknown): Quote[] {
    return this.withSpeakers(ctx, rowsOfArrays(value, [...this.rows.namesOf()!, ...this.speakerRows.namesOf("_s_")!]));
  }

  private withSpeakers(ctx: RequestContext, raw: ReadonlyArray<Record<string, unknown>>): Quote[] {
    return raw.map((row) => {
      const quote = this.rows.hydrate(row, "_e_");
      const speaker = row._s_id === null || row._s_id === undefined ? null : this.speakerRows.hydrate(row, "_s_");
      (quote as Quote & { [SPEAKER]?: Person | null })[SPEAKER] = ifShown(ctx.viewer, speaker);
      return quote;
    });
  }

  /** Adds a quote at `position` (the end when left out); later quotes move down one. */
  async add(ctx: DirectContext, input: AddQuoteInput): Promise<Quote> {
    const text = requiredText(input.text, "input.text", { max: 5000, multiline: true });
    const attribution = optionalText(input.attribution, "input.attribution", { max: 200 });
    return this.db.transaction(async (em) => {
      const article = await getOrThrow(em, Article, "Article", input.articleId, "input.articleId");
      return changingStory(em, article.pk, async () => {
        const speaker = await getOrThrow(em, Person, "Person", input.speakerId, "input.speakerId");
        const institution = input.institutionId != null ? await getOrThrow(em, Institution, "Institution", input.institutionId, "input.institutionId") : null;
        const count = await em.countBy(Quote, { articleId: article.pk });
        const position = input.position == null ? count : intInRange(input.position, "input.position", 0, count);
        await em
          .createQueryBuilder()
          .update(Quote)
          .set({ position: () => "position + 1" })
          .where("article_id = :article AND position >= :position", { article: article.pk, position })
          .execute();
        const quote = await em.save(em.create(Quote, { articleId: article.pk, speakerId: speaker.pk, institutionId: institution?.pk ?? null, text, attribution, position }));
        // Attributing a quote states that its speaker (and the unit spoken for) exist.
        await recordDirectSources(em, ctx, [
          { fact: "QUOTE", subjectId: quote.pk, origin: true },
          { fact: "PERSON", subjectId: speaker.pk, origin: false },
          ...(institution ? [{ fact: "INSTITUTION" as const, subjectId: institution.pk, origin: false }] : []),
        ]);
        await this.storyChanged(em, article);
        return quote;
      }, { quotes: true });
    }, ctx.tally);
  }

  /** Removes a quote; the ones after it move up so positions stay 0, 1, 2… */
  async remove(ctx: CountingContext, id: string): Promise<string> {
    await this.db.transaction(async (em) => {
      const quote = await getOrThrow(em, Quote, "Quote", id, "id");
      await changingStory(em, quote.articleId, async () => {
        await em.delete(Quote, { pk: quote.pk });
        await em
          .createQueryBuilder()
          .update(Quote)
          .set({ position: () => "position - 1" })
          .where("article_id = :article AND position > :position", { article: quote.articleId, position: quote.position })
          .execute();
        const article = await em.findOneByOrFail(Article, { pk: quote.articleId });
        // The story's quotes changed: the audit trail lists it with the quote.
        ctx.audit?.touch(article.id);
        await this.storyChanged(em, article);
      }, { quotes: true });
    }, ctx.tally);
    return id;
  }

  /** A published story's quotes are part of it: live feeds get an UPDATED event. */
  private async storyChanged(em: EntityManager, article: Article): Promise<void> {
    if (article.status !== ArticleStatus.PUBLISHED) return;
    article.updatedAt = new Date();
    await em.update(Article, { pk: article.pk }, { updatedAt: article.updatedAt });
    await recordArticleEvent(em, "UPDATED", await snapshotArticle(em, article));
  }
}
