import type { CodegenConfig } from "@graphql-codegen/cli";

// codegen.ts: types for the operations written with `graphql()` in src/, read from the running
// server. DateTime values arrive as RFC 3339 strings (the scalar's @specifiedBy URL says so).
const config: CodegenConfig = {
  schema: "http://localhost:4000/graphql",
  documents: ["src/**/*.{ts,tsx}"],
  generates: {
    "src/gql/": { preset: "client", config: { scalars: { DateTime: "string" } } },
  },
};
export default config;
