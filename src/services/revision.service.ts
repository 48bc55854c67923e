import type { RequestContext } from "../kernel/request-context";
import { requireEditor } from "../kernel/permissions";
import { NotFoundError } from "../kernel/errors";
import { pkOf } from "../kernel/ids";
import { intInRange } from "../kernel/validate";
import type { Database } from "../db/database";
import { fetchPartitionedPages } from "../db/pagination";
import type { Page } from "../db/pagination";
import type { Ordering, PageArgs } from "../kernel/page-args";
import { keyListCondition, keyListParam, RowReader } from "../db/rows";
import { Select } from "../db/select";
import { alignByPk } from "../db/sql";
import { ArticleRevision } from "../entities/revision.entity";
import { diffSnapshots } from "./revision.diff";
import type { FieldDiff } from "./revision.diff";
import { readSnapshot } from "./revisions";
import type { StorySnapshot } from "./revisions";

const NEWEST: Ordering = { name: "r:newest", keys: [{ sql: "r.number", dir: "DESC", type: "int" }] };

/** How two revisions of one story differ. */
export interface RevisionDiff {
  readonly from: ArticleRevision;
  readonly to: ArticleRevision;
  readonly fields: FieldDiff[];
}

/**
 * Reads a story's revisions (written by services/revisions.ts with the changes they record).
 * Editors and admins only: every method refuses anyone else, whatever path led here.
 */
export class RevisionService {
  /** Lists leave the snapshot out: it holds the story's body, read only when asked for. */
  private readonly listRows: RowReader<ArticleRevision>;
  private readonly fullRows: RowReader<ArticleRevision>;

  constructor(private readonly db: Database) {
    this.listRows = new RowReader(db, ArticleRevision, ["snapshot"]);
    this.fullRows = new RowReader(db, ArticleRevision);
  }

  /** Each story's revisions, newest first. */
  pagesByArticle(ctx: RequestContext, articlePks: readonly number[], page: PageArgs): Promise<Map<number, Page>> {
    requireEditor(ctx.viewer, "A story's revisions");
    return fetchPartitionedPages(
      { select: new Select(this.db, "article_revision", "r"), pkSql: "r.id", ordering: NEWEST, partitionSql: "r.article_id", entity: { columns: this.listRows.columnsOf("r"), hydrate: (row) => this.listRows.hydrate(row, "_e_") } },
      articlePks,
      page,
      ctx.tally,
    );
  }

  async byPks(ctx: RequestContext, pks: readonly number[]): Promise<Array<ArticleRevision | null>> {
    requireEditor(ctx.viewer, "A story's revisions");
    return alignByPk(pks, await this.listRows.byKeys(this.db, ctx.tally, "id", pks));
  }

  /** The fields each revision kept. */
  async snapshots(ctx: RequestContext, pks: readonly number[]): Promise<StorySnapshot[]> {
    requireEditor(ctx.viewer, "A story's revisions");
    const rows = await this.fullRows.byKeys(this.db, ctx.tally, "id", pks);
    const byPk = new Map(rows.map((r) => [r.pk, readSnapshot(r)]));
    return pks.map((pk) => byPk.get(pk)!);
  }

  /** How revision `to` of a story differs from its revision `from` (by their numbers), field by field. */
  async diff(ctx: RequestContext, articleId: string, from: number, to: number): Promise<RevisionDiff> {
    requireEditor(ctx.viewer, "A story's revisions");
    const articlePk = pkOf(articleId, "Article", "article");
    intInRange(from, "from", 1, 2_147_483_647);
    intInRange(to, "to", 1, 2_147_483_647);
    const raw = await this.db.readPrepared(
      `SELECT ${this.fullRows.columnsOf("r", "")} FROM "article_revision" r WHERE r."article_id" = ${this.db.isPostgres ? "$1" : "?"} AND ${keyListCondition(this.db, `r."number"`, 2)}`,
      [articlePk, keyListParam(this.db, [from, to])],
      ctx.tally,
    );
    const rows = raw.map((r) => this.fullRows.hydrate(r));
    const find = (number: number, field: "from" | "to") => {
      const row = rows.find((r) => r.number === number);
      if (!row) throw new NotFoundError(`Story '${articleId}' has no revision ${number}.`, field);
      return row;
    };
    const a = find(from, "from");
    const b = find(to, "to");
    return { from: a, to: b, fields: diffSnapshots(readSnapshot(a), readSnapshot(b)) };
  }
}
