import { randomUUID } from "node:crypto";
import type { RequestHandler, Response } from "express";

/** Where one request's SQL statements are counted (its log line and `graphql_sql_statements_per_request`). */
export interface StatementTally {
  statements: number;
}

/** What one HTTP request accumulates while it runs: its id, and the SQL statements it ran. */
export interface RequestScope extends StatementTally {
  readonly id: string;
}

const CLIENT_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** A request's id: the client's X-Request-Id when it looks like one, else a new UUID. */
export function requestIdOf(given: string | string[] | undefined): string {
  return typeof given === "string" && CLIENT_ID.test(given) ? given : randomUUID();
}

/**
 * Gives each request an id (a client's X-Request-Id when it looks like one, else a new UUID),
 * echoes it in the response, and opens the scope its SQL statements are counted in. The scope
 * travels explicitly (response locals, then the request's context, whose tally every service
 * method hands the database with its statements), not through AsyncLocalStorage, whose promise
 * hooks cost every promise of the process.
 */
export function requestScope(): RequestHandler {
  return (req, res, next) => {
    const id = requestIdOf(req.headers["x-request-id"]);
    res.setHeader("x-request-id", id);
    res.locals.requestScope = { id, statements: 0 } satisfies RequestScope;
    next();
  };
}

/** The scope {@link requestScope} opened for this response, if it ran. */
export function scopeOf(res: Response): RequestScope | null {
  return (res.locals.requestScope as RequestScope | undefined) ?? null;
}
