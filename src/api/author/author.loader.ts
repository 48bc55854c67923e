import DataLoader from "dataloader";
import type { RequestContext } from "../../kernel/request-context";
import type { Services } from "../../services/services";
import type { Author } from "../../entities/author.entity";

/** Per-request batching of author reads (null for an author the viewer may not see). */
export const authorLoaders = {
  author: ({ authors }: Services, ctx: RequestContext) => new DataLoader<number, Author | null>((pks) => authors.byPks(ctx, pks)),
};
