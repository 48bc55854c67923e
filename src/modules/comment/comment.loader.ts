import DataLoader from "dataloader";
import type { Services } from "../../context";
import type { Viewer } from "../../auth/viewer";
import type { Comment } from "./comment.entity";

/** Per-request batching of comment reads; which replies show depends on the viewer. */
export const commentLoaders = {
  comment: ({ comments }: Services) => new DataLoader<number, Comment | null>((pks) => comments.byPks(pks)),
  replyPksOfComment: ({ comments }: Services, viewer: Viewer | null) => new DataLoader<number, number[]>((pks) => comments.replyPks(viewer, pks)),
  approvedCountOfArticle: ({ comments }: Services, viewer: Viewer | null) => new DataLoader<number, number>((pks) => comments.approvedCounts(viewer, pks)),
};
