import "reflect-metadata";
import fs from "node:fs";
import path from "node:path";
import { schemaSdl } from "../api/schema";

/** Writes the served schema to schema.graphql at the project root (`npm run schema:emit`). */
async function emit(): Promise<void> {
  const target = path.resolve(__dirname, "..", "..", "..", "schema.graphql");
  fs.writeFileSync(target, await schemaSdl());
  console.log(`wrote ${target}`);
}

emit().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
