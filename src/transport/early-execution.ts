import type { IncomingMessage, ServerResponse } from "node:http";
import { execute } from "graphql";
import type { ExecutionResult, GraphQLError, GraphQLFormattedError, GraphQLSchema } from "graphql";
import Negotiator from "negotiator";
import type { Context } from "../api/context";
import { readRowsOf } from "../api/read-rows";
import type { HttpCache } from "../cache/http-cache";
import { answersPrivately } from "../cache/tags";
import { readEarlyBody, readsEarly } from "../cache/early-hits";
import { requestIdOf } from "../kernel/request-scope";
import type { RequestScope } from "../kernel/request-scope";
import { mergeVary } from "../kernel/vary";
import type { AdmittedOperation, OperationPolicy, Refusal } from "../policy/operation-policy";
import { readJsonBody, readQueryString } from "./http-request";
import type { GraphQLParams } from "./http-request";
import type { RequestObserver } from "./observability-plugin";
import type { CompiledExecution } from "./compiled-execution";

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
/** A middleware that sets headers and calls on (the CORS one). */
type HeaderStep = (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void;

/** The media types Apollo answers a single result with, in its order of preference. */
const MEDIA_TYPES = ["application/json; charset=utf-8", "application/graphql-response+json; charset=utf-8"];

/** What every GraphQL answer depends on besides its URL and body (HttpCache's varyHeaders). */
const ANSWER_VARY = "Authorization, Accept";

export interface EarlyExecutionOptions {
  readonly schema: GraphQLSchema;
  readonly policy: OperationPolicy;
  /** The request's context, as the full path builds it for an anonymous request. */
  readonly context: (req: IncomingMessage, scope: RequestScope, admitted: AdmittedOperation) => Context & { readonly admitted: AdmittedOperation };
  /** Apollo's formatError (the masking). */
  readonly formatError: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;
  /** Logs and counts a request as the observability plugin does for Apollo's. */
  readonly observer: RequestObserver;
  /** Counts an execution in flight until the returned function is called (stop() waits for them). */
  readonly inFlight: () => () => void;
  /** CORS, run first as in the Express chain; null when CORS is off. */
  readonly headerStep: HeaderStep | null;
  /** The GraphQL endpoint's path. */
  readonly path?: string;
  /**
   * Where an answer is looked up and stored, as the full path does: a GET's always (its ETag and
   * tags are sent even where the cache keeps nothing), a POST's when the response cache keeps answers.
   */
  readonly cache?: HttpCache | null;
  /** true when the response cache's own early check comes first and has read the POST bodies already. */
  readonly bodiesRead?: boolean;
  /** graphql-jit's compiled execution of documents seen twice (COMPILED_EXECUTION); null: graphql-js runs every one. */
  readonly compiled?: CompiledExecution | null;
}

/** Apollo's answer media type for this Accept, or null where Apollo might choose another (multipart) or none. */
function mediaTypeOf(accept: string | undefined): string | null {
  if (accept === undefined || accept === "") return MEDIA_TYPES[0]!;
  // Incremental delivery is Apollo's to negotiate.
  if (/multipart/i.test(accept)) return null;
  return new Negotiator({ headers: { accept } }).mediaType(MEDIA_TYPES) ?? null;
}

/**
 * Apollo's formatting of the errors of an execution that produced data (its `enrichError`, then
 * the server's formatError); null when one of them steers the HTTP status (`extensions.http`),
 * which Apollo turns into the status and this path leaves to it.
 */
function formatErrors(errors: readonly GraphQLError[], formatError: EarlyExecutionOptions["formatError"]): GraphQLFormattedError[] | null {
  const formatted: GraphQLFormattedError[] = [];
  for (const error of errors) {
    const http = error.extensions.http;
    if (http !== undefined && http !== null && typeof http === "object") return null;
    const extensions = { ...error.extensions, code: error.extensions.code ?? "INTERNAL_SERVER_ERROR" };
    try {
      formatted.push(formatError({ ...error.toJSON(), extensions }, error));
    } catch {
      formatted.push({ message: "Internal server error", extensions: { code: "INTERNAL_SERVER_ERROR" } });
    }
  }
  return formatted;
}

/**
 * Runs anonymous queries (POST and GET) before Express and Apollo: with RESPONSE_CACHE=false every one,
 * with the response cache on its misses, which the cache's own early check hands on with the
 * body read; their answers are then looked up and stored as the full path does (same key, tags,
 * admission and headers: {@link HttpCache.answerEarly}). The body is read once, the policy admits the
 * operation as the HTTP gate would, and graphql-js executes the admitted document with the
 * context the full path would build. Measured on the uncached article and front pages, Express's
 * router and body parsing and Apollo's pipeline were a sixth of the CPU (docs/performance.md),
 * and neither can change the answer of an admitted anonymous query. The answer is written with
 * the same status, headers in the same order, and bytes as the full path's (a differential test
 * holds them side by side: tests/transport/early-execution.spec.ts).
 *
 * GET queries are read by the door's own parser and admitted as GETs; their answers carry the
 * full path's GET headers (ETag, public caching, tags) through the cache's code, on or off.
 *
 * Everything else goes on to Express as it came: a token, another path, a body that is not
 * small plain JSON, persisted queries and extensions, mutations, preview readings (private
 * answers), a media type Apollo might negotiate otherwise. A refusal is answered here as the gate
 * answers it (the policy logs and counts it once). An execution whose errors steer the HTTP
 * status, or that produced no data, is handed to the full path, which runs it again: these are
 * queries, which change nothing, and the policy priced them.
 */
export class EarlyExecution {
  private readonly bodyErrors = new WeakMap<IncomingMessage, SyntaxError>();
  private readonly path: string;

  constructor(private readonly options: EarlyExecutionOptions) {
    this.path = options.path ?? "/graphql";
  }

  /** The request listener: answers what it can, hands the rest to `next`. */
  listener(next: Handler): Handler {
    return (req, res) => {
      if (req.headers.authorization !== undefined) return next(req, res);
      if (req.method === "GET" && this.options.cache && req.url !== undefined && req.url.startsWith(`${this.path}?`)) {
        const mediaType = mediaTypeOf(req.headers.accept);
        if (mediaType === null) return next(req, res);
        // The door's own reading of a query string; whatever it refuses, the gate refuses on the full path.
        const read = readQueryString(req.url);
        if ("problem" in read) return next(req, res);
        return this.answer(req, res, mediaType, next, read.params);
      }
      if (req.method !== "POST" || req.url !== this.path || !readsEarly(req)) return next(req, res);
      const mediaType = mediaTypeOf(req.headers.accept);
      if (mediaType === null) return next(req, res);
      // Read and parsed by the cache's early check (a body that was not JSON left none).
      if (this.options.bodiesRead) return this.answer(req, res, mediaType, next);
      readEarlyBody(req, (read) => {
        if (read === null) return next(req, res);
        if (read.error) {
          this.bodyErrors.set(req, read.error);
          return next(req, res);
        }
        this.answer(req, res, mediaType, next);
      });
    };
  }

  /** The JSON syntax error of a body read here, for the Express chain to raise where its parser would have. */
  bodyErrorOf(req: IncomingMessage): SyntaxError | undefined {
    return this.bodyErrors.get(req);
  }

  private answer(req: IncomingMessage, res: ServerResponse, mediaType: string, next: Handler, params?: GraphQLParams): void {
    if (!params) {
      const read = readJsonBody((req as IncomingMessage & { body?: unknown }).body);
      if ("problem" in read) return next(req, res);
      params = read.params;
    }
    const { query, operationName, variables, extensions } = params;
    const method = req.method === "GET" ? "GET" : "POST";
    if (typeof query !== "string" || (extensions !== undefined && extensions !== null)) return next(req, res);
    const { policy, schema } = this.options;
    const scope: RequestScope = { id: requestIdOf(req.headers["x-request-id"]), statements: 0 };
    const admission = policy.admit({ transport: "http", query, operationName, variables, method, requestId: scope.id });
    if (admission.refused) return this.withHeaders(req, res, scope, () => this.refuse(res, admission.refused));
    const { admitted } = admission;
    if (admitted.operation.operation !== "query" || answersPrivately(schema, admitted.document, admitted.operation)) return next(req, res);
    this.withHeaders(req, res, scope, () => void this.run(req, res, scope, admitted, operationName, mediaType, next));
  }

  /** The headers the Express chain sets before the gate, in its order: the request id, CORS, Vary. */
  private withHeaders(req: IncomingMessage, res: ServerResponse, scope: RequestScope, then: () => void): void {
    res.setHeader("x-request-id", scope.id);
    const vary = () => {
      res.setHeader("vary", mergeVary(res.getHeader("vary"), ANSWER_VARY));
      then();
    };
    if (this.options.headerStep) this.options.headerStep(req, res, vary);
    else vary();
  }

  /** A refusal as the gate sends it (through Express's res.json). */
  private refuse(res: ServerResponse, refusal: Refusal): void {
    for (const [name, value] of Object.entries(refusal.headers ?? {})) res.setHeader(name, value);
    this.send(res, refusal.status, "application/json; charset=utf-8", JSON.stringify({ errors: refusal.errors.map((e) => e.toJSON()) }));
  }

  private send(res: ServerResponse, status: number, type: string, text: string): void {
    res.statusCode = status;
    res.setHeader("Content-Type", type);
    res.setHeader("Content-Length", Buffer.byteLength(text));
    res.end(text);
  }

  private async run(req: IncomingMessage, res: ServerResponse, scope: RequestScope, admitted: AdmittedOperation, operationName: unknown, mediaType: string, next: Handler): Promise<void> {
    const { observer, cache } = this.options;
    const done = this.options.inFlight();
    const started = performance.now();
    try {
      const get = req.method === "GET";
      const slot = cache && (get || cache.keepsAnswers) ? cache.answerEarly(req, res, admitted, mediaType, scope.id) : null;
      if (slot === true) return;
      let contextValue = this.options.context(req, scope, admitted);
      const jit = this.options.compiled;
      const compiled = jit?.compiledFor(admitted);
      let result: ExecutionResult | undefined;
      if (jit && compiled !== undefined) {
        result = await jit.execute(compiled, contextValue, admitted.variables);
        // Errors or no data: graphql-js answers instead, with a context of its own and the
        // statements counted afresh (a query changes nothing, and the policy priced it).
        if (result === undefined) {
          scope.statements = 0;
          contextValue = this.options.context(req, scope, admitted);
        }
      }
      result ??= (await execute({
        schema: this.options.schema,
        document: admitted.document,
        contextValue,
        variableValues: admitted.variables,
        operationName: typeof operationName === "string" ? operationName : undefined,
      })) as ExecutionResult;
      let errors: GraphQLFormattedError[] | undefined;
      let outcome = "ok";
      if (result.errors?.length) {
        const formatted = result.data === undefined || result.data === null ? null : formatErrors(result.errors, this.options.formatError);
        if (formatted === null) {
          // Apollo decides this one's status: start over on the full path, headers and all.
          for (const name of res.getHeaderNames()) res.removeHeader(name);
          return next(req, res);
        }
        errors = formatted;
        outcome = observer.encountered(result.errors, contextValue);
      }
      // Apollo's layout: errors, data, extensions; then a newline.
      const text = `${JSON.stringify({ errors, data: result.data, extensions: result.extensions })}\n`;
      // Stored as the full path stores it: an answer without errors, in its slot.
      if (slot && errors === undefined) cache!.storeEarly(res, slot, text, get, { admitted, data: result.data, readRows: readRowsOf(contextValue, admitted.operation) });
      else res.setHeader("cache-control", "no-store");
      this.send(res, 200, mediaType, text);
      observer.answered({ operationName: admitted.operationName, outcome, status: 200, seconds: (performance.now() - started) / 1000, scope, actor: null });
    } catch (error) {
      // Not expected (graphql-js reports resolver errors in the result); the full path answers whatever it is.
      if (!res.headersSent) {
        for (const name of res.getHeaderNames()) res.removeHeader(name);
        return next(req, res);
      }
      res.destroy(error instanceof Error ? error : undefined);
    } finally {
      done();
    }
  }
}
