import type { DirectContext } from "./facts";
import type { RateLimiter } from "./rate-limit";
import type { RequestContext } from "../kernel/request-context";
import { requireEditor } from "../kernel/permissions";
import { hashSecret, newSecret } from "../kernel/secrets";
import { BadUserInputError, ForbiddenError, NotFoundError } from "../kernel/errors";
import type { Database } from "../db/database";
import { getOrThrow } from "../db/lookups";
import { keyListCondition, keyListParam, RowReader } from "../db/rows";
import { groupBy, timeParam } from "../db/sql";
import { Article } from "../entities/article.entity";
import { PreviewLink } from "../entities/preview-link.entity";

const TOKEN_PREFIX = "nwp_";
/** The prefix and 32 random bytes in base64url: what every token this service makes looks like. */
const TOKEN_SHAPE = /^nwp_[A-Za-z0-9_-]{43}$/;
const DAY_MS = 86_400_000;

/** How long a preview link may live, at most. */
export const MAX_PREVIEW_DAYS = 30;
/** Links of one story that have not expired (revoked ones count until they would have): the editors' list stays short. */
export const MAX_UNEXPIRED_LINKS = 20;

/** A new link and its token, the one copy of its secret there will ever be. */
export interface CreatedPreviewLink {
  readonly link: PreviewLink;
  readonly token: string;
}

/**
 * Preview links: a secret that lets whoever holds it read one story as it stands (draft or
 * scheduled) until it expires or is revoked. The secret is a 32-byte random token kept only as
 * its SHA-256 hash; each wrong, revoked or expired token a client presents counts against its
 * address, and past the limit every preview read from that address is refused for the window.
 */
export class PreviewService {
  private readonly rows: RowReader<PreviewLink>;

  constructor(
    private readonly db: Database,
    /** Counts the wrong tokens each client address presents. */
    private readonly wrongTokens: RateLimiter,
  ) {
    this.rows = new RowReader(db, PreviewLink);
  }

  /** Makes a link to a story that expires at `expiresAt`, in the future and at most {@link MAX_PREVIEW_DAYS} days away. */
  async create(ctx: DirectContext, articleId: string, expiresAt: Date, now = new Date()): Promise<CreatedPreviewLink> {
    if (Number.isNaN(expiresAt.getTime())) throw new BadUserInputError("expiresAt is not a valid instant.", "expiresAt");
    if (expiresAt.getTime() <= now.getTime()) throw new BadUserInputError(`expiresAt ${expiresAt.toISOString()} is not in the future.`, "expiresAt");
    const latest = new Date(now.getTime() + MAX_PREVIEW_DAYS * DAY_MS);
    if (expiresAt.getTime() > latest.getTime()) {
      throw new BadUserInputError(`expiresAt ${expiresAt.toISOString()} is more than ${MAX_PREVIEW_DAYS} days away; the latest allowed now is ${latest.toISOString()}.`, "expiresAt");
    }
    const token = newSecret(TOKEN_PREFIX);
    const link = await this.db.transaction(async (em) => {
      const article = await getOrThrow(em, Article, "Article", articleId, "article");
      const unexpired = await em
        .createQueryBuilder(PreviewLink, "l")
        .where("l.article_id = :pk AND l.expires_at > :now", { pk: article.pk, now: timeParam(this.db, now) })
        .getCount();
      if (unexpired >= MAX_UNEXPIRED_LINKS) {
        throw new BadUserInputError(`Story '${articleId}' has ${unexpired} preview links that have not expired (revoked ones count until they would have); at most ${MAX_UNEXPIRED_LINKS} may be.`, "article");
      }
      return em.save(em.create(PreviewLink, { articleId: article.pk, secretHash: hashSecret(token), expiresAt, revokedAt: null, tokenId: ctx.viewer?.tokenPk ?? null, createdBy: ctx.viewer?.name ?? null, createdAt: now }));
    }, ctx.tally);
    delete link.secretHash;
    return { link, token };
  }

  /** Revokes a link at once; revoking one already revoked changes nothing. */
  async revoke(ctx: DirectContext, id: string, now = new Date()): Promise<PreviewLink> {
    const link = await this.db.transaction(async (em) => {
      const found = await getOrThrow(em, PreviewLink, "PreviewLink", id, "id");
      if (found.revokedAt === null) {
        found.revokedAt = now;
        await em.update(PreviewLink, { pk: found.pk }, { revokedAt: now });
      }
      return found;
    }, ctx.tally);
    delete link.secretHash;
    return link;
  }

  /** Each story's links that have not expired, newest first (editors only). */
  async ofArticles(ctx: RequestContext, articlePks: readonly number[], now = new Date()): Promise<PreviewLink[][]> {
    requireEditor(ctx.viewer, "A story's preview links");
    const rows = (await this.rows.byKeys(this.db, ctx.tally, "article_id", articlePks, `"id" DESC`)).filter((l) => l.expiresAt.getTime() > now.getTime());
    const groups = groupBy(rows, (r) => r.articleId);
    return articlePks.map((pk) => groups.get(pk) ?? []);
  }

  /**
   * The key of the story `token` lets its holder read, or a refusal: RATE_LIMITED when this
   * address has presented too many wrong tokens lately, NOT_FOUND for a token that names no
   * link, FORBIDDEN for a revoked or expired one (each of those counts against the address).
   */
  async open(ctx: RequestContext, token: string, now = new Date()): Promise<number> {
    const what = "wrong, revoked or expired preview tokens from this address";
    await this.wrongTokens.check(ctx.clientAddress, what);
    const refuse = async (error: Error): Promise<never> => {
      await this.wrongTokens.consume(ctx.clientAddress, what);
      throw error;
    };
    if (!TOKEN_SHAPE.test(token)) return refuse(new NotFoundError("No preview link has this token.", "token"));
    const [link] = await this.db.readPrepared(
      `SELECT "article_id", "expires_at", "revoked_at" FROM "preview_link" WHERE ${keyListCondition(this.db, `"secret_hash"`)}`,
      [keyListParam(this.db, [hashSecret(token)])],
      ctx.tally,
    ).then((raw) => raw.map((r) => this.rows.hydrate(r)));
    if (!link) return refuse(new NotFoundError("No preview link has this token.", "token"));
    if (link.revokedAt !== null) return refuse(new ForbiddenError(`This preview link was revoked at ${link.revokedAt.toISOString()}; ask the newsroom for a new one.`));
    if (link.expiresAt.getTime() <= now.getTime()) return refuse(new ForbiddenError(`This preview link expired at ${link.expiresAt.toISOString()}; ask the newsroom for a new one.`));
    return link.articleId;
  }
}
