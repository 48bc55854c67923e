import type { Viewer } from "../kernel/viewer";
import type { CountingContext, RequestContext } from "../kernel/request-context";
import { canModerate, canSeeDrafts } from "../kernel/viewer";
import { BadUserInputError, ForbiddenError, NotFoundError, RateLimitedError, UnauthenticatedError } from "../kernel/errors";
import type { RateLimiter } from "./rate-limit";
import { attributeWrites, unseenByReaders } from "../db/database";
import { emailInput, optionalWebsite, requiredText } from "../kernel/validate";
import { getOrThrow } from "../db/lookups";
import { recordCommentApproved } from "../events/outbox";
import { snapshotComment } from "./outbox.writer";
import { pkOf } from "../kernel/ids";
import { fetchPage, fetchPartitionedPages } from "../db/pagination";
import type { Page } from "../db/pagination";
import type { Ordering, PageArgs } from "../kernel/page-args";
import type { Database } from "../db/database";
import { RowReader } from "../db/rows";
import { Select } from "../db/select";
import { alignByPk, groupBy } from "../db/sql";
import { Article, ArticleStatus } from "../entities/article.entity";
import { Comment, CommentStatus } from "../entities/comment.entity";
import type { AddCommentInput, CommentFilter } from "./comment.inputs";

/** How new comments are treated. */
export interface CommentPolicy {
  /** APPROVED at once instead of PENDING. */
  readonly autoApprove: boolean;
  /** Limits posts per client address and story. */
  readonly perStory: RateLimiter;
  /** Limits posts per client address across all stories, so a flood cannot spread itself over many. */
  readonly perAddress: RateLimiter;
  /** Comments a story may hold as PENDING; past it, new ones wait until moderators have gone through some. */
  readonly maxPendingPerStory: number;
}

const NEWEST: Ordering = { name: "c:newest", keys: [{ sql: "c.created_at", dir: "DESC", type: "time" }, { sql: "c.id", dir: "DESC", type: "int" }] };
const OLDEST: Ordering = { name: "c:oldest", keys: [{ sql: "c.created_at", dir: "ASC", type: "time" }, { sql: "c.id", dir: "ASC", type: "int" }] };

/**
 * Reads reader comments. Everyone sees APPROVED comments on stories they can see; moderators
 * also see the rest. The commenter's email is never selected here.
 */
export class CommentService {
  private readonly rows: RowReader<Comment>;
  private readonly articleRows: RowReader<Article>;

  constructor(
    private readonly db: Database,
    private readonly policy: CommentPolicy,
  ) {
    this.rows = new RowReader(db, Comment);
    this.articleRows = new RowReader(db, Article, ["body"]);
  }

  private query(viewer: Viewer | null, status: CommentStatus | null | undefined): Select {
    const qb = new Select(this.db, "comment", "c").innerJoin("article", "a", "a.id = c.article_id");
    if (!canSeeDrafts(viewer)) qb.where("a.status = :published", { published: ArticleStatus.PUBLISHED });
    if (status) qb.where("c.status = :status", { status });
    else if (!canModerate(viewer)) qb.where("c.status = :approved", { approved: CommentStatus.APPROVED });
    return qb;
  }

  private checkStatus(viewer: Viewer | null, status: CommentStatus | null | undefined): void {
    if (!status || status === CommentStatus.APPROVED || canModerate(viewer)) return;
    if (viewer === null) throw new UnauthenticatedError(`Comments with status ${status} are for moderators: sign in with a MODERATOR token.`);
    throw new ForbiddenError(`Comments with status ${status} are for moderators; your role is ${viewer.role}.`);
  }

  /** Whether the viewer may see this comment (its story's visibility is checked by the caller). */
  isVisible(viewer: Viewer | null, comment: Comment): boolean {
    return comment.status === CommentStatus.APPROVED || canModerate(viewer);
  }

  async byPks(ctx: RequestContext, pks: readonly number[]): Promise<Array<Comment | null>> {
    return alignByPk(pks, await this.rows.byKeys(this.db, ctx.tally, "id", pks));
  }

  /** A page of comments, newest first. */
  list(ctx: RequestContext, filter: CommentFilter | null | undefined, page: PageArgs): Promise<Page> {
    const { viewer } = ctx;
    this.checkStatus(viewer, filter?.status);
    const qb = this.query(viewer, filter?.status);
    if (filter?.articleId) qb.where("c.article_id = :article", { article: pkOf(filter.articleId, "Article", "filter.articleId") });
    return fetchPage({ select: qb, pkSql: "c.id", ordering: NEWEST, entity: { columns: this.rows.columnsOf("c"), hydrate: (row) => this.rows.hydrate(row, "_e_") } }, page, ctx.tally);
  }

  /** The comments of each story, oldest first, as a conversation reads. */
  pagesByArticle(ctx: RequestContext, articlePks: readonly number[], page: PageArgs): Promise<Map<number, Page>> {
    const { viewer } = ctx;
    return fetchPartitionedPages({ select: this.query(viewer, null), pkSql: "c.id", ordering: OLDEST, partitionSql: "c.article_id" }, articlePks, page, ctx.tally);
  }

  /** Replies to each comment that the viewer may see, oldest first. */
  async replyPks(ctx: RequestContext, parentPks: readonly number[]): Promise<number[][]> {
    const { viewer } = ctx;
    const { sql, values } = this.query(viewer, null)
      .whereIn("c.parent_id", parentPks)
      .compile("c.id AS pk, c.parent_id AS parent", " ORDER BY c.created_at ASC, c.id ASC");
    const rows = await this.db.readPrepared(sql, values, ctx.tally);
    const groups = groupBy(rows, (r) => Number(r.parent));
    return parentPks.map((pk) => (groups.get(pk) ?? []).map((r) => Number(r.pk)));
  }

  /**
   * Approved comments of each story, counted like the story's comments list: none of a story the
   * viewer may not read now (a feed's story may have gone back to draft since its event).
   */
  async approvedCounts(ctx: RequestContext, articlePks: readonly number[]): Promise<number[]> {
    const { viewer } = ctx;
    const { sql, values } = this.query(viewer, CommentStatus.APPROVED)
      .whereIn("c.article_id", articlePks)
      .compile("c.article_id AS article, COUNT(*) AS n", " GROUP BY c.article_id");
    const rows = await this.db.readPrepared(sql, values, ctx.tally);
    const counts = new Map(rows.map((r) => [Number(r.article), Number(r.n)]));
    return articlePks.map((pk) => counts.get(pk) ?? 0);
  }

  /**
   * Stores a reader's comment: checked first, then rate limited per client (across stories, then
   * per story), then written; it waits as PENDING unless the policy approves it, and only while
   * its story has room in the moderation queue. A refused comment stores nothing.
   */
  async add(ctx: RequestContext, input: AddCommentInput): Promise<Comment> {
    const authorName = requiredText(input.authorName, "input.authorName", { max: 100 });
    const authorEmail = emailInput(input.authorEmail, "input.authorEmail");
    const authorWebsite = optionalWebsite(input.authorWebsite, "input.authorWebsite");
    const body = requiredText(input.body, "input.body", { max: 5000, multiline: true });
    const articlePk = pkOf(input.articleId, "Article", "input.articleId");
    const parentPk = input.parentId != null ? pkOf(input.parentId, "Comment", "input.parentId") : null;

    const [article] = await this.articleRows.byKeys(this.db, ctx.tally, "id", [articlePk]);
    if (!article || article.status !== ArticleStatus.PUBLISHED) throw new NotFoundError(`There is no published story with id '${input.articleId}'.`, "input.articleId");
    await this.policy.perAddress.consume(ctx.clientAddress, "comments from one address");
    await this.policy.perStory.consume(`${ctx.clientAddress}:${articlePk}`, "comments on this story");

    const saved = await this.db.transaction(async (em) => {
      // Checked again inside the transaction: the story may have been unpublished meanwhile.
      const current = await em.findOneBy(Article, { pk: articlePk, status: ArticleStatus.PUBLISHED });
      if (!current) throw new NotFoundError(`There is no published story with id '${input.articleId}'.`, "input.articleId");
      if (parentPk !== null) {
        const parent = await em.findOneBy(Comment, { pk: parentPk });
        if (!parent || parent.status !== CommentStatus.APPROVED) throw new NotFoundError(`There is no comment with id '${input.parentId}' to reply to.`, "input.parentId");
        if (parent.articleId !== articlePk) throw new BadUserInputError(`Comment '${input.parentId}' belongs to another story.`, "input.parentId");
      }
      const status = this.policy.autoApprove ? CommentStatus.APPROVED : CommentStatus.PENDING;
      if (status === CommentStatus.PENDING) {
        // Counted in the write transaction, and write transactions run one at a time (see
        // Database.transaction): two comments cannot both take the last place.
        const waiting = await em.countBy(Comment, { articleId: articlePk, status: CommentStatus.PENDING });
        const cap = this.policy.maxPendingPerStory;
        if (waiting >= cap) throw new RateLimitedError(`Story '${input.articleId}' has ${waiting} comments waiting for moderation (at most ${cap} may wait); try again once a moderator has gone through them.`);
        // Readers see only APPROVED comments: no cached answer changes, none is dropped or purged.
        unseenByReaders(em, "comment");
      }
      return attributeWrites(em, ["comment"], async (tag) => {
        const comment = await em.save(em.create(Comment, { articleId: articlePk, parentId: parentPk, authorName, authorEmail, authorWebsite, body, status, createdAt: new Date() }));
        tag(...shownWith(comment));
        if (status === CommentStatus.APPROVED) await recordCommentApproved(em, snapshotComment(comment));
        return comment;
      });
    }, ctx.tally);
    delete saved.authorEmail;
    return saved;
  }

  /**
   * Sets a comment's status (APPROVED makes it visible to everyone). Only a move into or out of
   * APPROVED changes what readers see; any other leaves their cached answers be.
   */
  async moderate(ctx: CountingContext, id: string, status: CommentStatus): Promise<Comment> {
    if (!Object.values(CommentStatus).includes(status)) throw new BadUserInputError(`status '${String(status)}' is not a comment status.`, "status");
    return this.db.transaction(async (em) => {
      const comment = await getOrThrow(em, Comment, "Comment", id, "id");
      const wasVisible = comment.status === CommentStatus.APPROVED;
      const isVisible = status === CommentStatus.APPROVED;
      comment.status = status;
      return attributeWrites(em, ["comment"], async (tag) => {
        await em.save(comment);
        tag(...shownWith(comment));
        if (wasVisible === isVisible) unseenByReaders(em, "comment");
        else if (isVisible) await recordCommentApproved(em, snapshotComment(comment));
        return comment;
      });
    }, ctx.tally);
  }
}

/**
 * What a comment's arrival or departure among readers' comments changes: the comment, the lists
 * of comments (a story's, the replies, the root list), and its story (which owns its comment list
 * and counts them).
 */
function shownWith(comment: Comment): string[] {
  return [`Comment:${comment.pk}`, "Comment:list", `Article:${comment.articleId}`];
}
