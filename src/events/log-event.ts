import type { EventRecord } from "./event.entity";
import { readEventStory } from "./outbox";
import type { ChangePayload, CommentSnapshot, EventStory, TokenRevokedPayload } from "./outbox";

interface Logged {
  /** The event's place in the log, and the cursor clients resume after. */
  readonly seq: number;
  readonly createdAt: Date;
  /**
   * Set on an event read back from the log to replay it to one subscriber (`after`), never on
   * the events the bus hands to every listener as they are committed: a replayed event's age is
   * not a push lag.
   */
  readonly replayed?: true;
}

/** A story was published, edited while published, or unpublished (or deleted); the snapshot is the story as it stood then. */
export interface ArticleLogEvent extends Logged {
  readonly topic: "article";
  readonly type: "PUBLISHED" | "UPDATED" | "UNPUBLISHED";
  readonly articlePk: number;
  readonly snapshot: EventStory;
}

/** A comment became visible. */
export interface CommentLogEvent extends Logged {
  readonly topic: "comment";
  readonly type: "APPROVED";
  /** The story the comment is on. */
  readonly articlePk: number;
  readonly snapshot: CommentSnapshot;
}

/** An API token was revoked: every instance closes its sockets. No feed replays it. */
export interface TokenLogEvent extends Logged {
  readonly topic: "token";
  readonly type: "REVOKED";
  readonly tokenPk: number;
}

/** A write changed what cached answers tagged with `tags` show. No feed replays it. */
export interface CacheLogEvent extends Logged {
  readonly topic: "cache";
  readonly type: "CHANGED";
  readonly tags: readonly string[];
}

/** One event of the log, as the bus hands it to listeners: whoever switches on `topic` knows its shape. */
export type LogEvent = ArticleLogEvent | CommentLogEvent | TokenLogEvent | CacheLogEvent;

const parsed = new WeakSet<object>();

/** Whether `value` is an event {@link parseEvent} made (a subscription's root value is one). */
export function isLogEvent(value: unknown): value is LogEvent {
  return typeof value === "object" && value !== null && parsed.has(value);
}

/**
 * The event a log row holds, its payload parsed once; null for a row this version cannot read
 * (an unknown topic or type, written by a newer instance), which listeners never see. `replayed`
 * marks one read back for a single subscriber's replay.
 */
export function parseEvent(row: EventRecord, read: { readonly replayed?: boolean } = {}): LogEvent | null {
  const { seq, createdAt } = row;
  let event: LogEvent;
  switch (row.topic) {
    case "article": {
      if (row.type !== "PUBLISHED" && row.type !== "UPDATED" && row.type !== "UNPUBLISHED") return null;
      const snapshot = readEventStory(row.payload);
      if (snapshot === null) return null;
      event = { topic: "article", type: row.type, seq, createdAt, articlePk: row.articleId, snapshot };
      break;
    }
    case "comment":
      if (row.type !== "APPROVED") return null;
      event = { topic: "comment", type: row.type, seq, createdAt, articlePk: row.articleId, snapshot: JSON.parse(row.payload) as CommentSnapshot };
      break;
    case "token":
      if (row.type !== "REVOKED") return null;
      event = { topic: "token", type: row.type, seq, createdAt, tokenPk: (JSON.parse(row.payload) as TokenRevokedPayload).tokenPk };
      break;
    case "cache":
      if (row.type !== "CHANGED") return null;
      event = { topic: "cache", type: row.type, seq, createdAt, tags: (JSON.parse(row.payload) as ChangePayload).tags };
      break;
    default:
      return null;
  }
  if (read.replayed) event = { ...event, replayed: true };
  parsed.add(event);
  return event;
}
