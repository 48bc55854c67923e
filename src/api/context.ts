import type { Viewer } from "../kernel/viewer";
import { TouchedRecords } from "../kernel/request-context";
import type { RequestContext } from "../kernel/request-context";
import type { RequestScope } from "../kernel/request-scope";
import type { LogEvent } from "../events/log-event";
import type { Services } from "../services/services";
import { createLoaders } from "./loaders";
import type { Loaders } from "./loaders";
import { loadersOfEvent, storyOfEvent } from "./live/event-shares";
import type { StoryOfEvent } from "./live/event-story";
import type { RowNotes } from "./read-rows";

/** What every resolver receives: the request's context, with the services, its loaders and what its events add. */
export interface Context extends RequestContext {
  readonly services: Services;
  /** This request's loaders (in a feed, those the event's subscribers of this audience share). */
  readonly loaders: Loaders;
  /**
   * While a story event executes, the story as the event carries it: its nested fields answer
   * from the event, and a quote's or comment's `article` that is this story answers it, not the
   * current row (null outside story events).
   */
  readonly eventStory: StoryOfEvent | null;
  /** The loaders shared by every subscriber of `event` who sees what `viewer` sees. */
  readonly eventLoaders: (event: LogEvent, viewer: Viewer | null) => Loaders;
  /** Where execution notes the rows it read, for the cache's tags by row; null: not noted (see read-rows.ts). */
  readonly readRows: RowNotes | null;
}

/** Subscribers with the same audience see the same data, so they can share one event's loaders (and results). */
export function audienceOf(viewer: Viewer | null): string {
  return viewer === null ? "anonymous" : viewer.role;
}

/**
 * The loaders every subscriber of one event in one audience reads through. Their context is
 * the audience's, not any one subscriber's: nothing is counted (WebSocket) and no address applies.
 */
function audienceLoaders(services: Services, viewer: Viewer | null): Loaders {
  return createLoaders(services, { viewer, tally: null, clientAddress: "", transport: "websocket" });
}

/** A fresh context: loaders are never shared between requests, so no viewer sees another's cache. */
export function createContext(
  services: Services,
  request: { viewer: Viewer | null; clientAddress: string; transport: "http" | "websocket"; tally?: RequestScope | null; noteReadRows?: boolean },
): Context {
  const own: RequestContext = { viewer: request.viewer, tally: request.tally ?? null, clientAddress: request.clientAddress, transport: request.transport, audit: new TouchedRecords() };
  return {
    ...own,
    services,
    // The loaders' batches call the services with this request's context, counted into its tally.
    loaders: createLoaders(services, own),
    eventStory: null,
    readRows: request.noteReadRows ? new Map() : null,
    eventLoaders: (event, who) => loadersOfEvent(event, audienceOf(who), () => audienceLoaders(services, who)),
  };
}

/**
 * The context one event of a subscription executes in: the subscriber's, with the event's
 * shared loaders, so that data is fresh for each event and read once for all its subscribers.
 */
export function contextForEvent(context: Context, event: LogEvent): Context {
  return { ...context, loaders: context.eventLoaders(event, context.viewer), eventStory: event.topic === "article" ? storyOfEvent(event) : null };
}
