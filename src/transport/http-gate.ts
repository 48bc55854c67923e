import { isDeepStrictEqual } from "node:util";
import { HeaderMap } from "@apollo/server";
import type { ApolloServer, ApolloServerPlugin, BaseContext } from "@apollo/server";
import type { Request, RequestHandler, Response } from "express";
import { GraphQLError } from "graphql";
import type { DocumentNode } from "graphql";
import type { HttpCache } from "../cache/http-cache";
import { scopeOf } from "../kernel/request-scope";
import type { AdmittedOperation, OperationPolicy, Refusal } from "../policy/operation-policy";
import { readJsonBody, readQueryString } from "./http-request";
import type { ReadRequest } from "./http-request";
import type { PersistedQueries } from "../policy/persisted-queries";

/** The operation the gate admitted for this response, if it did. */
export function admittedOf(res: Response): AdmittedOperation | null {
  return (res.locals.admittedOperation as AdmittedOperation | undefined) ?? null;
}

function send(res: Response, refusal: Refusal): void {
  for (const [name, value] of Object.entries(refusal.headers ?? {})) res.setHeader(name, value);
  res.status(refusal.status).json({ errors: refusal.errors.map((e) => e.toJSON()) });
}

/** The request as the gate read it, for {@link executeAdmitted} to hand Apollo. */
function readOf(res: Response): ReadRequest | null {
  return (res.locals.readRequest as ReadRequest | undefined) ?? null;
}

/**
 * The HTTP door of the operation policy, in front of Apollo: it reads the operation once, from a
 * POST's JSON body or a GET's own query string ({@link readQueryString}), and answers a refusal
 * itself; an admitted operation goes on to Apollo, which is handed the same parameters
 * ({@link executeAdmitted}) and runs the very document the policy checked ({@link admittedDocumentPlugin}).
 * Requests without a query (a persisted-query hash alone) go on for Apollo to answer.
 */
export function operationGate(policy: OperationPolicy, options: { cache?: HttpCache | null; persisted?: PersistedQueries | null } = {}): RequestHandler {
  const { cache = null, persisted = null } = options;
  return (req, res, next) => {
    if (req.method !== "GET" && req.method !== "POST") return next();
    const requestId = scopeOf(res)?.id ?? null;
    const read = req.method === "GET" ? readQueryString(req.url) : readJsonBody(req.body);
    if ("problem" in read) return send(res, policy.refuse("http", "BAD_REQUEST", read.problem, { requestId }));
    res.locals.readRequest = read;
    const { params } = read;
    let query = params.query;
    if (query === undefined || query === null) {
      // A persisted query's hash alone: admitted on the text it stands for; an unknown hash is Apollo's to answer.
      query = persisted?.textOf(params.extensions);
      if (query === undefined) return next();
    }
    const admission = policy.admit({ transport: "http", query, operationName: params.operationName, variables: params.variables, method: req.method, requestId });
    if (admission.refused) return send(res, admission.refused);
    // Extensions other than a persisted query's hash may change the answer, so those requests are
    // computed; a persisted query counts as plain once its text is known (Apollo has checked its hash then).
    const extensions = params.extensions;
    const plain = extensions === undefined || extensions === null || (typeof extensions === "object" && Object.keys(extensions).length === 1 && persisted?.textOf(extensions) === query);
    if (plain && cache?.answer(req, res, admission.admitted)) return;
    res.locals.admittedOperation = admission.admitted;
    next();
  };
}

/**
 * Runs a request on Apollo with the parameters the gate read (in place of the Express
 * integration, which would hand Apollo the raw URL to parse again) and writes Apollo's answer
 * as that integration does: status, headers, and the body whole or in chunks. A request the gate
 * did not read (another method) reaches Apollo with neither, for Apollo to refuse.
 */
export function executeAdmitted<TContext extends BaseContext>(apollo: ApolloServer<TContext>, options: { context: (args: { req: Request; res: Response }) => Promise<TContext> }): RequestHandler {
  return async (req, res) => {
    const read = readOf(res);
    const headers = new HeaderMap();
    // Node lower-cases header names; repeated ones are joined as the Fetch API's Headers joins them.
    for (const [name, value] of Object.entries(req.headers)) if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: req.method.toUpperCase(), headers, search: read?.search ?? "", body: read?.body },
      context: () => options.context({ req, res }),
    });
    for (const [name, value] of response.headers) res.setHeader(name, value);
    res.statusCode = response.status ?? 200;
    if (response.body.kind === "complete") {
      res.send(response.body.string);
      return;
    }
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  };
}

/**
 * Hands Apollo the document the gate admitted, so Apollo neither parses nor validates it again
 * (and cannot run anything the policy did not see): an operation without an admitted document
 * matching its text, or whose operation or variables are not the admitted ones, is refused.
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
          const admitted = requestContext.contextValue.admitted;
          if (!admitted || requestContext.document !== admitted.document) {
            throw new GraphQLError("This operation was not admitted by the server's operation policy.", { extensions: { code: "BAD_REQUEST", http: { status: 400 } } });
          }
          // The gate hands Apollo what it read, so these agree; if they ever did not, what runs would not be what was priced and cached.
          if (requestContext.operation !== admitted.operation || !isDeepStrictEqual(requestContext.request.variables ?? {}, admitted.variables)) {
            throw new GraphQLError("This operation's name or variables differ from those the server's operation policy admitted.", { extensions: { code: "BAD_REQUEST", http: { status: 400 } } });
          }
        },
      };
    },
  };
}
