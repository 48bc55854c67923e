import type { ApolloServerPlugin } from "@apollo/server";
import type { RequestHandler, Response } from "express";
import { GraphQLError } from "graphql";
import type { DocumentNode } from "graphql";
import type { HttpCache } from "../cache/http-cache";
import { scopeOf } from "../kernel/request-scope";
import type { AdmittedOperation, OperationPolicy, Refusal } from "../policy/operation-policy";
import type { PersistedQueries } from "../policy/persisted-queries";

/** The operation the gate admitted for this response, if it did. */
export function admittedOf(res: Response): AdmittedOperation | null {
  return (res.locals.admittedOperation as AdmittedOperation | undefined) ?? null;
}

function send(res: Response, refusal: Refusal): void {
  for (const [name, value] of Object.entries(refusal.headers ?? {})) res.setHeader(name, value);
  res.status(refusal.status).json({ errors: refusal.errors.map((e) => e.toJSON()) });
}

/** A GET request's GraphQL parameters: `variables` and `extensions` travel as JSON text. */
function fromQueryString(query: Record<string, unknown>): Record<string, unknown> | string {
  const params: Record<string, unknown> = { query: query.query, operationName: query.operationName };
  for (const name of ["variables", "extensions"] as const) {
    const raw = query[name];
    if (raw === undefined || raw === "") continue;
    if (typeof raw !== "string") return `'${name}' must be given once, as JSON.`;
    try {
      params[name] = JSON.parse(raw);
    } catch {
      return `'${name}' is not valid JSON.`;
    }
  }
  return params;
}

/**
 * The HTTP door of the operation policy, in front of Apollo: it reads the operation from a
 * POST's JSON body or a GET's query string, and answers a refusal itself; an admitted operation
 * goes on to Apollo, which runs the very document the policy checked ({@link admittedDocumentPlugin}).
 * Requests without a query (a persisted-query hash alone) go on untouched for Apollo to answer.
 */
export function operationGate(policy: OperationPolicy, options: { cache?: HttpCache | null; persisted?: PersistedQueries | null } = {}): RequestHandler {
  const { cache = null, persisted = null } = options;
  return (req, res, next) => {
    if (req.method !== "GET" && req.method !== "POST") return next();
    const requestId = scopeOf(res)?.id ?? null;
    const refuse = (message: string, status = 400) => send(res, policy.refuse("http", "BAD_REQUEST", message, { status, requestId }));
    let params: unknown = req.body;
    if (req.method === "GET") {
      const read = fromQueryString(req.query as Record<string, unknown>);
      if (typeof read === "string") return refuse(read);
      params = read;
    }
    if (Array.isArray(params)) return refuse("Batched requests are not accepted: send one operation per request.");
    if (typeof params !== "object" || params === null) return refuse("Send the operation as a JSON object (content-type: application/json), or as a GET query string.");
    const body = params as Record<string, unknown>;
    let query = body.query;
    if (query === undefined || query === null) {
      // A persisted query's hash alone: admitted on the text it stands for; an unknown hash is Apollo's to answer.
      query = persisted?.textOf(body.extensions);
      if (query === undefined) return next();
    }
    const admission = policy.admit({ transport: "http", query, operationName: body.operationName, variables: body.variables, method: req.method, requestId });
    if (admission.refused) return send(res, admission.refused);
    // Extensions other than a persisted query's hash may change the answer, so those requests are
    // computed; a persisted query counts as plain once its text is known (Apollo has checked its hash then).
    const extensions = body.extensions;
    const plain = extensions === undefined || extensions === null || (typeof extensions === "object" && Object.keys(extensions).length === 1 && persisted?.textOf(extensions) === query);
    if (plain && cache?.answer(req, res, admission.admitted)) return;
    res.locals.admittedOperation = admission.admitted;
    next();
  };
}

/**
 * Hands Apollo the document the gate admitted, so Apollo neither parses nor validates it again
 * (and cannot run anything the policy did not see): an operation without an admitted document
 * matching its text is refused.
 */
export function admittedDocumentPlugin<TContext extends { readonly admitted: AdmittedOperation | null }>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveSource(requestContext) {
          const admitted = requestContext.contextValue.admitted;
          // Apollo parses and validates only when no document is there yet.
          if (admitted && admitted.source === requestContext.source) (requestContext as { document?: DocumentNode }).document = admitted.document;
        },
        async didResolveOperation(requestContext) {
          if (requestContext.document !== requestContext.contextValue.admitted?.document) {
            throw new GraphQLError("This operation was not admitted by the server's operation policy.", { extensions: { code: "BAD_REQUEST", http: { status: 400 } } });
          }
        },
      };
    },
  };
}
