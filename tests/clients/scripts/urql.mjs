// @urql/core's Client as its documentation creates it (url and the default exchanges, nothing
// else): queries go as GET within the URL limit, mutations as POST.
// Usage: node urql.mjs <url> <"query"|"mutation"> <document> [variables JSON]
import { Client, cacheExchange, fetchExchange } from "@urql/core";
import { recordFetch, report } from "./record-fetch.mjs";

const [url, kind, document, variables = "{}"] = process.argv.slice(2);
const sent = recordFetch();
const client = new Client({ url, exchanges: [cacheExchange, fetchExchange] });
const operation = kind === "mutation" ? client.mutation(document, JSON.parse(variables)) : client.query(document, JSON.parse(variables));
const result = await operation.toPromise();
report({
  data: result.data ?? null,
  error: result.error
    ? {
        message: result.error.message,
        graphQLErrors: result.error.graphQLErrors.map((e) => ({ message: e.message, code: e.extensions?.code ?? null })),
        networkError: result.error.networkError?.message ?? null,
      }
    : null,
  sent,
});
