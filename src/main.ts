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
  // A bad setting or a taken port is the operator's to fix: one plain line, no stack. Anything
  // else is unexpected and logged whole, as JSON like every other line of the process.
  if (error instanceof ConfigError) {
    process.stderr.write(`cannot start: ${error.message}\n`);
  } else {
    const logger = createLogger("info");
    logger.fatal({ err: error }, "cannot start");
    logger.flush();
  }
  process.exitCode = 1;
});
