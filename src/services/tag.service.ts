import type { RequestContext } from "../kernel/request-context";
import { canSeeDrafts } from "../kernel/viewer";
import type { Database } from "../db/database";
import { RowReader } from "../db/rows";
import { Select } from "../db/select";
import { alignByPk } from "../db/sql";
import { ArticleStatus } from "../entities/article.entity";
import { Tag } from "../entities/tag.entity";

/** A tag of alias `t` that a published story carries: the tags readers see. */
const PUBLIC_TAG = "EXISTS (SELECT 1 FROM article_tag tl JOIN article a ON a.id = tl.article_id WHERE tl.tag_id = t.id AND a.status = :published)";

/**
 * Reads tags. A tag is public once a published story carries it: the list of tags shows
 * readers (and moderators) only those, editors and admins every tag; a tag's article list
 * applies the article rules.
 */
export class TagService {
  private readonly rows: RowReader<Tag>;

  constructor(private readonly db: Database) {
    this.rows = new RowReader(db, Tag);
  }

  /** Every tag the viewer may see, by name. */
  async all(ctx: RequestContext): Promise<Tag[]> {
    const { viewer } = ctx;
    if (canSeeDrafts(viewer)) return this.rows.all(this.db, ctx.tally, `"name", "id"`);
    const { sql, values } = new Select(this.db, "tag", "t")
      .where(PUBLIC_TAG, { published: ArticleStatus.PUBLISHED })
      .compile(this.rows.columnsOf("t", ""), ` ORDER BY t."name", t."id"`);
    return (await this.db.readPrepared(sql, values, ctx.tally)).map((row) => this.rows.hydrate(row));
  }

  /**
   * Per key, whether the viewer may see that tag (the rule of {@link all}), in one statement for
   * all keys: what `node(id:)` asks before it answers a tag.
   */
  async visible(ctx: RequestContext, pks: readonly number[]): Promise<boolean[]> {
    if (canSeeDrafts(ctx.viewer)) return pks.map(() => true);
    const { sql, values } = new Select(this.db, "tag", "t")
      .whereIn("t.id", pks)
      .where(PUBLIC_TAG, { published: ArticleStatus.PUBLISHED })
      .compile("t.id AS id", "");
    const shown = new Set((await this.db.readPrepared(sql, values, ctx.tally)).map((row) => Number(row.id)));
    return pks.map((pk) => shown.has(pk));
  }

  async byPks(ctx: RequestContext, pks: readonly number[]): Promise<Array<Tag | null>> {
    return alignByPk(pks, await this.rows.byKeys(this.db, ctx.tally, "id", pks));
  }
}
