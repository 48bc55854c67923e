import { GraphQLClient } from "graphql-request";

// POST by default; `method: "GET"` puts queries in the URL, where HTTP caches (and the
// server's Cache-Control) can answer them.
export const createRequestClient = ({ url, token, method = "POST" }) =>
  new GraphQLClient(url, { method, headers: token ? { authorization: `Bearer ${token}` } : {} });
