// GraphQL Code Generator's programmatic API with the client preset, the schema read from the
// server's URL (codegen introspects it), documents from <dir>/operations.ts, output in <dir>/gql/.
// Usage: node codegen.mjs <url> <dir>
import path from "node:path";
import { generate } from "@graphql-codegen/cli";
import { report } from "./record-fetch.mjs";

const [url, dir] = process.argv.slice(2);
try {
  const outputs = await generate(
    {
      schema: url,
      documents: [path.join(dir, "operations.ts")],
      silent: true,
      generates: { [`${path.join(dir, "gql")}/`]: { preset: "client", config: { scalars: { DateTime: "string" } } } },
    },
    true,
  );
  report({ files: outputs.map((output) => path.relative(dir, output.filename)).sort(), error: null });
} catch (error) {
  // Codegen gathers its failures (one per schema or document source) under `errors` or in the message.
  const details = Array.isArray(error?.errors) ? error.errors.map((e) => String(e?.message ?? e)) : [];
  report({ files: [], error: [String(error?.message ?? error), ...details].join("\n") });
}
