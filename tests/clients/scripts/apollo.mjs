// Apollo Client 4 as the README's recipe creates it, in two scenarios:
//   paging <url> <first>: a connection's first page, then fetchMore for the next one; reports
//     both pages and the list the cache merged them into (relayStylePagination).
//   subscribe <url>: a query (HTTP) and then a subscription (graphql-ws) through the same client;
//     reports the query's answer and the subscription's first event, then exits.
import { gql } from "@apollo/client";
import { createApolloClient } from "../recipes/apollo.mjs";
import { recordFetch, report } from "./record-fetch.mjs";

const [mode, url, first = "2"] = process.argv.slice(2);
const sent = recordFetch();
const client = createApolloClient({ httpUrl: url, wsUrl: url.replace(/^http/, "ws") });

const FRONT_PAGE = gql`
  query FrontPage($first: Int!, $after: String) {
    articles(first: $first, after: $after) { edges { cursor node { id title } } pageInfo { hasNextPage endCursor } }
  }
`;
const STORIES = gql`query Stories { articles(first: 1) { totalCount } }`;
const PUBLISHED = gql`subscription Published { articlePublished { cursor type article { id title } } }`;

const ids = (connection) => connection.edges.map((edge) => edge.node.id);

if (mode === "paging") {
  const watched = client.watchQuery({ query: FRONT_PAGE, variables: { first: Number(first) } });
  const firstPage = await new Promise((resolve, reject) => {
    const subscription = watched.subscribe({
      next: (result) => {
        if (result.loading) return;
        subscription.unsubscribe();
        resolve(result);
      },
      error: reject,
    });
  });
  const { articles: page1 } = firstPage.data;
  const { data: more } = await watched.fetchMore({ variables: { after: page1.pageInfo.endCursor } });
  // What the cache holds for the query now: the read function of relayStylePagination.
  const merged = client.readQuery({ query: FRONT_PAGE, variables: { first: Number(first) } });
  report({ page1: ids(page1), page2: ids(more.articles), merged: ids(merged.articles), pageInfo: merged.articles.pageInfo, sent });
} else if (mode === "subscribe") {
  const { data } = await client.query({ query: STORIES });
  const event = await new Promise((resolve, reject) => {
    client.subscribe({ query: PUBLISHED }).subscribe({ next: resolve, error: reject });
  });
  report({ query: data, event: event.data ?? null, errors: event.error ? String(event.error) : null, sent });
} else {
  throw new Error(`unknown mode ${mode}`);
}
process.exit(0);
