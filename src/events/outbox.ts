import type { EntityManager } from "typeorm";
import { EventRecord } from "./event.entity";

/*
 * The outbox's payloads are plain data of their own, written as JSON into the event log and read
 * back by every instance, possibly one of another version: they are not entities, and whoever
 * writes one builds it from the rows (the services do).
 */

/** A story's own fields as a story event carries them: everything public, instants as ISO text. */
export interface StoryFields {
  pk: number;
  slug: string;
  title: string;
  summary: string | null;
  body: string;
  dateline: string | null;
  source: string | null;
  /** An ArticleStatus value. */
  status: string;
  publishedAt: string | null;
  scheduledFor: string | null;
  createdAt: string;
  updatedAt: string;
}

/** What a story's nested fields answer in a feed, as the story stood when the event was written. */
export interface StoryRelations {
  tags: Array<{ pk: number; slug: string; name: string }>;
  quotes: Array<{ pk: number; text: string; attribution: string | null; position: number; speakerId: number; institutionId: number | null }>;
}

/** A story event's story as the first version wrote it: what subscription filters match on, no nested rows. */
export interface EventStoryV1 {
  version: 1;
  article: StoryFields;
  institutionPks: number[];
  personPks: number[];
  /** Tag slugs, what subscription filters match on. */
  tags: string[];
}

/** Version 2 also carries the story's tags and quotes, which its nested fields answer in a feed. */
export interface EventStoryV2 extends Omit<EventStoryV1, "version"> {
  version: 2;
  relations: StoryRelations;
  /**
   * On an UNPUBLISHED event, set when the story was deleted rather than taken back to draft
   * (webhooks tell the two apart; feeds take the story down either way). Absent on events
   * written before it existed, which were all plain unpublishings or deletions alike.
   */
  deleted?: true;
}

/** A story's byline and pictures as a story event carries them. */
export interface StoryCredits {
  authors: Array<{ pk: number; slug: string; name: string; bio: string | null; role: string }>;
  images: Array<{ lead: boolean; position: number; url: string; width: number | null; height: number | null; alt: string; caption: string | null; credit: string | null }>;
}

/** Version 3 also carries the story's byline and images (lead image first). */
export interface EventStoryV3 extends Omit<EventStoryV2, "version"> {
  version: 3;
  credits: StoryCredits;
}

/** A correction note as a story event carries it. */
export interface StoryCorrection {
  pk: number;
  text: string;
  createdAt: string;
}

/** Version 4 also carries the story's correction notes, oldest first, and when the latest was added. */
export interface EventStoryV4 extends Omit<EventStoryV3, "version"> {
  version: 4;
  correctedAt: string | null;
  corrections: StoryCorrection[];
}

/** A story as a story event carries it; readers switch on `version`. */
export type EventStory = EventStoryV1 | EventStoryV2 | EventStoryV3 | EventStoryV4;

/**
 * The story a log row's payload holds, or null for a version this code cannot read (written by a
 * newer instance). Payloads written before `version` was stored are told apart by their relations.
 */
export function readEventStory(payload: string): EventStory | null {
  const stored = JSON.parse(payload) as Omit<EventStory, "version"> & { version?: number; relations?: StoryRelations };
  stored.version ??= stored.relations ? 2 : 1;
  return stored.version === 1 || stored.version === 2 || stored.version === 3 || stored.version === 4 ? (stored as EventStory) : null;
}

/**
 * What each version adds, read in one place so a new version cannot be forgotten by a reader that
 * checks for one number: null where the story's version did not carry it.
 */
export function relationsOf(story: EventStory): StoryRelations | null {
  return story.version === 1 ? null : story.relations;
}

export function creditsOf(story: EventStory): StoryCredits | null {
  return story.version >= 3 ? (story as EventStoryV3 | EventStoryV4).credits : null;
}

export function correctionsOf(story: EventStory): { correctedAt: string | null; corrections: StoryCorrection[] } | null {
  return story.version >= 4 ? { correctedAt: (story as EventStoryV4).correctedAt, corrections: (story as EventStoryV4).corrections } : null;
}

/** Whether an UNPUBLISHED event's story was deleted; version 1 events never said, and read as unpublished. */
export function isDeleted(story: EventStory): boolean {
  return story.version !== 1 && story.deleted === true;
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

/** Writes a story event in the caller's transaction. Pass a story read before a deletion, and `deleted` with its UNPUBLISHED event. */
export async function recordArticleEvent(em: EntityManager, type: "PUBLISHED" | "UPDATED" | "UNPUBLISHED", story: EventStoryV4, options: { deleted?: boolean } = {}): Promise<void> {
  const payload: EventStoryV4 = type === "UNPUBLISHED" && options.deleted ? { ...story, deleted: true } : story;
  await append(em, { topic: "article", type, articleId: story.article.pk, commentId: null, payload: JSON.stringify(payload) });
}

/** Writes a "comment became visible" event in the caller's transaction. */
export async function recordCommentApproved(em: EntityManager, snapshot: CommentSnapshot): Promise<void> {
  const { comment } = snapshot;
  await append(em, { topic: "comment", type: "APPROVED", articleId: comment.articleId, commentId: comment.pk, payload: JSON.stringify(snapshot) });
}
