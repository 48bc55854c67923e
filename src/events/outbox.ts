import type { EntityManager } from "typeorm";
import { Article, ArticleInstitution, ArticlePerson, ArticleTag } from "../entities/article.entity";
import { Comment } from "../entities/comment.entity";
import { Quote } from "../entities/quote.entity";
import { Tag } from "../entities/tag.entity";
import { EventRecord } from "./event.entity";

/** A story as an event carries it, with what subscription filters match on. */
export interface ArticleSnapshot {
  article: Omit<Article, "id" | "publishedAt" | "scheduledFor" | "createdAt" | "updatedAt"> & {
    publishedAt: string | null;
    scheduledFor: string | null;
    createdAt: string;
    updatedAt: string;
  };
  institutionPks: number[];
  personPks: number[];
  /** Tag slugs, what subscription filters match on. */
  tags: string[];
  /**
   * What the story's nested fields answer in a feed, as the story stood when the event was
   * written. Absent from events written before it was added (see {@link EventStory}).
   */
  relations?: {
    tags: Array<{ pk: number; slug: string; name: string }>;
    quotes: Array<{ pk: number; text: string; attribution: string | null; position: number; speakerId: number; institutionId: number | null }>;
  };
}

/** A comment as an event carries it: everything public, never the email. */
export interface CommentSnapshot {
  comment: { pk: number; articleId: number; parentId: number | null; authorName: string; authorWebsite: string | null; body: string; status: string; createdAt: string };
}

/**
 * Appends to the log. Callers are inside `Database.transaction`, which runs write transactions
 * one at a time (on PostgreSQL under an advisory lock held to commit), so sequence order is
 * commit order and a reader that has seen event n has seen every event before it.
 */
async function append(em: EntityManager, fields: Omit<EventRecord, "seq" | "createdAt">): Promise<void> {
  await em.insert(EventRecord, { ...fields, createdAt: new Date() });
}

/** Reads a story's links as they stand in this transaction. */
export async function snapshotArticle(em: EntityManager, article: Article): Promise<ArticleSnapshot> {
  // One after another: a transaction is one connection, and pg will not run two queries on it at once.
  const institutions = await em.find(ArticleInstitution, { where: { articleId: article.pk }, order: { position: "ASC" } });
  const people = await em.find(ArticlePerson, { where: { articleId: article.pk }, order: { position: "ASC" } });
  const tagLinks = await em.find(ArticleTag, { where: { articleId: article.pk }, order: { position: "ASC" } });
  const found = tagLinks.length === 0 ? [] : await em.createQueryBuilder(Tag, "t").where("t.id IN (:...ids)", { ids: tagLinks.map((l) => l.tagId) }).getMany();
  const byPk = new Map(found.map((t) => [t.pk, t]));
  const tags = tagLinks.map((l) => byPk.get(l.tagId)!);
  const quotes = await em.find(Quote, { where: { articleId: article.pk }, order: { position: "ASC", pk: "ASC" } });
  const { pk, slug, title, summary, body, dateline, source, status } = article;
  return {
    article: {
      pk,
      slug,
      title,
      summary,
      body,
      dateline,
      source,
      status,
      publishedAt: article.publishedAt?.toISOString() ?? null,
      scheduledFor: article.scheduledFor?.toISOString() ?? null,
      createdAt: article.createdAt.toISOString(),
      updatedAt: article.updatedAt.toISOString(),
    },
    institutionPks: institutions.map((l) => l.institutionId),
    personPks: people.map((l) => l.personId),
    tags: tags.map((t) => t.slug),
    relations: {
      tags: tags.map(({ pk: tagPk, slug: tagSlug, name }) => ({ pk: tagPk, slug: tagSlug, name })),
      quotes: quotes.map((q) => ({ pk: q.pk, text: q.text, attribution: q.attribution, position: q.position, speakerId: q.speakerId, institutionId: q.institutionId })),
    },
  };
}

/** What a token revocation tells every instance: which token's open sockets to close. */
export interface TokenRevokedPayload {
  tokenPk: number;
}

/** Writes a "this token was revoked" event in the caller's transaction; no feed replays it. */
export async function recordTokenRevoked(em: EntityManager, tokenPk: number): Promise<void> {
  const payload: TokenRevokedPayload = { tokenPk };
  await append(em, { topic: "token", type: "REVOKED", articleId: 0, commentId: null, payload: JSON.stringify(payload) });
}

/** What a write tells every instance's response cache: the tags of what it changed. */
export interface ChangePayload {
  tags: string[];
}

/** Writes a "these kinds of record changed" event in the caller's transaction; no feed replays it. */
export async function recordChange(em: EntityManager, tags: readonly string[]): Promise<void> {
  const payload: ChangePayload = { tags: [...tags] };
  await append(em, { topic: "cache", type: "CHANGED", articleId: 0, commentId: null, payload: JSON.stringify(payload) });
}

/** Writes a story event in the caller's transaction. Pass a snapshot taken before a deletion. */
export async function recordArticleEvent(em: EntityManager, type: "PUBLISHED" | "UPDATED" | "UNPUBLISHED", snapshot: ArticleSnapshot): Promise<void> {
  await append(em, { topic: "article", type, articleId: snapshot.article.pk, commentId: null, payload: JSON.stringify(snapshot) });
}

/** Writes a "comment became visible" event in the caller's transaction. */
export async function recordCommentApproved(em: EntityManager, comment: Comment): Promise<void> {
  const snapshot: CommentSnapshot = {
    comment: {
      pk: comment.pk,
      articleId: comment.articleId,
      parentId: comment.parentId,
      authorName: comment.authorName,
      authorWebsite: comment.authorWebsite,
      body: comment.body,
      status: comment.status,
      createdAt: comment.createdAt.toISOString(),
    },
  };
  await append(em, { topic: "comment", type: "APPROVED", articleId: comment.articleId, commentId: comment.pk, payload: JSON.stringify(snapshot) });
}

/**
 * What a story built from an event answers for its nested fields: the links and rows of the
 * event's snapshot, never the current rows (which may be a later draft). `tags` and `quotes` are
 * null for events written before snapshots carried them; the current rows may then stand in only
 * while the story is visible to the reader now.
 */
export interface EventStory {
  readonly institutionPks: readonly number[];
  readonly personPks: readonly number[];
  readonly tags: Tag[] | null;
  readonly quotes: Quote[] | null;
}

const EVENT_STORY = Symbol("the event snapshot this story was built from");

/** The story an event snapshot describes, as an entity the resolvers can use, carrying its snapshot's relations. */
export function articleFromSnapshot(snapshot: ArticleSnapshot): Article {
  const a = snapshot.article;
  const story = Object.assign(new Article(), {
    ...a,
    publishedAt: a.publishedAt ? new Date(a.publishedAt) : null,
    scheduledFor: a.scheduledFor ? new Date(a.scheduledFor) : null,
    createdAt: new Date(a.createdAt),
    updatedAt: new Date(a.updatedAt),
  });
  const relations = snapshot.relations;
  const carried: EventStory = {
    institutionPks: snapshot.institutionPks,
    personPks: snapshot.personPks,
    tags: relations ? relations.tags.map((t) => Object.assign(new Tag(), t)) : null,
    quotes: relations ? relations.quotes.map((q) => Object.assign(new Quote(), { ...q, articleId: a.pk })) : null,
  };
  return Object.assign(story, { [EVENT_STORY]: carried });
}

/** The snapshot relations of a story built by {@link articleFromSnapshot}; undefined for a story read from the store. */
export function eventStoryOf(article: Article): EventStory | undefined {
  return (article as Article & { [EVENT_STORY]?: EventStory })[EVENT_STORY];
}

/** The comment an event snapshot describes. */
export function commentFromSnapshot(snapshot: CommentSnapshot): Comment {
  const c = snapshot.comment;
  return Object.assign(new Comment(), { ...c, createdAt: new Date(c.createdAt) });
}
