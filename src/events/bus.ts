import { MoreThan } from "typeorm";
import type { Logger } from "../kernel/logger";
import { forEachInSlices } from "../kernel/slices";
import type { Database } from "../db/database";
import { timeParam } from "../db/sql";
import { EventLogState, EventRecord } from "./event.entity";
import { parseEvent } from "./log-event";
import type { LogEvent } from "./log-event";

/** Carries "there are new events" between instances; delivery never depends on it alone. */
export interface Notifier {
  publish(seq: number): void;
  onNotify(listener: () => void): void;
  close(): Promise<void>;
}

export interface EventBusOptions {
  /** How often to look for events even when nobody said there are any (a lost notification costs at most this). */
  readonly pollIntervalMs: number;
  /** How long events stay in the log for resuming clients. */
  readonly retentionMs: number;
  readonly logger: Logger;
  readonly notifier?: Notifier;
}

const BATCH = 500;
/**
 * A topic's listeners one event is handed to before the loop may turn. Live feeds listen to
 * their topic: with 10,000 of them one uninterrupted pass took 20–65 ms on a loaded machine
 * before the direct lane could write the first socket; in slices, the subscribers of the first
 * slice are written while the rest are still being handed the event.
 */
export const HAND_SLICE = 500;

/**
 * Follows the event log of the database and hands each new event, in order, to this process's
 * listeners. It reads the log after every local commit, when another instance says so, and on a
 * timer; it remembers the last event it handed out, so nothing is skipped or repeated.
 */
export class EventBus {
  private lastSeq = 0;
  /** Listeners of every event. */
  private readonly listeners = new Set<(event: LogEvent) => void>();
  /** Listeners of one topic's events: thousands of live feeds then cost nothing per cache or token event. */
  private readonly byTopic = new Map<LogEvent["topic"], Set<(event: LogEvent) => void>>();
  private polling: Promise<void> | null = null;
  private again = false;
  private announce = false;
  private timer: NodeJS.Timeout | null = null;
  private pruneTimer: NodeJS.Timeout | null = null;
  private stopCommitListener: (() => void) | null = null;

  constructor(
    private readonly db: Database,
    private readonly options: EventBusOptions,
  ) {}

  /** The last event handed to listeners: a subscriber without a cursor starts after it. */
  get head(): number {
    return this.lastSeq;
  }

  get listenerCount(): number {
    let count = this.listeners.size;
    for (const own of this.byTopic.values()) count += own.size;
    return count;
  }

  async start(): Promise<void> {
    const last = await this.db.reader.getRepository(EventRecord).find({ select: { seq: true }, order: { seq: "DESC" }, take: 1 });
    this.lastSeq = last[0]?.seq ?? 0;
    this.stopCommitListener = this.db.onCommit(() => this.poke(true));
    this.options.notifier?.onNotify(() => this.poke(false));
    this.timer = setInterval(() => this.poke(false), this.options.pollIntervalMs);
    this.timer.unref();
    const pruneEvery = Math.min(3_600_000, Math.max(1000, Math.floor(this.options.retentionMs / 10)));
    this.pruneTimer = setInterval(() => void this.prune().catch((error: unknown) => this.options.logger.error({ err: error }, "pruning the event log failed")), pruneEvery);
    this.pruneTimer.unref();
  }

  /** Adds a listener for every event from now on, or for those of `topic` only; returns its removal. */
  listen(listener: (event: LogEvent) => void, topic?: LogEvent["topic"]): () => void {
    let listeners = this.listeners;
    if (topic !== undefined) {
      listeners = this.byTopic.get(topic) ?? new Set();
      this.byTopic.set(topic, listeners);
    }
    listeners.add(listener);
    return () => void listeners.delete(listener);
  }

  /** Asks for a look at the log soon; `local` when this process just committed (other instances are told). */
  poke(local: boolean): void {
    if (local) this.announce = true;
    if (this.polling) {
      this.again = true;
      return;
    }
    this.polling = this.drain()
      .catch((error: unknown) => this.options.logger.error({ err: error }, "reading the event log failed"))
      .finally(() => {
        this.polling = null;
        if (this.again) {
          this.again = false;
          this.poke(false);
        }
      });
  }

  /** Resolves when the log has been read up to what is committed now (tests and shutdown use it). */
  async settle(): Promise<void> {
    this.poke(false);
    while (this.polling) await this.polling;
  }

  private async drain(): Promise<void> {
    const announce = this.announce;
    this.announce = false;
    let delivered = 0;
    for (;;) {
      const rows = await this.db.reader.getRepository(EventRecord).find({ where: { seq: MoreThan(this.lastSeq) }, order: { seq: "ASC" }, take: BATCH });
      for (const row of rows) {
        const event = parseEvent(row);
        this.lastSeq = row.seq;
        if (event === null) {
          this.options.logger.error({ seq: row.seq, topic: row.topic, type: row.type }, "skipped an event this version cannot read");
          continue;
        }
        delivered++;
        this.hand(event, this.listeners);
        const own = this.byTopic.get(event.topic);
        if (own !== undefined) await this.handInSlices(event, own);
      }
      if (rows.length < BATCH) break;
    }
    if (announce && delivered > 0) this.options.notifier?.publish(this.lastSeq);
  }

  private hand(event: LogEvent, listeners: Iterable<(event: LogEvent) => void>): void {
    for (const listener of listeners) this.handOne(event, listener);
  }

  private handOne(event: LogEvent, listener: (event: LogEvent) => void): void {
    try {
      listener(event);
    } catch (error) {
      this.options.logger.error({ err: error, seq: event.seq }, "an event listener failed");
    }
  }

  /**
   * Hands `event` to a topic's listeners {@link HAND_SLICE} at a time, letting the loop turn
   * between slices. The next event waits for the last slice, so each listener still gets the
   * events in order. The listeners are those of when the event came: one added meanwhile
   * started after it (the bus's head had passed it); one removed meanwhile gets nothing more.
   */
  private async handInSlices(event: LogEvent, listeners: ReadonlySet<(event: LogEvent) => void>): Promise<void> {
    if (listeners.size <= HAND_SLICE) {
      this.hand(event, listeners);
      return;
    }
    await forEachInSlices([...listeners], HAND_SLICE, (listener) => {
      if (listeners.has(listener)) this.handOne(event, listener);
    });
  }

  /** Drops events older than the retention; cursors up to the last one dropped expire. */
  async prune(now = Date.now()): Promise<number> {
    const cutoff = new Date(now - this.options.retentionMs);
    return this.db.transaction(async (em) => {
      const newest = await em
        .getRepository(EventRecord)
        .createQueryBuilder("e")
        .select("MAX(e.seq)", "seq")
        .where("e.created_at < :cutoff", { cutoff: timeParam(this.db, cutoff) })
        .getRawOne<{ seq: number | null }>();
      const through = Number(newest?.seq ?? 0);
      if (through === 0) return 0;
      const result = await em.createQueryBuilder().delete().from(EventRecord).where("seq <= :through", { through }).execute();
      await em.update(EventLogState, { id: 1 }, { prunedThrough: through });
      return result.affected ?? 0;
    });
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    if (this.pruneTimer) clearInterval(this.pruneTimer);
    this.stopCommitListener?.();
    while (this.polling) await this.polling;
    this.listeners.clear();
    this.byTopic.clear();
  }
}
