import DataLoader from "dataloader";
import type { RequestContext } from "../../kernel/request-context";
import type { Services } from "../../services/services";
import type { Tag } from "../../entities/tag.entity";

/** Per-request batching of tag reads. */
export const tagLoaders = {
  tag: ({ tags }: Services, ctx: RequestContext) => new DataLoader<number, Tag | null>((pks) => tags.byPks(ctx, pks)),
  tagVisible: ({ tags }: Services, ctx: RequestContext) => new DataLoader<number, boolean>((pks) => tags.visible(ctx, pks)),
};
