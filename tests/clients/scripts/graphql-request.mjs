// graphql-request 7 (ESM only) as the README's recipe creates it: default options (POST), or
// `method: "GET"`.
// Usage: node graphql-request.mjs <url> <"POST"|"GET"> <document> [variables JSON]
import { ClientError } from "graphql-request";
import { createRequestClient } from "../recipes/graphql-request.mjs";
import { recordFetch, report } from "./record-fetch.mjs";

const [url, method, document, variables = "{}"] = process.argv.slice(2);
const sent = recordFetch();
const client = createRequestClient({ url, method });
try {
  const data = await client.request(document, JSON.parse(variables));
  report({ data, error: null, sent });
} catch (error) {
  if (!(error instanceof ClientError)) throw error;
  report({
    data: null,
    error: { status: error.response.status, errors: (error.response.errors ?? []).map((e) => ({ message: e.message, code: e.extensions?.code ?? null })) },
    sent,
  });
}
