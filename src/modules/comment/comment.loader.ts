import DataLoader from "dataloader";
import type { Viewer } from "../../auth/viewer";
import type { Comment } from "./comment.entity";
import type { CommentService } from "./comment.service";

export function createCommentLoaders(comments: CommentService, viewer: Viewer | null) {
  return {
    comment: new DataLoader<number, Comment | null>((pks) => comments.byPks(pks)),
    replyPksOfComment: new DataLoader<number, number[]>((pks) => comments.replyPks(viewer, pks)),
    approvedCountOfArticle: new DataLoader<number, number>((pks) => comments.approvedCounts(pks)),
  };
}
