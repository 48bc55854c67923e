import type { ApolloServerPlugin } from "@apollo/server";
import { getOperationAST } from "graphql";
import { errorCode, maskError } from "../kernel/errors";
import { toGlobalId } from "../kernel/ids";
import type { Logger } from "../kernel/logger";
import type { Context } from "../api/context";
import type { Metrics } from "../observability/metrics";

/**
 * Observes each request Apollo runs (the operation policy decides before Apollo sees one): logs
 * one line (request id, operation, outcome, duration, SQL statements, and for a mutation the
 * actor's token id and name; never variables, headers or tokens) and records the metrics.
 */
export function observabilityPlugin(options: { logger: Logger; metrics: Metrics }): ApolloServerPlugin<Context> {
  const { logger, metrics } = options;
  return {
    async requestDidStart() {
      const started = performance.now();
      let outcome = "ok";
      return {
        async didEncounterErrors({ errors, contextValue }) {
          outcome = errorCode(errors[0]);
          // The same decision formatError's masking makes; only what it masks is logged, with the request id.
          for (const error of errors) maskError(error.toJSON(), error, (original) => logger.error({ err: original, reqId: contextValue.tally?.id }, "unexpected error"));
          if (errors.some((e) => errorCode(e) === "RATE_LIMITED")) metrics.rateLimited.inc();
        },
        async willSendResponse({ operationName: resolved, operation: definition, request, document, response, contextValue }) {
          const seconds = (performance.now() - started) / 1000;
          const { tally: scope } = contextValue;
          // A refused document never resolves its operation; name it from the document if it parsed.
          const operationName = resolved ?? request.operationName ?? (document ? (getOperationAST(document, null)?.name?.value ?? null) : null);
          const operation = metrics.operationLabel(operationName);
          metrics.requests.inc({ operation, outcome });
          metrics.duration.observe({ operation }, seconds);
          if (scope) metrics.statements.observe(scope.statements);
          const { viewer } = contextValue;
          // A mutation's line names its actor, as its audit entry does (the token's id and name; never the token).
          const actor = definition?.operation === "mutation" && viewer ? { actor: { id: toGlobalId("ApiToken", viewer.tokenPk), name: viewer.name } } : {};
          logger.info(
            { reqId: scope?.id, operation: operationName ?? null, outcome, status: response.http.status ?? 200, durationMs: Math.round(seconds * 10_000) / 10, statements: scope?.statements, ...actor },
            "graphql request",
          );
        },
      };
    },
  };
}
