import type { ApolloServerPlugin } from "@apollo/server";
import { getOperationAST } from "graphql";
import type { GraphQLError } from "graphql";
import { errorCode, maskError } from "../kernel/errors";
import { toGlobalId } from "../kernel/ids";
import type { Logger } from "../kernel/logger";
import type { Viewer } from "../kernel/viewer";
import type { RequestScope } from "../kernel/request-scope";
import type { Context } from "../api/context";
import type { Metrics } from "../observability/metrics";

/** What one operation's log line says, whichever transport brought it. */
export interface OperationLine {
  readonly transport: "http" | "websocket";
  readonly scope: RequestScope | null;
  readonly operationName: string | null;
  /** "ok" or the first error's code. */
  readonly outcome: string;
  readonly seconds: number;
  readonly mutation: boolean;
  readonly viewer: Viewer | null;
}

/**
 * The fields of an operation's log line (request id, transport, operation, outcome, duration, SQL
 * statements, and for a mutation the actor: its token's id and name, as its audit entry has them;
 * never variables, headers or the token), the same over HTTP and WebSocket.
 */
export function operationLogFields(line: OperationLine): Record<string, unknown> {
  const { scope, viewer } = line;
  return {
    reqId: scope?.id,
    transport: line.transport,
    operation: line.operationName,
    outcome: line.outcome,
    durationMs: Math.round(line.seconds * 10_000) / 10,
    statements: scope?.statements,
    ...(line.mutation && viewer ? { actor: { id: toGlobalId("ApiToken", viewer.tokenPk), name: viewer.name } } : {}),
  };
}

/** What a request's log line and metrics say when it is answered. */
export interface AnsweredRequest {
  readonly operationName: string | null;
  /** "ok", or the code of the first error. */
  readonly outcome: string;
  readonly status: number;
  readonly seconds: number;
  readonly scope: RequestScope | null;
  /** A mutation's actor (the token's id and name); null otherwise. */
  readonly actor: Viewer | null;
}

/** Logs and counts requests: for Apollo's ({@link observabilityPlugin}) and the early path's alike. */
export interface RequestObserver {
  /** Logs what masking hides, counts rate limiting; returns the outcome (the first error's code). */
  encountered(errors: readonly GraphQLError[], context: Pick<Context, "tally">): string;
  answered(request: AnsweredRequest): void;
}

export function requestObserver(options: { logger: Logger; metrics: Metrics }): RequestObserver {
  const { logger, metrics } = options;
  return {
    encountered(errors, context) {
      // The same decision formatError's masking makes; only what it masks is logged, with the request id.
      for (const error of errors) maskError(error.toJSON(), error, (original) => logger.error({ err: original, reqId: context.tally?.id }, "unexpected error"));
      if (errors.some((e) => errorCode(e) === "RATE_LIMITED")) metrics.rateLimited.inc();
      return errorCode(errors[0]);
    },
    answered({ operationName, outcome, status, seconds, scope, actor }) {
      const operation = metrics.operationLabel(operationName);
      metrics.requests.inc({ operation, outcome });
      metrics.duration.observe({ operation }, seconds);
      if (scope) metrics.statements.observe(scope.statements);
      const fields = operationLogFields({ transport: "http", scope, operationName, outcome, seconds, mutation: actor !== null, viewer: actor });
      logger.info({ ...fields, status }, "graphql request");
    },
  };
}

/**
 * Observes each request Apollo runs (the operation policy decides before Apollo sees one): logs
 * its line ({@link operationLogFields}, with the HTTP status) and records the metrics.
 */
export function observabilityPlugin(observer: RequestObserver): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      const started = performance.now();
      let outcome = "ok";
      return {
        async didEncounterErrors({ errors, contextValue }) {
          outcome = observer.encountered(errors, contextValue);
        },
        async willSendResponse({ operationName: resolved, operation: definition, request, document, response, contextValue }) {
          const seconds = (performance.now() - started) / 1000;
          // A refused document never resolves its operation; name it from the document if it parsed.
          const operationName = resolved ?? request.operationName ?? (document ? (getOperationAST(document, null)?.name?.value ?? null) : null);
          const { viewer } = contextValue;
          const actor = definition?.operation === "mutation" && viewer ? viewer : null;
          observer.answered({ operationName, outcome, status: response.http.status ?? 200, seconds, scope: contextValue.tally, actor });
        },
      };
    },
  };
}
