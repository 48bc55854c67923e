import { randomUUID } from "node:crypto";
import type http from "node:http";
import type { IncomingMessage } from "node:http";
import { GraphQLError } from "graphql";
import type { ExecutionResult, GraphQLSchema } from "graphql";
import { CloseCode, handleProtocols, makeServer } from "graphql-ws";
import type { Context as ConnectionContext } from "graphql-ws";
import { WebSocketServer } from "ws";
import type { WebSocket } from "ws";
import type { Viewer } from "../kernel/viewer";
import { errorCode, maskError } from "../kernel/errors";
import type { Logger } from "../kernel/logger";
import { forEachInSlices } from "../kernel/slices";
import { createContext } from "../api/context";
import type { Context } from "../api/context";
import type { Services } from "../services/services";
import type { EventBus } from "../events/bus";
import type { LiveStats } from "../events/stats";
import { MAX_VARIABLE_DEPTH, nestingDepth } from "../policy/operation-policy";
import type { OperationPolicy } from "../policy/operation-policy";
import { operationLogFields } from "./observability-plugin";
import { executeEvent, frameLater, frameOf, payloadBytes, shareResultsOf, subscribeShared, writeDirectlyTo } from "./websocket.fanout";
import { DirectLane } from "./websocket.lane";
import { ConnectionsByAddress, originCheck, TOO_MANY_CONNECTIONS } from "./websocket.guards";

/** Sockets one heartbeat pass pings before it lets the loop turn. */
export const HEARTBEAT_SLICE = 500;

/** Settings of the graphql-ws endpoint. */
export interface WebSocketOptions {
  readonly schema: GraphQLSchema;
  readonly services: Services;
  readonly stats: LiveStats;
  readonly logger: Logger;
  /** Admits or refuses every operation, exactly as for HTTP. */
  readonly policy: OperationPolicy;
  /** Where token revocations arrive from (on every instance). */
  readonly bus: EventBus;
  /** The client's address from the upgrade request, by the same rule as HTTP's. */
  readonly clientAddress: (request: IncomingMessage) => string;
  /** Most subscriptions one connection may hold at once. */
  readonly maxSubscriptionsPerConnection: number;
  /** Most connections one client address may hold at once (more close with {@link TOO_MANY_CONNECTIONS}). */
  readonly maxConnectionsPerAddress: number;
  /** Most subscriptions all connections of one client address may hold at once. */
  readonly maxSubscriptionsPerAddress: number;
  /** Largest message a client may send, in bytes (larger closes the socket with 1009). */
  readonly maxMessageBytes: number;
  /** The one heartbeat: a socket that has not answered the previous ping when the next is due is dropped. */
  readonly keepAliveMs: number;
  /** Time a client has to send connection_init before the socket closes with 4408. */
  readonly initTimeoutMs: number;
  /**
   * Browser origins whose pages may connect; an upgrade carrying any other Origin is answered
   * 403 and no socket is made. A request without Origin is not a browser's and is let through,
   * and so is a page of this server's own host (the ticker at /live).
   * Null: every origin (see {@link attachGraphqlWs} for why that is safe).
   */
  readonly allowedOrigins: readonly string[] | null;
}

/** The running endpoint. */
export interface GraphqlWebSocket {
  readonly openConnections: () => number;
  /** Closes every socket with 1001 (going away) and stops accepting. */
  dispose(): Promise<void>;
}

/** What this adapter keeps per connection, beside graphql-ws's own state. */
interface SocketExtra {
  readonly socket: WebSocket;
  readonly request: IncomingMessage;
  readonly address: string;
  viewer: Viewer | null;
  /** graphql-ws's state of this connection, known from connection_init on. */
  connection: Connection | null;
  /** Per operation id, the serialised result its next `next` frame carries (websocket.fanout.ts). */
  readonly framed: Map<string, string>;
}

type Connection = ConnectionContext<Record<string, unknown> | undefined, SocketExtra>;

/** A query or mutation running over a socket: what its log line needs beside its result. */
interface Running {
  readonly started: number;
  readonly operationName: string | null;
  readonly mutation: boolean;
}

function refusal(message: string, code: string): GraphQLError[] {
  return [new GraphQLError(message, { extensions: { code } })];
}

/**
 * graphql-ws on the HTTP server's port and `/graphql` path: this file adapts `ws` sockets to
 * graphql-ws's protocol core and calls the operation policy from its hooks; it decides nothing
 * about operations itself. It also owns what only a socket has: the heartbeat, limits per
 * connection and per client address (with the origin check, in websocket.guards.ts), and closing
 * a token's sockets when the token is revoked; one event's fan-out to its many subscribers is
 * websocket.fanout.ts's.
 * Tokens come in connection_init (`{ authorization: "Bearer …" }`); a bad or malformed one
 * closes the socket with 4403. Nothing internal is ever sent as a close reason.
 *
 * Origins: browsers let any page open a WebSocket to any host, sending along the cookies and
 * HTTP authentication they hold for it (cross-site WebSocket hijacking). Here the upgrade
 * request's headers grant nothing: the viewer comes from connection_init's payload alone, which
 * a page can only fill with a token it already has, and nothing reads cookies. A foreign page
 * therefore gets the anonymous reader's feeds, which it could read from its own server anyway;
 * so without `allowedOrigins` every origin is admitted. With it, the check runs at the upgrade.
 */
export function attachGraphqlWs(httpServer: http.Server, options: WebSocketOptions): GraphqlWebSocket {
  const { schema, services, stats, logger, policy } = options;
  const wsServer = new WebSocketServer({
    server: httpServer,
    path: "/graphql",
    maxPayload: options.maxMessageBytes,
    handleProtocols,
    verifyClient: originCheck(options.allowedOrigins, policy),
  });
  const byAddress = new ConnectionsByAddress<SocketExtra>();
  const byToken = new Map<number, Set<WebSocket>>();

  /** Queries and mutations between admission and their result, by their context. */
  const running = new WeakMap<Context, Running>();

  const forget = (tokenPk: number, socket: WebSocket) => {
    const sockets = byToken.get(tokenPk);
    sockets?.delete(socket);
    if (sockets?.size === 0) byToken.delete(tokenPk);
  };

  // Results over WebSocket are masked exactly as over HTTP: contract errors pass, the rest become INTERNAL_SERVER_ERROR.
  const masked = (result: ExecutionResult, reqId?: string) => ({ ...result, errors: result.errors!.map((e) => maskError(e.toJSON(), e, (original) => logger.error({ err: original, reqId }, "unexpected error"))) });
  const lane = new DirectLane({ stats, execute: executeEvent, payloadOf: (result) => payloadBytes(result, masked) });

  const core = makeServer<Record<string, unknown> | undefined, SocketExtra>({
    schema,
    connectionInitWaitTimeout: options.initTimeoutMs,
    onConnect: async (ctx) => {
      // Clients (GraphiQL among them) send the header's name as typed: Authorization or authorization.
      const params = ctx.connectionParams ?? {};
      const key = Object.keys(params).find((k) => k.toLowerCase() === "authorization");
      const authorization = key === undefined ? undefined : params[key];
      // A value that is not a string is a malformed credential, not an anonymous reader.
      if (authorization !== undefined && authorization !== null && typeof authorization !== "string") return false;
      ctx.extra.connection = ctx;
      try {
        const viewer = await services.auth.authenticate(null, authorization);
        ctx.extra.viewer = viewer;
        if (viewer) {
          const sockets = byToken.get(viewer.tokenPk) ?? new Set<WebSocket>();
          sockets.add(ctx.extra.socket);
          byToken.set(viewer.tokenPk, sockets);
        }
        return true;
      } catch {
        return false;
      }
    },
    onSubscribe: async (ctx, id, payload) => {
      const extra = ctx.extra;
      // A token revoked since the socket opened works for nothing more, whichever instance revoked it.
      if (extra.viewer && !(await services.auth.isActive(null, extra.viewer.tokenPk))) {
        extra.socket.close(CloseCode.Forbidden, "Forbidden: the API token was revoked");
        return refusal("The API token has been revoked.", "UNAUTHENTICATED");
      }
      // graphql-ws has already reserved this operation's id in ctx.subscriptions.
      if (Object.keys(ctx.subscriptions).length > options.maxSubscriptionsPerConnection) {
        return policy.refuse("websocket", "RATE_LIMITED", `This connection already has ${options.maxSubscriptionsPerConnection} subscriptions, the most one may hold; close one first.`).errors;
      }
      if (byAddress.holdsMoreSubscriptionsThan(extra.address, options.maxSubscriptionsPerAddress, options.maxSubscriptionsPerConnection)) {
        return policy.refuse("websocket", "RATE_LIMITED", `Your address already holds ${options.maxSubscriptionsPerAddress} subscriptions, the most one address may hold; close one first.`).errors;
      }
      const admission = policy.admit({ transport: "websocket", query: payload.query, operationName: payload.operationName, variables: payload.variables });
      if (admission.refused) return [...admission.refused.errors];
      const { document, operationName, variables } = admission.admitted;
      // A query or mutation gets a scope of its own, as an HTTP request does: the id of its log
      // line, its statements counted, and for a mutation the transactions its audit entry is written in.
      const kind = admission.admitted.operation.operation;
      const tally = kind === "subscription" ? null : { id: randomUUID(), statements: 0 };
      const contextValue = createContext(services, { viewer: extra.viewer, clientAddress: extra.address, transport: "websocket", tally });
      if (kind !== "subscription") running.set(contextValue, { started: performance.now(), operationName: operationName ?? admission.admitted.operation.name?.value ?? null, mutation: kind === "mutation" });
      shareResultsOf(contextValue, { operationName, variables, source: admission.admitted.source });
      writeDirectlyTo(contextValue, { socket: extra.socket, id });
      return { schema, document, operationName, variableValues: variables, contextValue };
    },
    // A query's or mutation's one result is in: its log line, once, as over HTTP (a subscription's stream has none).
    onOperation: async (_ctx, _id, _payload, args, operationResult) => {
      const contextValue = args.contextValue as Context;
      const operation = running.get(contextValue);
      if (operation === undefined) return;
      // graphql-ws hands over the settled result (its types allow a promise).
      const result = await operationResult;
      if (Symbol.asyncIterator in result) return;
      running.delete(contextValue);
      const outcome = result.errors?.length ? errorCode(result.errors[0]) : "ok";
      const seconds = (performance.now() - operation.started) / 1000;
      logger.info(operationLogFields({ transport: "websocket", scope: contextValue.tally, operationName: operation.operationName, outcome, seconds, mutation: operation.mutation, viewer: contextValue.viewer }), "graphql request");
    },
    subscribe: subscribeShared(stats, lane),
    onNext: (ctx, id, _payload, args, result) => (result.errors?.length ? masked(result, (args.contextValue as Context | undefined)?.tally?.id) : frameLater(ctx.extra.framed, id, result)),
    // The policy's refusals pass as they are; an error a feed ended with is masked unless it is one of ours.
    onError: (_ctx, _id, _payload, errors) => errors.map((e) => (e.originalError === undefined ? e.toJSON() : maskError(e.toJSON(), e, (original) => logger.error({ err: original }, "a subscription failed")))),
  });

  const alive = new WeakSet<WebSocket>();
  wsServer.on("connection", (socket, request) => {
    const address = options.clientAddress(request);
    if (byAddress.connectionsOf(address) >= options.maxConnectionsPerAddress) {
      policy.refuse("websocket", "RATE_LIMITED", `connection over the limit of ${options.maxConnectionsPerAddress} per address`);
      socket.close(TOO_MANY_CONNECTIONS, `Too many connections from this address (at most ${options.maxConnectionsPerAddress})`);
      return;
    }
    alive.add(socket);
    stats.openConnections++;
    socket.on("pong", () => alive.add(socket));
    // ws closes the socket itself after a protocol error (1009 for an oversized message); this only records it.
    socket.on("error", (error) => logger.info({ err: { message: error.message, code: (error as { code?: string }).code } }, "websocket protocol error"));

    const extra: SocketExtra = { socket, request, address, viewer: null, connection: null, framed: new Map() };
    byAddress.add(address, extra);
    const closed = core.opened(
      {
        protocol: socket.protocol,
        // Resolves once the frame is handed to the kernel: a feed waits for a slow reader instead of queueing for it.
        send: (data) =>
          new Promise<void>((resolve) => {
            if (socket.readyState !== socket.OPEN) return resolve();
            // A peer that is gone is not an error of the subscription: its close ends the subscription.
            socket.send(frameOf(data, extra.framed), () => resolve());
          }),
        close: (code, reason) => socket.close(code, reason),
        // graphql-ws would echo any ping payload back, and turning a deeply nested one into text
        // overflows the stack; a pong echoes only a payload no deeper than variables may be.
        onPing: async (payload) => {
          const echo = payload !== undefined && nestingDepth(payload, MAX_VARIABLE_DEPTH) <= MAX_VARIABLE_DEPTH;
          await new Promise<void>((resolve) => socket.send(JSON.stringify(echo ? { type: "pong", payload } : { type: "pong" }), () => resolve()));
        },
        onMessage: (handle) =>
          socket.on("message", async (data) => {
            try {
              await handle(String(data));
            } catch (error) {
              logger.error({ err: error }, "handling a websocket message failed");
              socket.close(CloseCode.InternalServerError, "Internal server error");
            }
          }),
      },
      extra,
    );
    socket.once("close", (code, reason) => {
      stats.openConnections--;
      byAddress.remove(address, extra);
      if (extra.viewer) forget(extra.viewer.tokenPk, socket);
      void closed(code, String(reason)).catch((error: unknown) => logger.error({ err: error }, "closing a websocket failed"));
    });
  });

  // A ping is a write to each socket: with 10,000 of them one pass held the process for ~0.1 s.
  let beating = false;
  const heartbeat = setInterval(() => {
    if (beating) return;
    beating = true;
    void forEachInSlices([...wsServer.clients], HEARTBEAT_SLICE, (socket) => {
      if (!alive.has(socket)) {
        socket.terminate();
        return;
      }
      alive.delete(socket);
      socket.ping();
    }).finally(() => (beating = false));
  }, options.keepAliveMs);
  heartbeat.unref();

  // Revocations travel on the event log, so every instance closes the token's sockets.
  const unlisten = options.bus.listen((event) => {
    if (event.topic !== "token") return;
    for (const socket of byToken.get(event.tokenPk) ?? []) socket.close(CloseCode.Forbidden, "Forbidden: the API token was revoked");
  });

  return {
    openConnections: () => wsServer.clients.size,
    async dispose() {
      clearInterval(heartbeat);
      unlisten();
      for (const socket of wsServer.clients) socket.close(1001, "Going away");
      await new Promise<void>((resolve, reject) => wsServer.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
