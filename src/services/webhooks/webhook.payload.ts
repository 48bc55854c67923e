import { toGlobalId } from "../../kernel/ids";
import type { Article } from "../../entities/article.entity";
import type { Comment } from "../../entities/comment.entity";
import type { Tag } from "../../entities/tag.entity";
import { WebhookEventType } from "../../entities/webhook.entity";

/*
 * What a webhook's body says: plain, versioned types of their own, written for receivers outside
 * the newsroom. Each carries only what a reader may see of a published story, read when the
 * delivery is attempted; a story taken down is named by its id and slug alone.
 */

/** A published story as a reader sees it. Ids are the API's global ids. */
export interface WebhookArticleV1 {
  id: string;
  slug: string;
  title: string;
  summary: string | null;
  body: string;
  dateline: string | null;
  source: string | null;
  publishedAt: string;
  updatedAt: string;
  tags: Array<{ slug: string; name: string }>;
}

/** A story no longer published (or no longer there): which one, and nothing of what it said. */
export interface WebhookArticleRefV1 {
  id: string;
  slug: string;
}

/** An approved comment as a reader sees it (never the commenter's email). */
export interface WebhookCommentV1 {
  id: string;
  articleId: string;
  parentId: string | null;
  authorName: string;
  authorWebsite: string | null;
  body: string;
  createdAt: string;
}

interface Envelope<T extends string, D> {
  /** Which version of these types the body is; a new shape gets a new version and an old receiver can tell. */
  version: 1;
  type: T;
  /** When the event happened (ISO 8601, UTC). */
  timestamp: string;
  data: D;
}

/** Version 1 of a webhook's body, told apart by `type` (Standard Webhooks' type/timestamp/data shape). */
export type WebhookPayloadV1 =
  | Envelope<"article.published" | "article.updated", { article: WebhookArticleV1 }>
  | Envelope<"article.unpublished" | "article.deleted", { article: WebhookArticleRefV1 }>
  | Envelope<"comment.approved", { article: WebhookArticleRefV1; comment: WebhookCommentV1 }>;

/** The payload's `type` of each event type. */
export const PAYLOAD_TYPE: Readonly<Record<WebhookEventType, WebhookPayloadV1["type"]>> = {
  [WebhookEventType.ARTICLE_PUBLISHED]: "article.published",
  [WebhookEventType.ARTICLE_UPDATED]: "article.updated",
  [WebhookEventType.ARTICLE_UNPUBLISHED]: "article.unpublished",
  [WebhookEventType.ARTICLE_DELETED]: "article.deleted",
  [WebhookEventType.COMMENT_APPROVED]: "comment.approved",
};

export function articleRefV1(articlePk: number, slug: string): WebhookArticleRefV1 {
  return { id: toGlobalId("Article", articlePk), slug };
}

/** A published story (with its tags, in the story's order) as a payload carries it. */
export function articleV1(article: Article, tags: readonly Tag[]): WebhookArticleV1 {
  return {
    id: toGlobalId("Article", article.pk),
    slug: article.slug,
    title: article.title,
    summary: article.summary,
    body: article.body,
    dateline: article.dateline,
    source: article.source,
    publishedAt: article.publishedAt!.toISOString(),
    updatedAt: article.updatedAt.toISOString(),
    tags: tags.map((t) => ({ slug: t.slug, name: t.name })),
  };
}

export function commentV1(comment: Comment): WebhookCommentV1 {
  return {
    id: toGlobalId("Comment", comment.pk),
    articleId: toGlobalId("Article", comment.articleId),
    parentId: comment.parentId === null ? null : toGlobalId("Comment", comment.parentId),
    authorName: comment.authorName,
    authorWebsite: comment.authorWebsite,
    body: comment.body,
    createdAt: comment.createdAt.toISOString(),
  };
}
