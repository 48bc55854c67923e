import { createHash } from "node:crypto";
import { getOperationAST, GraphQLError, NoSchemaIntrospectionCustomRule, parse, specifiedRules, validate } from "graphql";
import type { DocumentNode, GraphQLSchema, OperationDefinitionNode, ValidationRule } from "graphql";
import { getVariableValues } from "graphql/execution/values";
import { AppError } from "../kernel/errors";
import type { Logger } from "../kernel/logger";
import type { Metrics } from "../observability/metrics";
import { DocumentCache } from "./document-cache";
import { estimateOperationCost, limitRules } from "./limits";
import type { QueryLimits } from "../config";

/** The door an operation came through. */
export type Transport = "http" | "websocket";

/** An operation as a client sent it, before anything is believed about it. */
export interface OperationRequest {
  readonly transport: Transport;
  readonly query: unknown;
  readonly operationName?: unknown;
  readonly variables?: unknown;
  /** The HTTP method; a GET admits queries only. */
  readonly method?: string;
  /** Named in the refusal's log line. */
  readonly requestId?: string | null;
}

/** An operation the policy let in: parsed, validated, priced, its variables coerced once. */
export interface AdmittedOperation {
  readonly source: string;
  /** SHA-256 of the source (base64), as the policy's document cache keys it. */
  readonly sourceHash: string;
  readonly document: DocumentNode;
  readonly operation: OperationDefinitionNode;
  readonly operationName: string | null;
  /** The variables as the client sent them (execution coerces them again, as graphql-js does). */
  readonly variables: Record<string, unknown>;
  readonly cost: number;
}

/** Why an operation was refused, shaped for either transport. */
export interface Refusal {
  readonly status: number;
  readonly code: string;
  /** What the client sees: message, locations, `extensions.code` (and `field` for inputs). */
  readonly errors: readonly GraphQLError[];
  readonly headers?: Readonly<Record<string, string>>;
}

export type Admission = { readonly admitted: AdmittedOperation; readonly refused?: undefined } | { readonly refused: Refusal; readonly admitted?: undefined };

export interface OperationPolicyOptions {
  readonly limits: QueryLimits;
  readonly introspection: boolean;
  /** In production no error carries graphql-js's "Did you mean …?" hints, which map the schema for a prober. */
  readonly hideHints: boolean;
  readonly logger: Logger;
  readonly metrics: Pick<Metrics, "refused" | "documentsChecked" | "documentCacheBytes">;
  /** What the document cache may hold, in estimated bytes. */
  readonly cacheBytes?: number;
}

/** Variables nested deeper than this are refused before anything walks them recursively. */
export const MAX_VARIABLE_DEPTH = 32;
/** Bytes a cached document is reckoned to hold per character of its text (parsed tree, locations, validation's leftovers). */
const BYTES_PER_SOURCE_CHAR = 64;
const DEFAULT_CACHE_BYTES = 64 * 1024 * 1024;

const HINT = /\s*Did you mean [^?]*\?/g;

/** What the cache keeps per document text: the document, or why it was refused. */
type Checked = { readonly document: DocumentNode } | { readonly refusal: Refusal };

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** How deep a JSON value nests, walked without recursion (a deep value must not overflow the stack here either). */
export function nestingDepth(value: unknown, limit: number): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop()!;
    if (typeof item !== "object" || item === null) continue;
    if (depth + 1 > deepest) deepest = depth + 1;
    if (deepest > limit) return deepest;
    for (const child of Array.isArray(item) ? item : Object.values(item)) if (typeof child === "object" && child !== null) stack.push([child, depth + 1]);
  }
  return deepest;
}

/**
 * The one operation policy of the server: every GraphQL operation, over HTTP or graphql-ws,
 * is admitted or refused here, in this order: the request's shape and its variables' nesting;
 * parsing (token limit); the limit rules (depth, aliases and repeats through fragments,
 * directives, introspection's shape), then graphql-js's own rules (and the introspection
 * switch); which operations the transport accepts; variable coercion; the cost estimate, which
 * refuses whatever it cannot price. Documents are remembered by the hash of their text, the
 * refused ones too, in a cache bounded by bytes. Every refusal is logged once and counted.
 */
export class OperationPolicy {
  private readonly cache: DocumentCache<Checked>;
  private readonly limitRules: readonly ValidationRule[];
  private readonly graphqlRules: readonly ValidationRule[];

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly options: OperationPolicyOptions,
  ) {
    this.cache = new DocumentCache(options.cacheBytes ?? DEFAULT_CACHE_BYTES);
    this.limitRules = limitRules(options.limits);
    this.graphqlRules = [...specifiedRules, ...(options.introspection ? [] : [NoSchemaIntrospectionCustomRule])];
  }

  /** Every rule the policy validates with, for a transport that insists on validating itself. */
  get validationRules(): ValidationRule[] {
    return [...this.limitRules, ...this.graphqlRules];
  }

  /** The estimated bytes and count of documents remembered (for the metrics). */
  cacheStats(): { bytes: number; documents: number } {
    return { bytes: this.cache.bytes, documents: this.cache.size };
  }

  /** Refuses for a reason of the transport's own (a body that is not JSON, a limit per connection), logged and counted like every refusal. */
  refuse(transport: Transport, code: string, message: string, options: { status?: number; requestId?: string | null } = {}): Refusal {
    return this.record({ transport, requestId: options.requestId }, this.refusal(options.status ?? 400, code, message));
  }

  /** The one place a refusal is logged (request id, reason, code) and counted. */
  private record(request: Pick<OperationRequest, "transport" | "requestId">, refusal: Refusal): Refusal {
    this.options.logger.info(
      { reqId: request.requestId ?? undefined, transport: request.transport, outcome: refusal.code, status: refusal.status, reason: refusal.errors[0]?.message.slice(0, 200) },
      "operation refused",
    );
    this.options.metrics.refused.inc({ transport: request.transport, code: refusal.code });
    return refusal;
  }

  /** Admits the operation, or says why not. */
  admit(request: OperationRequest): Admission {
    const refused = (refusal: Refusal): Admission => ({ refused: this.record(request, refusal) });
    const { query, operationName } = request;
    if (typeof query !== "string" || query.trim() === "") return refused(this.refusal(400, "BAD_REQUEST", "A GraphQL request needs a non-empty 'query' string."));
    if (operationName !== undefined && operationName !== null && typeof operationName !== "string") return refused(this.refusal(400, "BAD_REQUEST", "'operationName' must be a string."));
    const variables = request.variables ?? {};
    if (!isPlainObject(variables)) return refused(this.refusal(400, "BAD_REQUEST", "'variables' must be an object mapping names to values."));
    if (nestingDepth(variables, MAX_VARIABLE_DEPTH) > MAX_VARIABLE_DEPTH) return refused(this.refusal(400, "BAD_USER_INPUT", `The variables nest deeper than ${MAX_VARIABLE_DEPTH} levels; no input of this API needs that.`));

    const key = createHash("sha256").update(query).digest("base64");
    let checked = this.cache.get(key);
    if (!checked) {
      checked = this.check(query);
      this.options.metrics.documentsChecked.inc();
      this.cache.set(key, checked, "document" in checked ? 1024 + query.length * BYTES_PER_SOURCE_CHAR : 512 + checked.refusal.errors.reduce((n, e) => n + e.message.length * 2, 0));
      this.options.metrics.documentCacheBytes.set(this.cache.bytes);
    }
    if ("refusal" in checked) return refused(checked.refusal);
    const { document } = checked;

    const operation = getOperationAST(document, typeof operationName === "string" ? operationName : undefined);
    if (!operation) {
      const message = typeof operationName === "string" ? `The document has no operation named '${operationName.slice(0, 60)}'.` : "The document holds several operations: name the one to run (operationName).";
      return refused(this.refusal(400, "GRAPHQL_VALIDATION_FAILED", message));
    }
    if (request.transport === "http" && operation.operation === "subscription") {
      return refused(this.refusal(400, "BAD_REQUEST", "Subscriptions are served over WebSocket (graphql-transport-ws) at this same URL, not over HTTP."));
    }
    if (request.method === "GET" && operation.operation !== "query") {
      return refused({ ...this.refusal(405, "BAD_REQUEST", `A GET request runs queries only; send this ${operation.operation} as a POST.`), headers: { allow: "POST" } });
    }

    const coerced = getVariableValues(this.schema, operation.variableDefinitions ?? [], variables, { maxErrors: 10 });
    if (coerced.errors) return refused({ status: 400, code: "BAD_USER_INPUT", errors: coerced.errors.map((e) => this.clientError(e, "BAD_USER_INPUT")) });

    let cost: number;
    try {
      cost = estimateOperationCost(this.schema, document, operation.name?.value ?? (typeof operationName === "string" ? operationName : null), variables);
    } catch (error) {
      // Fails closed: an operation the estimate cannot price does not run.
      if (error instanceof AppError) return refused({ status: 400, code: String(error.extensions.code), errors: [this.clientError(error, String(error.extensions.code))] });
      if (error instanceof GraphQLError && error.originalError === undefined && /^(Argument|Variable|Expected)/.test(error.message)) {
        return refused({ status: 400, code: "BAD_USER_INPUT", errors: [this.clientError(error, "BAD_USER_INPUT")] });
      }
      this.options.logger.warn({ err: error }, "the cost of an operation could not be estimated; refused");
      return refused(this.refusal(400, "QUERY_TOO_COMPLEX", "This operation's cost could not be estimated, so it is not run. Ask for fewer items or fewer nested fragments."));
    }
    const max = this.options.limits.maxComplexity;
    if (cost > max) return refused(this.refusal(400, "QUERY_TOO_COMPLEX", `This operation's estimated cost is ${cost}; at most ${max} is allowed. Ask for fewer items (first or last) or fewer nested fields.`));
    const admitted: AdmittedOperation = { source: query, sourceHash: key, document, operation, operationName: operation.name?.value ?? null, variables, cost };
    // What was priced, for following one request through (never the variables: they may hold an email).
    if (this.options.logger.isLevelEnabled("debug")) this.options.logger.debug({ reqId: request.requestId ?? undefined, transport: request.transport, operation: admitted.operationName, cost }, "operation admitted");
    return { admitted };
  }

  /** Parses and validates a document text: the part of the decision that depends on the text alone. */
  private check(query: string): Checked {
    let document: DocumentNode;
    try {
      document = parse(query, { maxTokens: this.options.limits.maxTokens });
    } catch (error) {
      const message = error instanceof GraphQLError ? error.message : "The document could not be parsed.";
      return { refusal: this.refusal(400, "GRAPHQL_PARSE_FAILED", message.replace(/^Syntax Error: /, "Syntax Error: ")) };
    }
    try {
      // The cheap limit rules first: a document they refuse never reaches graphql-js's rules,
      // whose overlap check grows with the square of a flood of fields.
      const overLimits = validate(this.schema, document, this.limitRules);
      if (overLimits.length > 0) return { refusal: { status: 400, code: "QUERY_TOO_COMPLEX", errors: overLimits.map((e) => this.clientError(e, "QUERY_TOO_COMPLEX")) } };
      const invalid = validate(this.schema, document, this.graphqlRules);
      if (invalid.length > 0) return { refusal: { status: 400, code: "GRAPHQL_VALIDATION_FAILED", errors: invalid.map((e) => this.clientError(e, "GRAPHQL_VALIDATION_FAILED")) } };
    } catch (error) {
      // A document whose checking fails (a stack overflow on a pathological shape) is refused, never run.
      this.options.logger.warn({ err: error }, "validating a document failed; refused");
      return { refusal: this.refusal(400, "QUERY_TOO_COMPLEX", "This document could not be checked, so it is not run.") };
    }
    return { document };
  }

  private refusal(status: number, code: string, message: string): Refusal {
    return { status, code, errors: [new GraphQLError(this.shown(message), { extensions: { code } })] };
  }

  /** An error as a client sees it: the message (hints dropped in production), where it points, its code, and the input field it names. */
  private clientError(error: GraphQLError, code: string): GraphQLError {
    const field = error.extensions.field;
    return new GraphQLError(this.shown(error.message), { nodes: error.nodes, extensions: field === undefined ? { code } : { code, field } });
  }

  private shown(message: string): string {
    return this.options.hideHints ? message.replace(HINT, "") : message;
  }
}
