import { MoreThan } from "typeorm";
import type { Viewer } from "../kernel/viewer";
import type { RequestContext } from "../kernel/request-context";
import { canSeeDrafts } from "../kernel/viewer";
import { BadUserInputError, quoted, RateLimitedError } from "../kernel/errors";
import { pkOf } from "../kernel/ids";
import type { Database } from "../db/database";
import { Channel } from "../events/channel";
import type { EventBus } from "../events/bus";
import { EventLogState, EventRecord } from "../events/event.entity";
import { parseEvent } from "../events/log-event";
import type { ArticleLogEvent, CommentLogEvent, LogEvent } from "../events/log-event";
import type { LiveStats } from "../events/stats";
import { ArticleStatus } from "../entities/article.entity";
import type { Article } from "../entities/article.entity";
import { CommentStatus } from "../entities/comment.entity";
import type { Comment } from "../entities/comment.entity";
import type { ArticleSubscriptionFilter } from "./live.inputs";

const CURSOR = /^\d{16}$/;
/** Replay reads the log this many events at a time, and only when its subscriber has taken what came before (16: 50 replays of 20 KB stories streaming at full speed peaked at 425 MB RSS; with 50, 591 MB). */
const REPLAY_BATCH = 16;
/** Events a replay hands over ahead of what its subscriber's socket has sent (each may be 20 KB of story). */
const REPLAY_AHEAD = 4;
// A subscriber this far behind is cut off (it resumes from its cursor) rather than buffered without end.
const SLOW_CONSUMER_LIMIT = 10_000;

/** An event's cursor: its sequence number, zero-padded so cursors also sort as strings. */
export function toEventCursor(seq: number): string {
  return String(seq).padStart(16, "0");
}

/** Whether the viewer may still see what an event is about, read at delivery through that event's shared loaders. */
export type StoryCheck<E extends LogEvent = LogEvent> = (event: E, viewer: Viewer | null) => Promise<boolean>;

/** What a live feed selects. */
export interface FeedSpec<E extends ArticleLogEvent | CommentLogEvent> {
  readonly topic: E["topic"];
  /** Whether an event of the log belongs in this feed (only events of `topic` can). */
  readonly match: (event: LogEvent) => event is E;
  /** Checked before each push, for events whose visibility may have changed since (comments). */
  readonly check?: StoryCheck<E>;
}

/**
 * Live feeds: each one replays the log after a cursor, then follows the event bus, with no gap
 * and no repeat. Filters are applied before anything is resolved for a subscriber.
 */
export class LiveService {
  constructor(
    private readonly db: Database,
    private readonly bus: EventBus,
    private readonly stats: LiveStats,
  ) {}

  /** The last event the bus has handed out: a feed subscribed without `after` starts after it. */
  get head(): number {
    return this.bus.head;
  }

  /** The sequence number a client's `after` stands for; BAD_USER_INPUT when it is malformed, expired or unknown. */
  async checkCursor(after: string | null | undefined): Promise<number | null> {
    if (after === null || after === undefined) return null;
    if (!CURSOR.test(after)) throw new BadUserInputError(`${quoted(after)} is not an event cursor.`, "after");
    const seq = Number(after);
    const state = await this.db.reader.getRepository(EventLogState).findOneBy({ id: 1 });
    const prunedThrough = state?.prunedThrough ?? 0;
    if (seq < prunedThrough) {
      throw new BadUserInputError(`Cursor '${after}' has expired: events up to ${toEventCursor(prunedThrough)} are no longer kept. Subscribe without 'after' to start afresh.`, "after");
    }
    const newest = await this.db.reader.getRepository(EventRecord).find({ select: { seq: true }, order: { seq: "DESC" }, take: 1 });
    if (seq > Math.max(newest[0]?.seq ?? 0, prunedThrough, this.bus.head)) throw new BadUserInputError(`Cursor '${after}' is past the newest event.`, "after");
    return seq;
  }

  /** A matcher for story events with the subscription filter's conditions. */
  articleMatcher(filter: ArticleSubscriptionFilter | null | undefined, types: readonly string[]): (event: LogEvent) => event is ArticleLogEvent {
    const institution = filter?.institutionId ? pkOf(filter.institutionId, "Institution", "filter.institutionId") : null;
    const person = filter?.personId ? pkOf(filter.personId, "Person", "filter.personId") : null;
    const tag = filter?.tag ?? null;
    return (event): event is ArticleLogEvent => {
      if (event.topic !== "article" || !types.includes(event.type)) return false;
      const { snapshot } = event;
      return (institution === null || snapshot.institutionPks.includes(institution)) && (person === null || snapshot.personPks.includes(person)) && (tag === null || snapshot.tags.includes(tag));
    };
  }

  /** A matcher for comment events, of one story or all. */
  commentMatcher(articleId: string | null | undefined): (event: LogEvent) => event is CommentLogEvent {
    const article = articleId ? pkOf(articleId, "Article", "articleId") : null;
    return (event): event is CommentLogEvent => event.topic === "comment" && (article === null || event.articlePk === article);
  }

  /**
   * A comment event is pushed, live or replayed, only while its comment is still APPROVED (a
   * moderator may have marked it SPAM or REJECTED since) and its story is visible to the subscriber.
   */
  commentStillVisible(load: {
    comment: (event: CommentLogEvent, viewer: Viewer | null, pk: number) => Promise<Comment | null>;
    story: (event: CommentLogEvent, viewer: Viewer | null) => Promise<Article | null>;
  }): StoryCheck<CommentLogEvent> {
    return async (event, viewer) => {
      const [comment, story] = await Promise.all([load.comment(event, viewer, event.snapshot.comment.pk), load.story(event, viewer)]);
      return comment !== null && comment.status === CommentStatus.APPROVED && story !== null && (story.status === ArticleStatus.PUBLISHED || canSeeDrafts(viewer));
    };
  }

  /**
   * The feed itself. It listens to the bus before it replays, so an event committed while the
   * replay runs is either in the replay or in what the listener kept, and sequence numbers
   * drop any that are in both.
   */
  async feed<E extends ArticleLogEvent | CommentLogEvent>(ctx: RequestContext, after: string | null | undefined, spec: FeedSpec<E>): Promise<AsyncIterableIterator<E>> {
    const from = await this.checkCursor(after);
    const { bus, db, stats } = this;
    const { viewer } = ctx;
    const channel = new Channel<E>(SLOW_CONSUMER_LIMIT);
    const pending: E[] = [];
    let wake: (() => void) | null = null;
    let last = from ?? bus.head;
    let following = false;
    const unlisten = bus.listen((event) => {
      if (!spec.match(event)) return;
      // Caught up and nothing queued: hand the event over at once (a feed of thousands of
      // subscribers then costs no extra turn of the loop below per subscriber).
      if (following && pending.length === 0 && !spec.check) {
        if (event.seq > last) {
          last = event.seq;
          channel.push(event);
        }
        return;
      }
      // A feed whose subscriber does not read keeps no more than a slow consumer may fall behind.
      if (pending.length >= SLOW_CONSUMER_LIMIT) {
        channel.fail(new RateLimitedError(`The subscriber fell more than ${SLOW_CONSUMER_LIMIT} events behind; resume with the last cursor received.`, 1));
        return;
      }
      pending.push(event);
      wake?.();
    }, spec.topic);
    channel.onClose(() => wake?.());
    stats.activeSubscriptions++;
    const deliver = async (event: E) => {
      if (event.seq <= last) return;
      last = event.seq;
      if (!spec.check || (await spec.check(event, viewer))) channel.push(event);
    };
    const run = async () => {
      if (from !== null) {
        for (;;) {
          const rows = await db.reader.getRepository(EventRecord).find({ where: { seq: MoreThan(last), topic: spec.topic }, order: { seq: "ASC" }, take: REPLAY_BATCH });
          for (const row of rows) {
            // Waits for the socket: memory per replaying subscription stays a page of rows, whatever the log's length.
            await channel.room(REPLAY_AHEAD);
            if (channel.closed) return;
            const event = parseEvent(row, { replayed: true });
            if (event !== null && spec.match(event)) await deliver(event);
            else last = row.seq;
          }
          if (rows.length < REPLAY_BATCH) break;
        }
      }
      while (!channel.closed) {
        const event = pending.shift();
        if (event) {
          await deliver(event);
          continue;
        }
        following = true;
        await new Promise<void>((resolve) => (wake = resolve));
        wake = null;
      }
    };
    run()
      .catch((error: unknown) => channel.fail(error))
      .finally(() => {
        unlisten();
        stats.activeSubscriptions--;
      });
    return channel;
  }
}
