import http from "node:http";
import type { AddressInfo } from "node:net";
import { postgraphile } from "./lib/tools";

/*
 * The GraphQL peer of `bench --postgres`: PostGraphile 4 (one of the bench's own tools in
 * bench/package.json) serving the very tables the server reads, with its schema inferred from
 * them, configured as its documentation advises for production (no query log, no GraphiQL, no
 * watching, no mutations, which these reads do not use). Its own pool of 10 connections, as the
 * server's. It answers its own documents (lib/pg-peers.ts holds them, shaped like Q1 and Q2).
 *
 *   DATABASE_URL=… PORT=0 node dist/tests/bench/postgraphile-peer.js   → prints {"url":"http://127.0.0.1:PORT/graphql"}
 */

const url = process.env.DATABASE_URL;
if (!url) {
  console.error("DATABASE_URL is required");
  process.exit(2);
}
const handler = postgraphile().postgraphile(url, "public", {
  graphqlRoute: "/graphql",
  graphiql: false,
  disableQueryLog: true,
  disableDefaultMutations: true,
  watchPg: false,
  retryOnInitFail: false,
  setofFunctionsContainNulls: false,
  ignoreRBAC: true,
  legacyRelations: "omit",
  showErrorStack: false,
});
const server = http.createServer(handler);
server.listen(Number(process.env.PORT ?? 0), "127.0.0.1", () => {
  const { port } = server.address() as AddressInfo;
  console.log(JSON.stringify({ msg: "PostGraphile ready", url: `http://127.0.0.1:${port}/graphql` }));
});
process.once("SIGTERM", () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
