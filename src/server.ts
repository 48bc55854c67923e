import "reflect-metadata";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import { ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import { expressMiddleware } from "@as-integrations/express5";
import express from "express";
import type { GraphQLFormattedError } from "graphql";
import { useServer } from "graphql-ws/use/ws";
import { WebSocketServer } from "ws";
import type { Viewer } from "./auth/viewer";
import type { AppConfig } from "./config";
import { maskError } from "./common/errors";
import { createLogger } from "./common/logger";
import type { Logger } from "./common/logger";
import { createContext, createServices } from "./context";
import type { Context } from "./context";
import { Database } from "./db/database";
import { loadSeed } from "./db/seed/seed";
import { startScheduler } from "./events/scheduler";
import { createSchema } from "./schema";

/** What {@link createServer} hands back: where it listens, its store, and how to stop it. */
export interface RunningServer {
  /** e.g. `http://127.0.0.1:4000/graphql`. */
  readonly url: string;
  readonly port: number;
  readonly db: Database;
  readonly logger: Logger;
  /** Stops accepting, closes sockets, finishes in-flight work and closes the database. */
  stop(): Promise<void>;
}

/**
 * Builds and starts the whole server: HTTP (GraphQL over POST/GET, /healthz, /readyz) and
 * graphql-ws on the same port and path. Opens the database, runs pending migrations and, when
 * `config.seed` is on and the store is empty, loads the seed story.
 */
export async function createServer(config: AppConfig, options: { logger?: Logger } = {}): Promise<RunningServer> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const db = await Database.open(config.database);
  try {
    if (config.seed && (await loadSeed(db))) logger.info("loaded the seed story");
    const schema = await createSchema();
    const services = createServices(db, config);
    const formatError = (formatted: GraphQLFormattedError, error: unknown) => maskError(formatted, error, (e) => logger.error({ err: e }, "unexpected error"));

    const app = express();
    app.disable("x-powered-by");
    app.set("trust proxy", config.trustProxy);
    const httpServer = http.createServer(app);
    const wsServer = new WebSocketServer({ server: httpServer, path: "/graphql" });
    const wsCleanup = useServer<Record<string, unknown> | undefined, { viewer?: Viewer | null }>(
      {
        schema,
        // The token comes in connection_init; an invalid one closes the socket with 4403.
        onConnect: async (ctx) => {
          const authorization = ctx.connectionParams?.authorization;
          try {
            ctx.extra.viewer = await services.auth.authenticate(typeof authorization === "string" ? authorization : null);
            return true;
          } catch {
            return false;
          }
        },
        context: (ctx): Context => createContext(services, ctx.extra.viewer ?? null, ctx.extra.request.socket.remoteAddress ?? "unknown"),
        onError: (_ctx, _id, _payload, errors) => {
          for (const e of errors) logger.warn({ err: e }, "websocket operation failed");
        },
      },
      wsServer,
    );

    const apollo = new ApolloServer<Context>({
      schema,
      formatError,
      includeStacktraceInErrorResponses: false,
      plugins: [
        ApolloServerPluginDrainHttpServer({ httpServer }),
        ApolloServerPluginLandingPageDisabled(),
        { serverWillStart: async () => ({ drainServer: async () => void (await wsCleanup.dispose()) }) },
      ],
    });
    await apollo.start();

    app.get("/healthz", (_req, res) => {
      res.json({ status: "ok" });
    });
    app.get("/readyz", async (_req, res) => {
      const ok = await db.ping();
      res.status(ok ? 200 : 503).json({ status: ok ? "ok" : "unavailable", database: ok ? "up" : "down" });
    });
    app.use(
      "/graphql",
      express.json({ limit: "1mb" }),
      expressMiddleware(apollo, { context: async ({ req }) => createContext(services, await services.auth.authenticate(req.headers.authorization), req.ip ?? "unknown") }),
    );

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
      stop: () =>
        (stopping ??= (async () => {
          await scheduler.stop();
          await apollo.stop();
          await db.close();
        })()),
    };
  } catch (error) {
    await db.close();
    throw error;
  }
}
