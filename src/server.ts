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
import { ConfigError } from "./config";
import type { AppConfig } from "./config";
import { clientAddressOf, proxyTrust } from "./transport/client-address";
import { maskError } from "./kernel/errors";
import { createLogger } from "./kernel/logger";
import { openRateLimits } from "./services/rate-limit";
import type { RateLimits } from "./services/rate-limit";
import type { Logger } from "./kernel/logger";
import { createContext } from "./api/context";
import { createServices } from "./services/services";
import type { Context } from "./api/context";
import { Database } from "./db/database";
import { entities } from "./entities/entities";
import { ImportPool } from "./services/import/import.pool";
import { loadSeed } from "./services/seed/seed";
import { EventBus } from "./events/bus";
import type { Notifier } from "./events/bus";
import { createRedisNotifier } from "./events/redis-notifier";
import { startScheduler } from "./services/article.scheduler";
import { LiveStats } from "./events/stats";
import { DEFAULT_PLAYGROUND_QUERY } from "./playground/default-query";
import { createPlaygroundRouter } from "./playground/playground";
import { createTickerRouter } from "./ticker/ticker.router";
import { createFeedsRouter } from "./feeds/feeds.router";
import { createDeskRouter } from "./desk/desk.router";
import { observabilityPlugin, requestObserver } from "./transport/observability-plugin";
import { CompiledExecution } from "./transport/compiled-execution";
import { EarlyExecution } from "./transport/early-execution";
import { Metrics } from "./observability/metrics";
import { requestScope, scopeOf } from "./kernel/request-scope";
import { admittedDocumentPlugin, admittedOf, executeAdmitted, operationGate } from "./transport/http-gate";
import { OperationPolicy } from "./policy/operation-policy";
import type { AdmittedOperation } from "./policy/operation-policy";
import { PersistedQueries } from "./policy/persisted-queries";
import { startResponseCache } from "./cache/cache-sync";
import { guardConnections, httpServerOptions } from "./transport/connection-guard";
import { attachGraphqlWs } from "./transport/websocket";
import { createSchema } from "./api/schema";
import { startWebhooks } from "./services/webhooks/webhooks";
import type { WebhookDispatcher } from "./services/webhooks/webhook.dispatcher";

/** An HTTP request's context: the API's, and the operation the policy admitted for it (graphql-ws hands its document to execution itself). */
type HttpContext = Context & { readonly admitted: AdmittedOperation | null };

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

function metricsHandler(metrics: Metrics): express.RequestHandler {
  return async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  };
}

/** `/metrics` alone, for a port of its own, so the public port need not expose it (anything else there is a 404). */
function metricsApp(metrics: Metrics): http.Server {
  const app = express();
  app.disable("x-powered-by");
  app.get("/metrics", metricsHandler(metrics));
  return http.createServer(app);
}

/** What the public port answers while the server is still opening its database. */
function answerStarting(_req: http.IncomingMessage, res: http.ServerResponse): void {
  res.writeHead(503, { "content-type": "application/json; charset=utf-8", "retry-after": "1", "cache-control": "no-store" });
  res.end('{"status":"starting"}');
}

/** Listens, or says in one line which setting names a port it cannot have. */
async function listenOn(server: http.Server, variable: string, port: number, host: string): Promise<http.Server> {
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, host, () => {
        server.off("error", reject);
        resolve();
      });
    });
    return server;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EADDRINUSE") throw new ConfigError(`${variable} ${port} on ${host} is already in use (set ${variable} to a free port, or stop what listens there)`);
    if (code === "EACCES") throw new ConfigError(`${variable} ${port} on ${host} needs privileges this process does not have (choose a port above 1023)`);
    if (code === "EADDRNOTAVAIL") throw new ConfigError(`${variable === "PORT" ? "HOST" : "METRICS_HOST"} '${host}' is not an address of this machine`);
    throw error;
  }
}

async function closeServer(server: http.Server | null): Promise<void> {
  if (!server?.listening) return;
  await new Promise((resolve) => server.close(resolve));
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
  /** Sends the signed webhooks (tests settle it). */
  readonly webhooks: WebhookDispatcher;
  /** The port `/metrics` is served on when METRICS_PORT gave it one of its own; null when it is on {@link port}. */
  readonly metricsPort: number | null;
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

  /** Counts one execution outside Apollo (the early path) until the returned function is called. */
  enter(): () => void {
    this.count++;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      if (--this.count === 0) for (const wake of this.waiters.splice(0)) wake();
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
  const logger = options.logger ?? createLogger(config.log.level);
  const stats = new LiveStats();
  const metrics = new Metrics(stats);
  // The ports are taken first, so a port in use is reported before anything is written. Until
  // the application is built, the public port answers 503 "starting".
  let handle: http.RequestListener = answerStarting;
  const httpServer = http.createServer(httpServerOptions({ headersTimeoutMs: config.http.headersTimeoutMs, requestTimeoutMs: config.http.requestTimeoutMs }), (req, res) => handle(req, res));
  httpServer.keepAliveTimeout = config.http.keepAliveTimeoutMs;
  const peerTrust = proxyTrust(config.http.trustProxy);
  guardConnections(httpServer, {
    maxConnections: config.http.maxConnections,
    maxConnectionsPerAddress: config.http.maxConnectionsPerAddress,
    isTrustedProxy: (address) => peerTrust(address, 0),
    metrics,
    logger,
  });
  await listenOn(httpServer, "PORT", config.http.port, config.http.host);
  let metricsServer: http.Server | null = null;
  let db: Database;
  try {
    if (config.metrics.port !== null) metricsServer = await listenOn(metricsApp(metrics), "METRICS_PORT", config.metrics.port, config.metrics.host);
    db = await Database.open(config.database, entities);
  } catch (error) {
    await closeServer(metricsServer);
    await closeServer(httpServer);
    throw error;
  }
  let rateLimits: RateLimits | undefined;
  // Stories are read in worker threads, so a story slow to read holds up no other request.
  const imports = new ImportPool(config.import, logger);
  try {
    if (config.seed && (await loadSeed(db, new Date(), imports))) logger.info("loaded the seed story");
    const schema = await createSchema();
    const notifier: Notifier | undefined = config.redis.url ? await createRedisNotifier(config.redis.url, logger, config.redis.outageLogMs) : undefined;
    const bus = new EventBus(db, { pollIntervalMs: config.events.pollIntervalMs, retentionMs: config.events.retentionMs, logger, notifier });
    await bus.start();
    // With Redis, shared by every instance.
    rateLimits = await openRateLimits({ redisUrl: config.redis.url, logger, outageSummaryMs: config.redis.outageLogMs });
    const services = createServices({
      db,
      comments: config.comments,
      live: { bus, stats },
      rateLimits,
      webhooks: config.webhooks,
      previews: config.previews,
      imports,
      // The entry goes to the log instead: a change that committed, or a refused attempt, is never left unrecorded silently.
      lostAudit: (entry, error) => {
        metrics.auditEntriesLost.inc();
        logger.error({ err: error, audit: entry }, "audit entry not written");
      },
    });
    // Masking only: the observability plugin logs unexpected errors, where the request's id is known.
    const formatError = (formatted: GraphQLFormattedError, error: unknown) => maskError(formatted, error);
    const persisted = new PersistedQueries(config.graphql.persistedQueriesBytes);
    const responseCache = startResponseCache({ db, bus, schema, config: config.cache, logger, metrics });
    const policy = new OperationPolicy(schema, { limits: config.graphql.limits, introspection: config.graphql.introspection, hideHints: config.production, logger, metrics });
    const executions = new InFlight();
    const observer = requestObserver({ logger, metrics });

    // Execution notes the rows it read only where an answer can be kept and tagged by them (see
    // api/read-rows.ts): an anonymous one, with tags by row, kept in memory or (a GET) at the edge.
    const notesReadRows = (viewer: unknown, method: string | undefined) => viewer === null && config.cache.tags === "row" && (config.cache.enabled || method === "GET");
    const app = express();
    app.disable("x-powered-by");
    // Express would hash every response body for a weak ETag (it showed in the front page's
    // profile). GraphQL answers are POSTed and differ per viewer; nothing here revalidates them.
    app.set("etag", false);
    // The same rule as clientAddress, so whatever reads req.ip agrees with the limits.
    app.set("trust proxy", proxyTrust(config.http.trustProxy));
    const clientAddress = clientAddressOf(config.http.trustProxy);
    // CORS headers are set before anything else answers: Express's chain, or an early cache hit.
    const corsHeaders =
      config.cors.origins.length > 0
        ? cors({
            // `*` is answered with the constant `*`, not each origin echoed back: the answer then does
            // not depend on Origin, and a shared cache keeps one copy instead of one per origin.
            origin: config.cors.origins.includes("*") ? "*" : [...config.cors.origins],
            methods: ["GET", "POST", "OPTIONS"],
            allowedHeaders: [...config.cors.allowHeaders],
            // A page can then quote the id a support request or the logs know its request by.
            exposedHeaders: ["x-request-id"],
            // Without it a browser asks again before nearly every POST (its default is 5 s).
            maxAge: config.cors.maxAgeSeconds,
            // No Access-Control-Allow-Credentials: no cookies exist here, a token is sent explicitly.
          })
        : null;
    const early = responseCache.http.early;
    const ws = attachGraphqlWs(httpServer, {
      schema,
      services,
      stats,
      logger,
      policy,
      bus,
      clientAddress,
      maxSubscriptionsPerConnection: config.websocket.maxSubscriptionsPerConnection,
      maxConnectionsPerAddress: config.websocket.maxConnectionsPerAddress,
      maxSubscriptionsPerAddress: config.websocket.maxSubscriptionsPerAddress,
      maxMessageBytes: config.websocket.maxMessageBytes,
      keepAliveMs: config.websocket.keepAliveMs,
      initTimeoutMs: config.websocket.initTimeoutMs,
      allowedOrigins: config.websocket.origins,
    });

    const apollo = new ApolloServer<HttpContext>({
      schema,
      formatError,
      includeStacktraceInErrorResponses: false,
      // The operation policy parses and validates (operationGate); Apollo runs the document it
      // admitted. These are only what Apollo would use if it ever parsed on its own.
      validationRules: policy.validationRules,
      parseOptions: { maxTokens: config.graphql.limits.maxTokens },
      documentStore: null,
      introspection: config.graphql.introspection,
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
        admittedDocumentPlugin<HttpContext>(),
        responseCache.http.plugin<HttpContext>(),
        observabilityPlugin(observer),
        executions.plugin(),
      ],
    });
    await apollo.start();

    app.use(requestScope());
    if (corsHeaders) app.use(corsHeaders);
    // On the public port only when no port of its own is configured (METRICS_PORT).
    if (config.metrics.port === null) app.get("/metrics", metricsHandler(metrics));
    app.get("/healthz", (_req, res) => {
      res.json({ status: "ok" });
    });
    app.get("/readyz", async (_req, res) => {
      const ok = await db.ping();
      res.status(ok ? 200 : 503).json({ status: ok ? "ok" : "unavailable", database: ok ? "up" : "down" });
    });
    if (config.graphql.playground) app.use(createPlaygroundRouter({ endpoint: "/graphql", defaultQuery: DEFAULT_PLAYGROUND_QUERY }));
    // Not behind PLAYGROUND: the ticker is for readers, and embedded on other sites.
    app.use(createTickerRouter({ endpoint: "/graphql", storyUrl: config.ticker.storyUrl, frameAncestors: config.ticker.frameAncestors, imageOrigins: config.ticker.imageOrigins }));
    // Feeds and sitemaps link stories where the ticker does: one setting, TICKER_STORY_URL.
    app.use(
      createFeedsRouter({
        services,
        cache: responseCache.cache,
        feeds: config.feeds,
        storyUrl: config.ticker.storyUrl,
        maxAgeSeconds: config.cache.maxAgeSeconds,
        staleWhileRevalidateSeconds: config.cache.staleSeconds,
        logger,
      }),
    );
    // Beside the playground, but not behind PLAYGROUND: editors need it where GraphiQL is off.
    if (config.desk.enabled) app.use(createDeskRouter({ endpoint: "/graphql" }));
    app.use("/graphql", responseCache.http.varyHeaders());
    app.use(
      "/graphql",
      express.json({ limit: config.http.maxBodyBytes }),
      // A body read before Express (see EarlyHits) that is not JSON fails here, as the parser above would have.
      (req, _res, next) => {
        const error = early?.bodyErrorOf(req) ?? direct?.bodyErrorOf(req);
        next(error ? Object.assign(error, { status: 400, type: "entity.parse.failed" }) : undefined);
      },
      operationGate(policy, { cache: responseCache.http, persisted }),
      executeAdmitted(apollo, {
        context: async ({ req, res }) => {
          const scope = scopeOf(res);
          try {
            const viewer = await services.auth.authenticate(scope, req.headers.authorization);
            return { ...createContext(services, { viewer, clientAddress: clientAddress(req), transport: "http", tally: scope, noteReadRows: notesReadRows(viewer, req.method) }), admitted: admittedOf(res) };
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

    // Anonymous queries run before Express and Apollo; with the response cache on, its early check
    // answers repeats first and hands the misses on, whose answers the early path stores.
    const direct =
      !config.graphql.earlyExecution
        ? null
        : new EarlyExecution({
            schema,
            policy,
            context: (req, scope, admitted) => ({
              ...createContext(services, { viewer: null, clientAddress: clientAddress(req), transport: "http", tally: scope, noteReadRows: notesReadRows(null, req.method) }),
              admitted,
            }),
            formatError,
            observer,
            inFlight: () => executions.enter(),
            headerStep: corsHeaders,
            cache: responseCache.http,
            bodiesRead: early !== null,
            // A few hundred documents cover a site's pages; more are compiled again when they come back.
            compiled: config.graphql.compiledExecution ? new CompiledExecution(schema, { capacity: 256, count: (outcome) => metrics.compiledExecutions.inc({ outcome }) }) : null,
          });
    const graphql = direct ? direct.listener(app) : app;
    handle = early ? early.listener(graphql, corsHeaders) : graphql;
    const scheduler = startScheduler(services.articles, config.events.schedulerIntervalMs, logger);
    const webhooks = startWebhooks(db, bus, config.webhooks, logger, (result) => metrics.webhookAttempts.inc({ outcome: result.outcome }));
    const port = (httpServer.address() as AddressInfo).port;
    const shownHost = config.http.host === "0.0.0.0" || config.http.host === "::" ? "localhost" : config.http.host;
    let stopping: Promise<void> | undefined;
    return {
      url: `http://${shownHost}:${port}/graphql`,
      port,
      db,
      logger,
      bus,
      stats,
      metrics,
      webhooks,
      metricsPort: metricsServer ? (metricsServer.address() as AddressInfo).port : null,
      stop: () =>
        (stopping ??= (async () => {
          await scheduler.stop();
          await webhooks.stop();
          // Apollo's drain stops the HTTP server, waits for requests in flight and closes the sockets.
          await apollo.stop();
          await closeServer(metricsServer);
          // The drain waits for open connections only: a request whose client hung up may still be executing.
          await executions.settled(STOP_GRACE_MS);
          responseCache.stop();
          await imports.close();
          await bus.stop();
          await notifier?.close();
          await rateLimits?.close();
          await db.close();
        })()),
    };
  } catch (error) {
    await imports.close();
    await rateLimits?.close();
    await db.close();
    await closeServer(metricsServer);
    await closeServer(httpServer);
    throw error;
  }
}
