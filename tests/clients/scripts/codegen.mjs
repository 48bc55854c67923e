// GraphQL Code Generator's programmatic API with the README's codegen.ts (its client preset and
// scalars as they are), the schema read from the server's URL (codegen introspects it),
// documents from <dir>/operations.ts, output in <dir>/gql/.
// Usage: node codegen.mjs <url> <dir> <the recipe's generates entry, JSON>
import path from "node:path";
import { generate } from "@graphql-codegen/cli";
import { report } from "./record-fetch.mjs";

const [url, dir, output] = process.argv.slice(2);
try {
  const outputs = await generate(
    {
      schema: url,
      documents: [path.join(dir, "operations.ts")],
      silent: true,
      generates: { [`${path.join(dir, "gql")}/`]: JSON.parse(output) },
    },
    true,
  );
  report({ files: outputs.map((output) => path.relative(dir, output.filename)).sort(), error: null });
} catch (error) {
  // Codegen gathers its failures (one per schema or document source) under `errors` or in the message.
  const details = Array.isArray(error?.errors) ? error.errors.map((e) => String(e?.message ?? e)) : [];
  report({ files: [], error: [String(error?.message ?? error), ...details].join("\n") });
}
