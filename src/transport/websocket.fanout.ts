import { createSourceEventStream, execute } from "graphql";
import type { ExecutionArgs, ExecutionResult } from "graphql";
import { audienceOf, contextForEvent } from "../api/context";
import type { Context } from "../api/context";
import { sharedExecution } from "../api/live/event-shares";
import { isLogEvent } from "../events/log-event";
import type { LiveStats } from "../events/stats";

/*
 * The fan-out of one event to many subscribers: subscribers of an event with the same operation,
 * variables and audience share one execution, and each result is serialised once, however many
 * sockets it goes to.
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

/** Keeps `result` serialised (once per result object) for operation `id`'s next frame on one socket; send {@link FRAMED} in its place. */
export function frameLater(framed: Map<string, string>, id: string, result: ExecutionResult): typeof FRAMED {
  let text = serialised.get(result);
  if (text === undefined) {
    text = JSON.stringify(result);
    serialised.set(result, text);
  }
  framed.set(id, text);
  return FRAMED;
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
 * {@link shareResultsOf}; every push is recorded in `stats`.
 */
export function subscribeShared(stats: LiveStats): (args: ExecutionArgs) => Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
  return async (args) => {
    const source = await createSourceEventStream(args);
    if (!(Symbol.asyncIterator in source)) return source as ExecutionResult;
    const base = args.contextValue as Context;
    // Built once per subscription: per event it is only looked up (the string keeps its hash).
    const sharedKey = sharedResultKeys.get(base);
    return mapIterator(source[Symbol.asyncIterator](), async (payload: unknown) => {
      const event = isLogEvent(payload) ? payload : null;
      const run = async () => execute({ ...args, rootValue: payload, contextValue: event ? contextForEvent(base, event) : base });
      // Subscribers of one event with the same operation, variables and audience get one shared execution.
      const result = event && sharedKey !== undefined ? await sharedExecution(event, sharedKey, run) : await run();
      if (event?.replayed) stats.recordReplay();
      else if (event) stats.recordPush(event.createdAt);
      return result;
    });
  };
}
