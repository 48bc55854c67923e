import "reflect-metadata";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { ApolloServer } from "@apollo/server";
import type { ApolloServerPlugin } from "@apollo/server";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled, ApolloServerPluginUsageReportingDisabled } from "@apollo/server/plugin/disabled";
import cors from "cors";
import express from "express";
import type { ErrorRequestHandler } from "express";
import type { GraphQLFormattedError } from "graphql";
import type { AppConfig } from "./config";
import { clientAddressOf, proxyTrust } from "./common/client-address";
import { maskError } from "./common/errors";
import { createLogger } from "./common/logger";
import { createRateLimiter } from "./common/rate-limit";
import type { RateLimiter } from "./common/rate-limit";
import type { Logger } from "./common/logger";
import { createContext, createServices } from "./context";
import type { Context } from "./context";
import { Database } from "./db/database";
import { loadSeed } from "./db/seed/seed";
import { EventBus } from "./events/bus";
import type { Notifier } from "./events/bus";
import { createRedisNotifier } from "./events/redis-notifier";
import { startScheduler } from "./events/scheduler";
import { LiveStats } from "./events/stats";
import { DEFAULT_PLAYGROUND_QUERY } from "./playground/default-query";
import { createPlaygroundRouter } from "./playground/playground";
import { createTickerRouter } from "./ticker/ticker.router";
import { observabilityPlugin } from "./observability/apollo-plugin";
import { Metrics } from "./observability/metrics";
import { requestScope, scopeOf } from "./observability/request-scope";
import { admittedDocumentPlugin, admittedOf, executeAdmitted, operationGate } from "./policy/http";
import { OperationPolicy } from "./policy/operation-policy";
import { PersistedQueries } from "./policy/persisted-queries";
import { startResponseCache } from "./cache/cache-sync";
import { attachGraphqlWs } from "./websocket";
import { createSchema } from "./schema";

/** A body that is too large or is not JSON gets a GraphQL-shaped error, not express's HTML page, and is logged and counted as a refusal. */
function bodyErrors(policy: OperationPolicy, logger: Logger): ErrorRequestHandler {
  return (error: { status?: number; type?: string }, _req, res, next) => {
    if (res.headersSent) return next(error);
    const status = error.status === 413 ? 413 : error.status && error.status >= 400 && error.status < 500 ? error.status : 500;
    if (status === 500) {
      logger.error({ err: error, reqId: scopeOf(res)?.id }, "unexpected error");
      res.status(500).json({ errors: [{ message: "Unexpected error.", extensions: { code: "INTERNAL_SERVER_ERROR" } }] });
      return;
    }
    const message = status === 413 ? "The request body is larger than this server accepts." : "The request body is not valid JSON.";
    const refusal = policy.refuse("http", "BAD_REQUEST", message, { status, requestId: scopeOf(res)?.id });
    res.status(status).json({ errors: refusal.errors.map((e) => e.toJSON()) });
  };
}

/** What {@link createServer} hands back: where it listens, its store, and how to stop it. */
export interface RunningServer {
  /** e.g. `http://127.0.0.1:4000/graphql`. */
  readonly url: string;
  readonly port: number;
  readonly db: Database;
  readonly logger: Logger;
  readonly bus: EventBus;
  readonly stats: LiveStats;
  readonly metrics: Metrics;
  /** Stops accepting, closes sockets with 1001, finishes in-flight work and closes the database. */
  stop(): Promise<void>;
}

/** How long stop() lets GraphQL executions whose clients have gone run on before closing the database. */
const STOP_GRACE_MS = 10_000;

/** Counts GraphQL requests between the start of Apollo's pipeline and their response. */
class InFlight {
  private count = 0;
  private waiters: Array<() => void> = [];

  plugin(): ApolloServerPlugin<Context> {
    return {
      requestDidStart: async () => {
        this.count++;
        let ended = false;
        return {
          willSendResponse: async () => {
            if (ended) return;
            ended = true;
            if (--this.count === 0) for (const wake of this.waiters.splice(0)) wake();
          },
        };
      },
    };
  }

  /** Resolves when none is in flight, or after `maxMs`. */
  async settled(maxMs: number): Promise<void> {
    if (this.count === 0) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([new Promise<void>((resolve) => this.waiters.push(resolve)), new Promise<void>((resolve) => (timer = setTimeout(resolve, maxMs)))]);
    clearTimeout(timer);
  }
}

/**
 * Builds and starts the whole server: HTTP (GraphQL over POST/GET, /healthz, /readyz) and
 * graphql-ws on the same port and path. Opens the database, runs pending migrations and, when
 * `config.seed` is on and the store is empty, loads the seed story.
 */
export async function createServer(config: AppConfig, options: { logger?: Logger } = {}): Promise<RunningServer> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const db = await Database.open(config.database);
  let commentLimiter: RateLimiter | undefined;
  try {
    if (config.seed && (await loadSeed(db))) logger.info("loaded the seed story");
    const schema = await createSchema();
    const stats = new LiveStats();
    const notifier: Notifier | undefined = config.redisUrl ? await createRedisNotifier(config.redisUrl, logger, config.redisOutageLogMs) : undefined;
    const bus = new EventBus(db, { pollIntervalMs: config.eventPollIntervalMs, retentionMs: config.eventRetentionMs, logger, notifier });
    await bus.start();
    // With Redis, shared by every instance.
    commentLimiter = await createRateLimiter({ points: config.commentRateLimit, durationSeconds: config.commentRateWindowSeconds, redisUrl: config.redisUrl, logger, outageSummaryMs: config.redisOutageLogMs });
    const services = createServices(db, config, { bus, stats }, commentLimiter);
    // Masking only: the observability plugin logs unexpected errors, where the request's id is known.
    const formatError = (formatted: GraphQLFormattedError, error: unknown) => maskError(formatted, error);
    const metrics = new Metrics(stats);
    const persisted = new PersistedQueries(config.persistedQueriesBytes);
    const responseCache = startResponseCache({ db, bus, schema, config, logger, metrics });
    const policy = new OperationPolicy(schema, { limits: config.limits, introspection: config.introspection, hideHints: config.production, logger, metrics });
    const executions = new InFlight();

    const app = express();
    app.disable("x-powered-by");
    // Express would hash every response body for a weak ETag (it showed in the front page's
    // profile). GraphQL answers are POSTed and differ per viewer; nothing here revalidates them.
    app.set("etag", false);
    // The same rule as clientAddress, so whatever reads req.ip agrees with the limits.
    app.set("trust proxy", proxyTrust(config.trustProxy));
    const clientAddress = clientAddressOf(config.trustProxy);
    // CORS headers are set before anything else answers: Express's chain, or an early cache hit.
    const corsHeaders =
      config.corsOrigins.length > 0
        ? cors({
            origin: config.corsOrigins.includes("*") ? true : [...config.corsOrigins],
            methods: ["GET", "POST", "OPTIONS"],
            allowedHeaders: [...config.corsAllowHeaders],
            // A page can then quote the id a support request or the logs know its request by.
            exposedHeaders: ["x-request-id"],
            // Without it a browser asks again before nearly every POST (its default is 5 s).
            maxAge: config.corsMaxAgeSeconds,
            // No Access-Control-Allow-Credentials: no cookies exist here, a token is sent explicitly.
          })
        : null;
    const early = responseCache.http.early;
    const httpServer = http.createServer(early ? early.listener(app, corsHeaders) : app);
    const ws = attachGraphqlWs(httpServer, {
      schema,
      services,
      stats,
      logger,
      policy,
      bus,
      clientAddress,
      maxSubscriptionsPerConnection: config.wsMaxSubscriptions,
      maxConnectionsPerAddress: config.wsMaxConnectionsPerAddress,
      maxSubscriptionsPerAddress: config.wsMaxSubscriptionsPerAddress,
      maxMessageBytes: config.wsMaxMessageBytes,
      keepAliveMs: config.wsKeepAliveMs,
      initTimeoutMs: config.wsInitTimeoutMs,
      allowedOrigins: config.wsOrigins,
    });

    const apollo = new ApolloServer<Context>({
      schema,
      formatError,
      includeStacktraceInErrorResponses: false,
      // The operation policy parses and validates (operationGate); Apollo runs the document it
      // admitted. These are only what Apollo would use if it ever parsed on its own.
      validationRules: policy.validationRules,
      parseOptions: { maxTokens: config.limits.maxTokens },
      documentStore: null,
      introspection: config.introspection,
      // No "did you mean …?" hints in production: they map the schema for a prober.
      hideSchemaDetailsFromClientErrors: config.production,
      allowBatchedHttpRequests: false,
      // Automatic persisted queries, in a store bounded in bytes that the operation gate reads too.
      persistedQueries: { cache: persisted.apolloCache, ttl: null },
      // No ambient credentials exist (tokens travel only in the Authorization header, which no
      // cross-site form or <img> can set), so a cross-site request can do nothing a page could
      // not do with fetch; refusing GETs without a preflight header only broke urql and
      // graphql-request. Mutations never run over GET (the policy answers 405).
      csrfPrevention: false,
      // main.ts stops the server in order on SIGTERM/SIGINT; Apollo's own handlers would re-raise the signal and exit 143 midway.
      stopOnTerminationSignals: false,
      plugins: [
        ApolloServerPluginDrainHttpServer({ httpServer }),
        ApolloServerPluginLandingPageDisabled(),
        // Cache-control hints wrap every field resolver and nothing here reads them (measured cost on every field).
        ApolloServerPluginCacheControlDisabled(),
        ApolloServerPluginUsageReportingDisabled(),
        { serverWillStart: async () => ({ drainServer: async () => void (await ws.dispose()) }) },
        admittedDocumentPlugin<Context>(),
        responseCache.http.plugin<Context>(),
        observabilityPlugin({ logger, metrics }),
        executions.plugin(),
      ],
    });
    await apollo.start();

    app.use(requestScope());
    if (corsHeaders) app.use(corsHeaders);
    app.get("/metrics", async (_req, res) => {
      res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
    });
    app.get("/healthz", (_req, res) => {
      res.json({ status: "ok" });
    });
    app.get("/readyz", async (_req, res) => {
      const ok = await db.ping();
      res.status(ok ? 200 : 503).json({ status: ok ? "ok" : "unavailable", database: ok ? "up" : "down" });
    });
    if (config.playground) app.use(createPlaygroundRouter({ endpoint: "/graphql", defaultQuery: DEFAULT_PLAYGROUND_QUERY }));
    // Not behind PLAYGROUND: the ticker is for readers, and embedded on other sites.
    app.use(createTickerRouter({ endpoint: "/graphql", storyUrl: config.tickerStoryUrl, frameAncestors: config.tickerFrameAncestors }));
    app.use(
      "/graphql",
      express.json({ limit: config.maxBodyBytes }),
      // A body read before Express (see EarlyHits) that is not JSON fails here, as the parser above would have.
      (req, _res, next) => {
        const error = early?.bodyErrorOf(req);
        next(error ? Object.assign(error, { status: 400, type: "entity.parse.failed" }) : undefined);
      },
      operationGate(policy, { cache: responseCache.http, persisted }),
      executeAdmitted(apollo, {
        context: async ({ req, res }) => {
          const scope = scopeOf(res);
          try {
            const viewer = await services.auth.authenticate(scope, req.headers.authorization);
            return createContext(services, { viewer, clientAddress: clientAddress(req), transport: "http", tally: scope, admitted: admittedOf(res) });
          } catch (error) {
            // Refused before Apollo's pipeline (and its logging plugin) starts: log and count it here.
            logger.info({ reqId: scope?.id, operation: null, outcome: "UNAUTHENTICATED", status: 401 }, "graphql request");
            metrics.requests.inc({ operation: "unknown", outcome: "UNAUTHENTICATED" });
            throw error;
          }
        },
      }),
    );
    app.use(bodyErrors(policy, logger));

    await new Promise<void>((resolve, reject) => {
      httpServer.once("error", reject);
      httpServer.listen(config.port, config.host, () => resolve());
    });
    const scheduler = startScheduler(services.articles, config.schedulerIntervalMs, logger);
    const port = (httpServer.address() as AddressInfo).port;
    const shownHost = config.host === "0.0.0.0" || config.host === "::" ? "localhost" : config.host;
    let stopping: Promise<void> | undefined;
    return {
      url: `http://${shownHost}:${port}/graphql`,
      port,
      db,
      logger,
      bus,
      stats,
      metrics,
      stop: () =>
        (stopping ??= (async () => {
          await scheduler.stop();
          // Apollo's drain stops the HTTP server, waits for requests in flight and closes the sockets.
          await apollo.stop();
          // The drain waits for open connections only: a request whose client hung up may still be executing.
          await executions.settled(STOP_GRACE_MS);
          responseCache.stop();
          await bus.stop();
          await notifier?.close();
          await commentLimiter?.close();
          await db.close();
        })()),
    };
  } catch (error) {
    await commentLimiter?.close();
    await db.close();
    throw error;
  }
}
