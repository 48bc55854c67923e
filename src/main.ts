import "reflect-metadata";
import { loadConfig } from "./config";
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
  console.error(error);
  process.exit(1);
});
