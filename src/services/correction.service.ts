import type { DirectContext } from "./facts";
import type { RequestContext } from "../kernel/request-context";
import { BadUserInputError } from "../kernel/errors";
import { requiredText } from "../kernel/validate";
import type { Database } from "../db/database";
import { getOrThrow } from "../db/lookups";
import { RowReader } from "../db/rows";
import { groupBy } from "../db/sql";
import { recordArticleEvent } from "../events/outbox";
import { snapshotArticle } from "./outbox.writer";
import { Article, ArticleStatus } from "../entities/article.entity";
import { Correction } from "../entities/correction.entity";
import { changingStory } from "./story-tags";

/**
 * Correction notes: an editor publishes a correction as one, a note readers see on the story.
 * The text of the story is changed by an update (which keeps a revision), the note says so.
 */
export class CorrectionService {
  private readonly rows: RowReader<Correction>;

  constructor(private readonly db: Database) {
    this.rows = new RowReader(db, Correction);
  }

  /**
   * Adds a note to a published story, sets its `correctedAt` and `updatedAt`, and gives its
   * feeds an UPDATED event (its cached answers are dropped and purged as for any change).
   */
  async add(ctx: DirectContext, articleId: string, text: string, now = new Date()): Promise<Article> {
    const note = requiredText(text, "text", { max: 2000, multiline: true });
    return this.db.transaction(async (em) => {
      const article = await getOrThrow(em, Article, "Article", articleId, "article");
      if (article.status !== ArticleStatus.PUBLISHED) {
        throw new BadUserInputError(`Story '${articleId}' is ${article.status}, not published: a correction note is for what readers have read; edit the story instead.`, "article");
      }
      return changingStory(em, article.pk, async () => {
        await em.insert(Correction, { articleId: article.pk, text: note, tokenId: ctx.viewer?.tokenPk ?? null, createdAt: now });
        Object.assign(article, { correctedAt: now, updatedAt: now });
        await em.save(article);
        await recordArticleEvent(em, "UPDATED", await snapshotArticle(em, article));
        return article;
      });
    }, ctx.tally);
  }

  /** Each story's notes, oldest first. Callers pass only stories the viewer may read. */
  async ofArticles(ctx: RequestContext, articlePks: readonly number[]): Promise<Correction[][]> {
    const rows = await this.rows.byKeys(this.db, ctx.tally, "article_id", articlePks, `"id"`);
    const groups = groupBy(rows, (r) => r.articleId);
    return articlePks.map((pk) => groups.get(pk) ?? []);
  }
}
