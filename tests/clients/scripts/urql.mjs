// @urql/core's Client as the README's recipe creates it (default exchanges, plus
// subscriptionExchange over graphql-ws): queries go as GET within the URL limit, mutations as
// POST, subscriptions over the WebSocket.
// Usage: node urql.mjs <url> <"query"|"mutation"|"subscription"> <document> [variables JSON]
// A subscription reports its first result and exits.
import { createUrqlClient } from "../recipes/urql.mjs";
import { recordFetch, report } from "./record-fetch.mjs";

const [url, kind, document, variables = "{}"] = process.argv.slice(2);
const sent = recordFetch();
const client = createUrqlClient({ url, wsUrl: url.replace(/^http/, "ws") });
const vars = JSON.parse(variables);
const operation = kind === "mutation" ? client.mutation(document, vars) : kind === "subscription" ? client.subscription(document, vars) : client.query(document, vars);
// toPromise waits for a result with no more to come, which a subscription's never is.
const result = kind === "subscription" ? await new Promise((resolve) => operation.subscribe(resolve)) : await operation.toPromise();
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
// The graphql-ws client would keep the process alive while it waits to close its socket.
process.exit(0);
