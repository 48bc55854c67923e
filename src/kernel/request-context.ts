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
   * `graphql_sql_statements_per_request`); null where nothing is counted (over WebSocket, but
   * for a mutation: its writes hand the scope to their transactions, where its audit entry is written).
   */
  readonly tally: RequestScope | null;
  /** The client's network address, for per-client limits ("" for loaders shared by an event's audience). */
  readonly clientAddress: string;
  readonly transport: "http" | "websocket";
  /**
   * Where a mutation's services name the records it changed beyond those its arguments and
   * result name, for its audit row (absent where nothing is audited: the command line, the seed).
   */
  readonly audit?: TouchedRecords;
}

/**
 * The records a running mutation changed that neither its arguments nor its result name: the
 * subjects whose facts a publication states or withdraws, what an import created or linked, a
 * deleted story's quotes. Services add them by global id; the audit trail lists them with the
 * mutation (services/audit.service.ts). One per request: a request's mutations run one at a time.
 */
export class TouchedRecords {
  private readonly ids = new Set<string>();

  /** Adds records by their global ids. */
  touch(...globalIds: readonly string[]): void {
    for (const id of globalIds) this.ids.add(id);
  }

  /** The records added since the last call; they are forgotten here. */
  take(): string[] {
    const taken = [...this.ids];
    this.ids.clear();
    return taken;
  }
}

/**
 * The part of a request's context a write needs: where to count its transaction's statements,
 * and where to name the records it touched. Writes outside any request (the command line, the
 * seed) pass {@link NO_REQUEST}.
 */
export type CountingContext = Pick<RequestContext, "tally" | "audit">;

/** Writes of the command line, the seed and tests' set-up: counted nowhere. */
export const NO_REQUEST: CountingContext = Object.freeze({ tally: null });
