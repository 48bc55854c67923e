import { createSourceEventStream, execute } from "graphql";
import type { ExecutionArgs, ExecutionResult } from "graphql";
import type { WebSocket } from "ws";
import { audienceOf, contextForEvent } from "../api/context";
import type { Context } from "../api/context";
import { sharedExecution } from "../api/live/event-shares";
import { Channel } from "../events/channel";
import { isLogEvent } from "../events/log-event";
import type { LogEvent } from "../events/log-event";
import type { LiveStats } from "../events/stats";
import type { DirectLane } from "./websocket.lane";

/*
 * The fan-out of one event to many subscribers: subscribers of an event with the same operation,
 * variables and audience share one execution, and each result is serialised once, however many
 * sockets it goes to. Subscribers that are caught up are written to by the direct lane
 * (websocket.lane.ts); the rest through graphql-ws's loop, with the frames made here.
 */

/**
 * What `onNext` hands graphql-ws in place of a result the adapter frames itself: graphql-ws
 * stringifies every `next` message per subscriber, which for one event pushed to 5,000
 * subscribers of one shared execution meant 5,000 serialisations of the same result. The result
 * is serialised once (per result object) and the adapter's `send` puts it into each
 * subscriber's frame in place of this stand-in.
 */
export const FRAMED = { extensions: { framedByAdapter: true } };
const FRAMED_TAIL = `,"payload":${JSON.stringify(FRAMED)}}`;
/** Serialised results, per result object: subscribers sharing an execution share the object. */
const serialised = new WeakMap<object, string>();

/** Serialised results as bytes, for the direct lane's frames. */
const encoded = new WeakMap<object, Buffer>();

/** `result` serialised, once per result object. */
function serialisedOnce(result: ExecutionResult): string {
  let text = serialised.get(result);
  if (text === undefined) {
    text = JSON.stringify(result);
    serialised.set(result, text);
  }
  return text;
}

/** Keeps `result` serialised (once per result object) for operation `id`'s next frame on one socket; send {@link FRAMED} in its place. */
export function frameLater(framed: Map<string, string>, id: string, result: ExecutionResult): typeof FRAMED {
  framed.set(id, serialisedOnce(result));
  return FRAMED;
}

/**
 * The payload of a `next` frame for `result` as bytes, made once per result object: the text
 * {@link frameLater} puts in graphql-ws's frames, or for a result with errors the text graphql-ws
 * makes of what `format` (the adapter's `onNext`) returns.
 */
export function payloadBytes(result: ExecutionResult, format: (result: ExecutionResult) => unknown): Buffer {
  let bytes = encoded.get(result);
  if (bytes === undefined) {
    bytes = Buffer.from(result.errors?.length ? JSON.stringify(format(result)) : serialisedOnce(result));
    encoded.set(result, bytes);
  }
  return bytes;
}

/** The frame to send for `data`: graphql-ws's own, or a `next` frame around a result serialised once (kept in `framed` by {@link frameLater}). */
export function frameOf(data: string, framed: Map<string, string>): string {
  if (data.length > 256 || !data.endsWith(FRAMED_TAIL)) return data;
  const { id } = JSON.parse(data) as { id: string };
  const result = framed.get(id);
  if (result === undefined) return data;
  framed.delete(id);
  return `{"id":${JSON.stringify(id)},"type":"next","payload":${result}}`;
}

/**
 * Per subscription context, what its result depends on besides the event: the audience, the
 * operation, its variables and the document. Subscribers with the same key share one execution per event.
 */
const sharedResultKeys = new WeakMap<object, string>();

/** Per subscription context, the socket and operation id the direct lane writes its frames to. */
const laneTargets = new WeakMap<object, { socket: WebSocket; id: string }>();

/** Lets the subscription executed in `contextValue` (operation `id` on `socket`) take the direct lane when its feed allows it. */
export function writeDirectlyTo(contextValue: Context, target: { socket: WebSocket; id: string }): void {
  laneTargets.set(contextValue, target);
}

/** One event of a subscription, executed in the event's context (its shared loaders and story). */
export async function executeEvent(args: ExecutionArgs, event: LogEvent | null, payload: unknown = event): Promise<ExecutionResult> {
  const base = args.contextValue as Context;
  return await (execute({ ...args, rootValue: payload, contextValue: event ? contextForEvent(base, event) : base }));
}

/** Marks a subscription's context with what its results depend on (see {@link subscribeShared}). */
export function shareResultsOf(contextValue: Context, operation: { operationName: string | null | undefined; variables: unknown; source: string }): void {
  sharedResultKeys.set(contextValue, `result:${audienceOf(contextValue.viewer)}:${operation.operationName ?? ""}\u0000${JSON.stringify(operation.variables)}\u0000${operation.source}`);
}

/** Maps each item of an async iterator, passing `return()` straight through so unsubscribing stays immediate. */
function mapIterator<T, R>(source: AsyncIterator<T>, map: (item: T) => Promise<R>): AsyncIterableIterator<R> {
  const done = async (): Promise<IteratorResult<R>> => {
    await source.return?.();
    return { value: undefined, done: true };
  };
  return {
    async next() {
      const item = await source.next();
      return item.done ? { value: undefined, done: true } : { value: await map(item.value), done: false };
    },
    return: done,
    async throw(error: unknown) {
      await done();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

/**
 * graphql-ws's `subscribe`: each event of the source stream executes in the event's context
 * (its shared loaders and story), once for all subscribers marked with the same key by
 * {@link shareResultsOf}; every push is recorded in `stats`. A feed whose subscription was
 * marked by {@link writeDirectlyTo} joins `lane`, which writes its events itself while the
 * subscriber is caught up; what the lane leaves comes through the iterator returned here.
 */
export function subscribeShared(stats: LiveStats, lane: DirectLane): (args: ExecutionArgs) => Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
  return async (args) => {
    const source = await createSourceEventStream(args);
    if (!(Symbol.asyncIterator in source)) return source as ExecutionResult;
    const base = args.contextValue as Context;
    // Built once per subscription: per event it is only looked up (the string keeps its hash).
    const sharedKey = sharedResultKeys.get(base);
    const iterator = source[Symbol.asyncIterator]();
    const target = laneTargets.get(base);
    if (iterator instanceof Channel && target !== undefined && sharedKey !== undefined) lane.join(iterator as Channel<unknown>, target, sharedKey, args);
    return mapIterator(iterator, async (payload: unknown) => {
      const event = isLogEvent(payload) ? payload : null;
      const run = () => executeEvent(args, event, payload);
      // Subscribers of one event with the same operation, variables and audience get one shared execution.
      const result = event && sharedKey !== undefined ? await sharedExecution(event, sharedKey, run) : await run();
      if (event?.replayed) stats.recordReplay();
      else if (event) stats.recordPush(event.createdAt);
      return result;
    });
  };
}
