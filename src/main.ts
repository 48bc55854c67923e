import "reflect-metadata";
import { ConfigError, loadConfig } from "./config";
import { createLogger } from "./kernel/logger";
import { createServer } from "./server";

async function main(): Promise<void> {
  const startedAt = performance.now();
  const config = loadConfig();
  const server = await createServer(config);
  server.logger.info({ url: server.url, database: config.database.kind, startupMs: Math.round(performance.now() - startedAt) }, `newsroom GraphQL server ready at ${server.url}`);
  const shutdown = (signal: string) => {
    server.logger.info({ signal }, "shutting down");
    server.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        server.logger.error({ err: error }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.once("SIGTERM", () => shutdown("SIGTERM"));
  process.once("SIGINT", () => shutdown("SIGINT"));
}

main().catch((error: unknown) => {
  // Every line the process writes is JSON, a failed start too; a bad setting needs no stack.
  const logger = createLogger(process.env.LOG_LEVEL ?? "info");
  if (error instanceof ConfigError) logger.fatal({ setting: error.message }, `cannot start: ${error.message}`);
  else logger.fatal({ err: error }, "cannot start");
  logger.flush();
  process.exitCode = 1;
});
