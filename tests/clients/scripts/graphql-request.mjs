// graphql-request 7 (ESM only): a GraphQLClient with default options (POST), or with
// `method: "GET"`, the one option its documentation gives for GET.
// Usage: node graphql-request.mjs <url> <"POST"|"GET"> <document> [variables JSON]
import { ClientError, GraphQLClient } from "graphql-request";
import { recordFetch, report } from "./record-fetch.mjs";

const [url, method, document, variables = "{}"] = process.argv.slice(2);
const sent = recordFetch();
const client = method === "GET" ? new GraphQLClient(url, { method: "GET" }) : new GraphQLClient(url);
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
