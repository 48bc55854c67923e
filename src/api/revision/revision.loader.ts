import DataLoader from "dataloader";
import type { RequestContext } from "../../kernel/request-context";
import type { Services } from "../../services/services";
import type { ArticleRevision } from "../../entities/revision.entity";
import type { StorySnapshot } from "../../services/revisions";

/** Per-request batching of revision reads (editors only: the service refuses anyone else). */
export const revisionLoaders = {
  revision: ({ revisions }: Services, ctx: RequestContext) => new DataLoader<number, ArticleRevision | null>((pks) => revisions.byPks(ctx, pks)),
  revisionSnapshot: ({ revisions }: Services, ctx: RequestContext) => new DataLoader<number, StorySnapshot>((pks) => revisions.snapshots(ctx, pks)),
};
