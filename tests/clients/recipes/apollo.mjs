import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from "@apollo/client";
import { GraphQLWsLink } from "@apollo/client/link/subscriptions";
import { relayStylePagination } from "@apollo/client/utilities";
import { OperationTypeNode } from "graphql";
import { createLiveClient } from "./graphql-ws.mjs";

// Queries and mutations over HTTP, subscriptions over graphql-ws on the same URL. Lists are
// Relay connections: `relayStylePagination` appends each page that `fetchMore` brings to the
// one list in the cache, kept apart per filter and order.
export function createApolloClient({ httpUrl, wsUrl, token }) {
  const http = new HttpLink({ uri: httpUrl, headers: token ? { authorization: `Bearer ${token}` } : {} });
  const ws = new GraphQLWsLink(createLiveClient({ url: wsUrl, token }));
  return new ApolloClient({
    link: ApolloLink.split(({ operationType }) => operationType === OperationTypeNode.SUBSCRIPTION, ws, http),
    cache: new InMemoryCache({
      typePolicies: {
        Query: { fields: { articles: relayStylePagination(["filter", "orderBy"]) } },
      },
    }),
  });
}
