import { Client, cacheExchange, fetchExchange, subscriptionExchange } from "@urql/core";
import { createLiveClient } from "./graphql-ws.mjs";

// urql's default exchanges (queries as GET within the URL limit, mutations as POST), and
// subscriptions handed to the graphql-ws client.
export function createUrqlClient({ url, wsUrl, token }) {
  const live = createLiveClient({ url: wsUrl, token });
  return new Client({
    url,
    fetchOptions: token ? { headers: { authorization: `Bearer ${token}` } } : {},
    exchanges: [
      cacheExchange,
      fetchExchange,
      subscriptionExchange({
        forwardSubscription: (request) => ({
          subscribe: (sink) => ({ unsubscribe: live.subscribe({ ...request, query: request.query ?? "" }, sink) }),
        }),
      }),
    ],
  });
}
