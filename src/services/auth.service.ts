import type { Viewer } from "../kernel/viewer";
import type { CountingContext, RequestContext } from "../kernel/request-context";
import { BadUserInputError, NotFoundError, UnauthenticatedError } from "../kernel/errors";
import { pkOf } from "../kernel/ids";
import { requiredText } from "../kernel/validate";
import { hashSecret, newSecret } from "../kernel/secrets";
import type { Database } from "../db/database";
import type { StatementTally } from "../kernel/request-scope";
import { RowReader } from "../db/rows";
import { alignByPk } from "../db/sql";
import { recordTokenRevoked } from "../events/outbox";
import { ApiToken } from "../entities/auth.entity";
import { Role } from "../kernel/viewer";

const TOKEN_PREFIX = "nwr_";

/**
 * API tokens: made with a 32-byte random secret, kept only as its SHA-256 hash, shown once.
 * Every request looks its token up afresh, so a revoked token stops working at once on every
 * instance.
 */
export class AuthService {
  private readonly tokenRows: RowReader<ApiToken>;

  constructor(private readonly db: Database) {
    this.tokenRows = new RowReader(db, ApiToken);
  }

  /** Makes a token; the returned secret is the only copy there will ever be. */
  async createToken(ctx: CountingContext, name: string, role: Role): Promise<{ token: string; apiToken: ApiToken }> {
    const cleanName = requiredText(name, "name", { max: 100 });
    if (!Object.values(Role).includes(role)) throw new BadUserInputError(`role '${String(role)}' is not one of ${Object.values(Role).join(", ")}.`, "role");
    const token = newSecret(TOKEN_PREFIX);
    const apiToken = await this.db.transaction((em) =>
      em.save(em.create(ApiToken, { name: cleanName, role, tokenHash: hashSecret(token), createdAt: new Date(), revokedAt: null })), ctx.tally,
    );
    delete apiToken.tokenHash;
    return { token, apiToken };
  }

  /**
   * Revokes a token by its id; revoking one already revoked changes nothing. The revocation is
   * an event too, so every instance closes the token's open WebSockets.
   */
  async revokeToken(ctx: CountingContext, id: string): Promise<string> {
    const pk = pkOf(id, "ApiToken");
    await this.db.transaction(async (em) => {
      const token = await em.findOneBy(ApiToken, { pk });
      if (!token) throw new NotFoundError(`No API token has id '${id}'.`);
      if (token.revokedAt !== null) return;
      await em.update(ApiToken, { pk }, { revokedAt: new Date() });
      await recordTokenRevoked(em, pk);
    }, ctx.tally);
    return id;
  }

  /** Whether the token with this key is still live (a socket authenticated earlier asks before each operation). */
  async isActive(tally: StatementTally | null, tokenPk: number): Promise<boolean> {
    const [token] = await this.tokenRows.byKeys(this.db, tally, "id", [tokenPk]);
    return token !== undefined && token.revokedAt === null;
  }

  /** Tokens by primary key in the order asked, revoked ones too (their secrets' hashes are never read). */
  async byPks(ctx: RequestContext, pks: readonly number[]): Promise<Array<ApiToken | null>> {
    return alignByPk(pks, await this.tokenRows.byKeys(this.db, ctx.tally, "id", pks));
  }

  /** Every token, newest first, for the command line. */
  list(): Promise<ApiToken[]> {
    return this.db.reader.getRepository(ApiToken).find({ order: { pk: "DESC" } });
  }

  /**
   * The viewer an `Authorization` value stands for: null without one; UNAUTHENTICATED for a
   * value that is not `Bearer <token>` or names no live token. It decides the viewer a request's
   * context is built around, so it takes only the tally of the request to be.
   */
  async authenticate(tally: StatementTally | null, authorization: string | null | undefined): Promise<Viewer | null> {
    if (authorization === undefined || authorization === null || authorization.trim() === "") return null;
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!match) throw new UnauthenticatedError("The Authorization value must be 'Bearer <token>'.", 401);
    const token = (await this.tokenRows.byKeys(this.db, tally, "token_hash", [hashSecret(match[1]!)])).find((t: ApiToken) => t.revokedAt === null);
    if (!token) throw new UnauthenticatedError("The API token is unknown or has been revoked.", 401);
    return { tokenPk: token.pk, name: token.name, role: token.role };
  }
}
