import type { CommentStatus } from "../entities/comment.entity";

/*
 * What CommentService takes, as plain types. The API's GraphQL input types of the same names
 * implement them (api/comment/comment.inputs.ts): the service knows nothing of how a client
 * spells them.
 */

export interface CommentFilter {
  articleId?: string | null;
  status?: CommentStatus | null;
}

export interface AddCommentInput {
  articleId: string;
  parentId?: string | null;
  authorName: string;
  authorEmail: string;
  authorWebsite?: string | null;
  body: string;
}
