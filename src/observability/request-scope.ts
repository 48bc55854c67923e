import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";
import type { RequestHandler } from "express";

/** What one HTTP request accumulates while it runs. */
export interface RequestScope {
  readonly id: string;
  statements: number;
}

const scopes = new AsyncLocalStorage<RequestScope>();

/** The scope of the request the caller runs in, if any. */
export function currentScope(): RequestScope | undefined {
  return scopes.getStore();
}

const CLIENT_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * Gives each request an id (a client's X-Request-Id when it looks like one, else a new UUID),
 * echoes it in the response, and opens the scope that counts its SQL statements.
 */
export function requestScope(): RequestHandler {
  return (req, res, next) => {
    const given = req.get("x-request-id");
    const id = given && CLIENT_ID.test(given) ? given : randomUUID();
    res.setHeader("x-request-id", id);
    scopes.run({ id, statements: 0 }, next);
  };
}
