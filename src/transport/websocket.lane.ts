import type { ExecutionArgs, ExecutionResult } from "graphql";
import type { WebSocket } from "ws";
import type { Channel } from "../events/channel";
import { nextTurn } from "../kernel/slices";
import { isLogEvent } from "../events/log-event";
import type { LogEvent } from "../events/log-event";
import type { LiveStats } from "../events/stats";
import { sharedExecution } from "../api/live/event-shares";

/*
 * The direct lane of the fan-out. graphql-ws hands each event to each subscriber through an
 * async iterator (the feed's channel, our mapping, its loop, its send), and the microtask queue
 * runs every step for every subscriber before the next step of any: with 5,000 subscribers no
 * socket was written until most of the work for all of them was done. Here a subscriber that is
 * caught up (its graphql-ws loop waits for the next event, nothing queued) is written to with
 * the others that share the event's execution, a slice at a time: the result is serialised once,
 * and each socket gets it behind its own subscription id, in a frame made whole here. graphql-ws's loop stays parked in
 * `next()` meanwhile; anything that cannot take the lane (a replayed event, a socket that is
 * behind) goes the ordinary way, and the channel keeps the order between the two.
 */

/** Bytes a socket may hold unsent and still take the lane; past it, events wait for the socket in graphql-ws's loop. */
export const LANE_MAX_BUFFERED_BYTES = 64 * 1024;
/** Events one subscriber may have in the lane (executing, not yet written) at once. */
export const LANE_MAX_AHEAD = 16;
/**
 * Sockets one batch writes before it lets the loop turn: one uninterrupted pass over 10,000
 * subscribers kept everything else in the process (the bus handing the event to the rest of the
 * feeds, HTTP requests) waiting for it. The group's next batch waits for the last slice, so each
 * subscriber's events still go out in order.
 */
export const LANE_WRITE_SLICE = 500;

const OPEN = 1;
const TAIL = Buffer.from("}");

/** One subscription the lane may write to. */
interface LaneSubscriber {
  readonly socket: WebSocket;
  /** `{"id":<id>,"type":"next","payload":`: how each of its `next` frames starts, as graphql-ws writes it. */
  readonly head: Buffer;
  readonly channel: Channel<unknown>;
  /** Events taken and not yet written or dropped. */
  ahead: number;
}

/** One event for the subscribers of one shared execution who took the lane for it, written together. */
interface Batch {
  readonly event: LogEvent;
  readonly members: LaneSubscriber[];
  readonly settles: Array<() => void>;
  /** Until its writing starts, later subscribers of the same event may join. */
  open: boolean;
}

/** The subscribers of one shared execution (operation, variables, audience): their batches are written in the order they were made. */
interface Group {
  subscribers: number;
  last: Batch | null;
  tail: Promise<void>;
}

/** What the lane needs from the adapter. */
export interface LaneOptions {
  readonly stats: LiveStats;
  /** Runs one event of a subscription (the same execution graphql-ws's path runs, shared by key). */
  readonly execute: (args: ExecutionArgs, event: LogEvent) => Promise<ExecutionResult>;
  /** A result's `next` payload, serialised once per result object: the same text graphql-ws's path sends (errors masked). */
  readonly payloadOf: (result: ExecutionResult) => Buffer;
}

/** The direct lane of one graphql-ws endpoint. */
export class DirectLane {
  private readonly groups = new Map<string, Group>();

  constructor(private readonly options: LaneOptions) {}

  /**
   * Lets `channel` (subscription `id` on `socket`, executed with `args`, sharing results under
   * `key`) hand its events to the lane while its subscriber is caught up.
   */
  join(channel: Channel<unknown>, target: { socket: WebSocket; id: string }, key: string, args: ExecutionArgs): void {
    const subscriber: LaneSubscriber = { socket: target.socket, head: Buffer.from(`{"id":${JSON.stringify(target.id)},"type":"next","payload":`), channel, ahead: 0 };
    const group = this.groups.get(key) ?? { subscribers: 0, last: null, tail: Promise.resolve() };
    group.subscribers++;
    this.groups.set(key, group);
    channel.onClose(() => {
      if (--group.subscribers === 0 && this.groups.get(key) === group) this.groups.delete(key);
    });
    channel.bypassWith((value, settle) => this.take(group, subscriber, key, args, value, settle));
  }

  /** Takes `value` for `subscriber` when it is a live event and the socket keeps up; false leaves it to graphql-ws's loop. */
  private take(group: Group, subscriber: LaneSubscriber, key: string, args: ExecutionArgs, value: unknown, settle: () => void): boolean {
    if (!isLogEvent(value) || value.replayed) return false;
    const { socket } = subscriber;
    if (socket.readyState !== OPEN || socket.bufferedAmount > LANE_MAX_BUFFERED_BYTES || subscriber.ahead >= LANE_MAX_AHEAD) return false;
    let batch = group.last;
    // Only the newest batch is joined: a subscriber's events then go out in the order it took them.
    if (batch === null || !batch.open || batch.event !== value) {
      const made: Batch = { event: value, members: [], settles: [], open: true };
      const result = sharedExecution(value, key, () => this.options.execute(args, value));
      group.last = made;
      group.tail = group.tail.then(() => result).then(
        (done) => this.write(made, done),
        (error: unknown) => this.fail(made, error),
      );
      batch = made;
    }
    batch.members.push(subscriber);
    batch.settles.push(settle);
    subscriber.ahead++;
    return true;
  }

  /** The batch's sockets written {@link LANE_WRITE_SLICE} at a time: the payload serialised once, each open subscription's frame written. */
  private async write(batch: Batch, result: ExecutionResult): Promise<void> {
    let payload: Buffer;
    try {
      payload = this.options.payloadOf(result);
    } catch (error) {
      this.fail(batch, error);
      return;
    }
    batch.open = false;
    const { stats } = this.options;
    const { members, settles } = batch;
    for (let start = 0; start < members.length; start += LANE_WRITE_SLICE) {
      if (start > 0) await nextTurn();
      const now = Date.now();
      const end = Math.min(members.length, start + LANE_WRITE_SLICE);
      for (let i = start; i < end; i++) {
        const subscriber = members[i]!;
        subscriber.ahead--;
        // Unsubscribed (or its socket closed) since it took the lane: it gets nothing more.
        if (!subscriber.channel.stopped && subscriber.socket.readyState === OPEN) {
          // Through ws's public send: writing pre-framed bytes to its socket would save ~1 µs a subscriber but lean on ws's private state.
          subscriber.socket.send(Buffer.concat([subscriber.head, payload, TAIL]), { binary: false });
          stats.recordPush(batch.event.createdAt, now, "direct");
        }
        settles[i]!();
      }
    }
  }

  /** An execution that failed ends each subscription with its error, as graphql-ws's loop would. */
  private fail(batch: Batch, error: unknown): void {
    batch.open = false;
    for (let i = 0; i < batch.members.length; i++) {
      const subscriber = batch.members[i]!;
      subscriber.ahead--;
      subscriber.channel.fail(error);
      batch.settles[i]!();
    }
  }
}
