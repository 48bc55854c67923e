import type { ExecutionResult } from "graphql";
import type { Loaders } from "../loaders";
import type { ArticleLogEvent, LogEvent } from "../../events/log-event";
import { storyFromEvent } from "./event-story";
import type { StoryOfEvent } from "./event-story";

/**
 * What the subscribers of one event share, so that N subscribers cost one set of reads: the
 * DataLoaders of each audience, the execution of each (operation, variables, audience), and the
 * story the event carries. Each part is made on first use.
 */
interface EventShares {
  loaders?: Map<string, Loaders>;
  results?: Map<string, Promise<ExecutionResult>>;
  story?: StoryOfEvent;
}

// Kept beside the event, not on it: an event is the log's record; this is the fan-out's bookkeeping, gone with the event.
const shares = new WeakMap<LogEvent, EventShares>();

function sharesOf(event: LogEvent): EventShares {
  let found = shares.get(event);
  if (found === undefined) {
    found = {};
    shares.set(event, found);
  }
  return found;
}

/** The value under `key`, made by `make` for the first caller. */
function once<V>(map: Map<string, V>, key: string, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = make();
    map.set(key, value);
  }
  return value;
}

/** The loaders every subscriber of `event` in `audience` reads through (made by `make` for the first one). */
export function loadersOfEvent(event: LogEvent, audience: string, make: () => Loaders): Loaders {
  return once((sharesOf(event).loaders ??= new Map()), audience, make);
}

/** The one execution of `event` for every subscription with the same `key` (operation, variables and audience). */
export function sharedExecution(event: LogEvent, key: string, run: () => Promise<ExecutionResult>): Promise<ExecutionResult> {
  return once((sharesOf(event).results ??= new Map()), key, run);
}

/**
 * The story a story event carries, built once per event: every subscriber, and every field that
 * reaches the event's story (a quote's or comment's `article`), answers this same object.
 */
export function storyOfEvent(event: ArticleLogEvent): StoryOfEvent {
  const own = sharesOf(event);
  return (own.story ??= storyFromEvent(event.snapshot));
}
