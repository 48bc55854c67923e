import type http from "node:http";
import { createSourceEventStream, execute, getOperationAST, GraphQLError, NoSchemaIntrospectionCustomRule, parse, specifiedRules, validate } from "graphql";
import type { DocumentNode, ExecutionArgs, ExecutionResult, GraphQLSchema, ValidationRule } from "graphql";
import { useServer } from "graphql-ws/use/ws";
import type { Extra } from "graphql-ws/use/ws";
import { WebSocketServer } from "ws";
import type { WebSocket } from "ws";
import type { Viewer } from "./auth/viewer";
import { errorCode, maskError } from "./common/errors";
import { checkComplexity } from "./common/limits";
import type { QueryLimits } from "./common/limits";
import type { Logger } from "./common/logger";
import { audienceOf, contextForEvent, createContext } from "./context";
import type { Context, Services } from "./context";
import { DeliveredEvent } from "./events/bus";
import type { LiveStats } from "./events/stats";

/** Settings of the graphql-ws endpoint. */
export interface WebSocketOptions {
  readonly schema: GraphQLSchema;
  readonly services: Services;
  readonly stats: LiveStats;
  readonly logger: Logger;
  /** The client's address from the upgrade request, by the same rule as HTTP's. */
  readonly clientAddress: (req: http.IncomingMessage) => string;
  /** Most subscriptions one connection may hold at once. */
  readonly maxSubscriptionsPerConnection: number;
  /** Largest message a client may send, in bytes (larger closes the socket with 1009). */
  readonly maxMessageBytes: number;
  /** A socket that does not answer a ping within this long is dropped. */
  readonly keepAliveMs: number;
  /** Time a client has to send connection_init before the socket closes with 4408. */
  readonly initTimeoutMs: number;
  /** Validation rules beyond graphql-js's own: the same list HTTP uses. */
  readonly validationRules: readonly ValidationRule[];
  readonly limits: QueryLimits;
  readonly introspection: boolean;
  /** Called for each operation refused as too complex (for the metrics). */
  readonly onTooComplex?: () => void;
}

/** The running endpoint. */
export interface GraphqlWebSocket {
  readonly openConnections: () => number;
  /** Closes every socket with 1001 (going away) and stops accepting. */
  dispose(): Promise<void>;
}

type SocketExtra = Extra & { viewer?: Viewer | null };

/** Parsed and validated documents by their text: 5,000 tickers sending one subscription are checked once. */
class DocumentCache {
  private readonly entries = new Map<string, { document: DocumentNode } | { errors: readonly GraphQLError[] }>();

  constructor(private readonly size: number) {}

  get(query: string, check: () => { document: DocumentNode } | { errors: readonly GraphQLError[] }) {
    // Large documents are rare and would make the cache itself a memory risk.
    if (query.length > 10_000) return check();
    let entry = this.entries.get(query);
    if (entry) {
      // Most recently used last, so the oldest is the first to go.
      this.entries.delete(query);
    } else {
      entry = check();
      if (this.entries.size >= this.size) this.entries.delete(this.entries.keys().next().value!);
    }
    this.entries.set(query, entry);
    return entry;
  }
}

/**
 * Per subscription context, what its result depends on besides the event: the audience, the
 * operation, its variables and the document. Subscribers with the same key share one execution per event.
 */
const sharedResultKeys = new WeakMap<object, string>();

/** An error as a WebSocket client sees it: the message, where it points, and its code only. */
function clientError(error: GraphQLError, code: string): GraphQLError {
  return new GraphQLError(error.message, { nodes: error.nodes, extensions: { code } });
}

/** Maps each item of an async iterator, passing `return()` straight through so unsubscribing stays immediate. */
function mapIterator<T, R>(source: AsyncIterator<T>, map: (item: T) => Promise<R>): AsyncIterableIterator<R> {
  const done = async (): Promise<IteratorResult<R>> => {
    await source.return?.();
    return { value: undefined, done: true };
  };
  return {
    async next() {
      const item = await source.next();
      return item.done ? { value: undefined, done: true } : { value: await map(item.value), done: false };
    },
    return: done,
    async throw(error: unknown) {
      await done();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

/**
 * graphql-ws on the HTTP server's port and `/graphql` path. Tokens come in connection_init
 * (`{ authorization: "Bearer …" }`); a bad one closes the socket with 4403. Each event of a
 * subscription executes with that event's shared loaders (see `contextForEvent`).
 */
export function attachGraphqlWs(httpServer: http.Server, options: WebSocketOptions): GraphqlWebSocket {
  const { schema, services, stats, logger } = options;
  const wsServer = new WebSocketServer({ server: httpServer, path: "/graphql", maxPayload: options.maxMessageBytes });

  const alive = new WeakSet<WebSocket>();
  wsServer.on("connection", (socket) => {
    alive.add(socket);
    stats.openConnections++;
    socket.on("pong", () => alive.add(socket));
    socket.once("close", () => stats.openConnections--);
  });
  const heartbeat = setInterval(() => {
    for (const socket of wsServer.clients) {
      if (!alive.has(socket)) {
        socket.terminate();
        continue;
      }
      alive.delete(socket);
      socket.ping();
    }
  }, options.keepAliveMs);
  heartbeat.unref();

  const rules = [...specifiedRules, ...options.validationRules, ...(options.introspection ? [] : [NoSchemaIntrospectionCustomRule])];
  const documents = new DocumentCache(1000);

  const cleanup = useServer<Record<string, unknown> | undefined, { viewer?: Viewer | null }>(
    {
      schema,
      connectionInitWaitTimeout: options.initTimeoutMs,
      onConnect: async (ctx) => {
        // Clients (GraphiQL among them) send the header's name as typed: Authorization or authorization.
        const params = ctx.connectionParams ?? {};
        const key = Object.keys(params).find((k) => k.toLowerCase() === "authorization");
        const authorization = key === undefined ? undefined : params[key];
        try {
          (ctx.extra as SocketExtra).viewer = await services.auth.authenticate(typeof authorization === "string" ? authorization : null);
          return true;
        } catch {
          return false;
        }
      },
      /*
       * graphql-ws would parse and validate on its own; doing it here instead lets the same
       * limits as HTTP apply: the token ceiling while parsing, the limit rules, and the cost
       * estimate, which needs the operation's variables.
       */
      onSubscribe: async (ctx, _id, payload) => {
        // graphql-ws has already reserved this operation's id in ctx.subscriptions.
        const open = Object.keys(ctx.subscriptions).length;
        if (open > options.maxSubscriptionsPerConnection) {
          return [new GraphQLError(`This connection already has ${options.maxSubscriptionsPerConnection} subscriptions, the most one may hold; close one first.`, { extensions: { code: "RATE_LIMITED" } })];
        }
        const checked = documents.get(payload.query, () => {
          let document: DocumentNode;
          try {
            document = parse(payload.query, { maxTokens: options.limits.maxTokens });
          } catch (error) {
            return { errors: [new GraphQLError(error instanceof GraphQLError ? error.message : "The document could not be parsed.", { extensions: { code: "GRAPHQL_PARSE_FAILED" } })] };
          }
          const invalid = validate(schema, document, rules);
          if (invalid.length === 0) return { document };
          return { errors: invalid.map((e) => clientError(e, errorCode(e) === "QUERY_TOO_COMPLEX" ? "QUERY_TOO_COMPLEX" : "GRAPHQL_VALIDATION_FAILED")) };
        });
        if ("errors" in checked) {
          if (checked.errors.some((e) => e.extensions.code === "QUERY_TOO_COMPLEX")) options.onTooComplex?.();
          return checked.errors;
        }
        const document = checked.document;
        if (!getOperationAST(document, payload.operationName)) return [new GraphQLError("The document does not name one operation to run.", { extensions: { code: "GRAPHQL_VALIDATION_FAILED" } })];
        try {
          checkComplexity(schema, document, payload.operationName, payload.variables, options.limits.maxComplexity);
        } catch (error) {
          options.onTooComplex?.();
          return [clientError(error as GraphQLError, "QUERY_TOO_COMPLEX")];
        }
        const extra = ctx.extra as SocketExtra;
        const contextValue = createContext(services, extra.viewer ?? null, options.clientAddress(extra.request));
        sharedResultKeys.set(contextValue, `result:${audienceOf(contextValue.viewer)}:${payload.operationName ?? ""}\u0000${JSON.stringify(payload.variables ?? {})}\u0000${payload.query}`);
        return { schema, document, operationName: payload.operationName, variableValues: payload.variables, contextValue };
      },
      subscribe: async (args: ExecutionArgs) => {
        const source = await createSourceEventStream(args);
        if (!(Symbol.asyncIterator in source)) return source as ExecutionResult;
        const base = args.contextValue as Context;
        // Built once per subscription: per event it is only looked up (the string keeps its hash).
        const sharedKey = sharedResultKeys.get(base);
        return mapIterator(source[Symbol.asyncIterator](), async (payload: unknown) => {
          const event = payload instanceof DeliveredEvent ? payload : null;
          const run = () => execute({ ...args, rootValue: payload, contextValue: event ? contextForEvent(base, event) : base });
          // Subscribers of one event with the same operation, variables and audience get one shared execution.
          const result = event && sharedKey !== undefined ? await event.sharedFor(sharedKey, run) : await run();
          if (event) stats.recordPush(event.createdAt);
          return result;
        });
      },
      // Results over WebSocket are masked exactly as over HTTP: contract errors pass, the rest become INTERNAL_SERVER_ERROR.
      onNext: (_ctx, _id, _payload, _args, result) => {
        if (!result.errors?.length) return undefined;
        return { ...result, errors: result.errors.map((e) => maskError(e.toJSON(), e, (original) => logger.error({ err: original }, "unexpected error"))) };
      },
      onError: (_ctx, _id, _payload, errors) => {
        for (const error of errors) logger.debug({ err: error }, "websocket operation refused");
      },
    },
    wsServer,
  );

  return {
    openConnections: () => wsServer.clients.size,
    async dispose() {
      clearInterval(heartbeat);
      await cleanup.dispose();
    },
  };
}
