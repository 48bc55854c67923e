import type { Viewer } from "./viewer";
import type { RequestScope } from "./request-scope";

/**
 * What a request carries into every service method, first parameter and in the open (no copy of
 * a service or of the database is made for a request): who asks, where its SQL statements are
 * counted, and where it came from. Its GraphQL loaders are the API layer's (its `Context`).
 */
export interface RequestContext {
  readonly viewer: Viewer | null;
  /**
   * The HTTP request's id and SQL statement count (its log line and
   * `graphql_sql_statements_per_request`); null where nothing is counted (over WebSocket).
   */
  readonly tally: RequestScope | null;
  /** The client's network address, for per-client limits ("" for loaders shared by an event's audience). */
  readonly clientAddress: string;
  readonly transport: "http" | "websocket";
}

/**
 * The part of a request's context a write needs: where to count its transaction's statements.
 * Writes outside any request (the command line, the seed) pass {@link NO_REQUEST}.
 */
export type CountingContext = Pick<RequestContext, "tally">;

/** Writes of the command line, the seed and tests' set-up: counted nowhere. */
export const NO_REQUEST: CountingContext = Object.freeze({ tally: null });
