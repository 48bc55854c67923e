import DataLoader from "dataloader";
import type { RequestContext } from "../../kernel/request-context";
import type { Services } from "../../services/services";
import type { ApiToken } from "../../entities/auth.entity";

/** Per-request batching of token reads (admins' `node(id:)`). */
export const authLoaders = {
  apiToken: ({ auth }: Services, ctx: RequestContext) => new DataLoader<number, ApiToken | null>((pks) => auth.byPks(ctx, pks)),
};
