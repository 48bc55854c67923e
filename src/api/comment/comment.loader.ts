import DataLoader from "dataloader";
import type { RequestContext } from "../../kernel/request-context";
import type { Services } from "../../services/services";
import type { Comment } from "../../entities/comment.entity";

/** Per-request batching of comment reads; which replies show depends on the viewer. */
export const commentLoaders = {
  comment: ({ comments }: Services, ctx: RequestContext) => new DataLoader<number, Comment | null>((pks) => comments.byPks(ctx, pks)),
  replyPksOfComment: ({ comments }: Services, ctx: RequestContext) => new DataLoader<number, number[]>((pks) => comments.replyPks(ctx, pks)),
  approvedCountOfArticle: ({ comments }: Services, ctx: RequestContext) => new DataLoader<number, number>((pks) => comments.approvedCounts(ctx, pks)),
};
